//! JWS (RFC 7515) in the flattened JSON serialization, alg EdDSA (RFC 8037), as used for
//! reports, key lists and revocation lists.

use crate::fields;
use crate::json::{self, JsonError};
use base64::engine::general_purpose::URL_SAFE_NO_PAD as B64;
use base64::Engine;
use ed25519_dalek::{Signature, SignatureError, Signer, VerifyingKey};
use std::fmt;

/// `typ` values that keep one kind of signed file from being accepted as another.
pub const TYP_REPORT: &str = "labelcheck-report+json";
pub const TYP_KEY_LIST: &str = "labelcheck-keys+json";
pub const TYP_REVOCATIONS: &str = "labelcheck-revocations+json";
pub const TYP_STATUS: &str = "labelcheck-status+json";

#[derive(serde::Deserialize, serde::Serialize)]
#[serde(deny_unknown_fields)]
struct Flattened {
    protected: String,
    payload: String,
    signature: String,
}

/// The members this format reads; others are ignored (RFC 7515 §4), except the two below.
#[derive(serde::Deserialize)]
struct Header {
    alg: String,
    kid: String,
    typ: String,
}

/// Members that change how a JWS is processed: they MUST NOT appear, whatever their value.
const REFUSED_HEADER_MEMBERS: [&str; 2] = ["crit", "b64"];

/// A parsed JWS whose signature has not been checked yet.
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct Jws {
    pub kid: String,
    pub typ: String,
    /// The decoded payload octets: exactly the bytes that were signed (after base64url).
    pub payload: Vec<u8>,
    signing_input: Vec<u8>,
    signature: [u8; 64],
}

#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub enum JwsError {
    TooLarge,
    NotJson,
    /// The envelope or its header names a field twice: parsers disagree on which one counts.
    DuplicateField,
    NotFlattenedJws,
    BadBase64,
    BadHeader,
    UnsupportedAlgorithm,
    UnsupportedCritical,
    BadKeyId,
    WrongType,
    BadSignatureLength,
}

impl JwsError {
    pub const ALL: [JwsError; 11] = [
        JwsError::TooLarge,
        JwsError::NotJson,
        JwsError::DuplicateField,
        JwsError::NotFlattenedJws,
        JwsError::BadBase64,
        JwsError::BadHeader,
        JwsError::UnsupportedAlgorithm,
        JwsError::UnsupportedCritical,
        JwsError::BadKeyId,
        JwsError::WrongType,
        JwsError::BadSignatureLength,
    ];

    /// A stable name, for codes and wording keys.
    pub fn name(self) -> &'static str {
        match self {
            JwsError::TooLarge => "too-large",
            JwsError::NotJson => "not-json",
            JwsError::DuplicateField => "duplicate-member",
            JwsError::NotFlattenedJws => "not-jws",
            JwsError::BadBase64 => "bad-base64",
            JwsError::BadHeader => "bad-header",
            JwsError::UnsupportedAlgorithm => "unsupported-algorithm",
            JwsError::UnsupportedCritical => "unsupported-critical",
            JwsError::BadKeyId => "bad-key-id",
            JwsError::WrongType => "wrong-type",
            JwsError::BadSignatureLength => "bad-signature-length",
        }
    }
}

impl fmt::Display for JwsError {
    /// The error's name, for logs; people are told it through the wording tables
    /// (`signed-file.…`).
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        write!(f, "signed-file {}", self.name())
    }
}

impl std::error::Error for JwsError {}

