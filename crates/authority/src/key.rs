//! The keys an authority signs with, wherever they live: a private key file (a JWK readable
//! only by its owner), or a key in a PKCS#11 token named by an RFC 7512 `pkcs11:` URI, which
//! never leaves the token. Every act that takes a key takes either.

use crate::durable;
use crate::error::{Action, Error, Result, TokenProblem};
use crate::pkcs11::{self, TokenAccess, TokenKey};
use ed25519_dalek::{Signature, SignatureError, Signer, SigningKey, VerifyingKey};
use labelcheck_core::fields::kid_ok;
use labelcheck_core::jwk::{PrivateJwk, PublicJwk};
use std::path::Path;

/// A private key file is a few hundred bytes; anything larger is not one.
const MAX_KEY_FILE_BYTES: usize = 4096;

pub struct Key {
    pub kid: String,
    pub public: VerifyingKey,
    held: Held,
}

enum Held {
    Memory(SigningKey),
    Token(TokenKey),
}

/// Whether `spec` names a key in a token rather than a file.
pub fn is_token_uri(spec: &str) -> bool {
    spec.starts_with("pkcs11:")
}

impl Key {
    /// `spec` is a key file's path or a `pkcs11:` URI.
    pub fn open(spec: &str, access: &TokenAccess<'_>) -> Result<Key> {
        if is_token_uri(spec) {
            let token = TokenKey::open(spec, access)?;
            return Ok(Key {
                kid: token.kid().to_owned(),
                public: token.public(),
                held: Held::Token(token),
            });
        }
        let (kid, key) = read_private_key(Path::new(spec))?;
        Ok(Key {
            kid,
            public: key.verifying_key(),
            held: Held::Memory(key),
        })
    }

    /// A key held in memory (the demo's, and tests').
    pub fn from_signing_key(kid: &str, key: SigningKey) -> Key {
        Key {
            kid: kid.to_owned(),
            public: key.verifying_key(),
            held: Held::Memory(key),
        }
    }

    /// Why the key could not sign: what the token said, if it said anything.
    pub fn signing_failed(&self) -> Error {
        match &self.held {
            Held::Token(t) => Error::Token(TokenProblem::SigningFailed(t.last_error().unwrap_or_default())),
            Held::Memory(_) => Error::Token(TokenProblem::SigningFailed(String::new())),
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

/// A new Ed25519 key from the system's secure randomness.
pub fn random_key() -> Result<SigningKey> {
    let mut seed = [0u8; 32];
    getrandom::getrandom(&mut seed).map_err(|_| Error::NoRandomness)?;
    Ok(SigningKey::from_bytes(&seed))
}

/// Makes a key: in a file (written readable only by its owner, never over an existing file),
/// or in a token (its private half never leaves it). Returns its public key.
pub fn generate(kid: &str, out: &str, access: &TokenAccess<'_>) -> Result<PublicJwk> {
    if !kid_ok(kid) {
        return Err(Error::KeyId { kid: kid.to_owned() });
    }
    if is_token_uri(out) {
        // The key's label in the token is the key id the labels will carry.
        let object = pkcs11::Uri::parse(out)?.object;
        if object != kid {
            return Err(Error::Token(TokenProblem::ObjectNotKid {
                object,
                kid: kid.to_owned(),
            }));
        }
        let public = pkcs11::generate(out, access)?;
        return Ok(PublicJwk::from_key(kid, &public));
    }
    let key = random_key()?;
    write_private_key(Path::new(out), &PrivateJwk::from_key(kid, &key))?;
    Ok(PublicJwk::from_key(kid, &key.verifying_key()))
}

/// Writes a private key so that only the owner can read it; never over an existing file.
pub fn write_private_key(path: &Path, key: &PrivateJwk) -> Result<()> {
    let mut json = serde_json::to_vec_pretty(key).map_err(|_| Error::WorkerFailed)?;
    json.push(b'\n');
    durable::create(path, &json, 0o600)
}

pub fn read_private_key(path: &Path) -> Result<(String, SigningKey)> {
    let bytes = durable::read_limited(path, MAX_KEY_FILE_BYTES)?;
    let jwk: PrivateJwk = serde_json::from_slice(&bytes).map_err(|e| Error::json(path, Action::ReadKey, &e))?;
    let key = jwk.signing_key().map_err(|problem| Error::Jwk {
        path: path.to_owned(),
        problem,
    })?;
    Ok((jwk.kid, key))
}

/// A public key file (what `keygen` prints), as key lists and trust files take it.
pub fn read_public_key(path: &Path) -> Result<PublicJwk> {
    let bytes = durable::read_limited(path, MAX_KEY_FILE_BYTES)?;
    let jwk: PublicJwk = serde_json::from_slice(&bytes).map_err(|e| Error::json(path, Action::ReadKey, &e))?;
    jwk.verifying_key().map_err(|problem| Error::Jwk {
        path: path.to_owned(),
        problem,
    })?;
    Ok(jwk)
}
