//! `labelcheck keygen`

use crate::args::KeygenArgs;
use crate::error::{err, Result};
use crate::files;
use crate::pkcs11;
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
    if let Some(uri) = a.out.to_str().filter(|s| s.starts_with("pkcs11:")) {
        // The key's label in the token is the key id the labels will carry.
        if pkcs11::Uri::parse(uri)?.object != a.kid {
            return Err(err(format!("the URI's object= must be the key id, {}", a.kid)));
        }
        let public = pkcs11::generate(uri)?;
        print_public(&PublicJwk::from_key(&a.kid, &public))?;
        eprintln!(
            "labelcheck: key {} made in the token; its private half cannot leave it",
            a.kid
        );
        return Ok(ExitCode::SUCCESS);
    }
    let key = generate()?;
    files::write_private_key(&a.out, &PrivateJwk::from_key(&a.kid, &key))?;
    print_public(&PublicJwk::from_key(&a.kid, &key.verifying_key()))?;
    eprintln!(
        "labelcheck: private key written to {} (readable only by you)",
        a.out.display()
    );
    Ok(ExitCode::SUCCESS)
}

fn print_public(public: &PublicJwk) -> Result<()> {
    let json = serde_json::to_string_pretty(public).map_err(|e| err(e.to_string()))?;
    crate::stdout::line(format_args!("{json}"))
}
