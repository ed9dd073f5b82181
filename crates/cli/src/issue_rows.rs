//! The rows of a batch to issue: one product per row, from CSV or JSON Lines, each becoming a
//! report (docs/FORMAT.md §4.2) and either the one serial it names or a count of units to
//! number from the serial register.
//!
//! JSON Lines: one report object per line, with `units` (a count) in place of `serial` when
//! the register numbers them. CSV: a header row names the report's fields, nested ones with
//! dots (`product.name`, `test_lab.tested_on`); `level`, `programme`, `format` and `units`
//! are numbers, `gtins` and `product.firmware_versions` lists separated by `|`, and
//! `standard.clauses` a JSON array; an empty cell leaves the field out. Fields every row shares
//! (the standard, the test lab) can come from a defaults object instead, under each row.

use serde_json::{Map, Value};
use std::fmt;

/// One row's product, not yet checked against a key list.
pub struct Row {
    /// 1-based line of the input where the row starts (CSV: the header is line 1).
    pub line: usize,
    pub report: Map<String, Value>,
    pub units: Units,
}

#[derive(Clone, Debug, PartialEq, Eq)]
pub enum Units {
    Serial(String),
    Count(u64),
}

/// Why a row cannot be issued, said with its line.
#[derive(Debug)]
pub struct RowError {
    pub line: usize,
    pub why: String,
}

impl fmt::Display for RowError {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        write!(f, "line {}: {}", self.line, self.why)
    }
}

/// More units than this in one row is a typing error, not a production run.
pub const MAX_UNITS_PER_ROW: u64 = 10_000_000;

#[derive(Clone, Copy, PartialEq, Eq)]
pub enum Kind {
    Csv,
    JsonLines,
}

impl Kind {
    pub fn of(name: &str) -> Option<Kind> {
        let lower = name.to_ascii_lowercase();
        if lower.ends_with(".csv") {
            Some(Kind::Csv)
        } else if lower.ends_with(".jsonl") || lower.ends_with(".ndjson") {
            Some(Kind::JsonLines)
        } else {
            None
        }
    }
}

/// Every row of `input`, in order; rows that cannot be read are errors and do not stop the rest.
pub fn rows(input: &[u8], kind: Kind, defaults: &Map<String, Value>) -> Vec<Result<Row, RowError>> {
    let raw = match kind {
        Kind::JsonLines => json_lines(input),
        Kind::Csv => csv_rows(input),
    };
    raw.into_iter()
        .map(|r| {
            r.and_then(|(line, mut obj)| {
                let fail = |why: String| RowError { line, why };
                let units = units(&mut obj).map_err(fail)?;
                let mut report = defaults.clone();
                merge(&mut report, obj);
                Ok(Row { line, report, units })
            })
        })
        .collect()
}

/// A row's line and its fields, before `units` and `serial` are taken out.
type RawRow = Result<(usize, Map<String, Value>), RowError>;

fn json_lines(input: &[u8]) -> Vec<RawRow> {
    input
        .split(|&b| b == b'\n')
        .enumerate()
        .map(|(i, l)| (i + 1, l.strip_suffix(b"\r").unwrap_or(l)))
        .filter(|(_, l)| !l.iter().all(u8::is_ascii_whitespace))
        .map(|(line, l)| match serde_json::from_slice::<Value>(l) {
            Ok(Value::Object(o)) => Ok((line, o)),
            Ok(_) => Err(RowError {
                line,
                why: "not a JSON object".into(),
            }),
            Err(e) => Err(RowError {
                line,
                why: format!("not JSON ({e})"),
            }),
        })
        .collect()
}

#[derive(Clone, Copy)]
enum Cell {
    Text,
    Number,
    List,
    Json,
}

fn cell_kind(column: &str) -> Cell {
    match column {
        "level" | "programme" | "format" | "units" => Cell::Number,
        "gtins" | "product.firmware_versions" => Cell::List,
        "standard.clauses" => Cell::Json,
        _ => Cell::Text,
    }
}

fn csv_rows(input: &[u8]) -> Vec<RawRow> {
    let mut reader = csv::ReaderBuilder::new().flexible(false).from_reader(input);
    let header: Vec<String> = match reader.headers() {
        Ok(h) => h.iter().map(|c| c.trim().to_owned()).collect(),
        Err(e) => {
            return vec![Err(RowError {
                line: 1,
                why: format!("the header row cannot be read ({e})"),
            })]
        }
    };
    let mut out = Vec::new();
    for record in reader.records() {
        let r = record.map_err(|e| RowError {
            line: e.position().map_or(0, |p| p.line() as usize),
            why: format!("not a CSV row ({e})"),
        });
        out.push(r.and_then(|rec| {
            let line = rec.position().map_or(0, |p| p.line() as usize);
            let mut obj = Map::new();
            for (column, cell) in header.iter().zip(rec.iter()) {
                if cell.is_empty() {
                    continue;
                }
                let value = match cell_kind(column) {
                    Cell::Text => Value::String(cell.to_owned()),
                    Cell::Number => cell.trim().parse::<u64>().map(Value::from).map_err(|_| RowError {
                        line,
                        why: format!("{column}: {cell:?} is not a whole number"),
                    })?,
                    Cell::List => Value::Array(cell.split('|').map(|s| Value::String(s.trim().to_owned())).collect()),
                    Cell::Json => serde_json::from_str(cell).map_err(|e| RowError {
                        line,
                        why: format!("{column}: not JSON ({e})"),
                    })?,
                };
                set_path(&mut obj, column, value);
            }
            Ok((line, obj))
        }));
    }
    out
}

