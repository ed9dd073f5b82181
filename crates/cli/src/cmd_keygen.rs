//! `labelcheck keygen`

use crate::args::KeygenArgs;
use crate::error::{err, Result};
use crate::files;
use ed25519_dalek::SigningKey;
use labelcheck_core::fields::kid_ok;
use labelcheck_core::jwk::{PrivateJwk, PublicJwk};
use std::process::ExitCode;

pub fn generate() -> Result<SigningKey> {
    let mut seed = [0u8; 32];
    getrandom::getrandom(&mut seed).map_err(|e| err(format!("no secure randomness available: {e}")))?;
    Ok(SigningKey::from_bytes(&seed))
}

pub fn run(a: KeygenArgs) -> Result<ExitCode> {
    if !kid_ok(&a.kid) {
        return Err(err("a key id is 1 to 8 of A-Z a-z 0-9 - _"));
    }
    let key = generate()?;
    files::write_private_key(&a.out, &PrivateJwk::from_key(&a.kid, &key))?;
    let public = PublicJwk::from_key(&a.kid, &key.verifying_key());
    let json = serde_json::to_string_pretty(&public).map_err(|e| err(e.to_string()))?;
    crate::stdout::line(format_args!("{json}"))?;
    eprintln!(
        "labelcheck: private key written to {} (readable only by you)",
        a.out.display()
    );
    Ok(ExitCode::SUCCESS)
}
