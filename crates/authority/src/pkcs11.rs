//! Ed25519 keys held in a PKCS#11 token (a hardware security module, or SoftHSM2 to try it
//! out), named by RFC 7512 URIs:
//!
//! `pkcs11:token=AUTHORITY;object=KID?module-path=/usr/lib/softhsm/libsofthsm2.so`
//!
//! The object's label is the key id the labels carry. The private key is made in the token
//! (`CKM_EC_EDWARDS_KEY_PAIR_GEN`), sensitive and not extractable, and signs there
//! (`CKM_EDDSA`); only the public key is read out. The user PIN comes from the shell
//! ([`TokenAccess`]: the environment or a prompt), never from the URI: a URI with `pin-value`
//! or `pin-source` is refused, so a PIN stays out of shell history and process lists. The
//! module comes from `module-path` or, when the URI has none, the shell's default.

use crate::error::{Error, Result, TokenProblem};
use cryptoki::context::{CInitializeArgs, Pkcs11};
use cryptoki::mechanism::eddsa::{EddsaParams, EddsaSignatureScheme};
use cryptoki::mechanism::Mechanism;
use cryptoki::object::{Attribute, AttributeType, KeyType, ObjectClass, ObjectHandle};
use cryptoki::session::{Session, UserType};
use cryptoki::slot::Slot;
use cryptoki::types::AuthPin;
use ed25519_dalek::{Signature, SignatureError, VerifyingKey};
use std::sync::Mutex;

/// What opening a token needs from the shell: the module to load when a URI names none, and
/// the user PIN, asked for only when a token is opened.
pub struct TokenAccess<'a> {
    pub default_module: Option<String>,
    pub pin: &'a dyn Fn() -> Option<String>,
}

/// The parts of a `pkcs11:` URI this tool uses.
#[derive(Debug, PartialEq, Eq)]
pub struct Uri {
    pub token: Option<String>,
    pub serial: Option<String>,
    pub object: String,
    pub module: Option<String>,
}

fn percent_decode(s: &str) -> Result<String> {
    let b = s.as_bytes();
    let mut out = Vec::with_capacity(b.len());
    let mut i = 0;
    while i < b.len() {
        if b[i] == b'%' {
            let hex = b.get(i + 1..i + 3).and_then(|h| std::str::from_utf8(h).ok());
            let byte = hex
                .and_then(|h| u8::from_str_radix(h, 16).ok())
                .ok_or_else(|| Error::TokenUri(UriProblem::PercentEncoding(s.to_owned())))?;
            out.push(byte);
            i += 3;
        } else {
            out.push(b[i]);
            i += 1;
        }
    }
    String::from_utf8(out).map_err(|_| Error::TokenUri(UriProblem::PercentEncoding(s.to_owned())))
}

impl Uri {
    pub fn parse(uri: &str) -> Result<Uri> {
        let rest = uri
            .strip_prefix("pkcs11:")
            .ok_or(Error::TokenUri(UriProblem::NotPkcs11))?;
        let (path, query) = rest.split_once('?').unwrap_or((rest, ""));
        let mut u = Uri {
            token: None,
            serial: None,
            object: String::new(),
            module: None,
        };
        for attr in path.split(';').filter(|a| !a.is_empty()) {
            let (k, v) = attr
                .split_once('=')
                .ok_or_else(|| Error::TokenUri(UriProblem::NotNameValue(attr.to_owned())))?;
            let v = percent_decode(v)?;
            match k {
                "token" => u.token = Some(v),
                "serial" => u.serial = Some(v),
                "object" => u.object = v,
                // Narrowing attributes this tool does not need: the object's label names the key.
                "type"
                | "id"
                | "manufacturer"
                | "model"
                | "library-manufacturer"
                | "library-description"
                | "library-version"
                | "slot-description"
                | "slot-manufacturer"
                | "slot-id" => {}
                _ => return Err(Error::TokenUri(UriProblem::UnknownAttribute(k.to_owned()))),
            }
        }
        for q in query.split('&').filter(|q| !q.is_empty()) {
            let (k, v) = q.split_once('=').unwrap_or((q, ""));
            match k {
                "module-path" => u.module = Some(percent_decode(v)?),
                "pin-value" | "pin-source" => return Err(Error::TokenUri(UriProblem::PinInUri)),
                _ => {}
            }
        }
        if u.object.is_empty() {
            return Err(Error::TokenUri(UriProblem::NoObject));
        }
        if u.token.is_none() && u.serial.is_none() {
            return Err(Error::TokenUri(UriProblem::NoToken));
        }
        Ok(u)
    }
}

/// Why a `pkcs11:` URI is refused.
#[derive(Clone, Debug, PartialEq, Eq)]
pub enum UriProblem {
    NotPkcs11,
    PercentEncoding(String),
    NotNameValue(String),
    UnknownAttribute(String),
    PinInUri,
    NoObject,
    NoToken,
    NoModule,
}

