//! Strict JSON for every signed or shipped document (FORMAT.md §4.2): no member named twice at
//! any depth, objects only where the format has objects, and errors that say what and where.
//!
//! serde's derived structs also accept a JSON array of their fields in order, and serde_json
//! keeps the last of two equal members; a verifier that reads `["EdDSA","k1",…]` as a header,
//! or another reader that keeps the first member, would be shown a different document than
//! the one that was signed. So a document is parsed to a `serde_json::Value` first (syntax,
//! nesting limit), checked for doubled members on its bytes, and then deserialized by
//! [`Strict`], which refuses anything but an object where a struct is expected.

use serde::de::{self, DeserializeSeed, IntoDeserializer, MapAccess, SeqAccess, Visitor};
use serde_json::Value;
use std::fmt;

/// Why bytes are not the JSON document expected.
#[derive(Clone, Debug, PartialEq, Eq)]
pub enum JsonError {
    /// Not JSON, or nested deeper than 128 levels.
    Syntax { line: usize, column: usize },
    /// A member is named twice in one object.
    DuplicateMember,
    /// JSON, but not shaped as the document.
    Shape(ShapeError),
}

/// Where in a document its shape is wrong, and how.
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct ShapeError {
    pub problem: ShapeProblem,
    /// A JSON path such as `keys[1].not_before`; empty for the document itself.
    pub at: String,
}

#[derive(Clone, Debug, PartialEq, Eq)]
pub enum ShapeProblem {
    /// Something else where an object is required.
    NotAnObject,
    UnknownMember(String),
    MissingMember(&'static str),
    /// A value of the wrong JSON type (a string for a number, a float for an integer, …).
    WrongType,
    /// The right type, but not a value the format allows (a date that does not exist, a
    /// number out of range, an unknown word).
    InvalidValue,
}

impl ShapeProblem {
    /// A stable name, for codes and wording keys.
    pub fn name(&self) -> &'static str {
        match self {
            ShapeProblem::NotAnObject => "not-an-object",
            ShapeProblem::UnknownMember(_) => "unknown-member",
            ShapeProblem::MissingMember(_) => "missing-member",
            ShapeProblem::WrongType => "wrong-type",
            ShapeProblem::InvalidValue => "invalid-value",
        }
    }
}

impl ShapeError {
    fn new(problem: ShapeProblem) -> ShapeError {
        ShapeError {
            problem,
            at: String::new(),
        }
    }

    fn within(mut self, step: Step<'_>) -> ShapeError {
        let prefix = match step {
            Step::Member(name) if self.at.is_empty() || self.at.starts_with('[') => name.to_owned(),
            Step::Member(name) => format!("{name}."),
            Step::Index(i) => format!("[{i}]"),
        };
        self.at.insert_str(0, &prefix);
        self
    }
}

enum Step<'a> {
    Member(&'a str),
    Index(usize),
}

impl fmt::Display for ShapeError {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        let at = if self.at.is_empty() { "/" } else { &self.at };
        match &self.problem {
            ShapeProblem::UnknownMember(m) => write!(f, "{} {m} at {at}", self.problem.name()),
            ShapeProblem::MissingMember(m) => write!(f, "{} {m} at {at}", self.problem.name()),
            p => write!(f, "{} at {at}", p.name()),
        }
    }
}

impl std::error::Error for ShapeError {}

impl JsonError {
    /// A stable code: `json-syntax`, `duplicate-member`, or the shape problem's name.
    pub fn code(&self) -> &'static str {
        match self {
            JsonError::Syntax { .. } => "json-syntax",
            JsonError::DuplicateMember => "duplicate-member",
            JsonError::Shape(s) => s.problem.name(),
        }
    }
}

impl fmt::Display for JsonError {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        match self {
            JsonError::Syntax { line, column } => write!(f, "json-syntax line {line} column {column}"),
            JsonError::DuplicateMember => f.write_str("duplicate-member"),
            JsonError::Shape(e) => e.fmt(f),
        }
    }
}

impl std::error::Error for JsonError {}

impl de::Error for ShapeError {
    fn custom<T: fmt::Display>(_: T) -> Self {
        ShapeError::new(ShapeProblem::InvalidValue)
    }
    fn invalid_type(_: de::Unexpected<'_>, _: &dyn de::Expected) -> Self {
        ShapeError::new(ShapeProblem::WrongType)
    }
    fn unknown_field(field: &str, _: &'static [&'static str]) -> Self {
        ShapeError::new(ShapeProblem::UnknownMember(field.to_owned()))
    }
    fn missing_field(field: &'static str) -> Self {
        ShapeError::new(ShapeProblem::MissingMember(field))
    }
}

