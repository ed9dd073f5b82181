//! Pass one of a batch: every row made into the report it will sign, checked field by field
//! (naming the field and its value), against the register, and then as a verifier would check
//! its label — a trial label signed in memory and never written goes through the
//! [gate](crate::gate) — before anything is reserved, signed for keeps or written.

use crate::error::{FieldRule, RowProblem};
use crate::gate::Gate;
use crate::key::Key;
use crate::register::{serial_names_a_file, Register};
use crate::rows::{Row, RowError, Units};
use crate::sign::sign_label;
use labelcheck_core::fields::{gtin_ok, name_ok, serial_ok};
use labelcheck_core::limits::MAX_LEVEL;
use labelcheck_core::revocation::ActKind;
use labelcheck_core::{Report, Timestamp};
use serde_json::{Map, Value};
use std::collections::HashSet;

/// A good row, ready to be signed once per unit.
pub struct Plan {
    pub line: usize,
    /// The report every unit of the row signs, its serial aside.
    pub report: Report,
    pub units: Units,
}

/// What pass one needs to know.
pub struct Context<'a> {
    pub gate: &'a Gate,
    pub key: &'a Key,
    pub register: &'a Register,
    pub batch: &'a str,
    pub issued_at: Timestamp,
    pub location: Option<&'a str>,
}

/// The members every report must have (FORMAT.md §4.2), as dotted paths.
const REQUIRED: [&str; 19] = [
    "authority",
    "programme",
    "level",
    "maker",
    "model",
    "valid_from",
    "valid_until",
    "product.name",
    "product.category",
    "product.firmware_versions",
    "standard.id",
    "standard.title",
    "standard.clauses",
    "test_lab.name",
    "test_lab.tested_on",
    "support_until",
    "update_policy",
    "default_password",
    "vulnerability_contact",
];

fn get<'v>(obj: &'v Map<String, Value>, path: &str) -> Option<&'v Value> {
    let mut parts = path.split('.');
    let mut v = obj.get(parts.next()?)?;
    for p in parts {
        v = v.get(p)?;
    }
    Some(v)
}

/// A field's value as it is shown in a message.
fn shown(v: &Value) -> String {
    match v {
        Value::String(s) => s.clone(),
        other => other.to_string(),
    }
}

/// serde's "unknown field `x`, expected …" and "invalid type: …" said as data.
fn shape(e: &serde_json::Error) -> RowProblem {
    let text = e.to_string();
    if let Some(rest) = text.strip_prefix("unknown field `") {
        if let Some((field, _)) = rest.split_once('`') {
            return RowProblem::Unknown {
                field: field.to_owned(),
            };
        }
    }
    RowProblem::Shape(text)
}

/// The row's report, with `serial` and the batch's time of issue.
fn report(row: &Row, serial: &str, issued_at: Timestamp) -> Result<Report, RowProblem> {
    let mut obj = row.report.clone();
    obj.entry("format").or_insert(1.into());
    obj.entry("issued_at").or_insert(issued_at.to_string().into());
    obj.insert("serial".into(), Value::String(serial.to_owned()));
    if let Some(field) = REQUIRED.iter().find(|f| get(&obj, f).is_none()) {
        let empty_cell = row.empty.iter().any(|c| c == field);
        return Err(RowProblem::Missing {
            field: (*field).to_owned(),
            empty_cell,
        });
    }
    for field in ["maker", "model"] {
        match get(&obj, field) {
            Some(Value::String(s)) if s.is_empty() => return Err(RowProblem::Empty { field: field.into() }),
            Some(Value::String(s)) if !name_ok(s) => {
                return Err(RowProblem::Invalid {
                    field: field.into(),
                    value: s.clone(),
                    rule: FieldRule::Name,
                })
            }
            _ => {}
        }
    }
    if let Some(Value::Array(gtins)) = get(&obj, "gtins") {
        if let Some(bad) = gtins.iter().find(|g| !g.as_str().is_some_and(gtin_ok)) {
            return Err(RowProblem::Invalid {
                field: "gtins".into(),
                value: shown(bad),
                rule: FieldRule::Gtin,
            });
        }
    }
    if let Some(level) = get(&obj, "level").filter(|l| l.as_u64().is_none_or(|l| l > u64::from(MAX_LEVEL))) {
        return Err(RowProblem::Invalid {
            field: "level".into(),
            value: shown(level),
            rule: FieldRule::Level,
        });
    }
    let report: Report = serde_json::from_value(Value::Object(obj)).map_err(|e| shape(&e))?;
    report.validate().map_err(RowProblem::Report)?;
    if report.valid_until < report.valid_from {
        return Err(RowProblem::Invalid {
            field: "valid_until".into(),
            value: report.valid_until.to_string(),
            rule: FieldRule::ValidityOrder,
        });
    }
    Ok(report)
}