fn pk(e: cryptoki::error::Error) -> Error {
    Error::Token(TokenProblem::Refused(e.to_string()))
}

/// An open, logged-in token.
struct Token {
    ctx: Pkcs11,
    slot: Slot,
    /// Logging in is per application: sessions opened later are logged in too, for as long
    /// as this one stays open.
    _login: Mutex<Session>,
}

impl Token {
    fn open(u: &Uri, access: &TokenAccess<'_>) -> Result<Token> {
        let module = u
            .module
            .clone()
            .or_else(|| access.default_module.clone())
            .ok_or(Error::TokenUri(UriProblem::NoModule))?;
        let ctx = Pkcs11::new(&module).map_err(|e| {
            Error::Token(TokenProblem::Module {
                module: module.clone(),
                detail: e.to_string(),
            })
        })?;
        ctx.initialize(CInitializeArgs::OsThreads).map_err(pk)?;
        let mut found = None;
        for slot in ctx.get_slots_with_initialized_token().map_err(pk)? {
            let info = ctx.get_token_info(slot).map_err(pk)?;
            let label_ok = u.token.as_deref().is_none_or(|t| info.label().trim_end() == t);
            let serial_ok = u.serial.as_deref().is_none_or(|s| info.serial_number().trim_end() == s);
            if label_ok && serial_ok {
                found = Some(slot);
                break;
            }
        }
        let slot = found.ok_or_else(|| {
            Error::Token(TokenProblem::NoToken(
                u.token.clone().or_else(|| u.serial.clone()).unwrap_or_default(),
            ))
        })?;
        let session = ctx.open_rw_session(slot).map_err(pk)?;
        let pin = AuthPin::new((access.pin)().ok_or(Error::Token(TokenProblem::NoPin))?);
        match session.login(UserType::User, Some(&pin)) {
            Ok(()) | Err(cryptoki::error::Error::Pkcs11(cryptoki::error::RvError::UserAlreadyLoggedIn, _)) => {}
            Err(e) => return Err(Error::Token(TokenProblem::PinRefused(e.to_string()))),
        }
        Ok(Token {
            ctx,
            slot,
            _login: Mutex::new(session),
        })
    }

    fn session(&self) -> Result<Session> {
        self.ctx.open_rw_session(self.slot).map_err(pk)
    }
}

fn find(session: &Session, class: ObjectClass, label: &str) -> Result<Vec<ObjectHandle>> {
    session
        .find_objects(&[
            Attribute::Class(class),
            Attribute::KeyType(KeyType::EC_EDWARDS),
            Attribute::Label(label.as_bytes().to_vec()),
        ])
        .map_err(pk)
}

/// The DER OCTET STRING around the 32 public key bytes, as tokens give `CKA_EC_POINT`; some
/// give the bare bytes.
fn public_from_point(point: &[u8]) -> Option<VerifyingKey> {
    let raw = match point {
        [0x04, 32, rest @ ..] if rest.len() == 32 => rest,
        _ if point.len() == 32 => point,
        _ => return None,
    };
    VerifyingKey::from_bytes(raw.try_into().ok()?).ok()
}

fn public_of(session: &Session, label: &str) -> Result<VerifyingKey> {
    let handle = *find(session, ObjectClass::PUBLIC_KEY, label)?
        .first()
        .ok_or_else(|| Error::Token(TokenProblem::NoPublicKey(label.to_owned())))?;
    let attrs = session.get_attributes(handle, &[AttributeType::EcPoint]).map_err(pk)?;
    let point = attrs.iter().find_map(|a| match a {
        Attribute::EcPoint(p) => Some(p.as_slice()),
        _ => None,
    });
    point
        .and_then(public_from_point)
        .ok_or_else(|| Error::Token(TokenProblem::NotEd25519(label.to_owned())))
}

/// The DER of the curve's name, `edwards25519` as a PrintableString: what SoftHSM2 and most
/// tokens take as the Ed25519 `CKA_EC_PARAMS`.
const ED25519_PARAMS: &[u8] = &[
    0x13, 0x0c, b'e', b'd', b'w', b'a', b'r', b'd', b's', b'2', b'5', b'5', b'1', b'9',
];

/// Makes a key pair in the token; the private half is sensitive and never extractable.
pub fn generate(uri: &str, access: &TokenAccess<'_>) -> Result<VerifyingKey> {
    let u = Uri::parse(uri)?;
    let token = Token::open(&u, access)?;
    let session = token.session()?;
    if !find(&session, ObjectClass::PRIVATE_KEY, &u.object)?.is_empty() {
        return Err(Error::Token(TokenProblem::KeyExists(u.object.clone())));
    }
    let label = u.object.as_bytes().to_vec();
    let public = [
        Attribute::Token(true),
        Attribute::Verify(true),
        Attribute::Label(label.clone()),
        Attribute::Id(label.clone()),
        Attribute::EcParams(ED25519_PARAMS.to_vec()),
    ];
    let private = [
        Attribute::Token(true),
        Attribute::Private(true),
        Attribute::Sensitive(true),
        Attribute::Extractable(false),
        Attribute::Sign(true),
        Attribute::Label(label.clone()),
        Attribute::Id(label),
    ];
    session
        .generate_key_pair(&Mechanism::EccEdwardsKeyPairGen, &public, &private)
        .map_err(pk)?;
    public_of(&session, &u.object)
}