fn set_path(obj: &mut Map<String, Value>, path: &str, value: Value) {
    match path.split_once('.') {
        None => {
            obj.insert(path.to_owned(), value);
        }
        Some((head, rest)) => {
            let inner = obj.entry(head.to_owned()).or_insert_with(|| Value::Object(Map::new()));
            if !inner.is_object() {
                *inner = Value::Object(Map::new());
            }
            if let Value::Object(m) = inner {
                set_path(m, rest, value);
            }
        }
    }
}

/// Lays `over` on `base`: objects merge member by member, anything else replaces.
fn merge(base: &mut Map<String, Value>, over: Map<String, Value>) {
    for (k, v) in over {
        match (base.get_mut(&k), v) {
            (Some(Value::Object(b)), Value::Object(o)) => merge(b, o),
            (_, v) => {
                base.insert(k, v);
            }
        }
    }
}

fn units(obj: &mut Map<String, Value>) -> Result<Units, String> {
    let count = obj.remove("units");
    let serial = obj.remove("serial");
    match (serial, count) {
        (Some(Value::String(s)), None) => Ok(Units::Serial(s)),
        (None, Some(n)) => match n.as_u64() {
            Some(n) if (1..=MAX_UNITS_PER_ROW).contains(&n) => Ok(Units::Count(n)),
            _ => Err(format!("units must be a whole number from 1 to {MAX_UNITS_PER_ROW}")),
        },
        (Some(_), Some(_)) => Err("give either a serial or units, not both".into()),
        (None, None) => Err("give a serial, or units to number from the serial register".into()),
        (Some(_), None) => Err("serial must be a string".into()),
    }
}

#[cfg(test)]
#[allow(clippy::unwrap_used, clippy::expect_used, clippy::panic)]
mod tests {
    use super::*;

    fn defaults() -> Map<String, Value> {
        serde_json::json!({"authority": "DEMO", "product": {"category": "camera"}})
            .as_object()
            .cloned()
            .unwrap()
    }

    #[test]
    fn csv_columns_become_report_fields_under_the_defaults() {
        let csv = "maker,model,level,units,gtins,product.name,product.firmware_versions\n\
                   Acme,Cam 1,2,500,01234567890128|00012345678905,Cam,1.0|1.1\n\
                   Acme,\"Cam, 2\",3,,,Cam 2,2.0\n";
        let rows = rows(csv.as_bytes(), Kind::Csv, &defaults());
        let first = rows[0].as_ref().unwrap();
        assert_eq!(first.line, 2);
        assert_eq!(first.units, Units::Count(500));
        assert_eq!(first.report["level"], 2);
        assert_eq!(first.report["gtins"][1], "00012345678905");
        assert_eq!(
            first.report["product"]["category"], "camera",
            "defaults kept under the row"
        );
        assert_eq!(first.report["product"]["firmware_versions"][1], "1.1");
        let second = rows[1].as_ref().err().unwrap();
        assert_eq!(second.line, 3);
        assert!(second.why.contains("serial"), "{second}");
    }

    #[test]
    fn a_bad_json_line_is_named_and_the_others_still_read() {
        let input = b"{\"serial\":\"A-1\",\"maker\":\"x\"}\n\n{oops\n[1]\n{\"units\":0}\n{\"units\":3}\r\n";
        let rows = rows(input, Kind::JsonLines, &Map::new());
        let lines: Vec<String> = rows
            .iter()
            .map(|r| match r {
                Ok(r) => format!("{} ok", r.line),
                Err(e) => e.to_string(),
            })
            .collect();
        assert_eq!(lines[0], "1 ok");
        assert!(lines[1].starts_with("line 3: not JSON"));
        assert_eq!(lines[2], "line 4: not a JSON object");
        assert!(lines[3].starts_with("line 5: units must be"));
        assert_eq!(lines[4], "6 ok");
    }

    #[test]
    fn a_number_column_with_words_is_refused() {
        let rows = rows(b"serial,level\nA-1,two\n", Kind::Csv, &Map::new());
        assert_eq!(
            rows[0].as_ref().err().unwrap().to_string(),
            "line 2: level: \"two\" is not a whole number"
        );
    }
}