impl Jws {
    /// Parses a flattened JWS and checks that its `typ` is `expected_typ`.
    pub fn parse(bytes: &[u8], max_len: usize, expected_typ: &str) -> Result<Jws, JwsError> {
        if bytes.len() > max_len {
            return Err(JwsError::TooLarge);
        }
        // A member named twice could show another reader a different payload or header than
        // the one this verifier checked.
        let envelope = json::parse(bytes).map_err(|e| match e {
            JsonError::DuplicateMember => JwsError::DuplicateField,
            _ => JwsError::NotJson,
        })?;
        let f: Flattened = json::from_value(&envelope).map_err(|_| JwsError::NotFlattenedJws)?;
        let header_bytes = B64.decode(&f.protected).map_err(|_| JwsError::BadBase64)?;
        let header = json::parse(&header_bytes).map_err(|e| match e {
            JsonError::DuplicateMember => JwsError::DuplicateField,
            _ => JwsError::BadHeader,
        })?;
        let refused = REFUSED_HEADER_MEMBERS
            .iter()
            .any(|m| header.as_object().is_some_and(|o| o.contains_key(*m)));
        let header: Header = json::from_value(&header).map_err(|_| JwsError::BadHeader)?;
        if header.alg != "EdDSA" {
            return Err(JwsError::UnsupportedAlgorithm);
        }
        if refused {
            return Err(JwsError::UnsupportedCritical);
        }
        if !fields::kid_ok(&header.kid) {
            return Err(JwsError::BadKeyId);
        }
        if header.typ != expected_typ {
            return Err(JwsError::WrongType);
        }
        let payload = B64.decode(&f.payload).map_err(|_| JwsError::BadBase64)?;
        let signature = B64.decode(&f.signature).map_err(|_| JwsError::BadBase64)?;
        let signature: [u8; 64] = signature.try_into().map_err(|_| JwsError::BadSignatureLength)?;
        let signing_input = format!("{}.{}", f.protected, f.payload).into_bytes();
        Ok(Jws {
            kid: header.kid,
            typ: header.typ,
            payload,
            signing_input,
            signature,
        })
    }

    /// Ed25519 `verify_strict` over the JWS Signing Input.
    pub fn verify(&self, key: &VerifyingKey) -> bool {
        key.verify_strict(&self.signing_input, &Signature::from_bytes(&self.signature))
            .is_ok()
    }
}

/// Signs `payload` as a flattened JWS. The output is pretty-printed JSON ending in a newline.
/// Signs with any Ed25519 signer: a key in memory, or one that stays in a hardware token (whose
/// signing can fail: the token removed, the session closed).
pub fn sign<S: Signer<Signature> + ?Sized>(
    payload: &[u8],
    kid: &str,
    typ: &str,
    key: &S,
) -> Result<Vec<u8>, SignatureError> {
    let header = serde_json::json!({ "alg": "EdDSA", "kid": kid, "typ": typ });
    let protected = B64.encode(header.to_string());
    let payload = B64.encode(payload);
    let signature = key.try_sign(format!("{protected}.{payload}").as_bytes())?;
    let f = Flattened {
        protected,
        payload,
        signature: B64.encode(signature.to_bytes()),
    };
    let mut out = serde_json::to_vec_pretty(&f).unwrap_or_default();
    out.push(b'\n');
    Ok(out)
}

#[cfg(test)]
mod tests {
    use super::*;
    use ed25519_dalek::SigningKey;

    #[test]
    fn sign_then_verify() {
        let key = SigningKey::from_bytes(&[5; 32]);
        let file = sign(b"{\"a\":1}", "r1", TYP_KEY_LIST, &key).unwrap();
        let jws = Jws::parse(&file, 1 << 16, TYP_KEY_LIST).unwrap();
        assert_eq!(jws.payload, b"{\"a\":1}");
        assert_eq!(jws.kid, "r1");
        assert!(jws.verify(&key.verifying_key()));
        assert_eq!(Jws::parse(&file, 1 << 16, TYP_REPORT), Err(JwsError::WrongType));
        assert_eq!(Jws::parse(&file, 10, TYP_KEY_LIST), Err(JwsError::TooLarge));
    }

