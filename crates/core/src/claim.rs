//! The label claim: a CBOR map signed as a COSE_Sign1 (RFC 9052) with EdDSA over Ed25519.

use crate::cbor::{self, CborError, Value};
use crate::fields;
use crate::issuer::IssueError;
use crate::limits::{MAX_CLAIM_BYTES, MAX_GTINS, MAX_LEVEL, MAX_PROGRAMME_ID};
use crate::status::StatusRef;
use crate::time::Date;
use ed25519_dalek::{Signature, Signer, VerifyingKey};
use std::fmt;

pub const CLAIM_FORMAT_VERSION: u64 = 1;
/// COSE algorithm identifier for EdDSA (RFC 9053).
pub const COSE_ALG_EDDSA: i64 = -8;
pub const COSE_SIGN1_TAG: u64 = 18;
/// Length of the report digest carried in a claim: SHA-256 truncated to 128 bits.
pub const REPORT_DIGEST_LEN: usize = 16;

pub mod key {
    pub const VERSION: u64 = 1;
    pub const AUTHORITY: u64 = 2;
    pub const SERIAL: u64 = 3;
    pub const PROGRAMME: u64 = 4;
    pub const LEVEL: u64 = 5;
    pub const MAKER: u64 = 6;
    pub const MODEL: u64 = 7;
    pub const GTINS: u64 = 8;
    pub const VALID_FROM: u64 = 9;
    pub const VALID_UNTIL: u64 = 10;
    pub const REPORT_LOCATION: u64 = 11;
    pub const REPORT_DIGEST: u64 = 12;
    pub const STATUS: u64 = 13;
}

#[derive(Clone, Debug, PartialEq, Eq, serde::Serialize)]
pub struct Claim {
    pub authority: String,
    pub serial: String,
    pub programme: u32,
    pub level: u8,
    pub maker: String,
    pub model: String,
    #[serde(skip_serializing_if = "Vec::is_empty")]
    pub gtins: Vec<String>,
    pub valid_from: Date,
    pub valid_until: Date,
    /// Where the report lives; `None` means the key list's `report_url` template applies.
    #[serde(skip_serializing_if = "Option::is_none")]
    pub report_location: Option<String>,
    #[serde(serialize_with = "hex")]
    pub report_digest: [u8; REPORT_DIGEST_LEN],
    /// Where the label's status is (FORMAT.md §6.2); labels issued before status lists have
    /// none and are looked up in the revocation list by serial.
    #[serde(skip_serializing_if = "Option::is_none")]
    pub status: Option<StatusRef>,
}

fn hex<S: serde::Serializer>(d: &[u8; REPORT_DIGEST_LEN], s: S) -> Result<S::Ok, S::Error> {
    s.collect_str(&d.iter().map(|b| format!("{b:02x}")).collect::<String>())
}

/// A claim as read from a label, before its signature is checked.
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct SignedClaim {
    pub kid: String,
    pub claim: Claim,
    protected: Vec<u8>,
    payload: Vec<u8>,
    signature: [u8; 64],
}

#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub enum ClaimError {
    TooLarge,
    Cbor(CborError),
    NotCoseSign1,
    UnsupportedHeader,
    UnsupportedAlgorithm,
    MissingKeyId,
    BadSignatureLength,
    UnsupportedVersion(u64),
    UnknownField(u64),
    MissingField(ClaimField),
    InvalidField(ClaimField),
}

/// A part of a claim, as errors name it.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub enum ClaimField {
    Payload,
    FormatVersion,
    AuthorityId,
    Serial,
    Programme,
    Level,
    Maker,
    Model,
    ProductIdentifiers,
    ValidityDates,
    ReportLocation,
    ReportDigest,
    Status,
}

impl ClaimField {
    pub const ALL: [ClaimField; 13] = [
        ClaimField::Payload,
        ClaimField::FormatVersion,
        ClaimField::AuthorityId,
        ClaimField::Serial,
        ClaimField::Programme,
        ClaimField::Level,
        ClaimField::Maker,
        ClaimField::Model,
        ClaimField::ProductIdentifiers,
        ClaimField::ValidityDates,
        ClaimField::ReportLocation,
        ClaimField::ReportDigest,
        ClaimField::Status,
    ];