/// A key that signs in its token. Sessions are pooled: one per signing thread at a time.
pub struct TokenKey {
    token: Token,
    handle: ObjectHandle,
    kid: String,
    public: VerifyingKey,
    sessions: Mutex<Vec<Session>>,
    /// The token's last refusal, for the message when a signature could not be made.
    last_error: Mutex<Option<String>>,
}

impl TokenKey {
    pub fn open(uri: &str, access: &TokenAccess<'_>) -> Result<TokenKey> {
        let u = Uri::parse(uri)?;
        let token = Token::open(&u, access)?;
        let session = token.session()?;
        let handle = *find(&session, ObjectClass::PRIVATE_KEY, &u.object)?
            .first()
            .ok_or_else(|| Error::Token(TokenProblem::NoPrivateKey(u.object.clone())))?;
        let public = public_of(&session, &u.object)?;
        Ok(TokenKey {
            token,
            handle,
            kid: u.object,
            public,
            sessions: Mutex::new(vec![session]),
            last_error: Mutex::new(None),
        })
    }

    pub fn kid(&self) -> &str {
        &self.kid
    }

    pub fn public(&self) -> VerifyingKey {
        self.public
    }

    /// Why the last signature failed, as the token said it.
    pub fn last_error(&self) -> Option<String> {
        self.last_error.lock().ok().and_then(|e| e.clone())
    }

    fn fail(&self, why: String) -> SignatureError {
        if let Ok(mut e) = self.last_error.lock() {
            *e = Some(why);
        }
        SignatureError::new()
    }

    pub fn try_sign(&self, msg: &[u8]) -> std::result::Result<Signature, SignatureError> {
        let pooled = self.sessions.lock().ok().and_then(|mut s| s.pop());
        let session = match pooled {
            Some(s) => s,
            None => self.token.session().map_err(|e| self.fail(format!("{e:?}")))?,
        };
        let mech = Mechanism::Eddsa(EddsaParams::new(EddsaSignatureScheme::Pure));
        let result = session.sign(&mech, self.handle, msg);
        if let Ok(mut pool) = self.sessions.lock() {
            pool.push(session);
        }
        let bytes = result.map_err(|e| self.fail(e.to_string()))?;
        let sig =
            Signature::from_slice(&bytes).map_err(|_| self.fail("CKM_EDDSA returned no 64-byte signature".into()))?;
        // A token that signs wrongly (another key, a fault) must not go unnoticed: each
        // signature is checked against the public key before it is used.
        self.public
            .verify_strict(msg, &sig)
            .map_err(|_| self.fail("the signature does not verify with the token's public key".into()))?;
        Ok(sig)
    }
}

#[cfg(test)]
#[allow(clippy::unwrap_used, clippy::expect_used, clippy::panic)]
mod tests {
    use super::*;

    #[test]
    fn uris_name_token_object_and_module() {
        let u = Uri::parse("pkcs11:token=My%20CA;object=sign-1;type=private?module-path=/usr/lib/x.so").unwrap();
        assert_eq!(
            u,
            Uri {
                token: Some("My CA".into()),
                serial: None,
                object: "sign-1".into(),
                module: Some("/usr/lib/x.so".into()),
            }
        );
    }

    #[test]
    fn a_pin_in_the_uri_is_refused() {
        for uri in [
            "pkcs11:token=A;object=k?pin-value=1234",
            "pkcs11:token=A;object=k?pin-source=file:/tmp/pin",
        ] {
            assert!(matches!(Uri::parse(uri), Err(Error::TokenUri(UriProblem::PinInUri))));
        }
        assert!(Uri::parse("pkcs11:token=A").is_err(), "no object");
        assert!(Uri::parse("pkcs11:object=k").is_err(), "no token");
        assert!(Uri::parse("pkcs11:token=A;object=k;colour=red").is_err());
        assert!(Uri::parse("pkcs11:token=%zz;object=k").is_err());
    }

    #[test]
    fn public_keys_come_wrapped_or_bare() {
        let key = ed25519_dalek::SigningKey::from_bytes(&[3; 32]).verifying_key();
        let mut wrapped = vec![0x04, 32];
        wrapped.extend_from_slice(key.as_bytes());
        assert_eq!(public_from_point(&wrapped), Some(key));
        assert_eq!(public_from_point(key.as_bytes()), Some(key));
        assert_eq!(public_from_point(&wrapped[1..]), None);
    }
}