    #[test]
    fn payload_edit_fails() {
        let key = SigningKey::from_bytes(&[5; 32]);
        let file = sign(b"{\"level\":1}", "r1", TYP_REPORT, &key).unwrap();
        let mut v: serde_json::Value = serde_json::from_slice(&file).unwrap();
        v["payload"] = B64.encode(b"{\"level\":3}").into();
        let jws = Jws::parse(v.to_string().as_bytes(), 1 << 16, TYP_REPORT).unwrap();
        assert!(!jws.verify(&key.verifying_key()));
    }

    #[test]
    fn refuses_other_shapes() {
        assert_eq!(Jws::parse(b"nope", 100, TYP_REPORT), Err(JwsError::NotJson));
        assert_eq!(
            Jws::parse(b"{\"a\":1}", 100, TYP_REPORT),
            Err(JwsError::NotFlattenedJws)
        );
        let hs = B64.encode(r#"{"alg":"HS256","kid":"a","typ":"labelcheck-report+json"}"#);
        let doc = format!(r#"{{"protected":"{hs}","payload":"","signature":""}}"#);
        assert_eq!(
            Jws::parse(doc.as_bytes(), 1000, TYP_REPORT),
            Err(JwsError::UnsupportedAlgorithm)
        );
        let none = B64.encode(r#"{"alg":"EdDSA","kid":"a","typ":"labelcheck-report+json","crit":["b64"],"b64":false}"#);
        let doc = format!(r#"{{"protected":"{none}","payload":"","signature":""}}"#);
        assert_eq!(
            Jws::parse(doc.as_bytes(), 1000, TYP_REPORT),
            Err(JwsError::UnsupportedCritical)
        );
    }

    #[test]
    fn crit_and_b64_are_refused_whatever_their_value() {
        for extra in [r#""crit":null"#, r#""b64":null"#, r#""b64":true"#, r#""crit":[]"#] {
            let header = B64.encode(format!(
                r#"{{"alg":"EdDSA","kid":"a","typ":"labelcheck-report+json",{extra}}}"#
            ));
            let doc = format!(r#"{{"protected":"{header}","payload":"","signature":""}}"#);
            assert_eq!(
                Jws::parse(doc.as_bytes(), 1000, TYP_REPORT),
                Err(JwsError::UnsupportedCritical),
                "{extra}"
            );
        }
    }

    #[test]
    fn arrays_are_not_objects() {
        let key = SigningKey::from_bytes(&[5; 32]);
        let file = sign(b"{}", "r1", TYP_REPORT, &key).unwrap();
        let f: Flattened = serde_json::from_slice(&file).unwrap();
        let array = serde_json::json!([f.protected, f.payload, f.signature]).to_string();
        assert_eq!(
            Jws::parse(array.as_bytes(), 1000, TYP_REPORT),
            Err(JwsError::NotFlattenedJws)
        );
        let header = B64.encode(r#"["EdDSA","r1","labelcheck-report+json"]"#);
        let doc = format!(r#"{{"protected":"{header}","payload":"","signature":""}}"#);
        assert_eq!(Jws::parse(doc.as_bytes(), 1000, TYP_REPORT), Err(JwsError::BadHeader));
    }

    #[test]
    fn a_doubled_envelope_or_header_field_is_refused() {
        let key = SigningKey::from_bytes(&[5; 32]);
        let file = String::from_utf8(sign(b"{\"level\":1}", "r1", TYP_REPORT, &key).unwrap()).unwrap();
        // A first-wins reader would see the forged payload; this verifier the signed one.
        let forged = file.replacen('{', &format!("{{\"payload\":\"{}\",", B64.encode(b"{}")), 1);
        assert_eq!(
            Jws::parse(forged.as_bytes(), 1 << 16, TYP_REPORT),
            Err(JwsError::DuplicateField)
        );
        let header = B64.encode(r#"{"alg":"EdDSA","kid":"a","kid":"b","typ":"labelcheck-report+json"}"#);
        let doc = format!(r#"{{"protected":"{header}","payload":"","signature":""}}"#);
        assert_eq!(
            Jws::parse(doc.as_bytes(), 1000, TYP_REPORT),
            Err(JwsError::DuplicateField)
        );
    }
}