    /// A stable name, for codes and wording keys.
    pub fn name(self) -> &'static str {
        match self {
            ClaimField::Payload => "payload",
            ClaimField::FormatVersion => "format-version",
            ClaimField::AuthorityId => "authority",
            ClaimField::Serial => "serial",
            ClaimField::Programme => "programme",
            ClaimField::Level => "level",
            ClaimField::Maker => "maker",
            ClaimField::Model => "model",
            ClaimField::ProductIdentifiers => "gtins",
            ClaimField::ValidityDates => "validity",
            ClaimField::ReportLocation => "report-location",
            ClaimField::ReportDigest => "report-digest",
            ClaimField::Status => "status",
        }
    }
}

impl ClaimError {
    /// A stable name, for codes and wording keys.
    pub fn name(&self) -> &'static str {
        match self {
            ClaimError::TooLarge => "too-large",
            ClaimError::Cbor(_) => "cbor",
            ClaimError::NotCoseSign1 => "not-cose-sign1",
            ClaimError::UnsupportedHeader => "unsupported-header",
            ClaimError::UnsupportedAlgorithm => "unsupported-algorithm",
            ClaimError::MissingKeyId => "missing-key-id",
            ClaimError::BadSignatureLength => "bad-signature-length",
            ClaimError::UnsupportedVersion(_) => "unsupported-version",
            ClaimError::UnknownField(_) => "unknown-field",
            ClaimError::MissingField(_) => "missing-field",
            ClaimError::InvalidField(_) => "invalid-field",
        }
    }
}

impl fmt::Display for ClaimError {
    /// The error's name and data, for logs; people are told it through the wording tables
    /// (`Reason::MalformedClaim`'s message).
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        match self {
            ClaimError::Cbor(e) => write!(f, "claim {e}"),
            ClaimError::UnsupportedVersion(v) => write!(f, "claim unsupported-version {v}"),
            ClaimError::UnknownField(k) => write!(f, "claim unknown-field {k}"),
            ClaimError::MissingField(n) => write!(f, "claim missing-field {}", n.name()),
            ClaimError::InvalidField(n) => write!(f, "claim invalid-field {}", n.name()),
            other => write!(f, "claim {}", other.name()),
        }
    }
}

impl std::error::Error for ClaimError {}

impl From<CborError> for ClaimError {
    fn from(e: CborError) -> Self {
        ClaimError::Cbor(e)
    }
}

impl Claim {
    /// The claim for a report: every shared field copied, bound by the report's digest.
    pub fn for_report(
        report: &crate::report::Report,
        report_digest: [u8; REPORT_DIGEST_LEN],
        report_location: Option<String>,
    ) -> Claim {
        Claim {
            authority: report.authority.clone(),
            serial: report.serial.clone(),
            programme: report.programme,
            level: report.level,
            maker: report.maker.clone(),
            model: report.model.clone(),
            gtins: report.gtins.clone(),
            valid_from: report.valid_from,
            valid_until: report.valid_until,
            report_location,
            report_digest,
            status: None,
        }
    }

    /// The same claim, carrying the label's status.
    pub fn with_status(self, status: StatusRef) -> Claim {
        Claim {
            status: Some(status),
            ..self
        }
    }

    /// Checks every field rule of FORMAT.md §3.2.
    pub fn validate(&self) -> Result<(), ClaimError> {
        let checks: [(ClaimField, bool); 10] = [
            (ClaimField::AuthorityId, fields::authority_ok(&self.authority)),
            (ClaimField::Serial, fields::serial_ok(&self.serial)),
            (ClaimField::Maker, fields::name_ok(&self.maker)),
            (ClaimField::Model, fields::name_ok(&self.model)),
            (ClaimField::Level, self.level <= MAX_LEVEL),
            (ClaimField::Programme, self.programme <= MAX_PROGRAMME_ID),
            (
                ClaimField::ProductIdentifiers,
                self.gtins.len() <= MAX_GTINS && self.gtins.iter().all(|g| fields::gtin_ok(g)),
            ),
            (
                ClaimField::ValidityDates,
                self.valid_from <= self.valid_until && self.valid_from.0 >= 0,
            ),
            (
                ClaimField::ReportLocation,
                self.report_location.as_deref().is_none_or(fields::location_ok),
            ),
            (ClaimField::Status, self.status.is_none_or(StatusRef::valid)),
        ];
        match checks.iter().find(|(_, ok)| !ok) {
            Some((name, _)) => Err(ClaimError::InvalidField(*name)),
            None => Ok(()),
        }
    }

