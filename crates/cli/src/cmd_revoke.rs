//! `labelcheck revoke`: add a serial to a revocation list, or renew it, and re-sign it.

use crate::args::RevokeArgs;
use crate::error::{at, err, Result};
use crate::files;
use crate::signing_key::Key;
use labelcheck_core::fields::{authority_ok, serial_ok};
use labelcheck_core::issuer::sign_revocations;
use labelcheck_core::jws::{Jws, TYP_REVOCATIONS};
use labelcheck_core::limits::MAX_REVOCATION_LIST_BYTES;
use labelcheck_core::revocation::{RevocationList, RevocationReason, Revoked};
use labelcheck_core::Date;
use std::process::ExitCode;

pub fn parse_reason(s: &str) -> Result<RevocationReason> {
    serde_json::from_value(serde_json::Value::String(s.into())).map_err(|_| {
        err(format!(
            "unknown reason {s:?}: use withdrawn, surrendered, misuse or superseded"
        ))
    })
}

pub fn run(a: RevokeArgs) -> Result<ExitCode> {
    let root = Key::open(&a.root)?;
    let now = files::now();
    let mut list = if a.list.exists() {
        let bytes = files::read_limited(&a.list, MAX_REVOCATION_LIST_BYTES)?;
        let jws = Jws::parse(&bytes, MAX_REVOCATION_LIST_BYTES, TYP_REVOCATIONS).map_err(|e| at(&a.list, "read", e))?;
        if !jws.verify(&root.public) {
            return Err(err(format!(
                "{} is not signed by this root key; refusing to re-sign it",
                a.list.display()
            )));
        }
        RevocationList::parse(&jws.payload).map_err(|e| at(&a.list, "read", e))?
    } else {
        let authority = a
            .authority
            .clone()
            .ok_or_else(|| err("--authority is needed to create a new list"))?;
        if !authority_ok(&authority) {
            return Err(err("the authority id is 1 to 16 of A-Z a-z 0-9 -"));
        }
        RevocationList {
            format: 1,
            authority,
            version: 0,
            issued_at: now,
            expires: now,
            revoked: Vec::new(),
        }
    };
    if let Some(serial) = &a.serial {
        if !serial_ok(serial) {
            return Err(err(format!("{serial:?} is not a valid serial")));
        }
        if list.find(serial).is_some() {
            return Err(err(format!("{serial} is already revoked")));
        }
        let date = match &a.date {
            Some(d) => Date::parse(d).map_err(|e| err(format!("--date: {e}")))?,
            None => now.date(),
        };
        list.revoked.push(Revoked {
            serial: serial.clone(),
            date,
            reason: parse_reason(&a.reason)?,
            note: a.note.clone(),
        });
    }
    list.version += 1;
    list.issued_at = now;
    list.expires = now.add_secs(a.valid_days.max(1) * 86_400);
    let signed = sign_revocations(&list, &root.kid, &root).map_err(|e| root.explain(err(e.to_string())))?;
    files::write(&a.list, &signed)?;
    eprintln!(
        "labelcheck: revocation list version {} of {} ({} revoked) written to {}, fresh until {}",
        list.version,
        list.authority,
        list.revoked.len(),
        a.list.display(),
        list.expires
    );
    Ok(ExitCode::SUCCESS)
}