/// Every row checked; the good ones planned, the bad ones with why, in input order.
pub fn plan(rows: Vec<Result<Row, RowError>>, c: &Context<'_>) -> (Vec<Plan>, Vec<RowError>) {
    let mut plans = Vec::new();
    let mut bad = Vec::new();
    // Serials of this input, without regard to case (their report files would collide).
    let mut seen = HashSet::new();
    for row in rows {
        let row = match row {
            Ok(r) => r,
            Err(e) => {
                bad.push(e);
                continue;
            }
        };
        match check(&row, c, &mut seen) {
            Ok(p) => plans.push(p),
            Err(problem) => bad.push(RowError {
                line: row.line,
                problem,
            }),
        }
    }
    (plans, bad)
}

fn check(row: &Row, c: &Context<'_>, seen: &mut HashSet<String>) -> Result<Plan, RowProblem> {
    let serial = match &row.units {
        Units::Serial(s) => {
            given_serial(s, c)?;
            s.clone()
        }
        // A stand-in with the shape of the register's serials, to check the row with.
        Units::Count(_) => c.register.serial(0),
    };
    let report = report(row, &serial, c.issued_at)?;
    if report.authority != c.gate.authority() {
        return Err(RowProblem::OtherAuthority {
            found: report.authority.clone(),
            expected: c.gate.authority().to_owned(),
        });
    }
    // A withdrawn product stays withdrawn, whatever valid-from day a new row would give it:
    // certifying it again takes a new model name.
    if let Some(act) = c.gate.revocations().acts.iter().find(|a| {
        a.kind == ActKind::Product
            && a.maker.as_deref() == Some(report.maker.as_str())
            && a.model.as_deref() == Some(report.model.as_str())
    }) {
        return Err(RowProblem::ProductWithdrawn {
            maker: report.maker.clone(),
            model: report.model.clone(),
            date: act.date,
        });
    }
    // The trial label: what this row's labels will be, judged by a verifier's rules.
    let trial = sign_label(
        &report,
        c.key,
        &c.gate.key_list().verifier,
        c.location.map(str::to_owned),
        None,
    )
    .map_err(|_| RowProblem::SigningFailed)?;
    c.gate
        .pass(&trial.qr_text, &trial.report_file)
        .map_err(RowProblem::WouldNotVerify)?;
    if let Units::Serial(s) = &row.units {
        if !seen.insert(s.to_ascii_lowercase()) {
            return Err(RowProblem::Twice { serial: s.clone() });
        }
    }
    Ok(Plan {
        line: row.line,
        report,
        units: row.units.clone(),
    })
}

fn given_serial(s: &str, c: &Context<'_>) -> Result<(), RowProblem> {
    if !serial_ok(s) || !serial_names_a_file(s) {
        return Err(RowProblem::Invalid {
            field: "serial".into(),
            value: s.to_owned(),
            rule: FieldRule::Serial,
        });
    }
    if c.register.is_numbered(s) {
        return Err(RowProblem::Numbered { serial: s.to_owned() });
    }
    match c.register.taken_by(s) {
        Some((batch, earlier)) if batch != c.batch => Err(RowProblem::Taken {
            serial: s.to_owned(),
            earlier: earlier.to_owned(),
        }),
        _ => Ok(()),
    }
}