    fn to_cbor(&self) -> Value {
        let t = |s: &str| Value::Text(s.to_owned());
        let u = |k: u64| Value::Uint(k);
        let mut m = vec![
            (u(key::VERSION), u(CLAIM_FORMAT_VERSION)),
            (u(key::AUTHORITY), t(&self.authority)),
            (u(key::SERIAL), t(&self.serial)),
            (u(key::PROGRAMME), u(u64::from(self.programme))),
            (u(key::LEVEL), u(u64::from(self.level))),
            (u(key::MAKER), t(&self.maker)),
            (u(key::MODEL), t(&self.model)),
        ];
        if !self.gtins.is_empty() {
            m.push((u(key::GTINS), Value::Array(self.gtins.iter().map(|g| t(g)).collect())));
        }
        // Validated dates are never before 1970 (see from_cbor), so the cast is exact.
        m.push((u(key::VALID_FROM), u(self.valid_from.0.max(0) as u64)));
        m.push((u(key::VALID_UNTIL), u(self.valid_until.0.max(0) as u64)));
        if let Some(loc) = &self.report_location {
            m.push((u(key::REPORT_LOCATION), t(loc)));
        }
        m.push((u(key::REPORT_DIGEST), Value::Bytes(self.report_digest.to_vec())));
        // One number: the partition is its high part (FORMAT.md §6.2).
        if let Some(s) = self.status {
            m.push((u(key::STATUS), u(s.number())));
        }
        Value::Map(m)
    }

    fn from_cbor(v: Value) -> Result<Claim, ClaimError> {
        let Value::Map(entries) = v else {
            return Err(ClaimError::InvalidField(ClaimField::Payload));
        };
        let mut f = Fields::default();
        for (k, v) in entries {
            let Value::Uint(k) = k else {
                return Err(ClaimError::InvalidField(ClaimField::Payload));
            };
            match k {
                key::VERSION => f.version = Some(uint(v, ClaimField::FormatVersion)?),
                key::AUTHORITY => f.authority = Some(text(v, ClaimField::AuthorityId)?),
                key::SERIAL => f.serial = Some(text(v, ClaimField::Serial)?),
                key::PROGRAMME => f.programme = Some(uint(v, ClaimField::Programme)?),
                key::LEVEL => f.level = Some(uint(v, ClaimField::Level)?),
                key::MAKER => f.maker = Some(text(v, ClaimField::Maker)?),
                key::MODEL => f.model = Some(text(v, ClaimField::Model)?),
                key::GTINS => {
                    let Value::Array(items) = v else {
                        return Err(ClaimError::InvalidField(ClaimField::ProductIdentifiers));
                    };
                    f.gtins = items
                        .into_iter()
                        .map(|i| text(i, ClaimField::ProductIdentifiers))
                        .collect::<Result<_, _>>()?;
                }
                key::VALID_FROM => f.valid_from = Some(uint(v, ClaimField::ValidityDates)?),
                key::VALID_UNTIL => f.valid_until = Some(uint(v, ClaimField::ValidityDates)?),
                key::REPORT_LOCATION => f.location = Some(text(v, ClaimField::ReportLocation)?),
                key::REPORT_DIGEST => {
                    let Value::Bytes(b) = v else {
                        return Err(ClaimError::InvalidField(ClaimField::ReportDigest));
                    };
                    f.digest = Some(
                        b.try_into()
                            .map_err(|_| ClaimError::InvalidField(ClaimField::ReportDigest))?,
                    );
                }
                key::STATUS => {
                    let n = uint(v, ClaimField::Status)?;
                    f.status = Some(StatusRef::of_number(n).ok_or(ClaimError::InvalidField(ClaimField::Status))?);
                }
                other => return Err(ClaimError::UnknownField(other)),
            }
        }
        let version = f.version.ok_or(ClaimError::MissingField(ClaimField::FormatVersion))?;
        if version != CLAIM_FORMAT_VERSION {
            return Err(ClaimError::UnsupportedVersion(version));
        }
        let day = |d: Option<u64>| -> Result<Date, ClaimError> {
            let d = d.ok_or(ClaimError::MissingField(ClaimField::ValidityDates))?;
            i64::try_from(d)
                .ok()
                .and_then(|d| Date::from_days(d).ok())
                .ok_or(ClaimError::InvalidField(ClaimField::ValidityDates))
        };
        let claim = Claim {
            authority: f.authority.ok_or(ClaimError::MissingField(ClaimField::AuthorityId))?,
            serial: f.serial.ok_or(ClaimError::MissingField(ClaimField::Serial))?,
            programme: f
                .programme
                .ok_or(ClaimError::MissingField(ClaimField::Programme))?
                .try_into()
                .map_err(|_| ClaimError::InvalidField(ClaimField::Programme))?,
            level: f
                .level
                .ok_or(ClaimError::MissingField(ClaimField::Level))?
                .try_into()
                .map_err(|_| ClaimError::InvalidField(ClaimField::Level))?,
            maker: f.maker.ok_or(ClaimError::MissingField(ClaimField::Maker))?,
            model: f.model.ok_or(ClaimError::MissingField(ClaimField::Model))?,
            gtins: f.gtins,
            valid_from: day(f.valid_from)?,
            valid_until: day(f.valid_until)?,
            report_location: f.location,
            report_digest: f.digest.ok_or(ClaimError::MissingField(ClaimField::ReportDigest))?,
            status: f.status,
        };
        claim.validate()?;
        Ok(claim)
    }
}

