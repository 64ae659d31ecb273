//! One entity of the register file: the six fields we read, as they came, and the checked
//! [`Entry`] made from them. Pure: no I/O.

use chrono::NaiveDate;
use serde::{
    Deserialize, Deserializer,
    de::{IgnoredAny, MapAccess, SeqAccess, Visitor},
};

use crate::domain::text::collapse_spaces;

/// Longest name kept; a longer `navn` is malformed (no real entity comes close).
pub const MAX_NAME: usize = 1000;

/// What the register file says about one organisation number, checked.
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct Entry {
    pub org_number: String,
    pub name: String,
    pub bankrupt: bool,
    pub being_wound_up: bool,
    pub forced_dissolution: bool,
    pub deleted_on: Option<NaiveDate>,
}

impl Entry {
    /// Bankrupt, being wound up (by its owners or by force) or deleted: what a buyer must see.
    pub fn flagged(&self) -> bool {
        self.bankrupt || self.being_wound_up || self.forced_dissolution || self.deleted_on.is_some()
    }
}

/// A JSON value as far as we need to know it. Nested arrays and objects are skipped, not
/// built, so a strange value costs no memory.
#[derive(Debug, Default, PartialEq)]
pub enum Raw {
    #[default]
    Absent,
    Null,
    Bool(bool),
    Text(String),
    Number,
    Array,
    Object,
}

impl Raw {
    /// The kind of value, for a message: "a number", "an object".
    pub fn kind(&self) -> &'static str {
        match self {
            Raw::Absent | Raw::Null => "nothing",
            Raw::Bool(_) => "true or false",
            Raw::Text(_) => "text",
            Raw::Number => "a number",
            Raw::Array => "a list",
            Raw::Object => "an object",
        }
    }
}

struct RawVisitor;

impl<'de> Visitor<'de> for RawVisitor {
    type Value = Raw;

    fn expecting(&self, f: &mut std::fmt::Formatter) -> std::fmt::Result {
        f.write_str("any JSON value")
    }
    fn visit_bool<E>(self, v: bool) -> Result<Raw, E> {
        Ok(Raw::Bool(v))
    }
    fn visit_i64<E>(self, _: i64) -> Result<Raw, E> {
        Ok(Raw::Number)
    }
    fn visit_u64<E>(self, _: u64) -> Result<Raw, E> {
        Ok(Raw::Number)
    }
    fn visit_f64<E>(self, _: f64) -> Result<Raw, E> {
        Ok(Raw::Number)
    }
    fn visit_str<E>(self, v: &str) -> Result<Raw, E> {
        Ok(Raw::Text(v.to_string()))
    }
    fn visit_string<E>(self, v: String) -> Result<Raw, E> {
        Ok(Raw::Text(v))
    }
    fn visit_unit<E>(self) -> Result<Raw, E> {
        Ok(Raw::Null)
    }
    fn visit_none<E>(self) -> Result<Raw, E> {
        Ok(Raw::Null)
    }
    fn visit_seq<A: SeqAccess<'de>>(self, mut seq: A) -> Result<Raw, A::Error> {
        while seq.next_element::<IgnoredAny>()?.is_some() {}
        Ok(Raw::Array)
    }
    fn visit_map<A: MapAccess<'de>>(self, mut map: A) -> Result<Raw, A::Error> {
        while map.next_entry::<IgnoredAny, IgnoredAny>()?.is_some() {}
        Ok(Raw::Object)
    }
}

impl<'de> Deserialize<'de> for Raw {
    fn deserialize<D: Deserializer<'de>>(d: D) -> Result<Raw, D::Error> {
        d.deserialize_any(RawVisitor)
    }
}

/// The fields of an entity we read; every other field is skipped unread.
#[derive(Debug, Default)]
pub struct RawEntity {
    pub org_number: Raw,
    pub name: Raw,
    pub bankrupt: Raw,
    pub being_wound_up: Raw,
    pub forced_dissolution: Raw,
    pub deleted_on: Raw,
}

/// The field names of the register's format.
pub const ORG_NUMBER: &str = "organisasjonsnummer";
const NAME: &str = "navn";
const BANKRUPT: &str = "konkurs";
const BEING_WOUND_UP: &str = "underAvvikling";
const FORCED_DISSOLUTION: &str = "underTvangsavviklingEllerTvangsopplosning";
const DELETED_ON: &str = "slettedato";

#[derive(Deserialize)]
#[serde(field_identifier)]
enum Field {
    #[serde(rename = "organisasjonsnummer")]
    OrgNumber,
    #[serde(rename = "navn")]
    Name,
    #[serde(rename = "konkurs")]
    Bankrupt,
    #[serde(rename = "underAvvikling")]
    BeingWoundUp,
    #[serde(rename = "underTvangsavviklingEllerTvangsopplosning")]
    ForcedDissolution,
    #[serde(rename = "slettedato")]
    DeletedOn,
    #[serde(other)]
    Other,
}

/// One element of the file's array: an entity, or something that is not an object at all.
#[derive(Debug)]
pub enum Element {
    Entity(RawEntity),
    NotAnObject(&'static str),
}

struct ElementVisitor;

impl<'de> Visitor<'de> for ElementVisitor {
    type Value = Element;

