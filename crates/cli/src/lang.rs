//! The language of what the command says: `--lang`, or the environment's locale
//! (`LANGUAGE`, `LC_ALL`, `LC_MESSAGES`, `LANG`), English otherwise.

use crate::error::{fail, said, Result};
use labelcheck_words::Lang;

pub fn resolve(flag: Option<&str>) -> Result<Lang> {
    if let Some(tag) = flag {
        return Lang::from_code(tag).ok_or_else(|| {
            let known: Vec<&str> = Lang::all().map(Lang::code).collect();
            fail(said("lang").text("tag", tag).text("known", known.join(", ")))
        });
    }
    let env: Vec<Option<String>> = ["LANGUAGE", "LC_ALL", "LC_MESSAGES", "LANG"]
        .iter()
        .map(|v| std::env::var(v).ok())
        .collect();
    Ok(Lang::from_locale(&env))
}
