//! The key that signs, wherever it lives: a private key file (JWK), or a key in a PKCS#11
//! token named by an RFC 7512 `pkcs11:` URI, which never leaves the token. Every command that
//! takes a key takes either.

use crate::error::{err, CliError, Result};
use crate::files;
use crate::pkcs11::TokenKey;
use ed25519_dalek::{Signature, SignatureError, Signer, SigningKey, VerifyingKey};
use std::path::Path;

pub struct Key {
    pub kid: String,
    pub public: VerifyingKey,
    held: Held,
}

enum Held {
    Memory(SigningKey),
    Token(TokenKey),
}

impl Key {
    /// `spec` is a key file's path or a `pkcs11:` URI.
    pub fn open(spec: &Path) -> Result<Key> {
        if let Some(uri) = spec.to_str().filter(|s| s.starts_with("pkcs11:")) {
            let token = TokenKey::open(uri)?;
            return Ok(Key {
                kid: token.kid().to_owned(),
                public: token.public(),
                held: Held::Token(token),
            });
        }
        let (kid, key) = files::read_private_key(spec)?;
        Ok(Key {
            kid,
            public: key.verifying_key(),
            held: Held::Memory(key),
        })
    }

    /// Adds what the token said to a failure to sign with it.
    pub fn explain(&self, e: CliError) -> CliError {
        match &self.held {
            Held::Token(t) => match t.last_error() {
                Some(why) => err(format!("{e} ({why})")),
                None => e,
            },
            Held::Memory(_) => e,
        }
    }
}

impl Signer<Signature> for Key {
    fn try_sign(&self, msg: &[u8]) -> std::result::Result<Signature, SignatureError> {
        match &self.held {
            Held::Memory(k) => k.try_sign(msg),
            Held::Token(t) => t.try_sign(msg),
        }
    }
}