/// Parses `bytes` as a `T` with the rules above.
pub fn strict<T: de::DeserializeOwned>(bytes: &[u8]) -> Result<T, JsonError> {
    from_value(&parse(bytes)?)
}

/// The document as a JSON value: syntax, nesting and doubled members checked.
pub fn parse(bytes: &[u8]) -> Result<Value, JsonError> {
    let value: Value = serde_json::from_slice(bytes).map_err(|e| JsonError::Syntax {
        line: e.line(),
        column: e.column(),
    })?;
    if has_duplicate_members(bytes) {
        return Err(JsonError::DuplicateMember);
    }
    Ok(value)
}

/// A `T` from a value already parsed by [`parse`].
pub fn from_value<T: de::DeserializeOwned>(value: &Value) -> Result<T, JsonError> {
    T::deserialize(Strict(value)).map_err(JsonError::Shape)
}

/// A deserializer over a parsed value that gives structs only objects.
struct Strict<'a>(&'a Value);

impl<'de> de::Deserializer<'de> for Strict<'de> {
    type Error = ShapeError;

    fn deserialize_any<V: Visitor<'de>>(self, v: V) -> Result<V::Value, ShapeError> {
        match self.0 {
            Value::Null => v.visit_unit(),
            Value::Bool(b) => v.visit_bool(*b),
            Value::Number(n) => match (n.as_u64(), n.as_i64(), n.as_f64()) {
                (Some(u), _, _) => v.visit_u64(u),
                (None, Some(i), _) => v.visit_i64(i),
                (None, None, Some(f)) => v.visit_f64(f),
                _ => Err(ShapeError::new(ShapeProblem::InvalidValue)),
            },
            Value::String(s) => v.visit_borrowed_str(s),
            Value::Array(items) => {
                let mut seq = Seq {
                    items: items.iter(),
                    index: 0,
                };
                let out = v.visit_seq(&mut seq)?;
                if seq.items.len() > 0 {
                    return Err(ShapeError::new(ShapeProblem::WrongType));
                }
                Ok(out)
            }
            Value::Object(_) => self.deserialize_map(v),
        }
    }

    fn deserialize_option<V: Visitor<'de>>(self, v: V) -> Result<V::Value, ShapeError> {
        match self.0 {
            Value::Null => v.visit_none(),
            _ => v.visit_some(self),
        }
    }

    fn deserialize_map<V: Visitor<'de>>(self, v: V) -> Result<V::Value, ShapeError> {
        let Value::Object(members) = self.0 else {
            return Err(ShapeError::new(ShapeProblem::NotAnObject));
        };
        v.visit_map(Members {
            members: members.iter(),
            value: None,
        })
    }

    fn deserialize_struct<V: Visitor<'de>>(
        self,
        _name: &'static str,
        _fields: &'static [&'static str],
        v: V,
    ) -> Result<V::Value, ShapeError> {
        self.deserialize_map(v)
    }

    fn deserialize_enum<V: Visitor<'de>>(
        self,
        _name: &'static str,
        _variants: &'static [&'static str],
        v: V,
    ) -> Result<V::Value, ShapeError> {
        // The formats' enumerations are all words: "withdrawn", "pass", …
        match self.0 {
            Value::String(s) => v.visit_enum(IntoDeserializer::<ShapeError>::into_deserializer(s.as_str())),
            _ => Err(ShapeError::new(ShapeProblem::WrongType)),
        }
    }

    fn deserialize_newtype_struct<V: Visitor<'de>>(self, _name: &'static str, v: V) -> Result<V::Value, ShapeError> {
        v.visit_newtype_struct(self)
    }

    serde::forward_to_deserialize_any! {
        bool i8 i16 i32 i64 i128 u8 u16 u32 u64 u128 f32 f64 char str string bytes byte_buf
        unit unit_struct seq tuple tuple_struct identifier ignored_any
    }
}

struct Seq<'a> {
    items: std::slice::Iter<'a, Value>,
    index: usize,
}

impl<'de> SeqAccess<'de> for Seq<'de> {
    type Error = ShapeError;

    fn next_element_seed<T: DeserializeSeed<'de>>(&mut self, seed: T) -> Result<Option<T::Value>, ShapeError> {
        let Some(item) = self.items.next() else {
            return Ok(None);
        };
        let index = self.index;
        self.index += 1;
        seed.deserialize(Strict(item))
            .map(Some)
            .map_err(|e| e.within(Step::Index(index)))
    }
}

struct Members<'a> {
    members: serde_json::map::Iter<'a>,
    value: Option<(&'a str, &'a Value)>,
}

