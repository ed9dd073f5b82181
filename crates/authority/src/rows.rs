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

use crate::error::RowProblem;
use serde_json::{Map, Value};

/// One row's product, not yet checked against a key list.
pub struct Row {
    /// 1-based line of the input where the row starts (CSV: the header is line 1).
    pub line: usize,
    pub report: Map<String, Value>,
    pub units: Units,
    /// Columns left empty on this row: a field missing from the report is said to be empty
    /// there, not missing.
    pub empty: Vec<String>,
}

#[derive(Clone, Debug, PartialEq, Eq)]
pub enum Units {
    Serial(String),
    Count(u64),
}

/// Why a row cannot be issued, with its line.
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct RowError {
    pub line: usize,
    pub problem: RowProblem,
}

/// More units than this in one row is a typing error, not a production run.
pub const MAX_UNITS_PER_ROW: u64 = 10_000_000;

#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub enum Kind {
    Csv,
    JsonLines,
    /// One report object (`issue --report`): a batch of one row.
    Object,
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
        Kind::Object => vec![object(input)],
    };
    raw.into_iter()
        .map(|r| {
            r.and_then(|(line, mut obj, empty)| {
                let units = units(&mut obj).map_err(|problem| RowError { line, problem })?;
                let mut report = defaults.clone();
                merge(&mut report, obj);
                Ok(Row {
                    line,
                    report,
                    units,
                    empty,
                })
            })
        })
        .collect()
}

/// A row's line, its fields (before `units` and `serial` are taken out), and the columns whose
/// cells were empty.
type RawRow = Result<(usize, Map<String, Value>, Vec<String>), RowError>;

fn json_lines(input: &[u8]) -> Vec<RawRow> {
    input
        .split(|&b| b == b'\n')
        .enumerate()
        .map(|(i, l)| (i + 1, l.strip_suffix(b"\r").unwrap_or(l)))
        .filter(|(_, l)| !l.iter().all(u8::is_ascii_whitespace))
        .map(|(line, l)| match serde_json::from_slice::<Value>(l) {
            Ok(Value::Object(o)) => Ok((line, o, Vec::new())),
            Ok(_) => Err(RowError {
                line,
                problem: RowProblem::NotAnObject,
            }),
            Err(e) => Err(RowError {
                line,
                problem: RowProblem::NotJson(e.to_string()),
            }),
        })
        .collect()
}

fn object(input: &[u8]) -> RawRow {
    match serde_json::from_slice::<Value>(input) {
        Ok(Value::Object(o)) => Ok((1, o, Vec::new())),
        Ok(_) => Err(RowError {
            line: 1,
            problem: RowProblem::NotAnObject,
        }),
        Err(e) => Err(RowError {
            line: e.line(),
            problem: RowProblem::NotJson(e.to_string()),
        }),
    }
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
                problem: RowProblem::CsvHeader(e.to_string()),
            })]
        }
    };
    let mut out = Vec::new();
    for record in reader.records() {
        let r = record.map_err(|e| RowError {
            line: e.position().map_or(0, |p| p.line() as usize),
            problem: RowProblem::NotCsv(e.to_string()),
        });
        out.push(r.and_then(|rec| {
            let line = rec.position().map_or(0, |p| p.line() as usize);
            let mut obj = Map::new();
            let mut empty = Vec::new();
            for (column, cell) in header.iter().zip(rec.iter()) {
                if cell.is_empty() {
                    empty.push(column.clone());
                    continue;
                }
                let value = match cell_kind(column) {
                    Cell::Text => Value::String(cell.to_owned()),
                    Cell::Number => cell.trim().parse::<u64>().map(Value::from).map_err(|_| RowError {
                        line,
                        problem: RowProblem::NotAWholeNumber {
                            field: column.clone(),
                            value: cell.to_owned(),
                        },
                    })?,
                    Cell::List => Value::Array(cell.split('|').map(|s| Value::String(s.trim().to_owned())).collect()),
                    Cell::Json => serde_json::from_str(cell).map_err(|e| RowError {
                        line,
                        problem: RowProblem::CellNotJson {
                            field: column.clone(),
                            detail: e.to_string(),
                        },
                    })?,
                };
                set_path(&mut obj, column, value);
            }
            Ok((line, obj, empty))
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

fn units(obj: &mut Map<String, Value>) -> Result<Units, RowProblem> {
    let count = obj.remove("units");
    let serial = obj.remove("serial");
    match (serial, count) {
        (Some(Value::String(s)), None) => Ok(Units::Serial(s)),
        (None, Some(n)) => match n.as_u64() {
            Some(n) if (1..=MAX_UNITS_PER_ROW).contains(&n) => Ok(Units::Count(n)),
            _ => Err(RowProblem::UnitsRange {
                value: n.to_string(),
                max: MAX_UNITS_PER_ROW,
            }),
        },
        (Some(_), Some(_)) => Err(RowProblem::SerialAndUnits),
        (None, None) => Err(RowProblem::NoSerialOrUnits),
        (Some(_), None) => Err(RowProblem::SerialNotText),
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
        assert_eq!(second.problem, RowProblem::NoSerialOrUnits);
        assert_eq!(first.empty, Vec::<String>::new());
    }

    #[test]
    fn a_bad_json_line_is_named_and_the_others_still_read() {
        let input = b"{\"serial\":\"A-1\",\"maker\":\"x\"}\n\n{oops\n[1]\n{\"units\":0}\n{\"units\":3}\r\n";
        let rows = rows(input, Kind::JsonLines, &Map::new());
        let lines: Vec<(usize, Option<&RowProblem>)> = rows
            .iter()
            .map(|r| match r {
                Ok(r) => (r.line, None),
                Err(e) => (e.line, Some(&e.problem)),
            })
            .collect();
        assert_eq!(lines[0], (1, None));
        assert!(matches!(lines[1], (3, Some(RowProblem::NotJson(_)))));
        assert_eq!(lines[2], (4, Some(&RowProblem::NotAnObject)));
        assert!(matches!(lines[3], (5, Some(RowProblem::UnitsRange { .. }))));
        assert_eq!(lines[4], (6, None));
    }

    #[test]
    fn a_number_column_with_words_is_refused() {
        let rows = rows(b"serial,level,maker\nA-1,two,\n", Kind::Csv, &Map::new());
        assert_eq!(
            rows[0].as_ref().err().unwrap(),
            &RowError {
                line: 2,
                problem: RowProblem::NotAWholeNumber {
                    field: "level".into(),
                    value: "two".into()
                }
            }
        );
        let rows = super::rows(b"serial,maker\nA-1,\n", Kind::Csv, &Map::new());
        assert_eq!(
            rows[0].as_ref().ok().unwrap().empty,
            ["maker"],
            "an empty cell is remembered"
        );
    }
}