    fn expecting(&self, f: &mut std::fmt::Formatter) -> std::fmt::Result {
        f.write_str("an entity (a JSON object)")
    }
    fn visit_map<A: MapAccess<'de>>(self, mut map: A) -> Result<Element, A::Error> {
        let mut e = RawEntity::default();
        while let Some(field) = map.next_key::<Field>()? {
            let slot = match field {
                Field::OrgNumber => &mut e.org_number,
                Field::Name => &mut e.name,
                Field::Bankrupt => &mut e.bankrupt,
                Field::BeingWoundUp => &mut e.being_wound_up,
                Field::ForcedDissolution => &mut e.forced_dissolution,
                Field::DeletedOn => &mut e.deleted_on,
                Field::Other => {
                    map.next_value::<IgnoredAny>()?;
                    continue;
                }
            };
            *slot = map.next_value::<Raw>()?;
        }
        Ok(Element::Entity(e))
    }
    // Anything else is read past (so the rest of the file can still be checked) and named.
    fn visit_bool<E>(self, _: bool) -> Result<Element, E> {
        Ok(Element::NotAnObject("true or false"))
    }
    fn visit_i64<E>(self, _: i64) -> Result<Element, E> {
        Ok(Element::NotAnObject("a number"))
    }
    fn visit_u64<E>(self, _: u64) -> Result<Element, E> {
        Ok(Element::NotAnObject("a number"))
    }
    fn visit_f64<E>(self, _: f64) -> Result<Element, E> {
        Ok(Element::NotAnObject("a number"))
    }
    fn visit_str<E>(self, _: &str) -> Result<Element, E> {
        Ok(Element::NotAnObject("text"))
    }
    fn visit_unit<E>(self) -> Result<Element, E> {
        Ok(Element::NotAnObject("null"))
    }
    fn visit_seq<A: SeqAccess<'de>>(self, mut seq: A) -> Result<Element, A::Error> {
        while seq.next_element::<IgnoredAny>()?.is_some() {}
        Ok(Element::NotAnObject("a list"))
    }
}

impl<'de> Deserialize<'de> for Element {
    fn deserialize<D: Deserializer<'de>>(d: D) -> Result<Element, D::Error> {
        d.deserialize_any(ElementVisitor)
    }
}

/// The entry `raw` describes, or what is wrong with it (each problem names its field).
pub fn check(raw: RawEntity) -> Result<Entry, Vec<String>> {
    let mut problems = Vec::new();
    let org_number = match raw.org_number {
        Raw::Text(t) if t.len() == 9 && t.bytes().all(|b| b.is_ascii_digit()) => Some(t),
        Raw::Absent | Raw::Null => {
            problems.push(format!("{ORG_NUMBER} is missing"));
            None
        }
        Raw::Text(_) => {
            problems.push(format!("{ORG_NUMBER} is not 9 digits"));
            None
        }
        other => {
            problems.push(format!("{ORG_NUMBER} is {}, not text", other.kind()));
            None
        }
    };
    let name = match raw.name {
        Raw::Text(t) => {
            let name = collapse_spaces(&t);
            if name.is_empty() {
                problems.push(format!("{NAME} is blank"));
            } else if name.chars().count() > MAX_NAME {
                problems.push(format!("{NAME} is longer than {MAX_NAME} characters"));
            }
            Some(name)
        }
        Raw::Absent | Raw::Null => {
            problems.push(format!("{NAME} is missing"));
            None
        }
        other => {
            problems.push(format!("{NAME} is {}, not text", other.kind()));
            None
        }
    };
    let bankrupt = flag(BANKRUPT, raw.bankrupt, &mut problems);
    let being_wound_up = flag(BEING_WOUND_UP, raw.being_wound_up, &mut problems);
    let forced_dissolution = flag(FORCED_DISSOLUTION, raw.forced_dissolution, &mut problems);
    let deleted_on = match raw.deleted_on {
        Raw::Absent | Raw::Null => None,
        Raw::Text(t) => match NaiveDate::parse_from_str(&t, "%Y-%m-%d") {
            Ok(d) if (1900..=2200).contains(&chrono::Datelike::year(&d)) && t.len() == 10 => {
                Some(d)
            }
            _ => {
                problems.push(format!("{DELETED_ON} is not a date (YYYY-MM-DD)"));
                None
            }
        },
        other => {
            problems.push(format!("{DELETED_ON} is {}, not a date", other.kind()));
            None
        }
    };
    match (org_number, name) {
        (Some(org_number), Some(name)) if problems.is_empty() => Ok(Entry {
            org_number,
            name,
            bankrupt,
            being_wound_up,
            forced_dissolution,
            deleted_on,
        }),
        _ => Err(problems),
    }
}

/// A flag the register writes as true or false. Absent or null means not set: the register
/// writes the flags it has, and a missing one cannot mean yes.
fn flag(field: &str, raw: Raw, problems: &mut Vec<String>) -> bool {
    match raw {
        Raw::Bool(b) => b,
        Raw::Absent | Raw::Null => false,
        other => {
            problems.push(format!("{field} is not a boolean (it is {})", other.kind()));
            false
        }
    }
}