impl<'de> MapAccess<'de> for Members<'de> {
    type Error = ShapeError;

    fn next_key_seed<K: DeserializeSeed<'de>>(&mut self, seed: K) -> Result<Option<K::Value>, ShapeError> {
        let Some((name, value)) = self.members.next() else {
            return Ok(None);
        };
        self.value = Some((name, value));
        seed.deserialize(de::value::BorrowedStrDeserializer::new(name))
            .map(Some)
    }

    fn next_value_seed<V: DeserializeSeed<'de>>(&mut self, seed: V) -> Result<V::Value, ShapeError> {
        let (name, value) = self
            .value
            .take()
            .ok_or_else(|| ShapeError::new(ShapeProblem::WrongType))?;
        seed.deserialize(Strict(value))
            .map_err(|e| e.within(Step::Member(name)))
    }
}

/// Whether any object in the JSON text names a member twice (or the text is not JSON).
fn has_duplicate_members(bytes: &[u8]) -> bool {
    use serde::de::Deserializer;
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
                    return Err(de::Error::custom("duplicate member"));
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
    impl<'de> DeserializeSeed<'de> for CheckSeed {
        type Value = ();
        fn deserialize<D: de::Deserializer<'de>>(self, d: D) -> Result<(), D::Error> {
            d.deserialize_any(Check)
        }
    }
    let mut de = serde_json::Deserializer::from_slice(bytes);
    de.deserialize_any(Check).is_err()
}

#[cfg(test)]
mod tests {
    use super::*;

    #[derive(Debug, PartialEq, serde::Deserialize)]
    #[serde(deny_unknown_fields)]
    struct Doc {
        name: Inner,
        items: Vec<Inner>,
        #[serde(default)]
        note: Option<String>,
    }

    #[derive(Debug, PartialEq, serde::Deserialize)]
    #[serde(deny_unknown_fields)]
    struct Inner {
        en: String,
        n: u8,
    }

    fn problem(text: &str) -> Result<Doc, JsonError> {
        strict(text.as_bytes())
    }

    #[test]
    fn reads_a_well_formed_document() {
        let d = problem(r#"{"name":{"en":"a","n":1},"items":[{"en":"b","n":2}],"note":null}"#).unwrap();
        assert_eq!(d.items[0].n, 2);
        assert_eq!(d.note, None);
    }

    #[test]
    fn an_array_is_never_an_object() {
        let shape = |text: &str| match problem(text) {
            Err(JsonError::Shape(e)) => (e.problem, e.at),
            other => panic!("{text}: {other:?}"),
        };
        assert_eq!(
            shape(r#"[{"en":"a","n":1},[]]"#),
            (ShapeProblem::NotAnObject, String::new())
        );
        assert_eq!(
            shape(r#"{"name":["a",1],"items":[]}"#),
            (ShapeProblem::NotAnObject, "name".into())
        );
        assert_eq!(
            shape(r#"{"name":{"en":"a","n":1},"items":[{"en":"b","n":2},["c",3]]}"#),
            (ShapeProblem::NotAnObject, "items[1]".into())
        );
    }

    #[test]
    fn errors_say_what_and_where() {
        let shape = |text: &str| match problem(text) {
            Err(JsonError::Shape(e)) => (e.problem, e.at),
            other => panic!("{text}: {other:?}"),
        };
        assert_eq!(
            shape(r#"{"name":{"en":"a","n":1,"zh":"x"},"items":[]}"#),
            (ShapeProblem::UnknownMember("zh".into()), "name".into())
        );
        assert_eq!(
            shape(r#"{"name":{"en":"a"},"items":[]}"#),
            (ShapeProblem::MissingMember("n"), "name".into())
        );
        assert_eq!(
            shape(r#"{"name":{"en":"a","n":300},"items":[]}"#),
            (ShapeProblem::InvalidValue, "name.n".into())
        );
        assert_eq!(
            shape(r#"{"name":{"en":"a","n":1.5},"items":[]}"#),
            (ShapeProblem::WrongType, "name.n".into())
        );
        assert!(matches!(problem("{"), Err(JsonError::Syntax { line: 1, .. })));
        assert_eq!(
            problem(r#"{"name":{"en":"a","n":1,"n":2},"items":[]}"#),
            Err(JsonError::DuplicateMember)
        );
    }

    #[test]
    fn doubled_members_are_found_at_any_depth() {
        assert!(has_duplicate_members(br#"{"a":1,"b":{"c":1,"c":2}}"#));
        assert!(!has_duplicate_members(br#"{"a":1,"b":[{"c":1},{"c":2}]}"#));
    }
}
