//! JWS (RFC 7515) in the flattened JSON serialization, alg EdDSA (RFC 8037), as used for
//! reports, key lists and revocation lists.

use crate::fields;
use base64::engine::general_purpose::URL_SAFE_NO_PAD as B64;
use base64::Engine;
use ed25519_dalek::{Signature, Signer, SigningKey, VerifyingKey};
use std::fmt;

/// `typ` values that keep one kind of signed file from being accepted as another.
pub const TYP_REPORT: &str = "labelcheck-report+json";
pub const TYP_KEY_LIST: &str = "labelcheck-keys+json";
pub const TYP_REVOCATIONS: &str = "labelcheck-revocations+json";

#[derive(serde::Deserialize, serde::Serialize)]
#[serde(deny_unknown_fields)]
struct Flattened {
    protected: String,
    payload: String,
    signature: String,
}

#[derive(serde::Deserialize, serde::Serialize)]
struct Header {
    alg: String,
    kid: String,
    typ: String,
    #[serde(default, skip_serializing)]
    crit: Option<serde_json::Value>,
    #[serde(default, skip_serializing)]
    b64: Option<serde_json::Value>,
}

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

impl fmt::Display for JwsError {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.write_str(match self {
            JwsError::TooLarge => "the file is larger than the format allows",
            JwsError::NotJson => "the file is not JSON",
            JwsError::DuplicateField => "the signed document names the same field twice",
            JwsError::NotFlattenedJws => "the file is not a signed document (JWS, flattened JSON)",
            JwsError::BadBase64 => "the signed document is not valid base64url",
            JwsError::BadHeader => "the signed document's header is malformed",
            JwsError::UnsupportedAlgorithm => "the signed document is not signed with EdDSA",
            JwsError::UnsupportedCritical => "the signed document uses extensions this verifier does not support",
            JwsError::BadKeyId => "the signed document does not name a valid key id",
            JwsError::WrongType => "the signed document is of another kind than expected",
            JwsError::BadSignatureLength => "the signed document's signature has the wrong length",
        })
    }
}

impl std::error::Error for JwsError {}

impl Jws {
    /// Parses a flattened JWS and checks that its `typ` is `expected_typ`.
    pub fn parse(bytes: &[u8], max_len: usize, expected_typ: &str) -> Result<Jws, JwsError> {
        if bytes.len() > max_len {
            return Err(JwsError::TooLarge);
        }
        let json: serde_json::Value = serde_json::from_slice(bytes).map_err(|_| JwsError::NotJson)?;
        // serde_json keeps the last of two equal keys; another reader may keep the first and be
        // shown a different payload or header than the one this verifier checked.
        if has_duplicate_keys(bytes) {
            return Err(JwsError::DuplicateField);
        }
        let f: Flattened = serde_json::from_value(json).map_err(|_| JwsError::NotFlattenedJws)?;
        let header_bytes = B64.decode(&f.protected).map_err(|_| JwsError::BadBase64)?;
        if has_duplicate_keys(&header_bytes) {
            return Err(JwsError::DuplicateField);
        }
        let header: Header = serde_json::from_slice(&header_bytes).map_err(|_| JwsError::BadHeader)?;
        if header.alg != "EdDSA" {
            return Err(JwsError::UnsupportedAlgorithm);
        }
        if header.crit.is_some() || header.b64.is_some() {
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
pub fn sign(payload: &[u8], kid: &str, typ: &str, key: &SigningKey) -> Vec<u8> {
    let header = serde_json::json!({ "alg": "EdDSA", "kid": kid, "typ": typ });
    let protected = B64.encode(header.to_string());
    let payload = B64.encode(payload);
    let signature = key.sign(format!("{protected}.{payload}").as_bytes());
    let f = Flattened {
        protected,
        payload,
        signature: B64.encode(signature.to_bytes()),
    };
    let mut out = serde_json::to_vec_pretty(&f).unwrap_or_default();
    out.push(b'\n');
    out
}

/// Parses JSON strictly: no duplicate keys anywhere, nesting bounded by serde_json's limit.
pub fn strict_json<T: serde::de::DeserializeOwned>(bytes: &[u8]) -> Result<T, String> {
    // serde_json would silently keep the last of two equal keys, and a signer and a verifier
    // that disagree on which one counts could be shown different documents.
    if has_duplicate_keys(bytes) {
        return Err("an object has the same key twice, or the JSON is malformed".into());
    }
    serde_json::from_slice(bytes).map_err(|e| e.to_string())
}

fn has_duplicate_keys(bytes: &[u8]) -> bool {
    use serde::de::{Deserializer, MapAccess, SeqAccess, Visitor};
    struct Check;
    impl<'de> Visitor<'de> for Check {
        type Value = ();
        fn expecting(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
            f.write_str("JSON")
        }
        fn visit_map<A: MapAccess<'de>>(self, mut map: A) -> Result<(), A::Error> {
            let mut seen = std::collections::BTreeSet::new();
            while let Some(k) = map.next_key::<String>()? {
                if !seen.insert(k) {
                    return Err(serde::de::Error::custom("duplicate key"));
                }
                map.next_value_seed(CheckSeed)?;
            }
            Ok(())
        }
        fn visit_seq<A: SeqAccess<'de>>(self, mut seq: A) -> Result<(), A::Error> {
            while seq.next_element_seed(CheckSeed)?.is_some() {}
            Ok(())
        }
        fn visit_str<E>(self, _: &str) -> Result<(), E> {
            Ok(())
        }
        fn visit_bool<E>(self, _: bool) -> Result<(), E> {
            Ok(())
        }
        fn visit_i64<E>(self, _: i64) -> Result<(), E> {
            Ok(())
        }
        fn visit_u64<E>(self, _: u64) -> Result<(), E> {
            Ok(())
        }
        fn visit_f64<E>(self, _: f64) -> Result<(), E> {
            Ok(())
        }
        fn visit_unit<E>(self) -> Result<(), E> {
            Ok(())
        }
    }
    struct CheckSeed;
    impl<'de> serde::de::DeserializeSeed<'de> for CheckSeed {
        type Value = ();
        fn deserialize<D: Deserializer<'de>>(self, d: D) -> Result<(), D::Error> {
            d.deserialize_any(Check)
        }
    }
    let mut de = serde_json::Deserializer::from_slice(bytes);
    de.deserialize_any(Check).is_err()
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn sign_then_verify() {
        let key = SigningKey::from_bytes(&[5; 32]);
        let file = sign(b"{\"a\":1}", "r1", TYP_KEY_LIST, &key);
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
        let file = sign(b"{\"level\":1}", "r1", TYP_REPORT, &key);
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
    fn duplicate_keys_are_refused() {
        assert!(has_duplicate_keys(br#"{"a":1,"b":{"c":1,"c":2}}"#));
        assert!(!has_duplicate_keys(br#"{"a":1,"b":[{"c":1},{"c":2}]}"#));
        assert!(strict_json::<serde_json::Value>(br#"{"a":1,"a":1}"#).is_err());
    }

    #[test]
    fn a_doubled_envelope_or_header_field_is_refused() {
        let key = SigningKey::from_bytes(&[5; 32]);
        let file = String::from_utf8(sign(b"{\"level\":1}", "r1", TYP_REPORT, &key)).unwrap();
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
