//! Ed25519 keys as OKP JSON Web Keys (RFC 8037).

use crate::fields;
use base64::engine::general_purpose::URL_SAFE_NO_PAD as B64;
use base64::Engine;
use ed25519_dalek::{SigningKey, VerifyingKey};
use std::fmt;

/// A public key as it appears in key lists and trust anchors.
#[derive(Clone, Debug, PartialEq, Eq, serde::Serialize, serde::Deserialize)]
pub struct PublicJwk {
    pub kty: String,
    pub crv: String,
    pub x: String,
    pub kid: String,
}

/// A private key file: the public members plus `d`. Written only by the issuing tools.
#[derive(Clone, serde::Serialize, serde::Deserialize)]
pub struct PrivateJwk {
    pub kty: String,
    pub crv: String,
    pub x: String,
    pub d: String,
    pub kid: String,
}

#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub enum JwkError {
    NotEd25519,
    BadKeyId,
    BadEncoding,
    WeakKey,
    Mismatch,
}

impl JwkError {
    /// A stable name, for codes and wording keys (`jwk.…`).
    pub fn name(self) -> &'static str {
        match self {
            JwkError::NotEd25519 => "not-ed25519",
            JwkError::BadKeyId => "bad-key-id",
            JwkError::BadEncoding => "bad-encoding",
            JwkError::WeakKey => "weak-key",
            JwkError::Mismatch => "mismatch",
        }
    }
}

impl fmt::Display for JwkError {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        write!(f, "jwk {}", self.name())
    }
}

impl std::error::Error for JwkError {}

fn key_bytes(s: &str) -> Result<[u8; 32], JwkError> {
    B64.decode(s)
        .ok()
        .and_then(|b| b.try_into().ok())
        .ok_or(JwkError::BadEncoding)
}

impl PublicJwk {
    pub fn from_key(kid: &str, key: &VerifyingKey) -> PublicJwk {
        PublicJwk {
            kty: "OKP".into(),
            crv: "Ed25519".into(),
            x: B64.encode(key.as_bytes()),
            kid: kid.into(),
        }
    }

    pub fn verifying_key(&self) -> Result<VerifyingKey, JwkError> {
        if self.kty != "OKP" || self.crv != "Ed25519" {
            return Err(JwkError::NotEd25519);
        }
        if !fields::kid_ok(&self.kid) {
            return Err(JwkError::BadKeyId);
        }
        let key = VerifyingKey::from_bytes(&key_bytes(&self.x)?).map_err(|_| JwkError::BadEncoding)?;
        if key.is_weak() {
            return Err(JwkError::WeakKey);
        }
        Ok(key)
    }
}

impl PrivateJwk {
    pub fn from_key(kid: &str, key: &SigningKey) -> PrivateJwk {
        PrivateJwk {
            kty: "OKP".into(),
            crv: "Ed25519".into(),
            x: B64.encode(key.verifying_key().as_bytes()),
            d: B64.encode(key.to_bytes()),
            kid: kid.into(),
        }
    }

    pub fn signing_key(&self) -> Result<SigningKey, JwkError> {
        let public = self.public();
        public.verifying_key()?;
        let key = SigningKey::from_bytes(&key_bytes(&self.d)?);
        if key.verifying_key().as_bytes() != &key_bytes(&self.x)? {
            return Err(JwkError::Mismatch);
        }
        Ok(key)
    }

    pub fn public(&self) -> PublicJwk {
        PublicJwk {
            kty: self.kty.clone(),
            crv: self.crv.clone(),
            x: self.x.clone(),
            kid: self.kid.clone(),
        }
    }
}

impl fmt::Debug for PrivateJwk {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        write!(f, "PrivateJwk {{ kid: {:?}, x: {:?}, d: <hidden> }}", self.kid, self.x)
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn rfc8037_test_vector() {
        // RFC 8037 Appendix A.1 / A.2.
        let private = PrivateJwk {
            kty: "OKP".into(),
            crv: "Ed25519".into(),
            d: "nWGxne_9WmC6hEr0kuwsxERJxWl7MmkZcDusAxyuf2A".into(),
            x: "11qYAYKxCrfVS_7TyWQHOg7hcvPapiMlrwIaaPcHURo".into(),
            kid: "a".into(),
        };
        let key = private.signing_key().unwrap();
        assert_eq!(PublicJwk::from_key("a", &key.verifying_key()), private.public());
    }

    #[test]
    fn refuses_bad_keys() {
        let mut k = PublicJwk::from_key("k1", &SigningKey::from_bytes(&[3; 32]).verifying_key());
        assert!(k.verifying_key().is_ok());
        k.x.push('A');
        assert_eq!(k.verifying_key(), Err(JwkError::BadEncoding));
        let mut identity = [0u8; 32];
        identity[0] = 1;
        let weak = PublicJwk {
            x: B64.encode(identity),
            ..k.clone()
        };
        assert_eq!(weak.verifying_key(), Err(JwkError::WeakKey));
        let rsa = PublicJwk { kty: "RSA".into(), ..k };
        assert_eq!(rsa.verifying_key(), Err(JwkError::NotEd25519));
    }
}