#[derive(Default)]
struct Fields {
    version: Option<u64>,
    authority: Option<String>,
    serial: Option<String>,
    programme: Option<u64>,
    level: Option<u64>,
    maker: Option<String>,
    model: Option<String>,
    gtins: Vec<String>,
    valid_from: Option<u64>,
    valid_until: Option<u64>,
    location: Option<String>,
    digest: Option<[u8; REPORT_DIGEST_LEN]>,
    status: Option<StatusRef>,
}

fn uint(v: Value, name: ClaimField) -> Result<u64, ClaimError> {
    match v {
        Value::Uint(n) => Ok(n),
        _ => Err(ClaimError::InvalidField(name)),
    }
}

fn text(v: Value, name: ClaimField) -> Result<String, ClaimError> {
    match v {
        Value::Text(s) => Ok(s),
        _ => Err(ClaimError::InvalidField(name)),
    }
}

fn protected_header(kid: &str) -> Vec<u8> {
    cbor::encode(&Value::Map(vec![
        (Value::Uint(1), Value::Nint((-1 - COSE_ALG_EDDSA) as u64)),
        (Value::Uint(4), Value::Bytes(kid.as_bytes().to_vec())),
    ]))
}

/// The bytes Ed25519 signs: the CBOR `Sig_structure` of RFC 9052 §4.4 with empty external AAD.
fn sig_structure(protected: &[u8], payload: &[u8]) -> Vec<u8> {
    cbor::encode(&Value::Array(vec![
        Value::Text("Signature1".into()),
        Value::Bytes(protected.to_vec()),
        Value::Bytes(Vec::new()),
        Value::Bytes(payload.to_vec()),
    ]))
}

/// Signs a claim: the tagged COSE_Sign1 bytes that go into the label's QR code.
pub fn sign_claim<S: Signer<Signature> + ?Sized>(claim: &Claim, kid: &str, key: &S) -> Result<Vec<u8>, IssueError> {
    claim.validate().map_err(IssueError::Claim)?;
    if !fields::kid_ok(kid) {
        return Err(IssueError::Claim(ClaimError::MissingKeyId));
    }
    let protected = protected_header(kid);
    let payload = cbor::encode(&claim.to_cbor());
    let signature = key
        .try_sign(&sig_structure(&protected, &payload))
        .map_err(|_| IssueError::Signing)?;
    Ok(cbor::encode(&Value::Tag(
        COSE_SIGN1_TAG,
        Box::new(Value::Array(vec![
            Value::Bytes(protected),
            Value::Map(Vec::new()),
            Value::Bytes(payload),
            Value::Bytes(signature.to_bytes().to_vec()),
        ])),
    )))
}

impl SignedClaim {
    /// Parses a COSE_Sign1 (tagged or untagged). The signature is not checked here.
    pub fn parse(bytes: &[u8]) -> Result<SignedClaim, ClaimError> {
        if bytes.len() > MAX_CLAIM_BYTES {
            return Err(ClaimError::TooLarge);
        }
        let v = match cbor::decode(bytes)? {
            Value::Tag(COSE_SIGN1_TAG, inner) => *inner,
            Value::Tag(..) => return Err(ClaimError::NotCoseSign1),
            v => v,
        };
        let Value::Array(items) = v else {
            return Err(ClaimError::NotCoseSign1);
        };
        let [protected, unprotected, payload, signature]: [Value; 4] =
            items.try_into().map_err(|_| ClaimError::NotCoseSign1)?;
        let (Value::Bytes(protected), Value::Map(unprotected), Value::Bytes(payload), Value::Bytes(signature)) =
            (protected, unprotected, payload, signature)
        else {
            return Err(ClaimError::NotCoseSign1);
        };
        if !unprotected.is_empty() {
            return Err(ClaimError::UnsupportedHeader);
        }
        let Value::Map(header) = cbor::decode(&protected)? else {
            return Err(ClaimError::UnsupportedHeader);
        };
        let (mut alg, mut kid) = (None, None);
        for (k, v) in header {
            match (k, v) {
                (Value::Uint(1), Value::Nint(n)) => alg = Some(-1 - n as i128),
                (Value::Uint(1), _) => return Err(ClaimError::UnsupportedAlgorithm),
                (Value::Uint(4), Value::Bytes(b)) => kid = Some(b),
                _ => return Err(ClaimError::UnsupportedHeader),
            }
        }
        if alg != Some(i128::from(COSE_ALG_EDDSA)) {
            return Err(ClaimError::UnsupportedAlgorithm);
        }
        let kid = kid
            .and_then(|k| String::from_utf8(k).ok())
            .filter(|k| fields::kid_ok(k))
            .ok_or(ClaimError::MissingKeyId)?;
        let signature: [u8; 64] = signature.try_into().map_err(|_| ClaimError::BadSignatureLength)?;
        let claim = Claim::from_cbor(cbor::decode(&payload)?)?;
        Ok(SignedClaim {
            kid,
            claim,
            protected,
            payload,
            signature,
        })
    }

    /// Ed25519 `verify_strict` over the Sig_structure.
    pub fn verify(&self, key: &VerifyingKey) -> bool {
        key.verify_strict(
            &sig_structure(&self.protected, &self.payload),
            &Signature::from_bytes(&self.signature),
        )
        .is_ok()
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use ed25519_dalek::SigningKey;

    pub(crate) fn sample() -> Claim {
        Claim {
            authority: "DEMO".into(),
            serial: "DEMO-000001".into(),
            programme: 1,
            level: 2,
            maker: "Acme Networks Co., Ltd.".into(),
            model: "AX-3000 Wi-Fi 6 Router".into(),
            gtins: vec!["4006381333931".into()],
            valid_from: Date::parse("2026-07-01").unwrap(),
            valid_until: Date::parse("2029-06-30").unwrap(),
            report_location: None,
            report_digest: [7; REPORT_DIGEST_LEN],
            status: None,
        }
    }

    #[test]
    fn a_status_goes_with_the_claim_and_out_of_range_is_refused() {
        let key = SigningKey::from_bytes(&[1; 32]);
        let with = sample().with_status(StatusRef {
            partition: 3,
            index: 17,
        });
        let signed = SignedClaim::parse(&sign_claim(&with, "k1", &key).unwrap()).unwrap();
        assert_eq!(
            signed.claim.status,
            Some(StatusRef {
                partition: 3,
                index: 17
            })
        );
        let far = sample().with_status(StatusRef {
            partition: 0,
            index: crate::status::PARTITION_SIZE,
        });
        assert_eq!(far.validate(), Err(ClaimError::InvalidField(ClaimField::Status)));
        assert_eq!(StatusRef::of_number(u64::MAX), None, "beyond every partition");
    }

    #[test]
    fn sign_then_verify() {
        let key = SigningKey::from_bytes(&[1; 32]);
        let bytes = sign_claim(&sample(), "k1", &key).unwrap();
        let signed = SignedClaim::parse(&bytes).unwrap();
        assert_eq!(signed.kid, "k1");
        assert_eq!(signed.claim, sample());
        assert!(signed.verify(&key.verifying_key()));
        assert!(!signed.verify(&SigningKey::from_bytes(&[2; 32]).verifying_key()));
    }

    #[test]
    fn every_byte_flip_is_caught() {
        let key = SigningKey::from_bytes(&[1; 32]);
        let bytes = sign_claim(&sample(), "k1", &key).unwrap();
        for i in 0..bytes.len() {
            let mut b = bytes.clone();
            b[i] ^= 0x01;
            if let Ok(s) = SignedClaim::parse(&b) {
                assert!(!s.verify(&key.verifying_key()), "flip at byte {i} still verifies");
            }
        }
    }

    #[test]
    fn refuses_invalid_claims() {
        let key = SigningKey::from_bytes(&[1; 32]);
        let mut c = sample();
        c.valid_until = Date::parse("2020-01-01").unwrap();
        assert_eq!(
            sign_claim(&c, "k1", &key),
            Err(IssueError::Claim(ClaimError::InvalidField(ClaimField::ValidityDates)))
        );
        assert_eq!(
            sign_claim(&sample(), "", &key),
            Err(IssueError::Claim(ClaimError::MissingKeyId))
        );
        assert_eq!(SignedClaim::parse(&[0xd2, 0x80]), Err(ClaimError::NotCoseSign1));
        assert_eq!(
            SignedClaim::parse(&vec![0; MAX_CLAIM_BYTES + 1]),
            Err(ClaimError::TooLarge)
        );
    }
}
