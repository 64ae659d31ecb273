//! Streams the register file: Enhetsregisteret's bulk download, a JSON array of over a million
//! entities (several GB unpacked), plain or gzip. One entity is in memory at a time; only the
//! entries for the organisation numbers we want are kept.
//!
//! A malformed entity does not stop the reading: the rest of the file is still checked, so the
//! refusal can say how many entities are bad and name the first of them. The file is refused
//! whole all the same (see [`FileError::Malformed`] for why).

use std::{
    cell::RefCell,
    collections::{BTreeMap, HashSet},
    io::{BufRead, BufReader, Read},
    sync::atomic::{AtomicU64, Ordering},
};

use flate2::bufread::MultiGzDecoder;
use serde::de::{Deserializer as _, MapAccess, SeqAccess, Visitor};

use super::entry::{self, Element, Entry};

/// The first two bytes of every gzip stream.
const GZIP_MAGIC: [u8; 2] = [0x1f, 0x8b];
/// How many malformed entities a refusal names (it counts them all).
pub const MAX_NAMED: usize = 20;
const BUFFER: usize = 256 * 1024;

/// What a readable file held.
#[derive(Debug, Default, PartialEq)]
pub struct Scan {
    /// Entities in the file.
    pub entities: u64,
    /// The entries for the wanted numbers the file lists, by organisation number (a number
    /// listed twice: the later listing counts).
    pub kept: BTreeMap<String, Entry>,
    /// Whether the file was gzip.
    pub gzip: bool,
}

/// Why a register file is refused. Nothing is changed when a file is refused.
#[derive(Debug, Clone, PartialEq, thiserror::Error)]
pub enum FileError {
    #[error("the file cannot be read: {0}")]
    Unreadable(String),
    #[error("the file is not JSON ({0})")]
    NotJson(String),
    #[error(
        "the file is not a list of entities: it holds {0}, where Enhetsregisteret's file is a JSON array of entities"
    )]
    NotAList(&'static str),
    #[error("the file is truncated: {0}")]
    Truncated(String),
    #[error("the file goes on after its list of entities ({0})")]
    TrailingData(String),
    #[error("the file lists no entities")]
    NoEntities,
    /// Refused whole, not read around: an entity we cannot read may be one of ours (its
    /// number may be the broken part), and leaving it out would show a bankrupt supplier as
    /// "not listed". The register writes the file by machine, so a bad entity means a damaged
    /// download or a changed format, and either needs a person before the data is trusted.
    #[error(
        "{} malformed, so the whole file is refused (the previous register data is kept): {}",
        malformed_count(*.count),
        .named.first().map(String::as_str).unwrap_or("")
    )]
    Malformed {
        /// The first [`MAX_NAMED`], each "entity 1,234 (974760673): konkurs is not a boolean".
        named: Vec<String>,
        count: u64,
    },
    /// A guard against the wrong file (the sub-units file looks the same but lists other
    /// numbers): importing it would empty every supplier's register data.
    #[error(
        "none of the {wanted} organisation numbers in the supplier register and the HMSREG hours is among the file's {} entities: is it Enhetsregisteret's file of entities (enheter)?",
        grouped(*.entities)
    )]
    NoneWanted { wanted: usize, entities: u64 },
}

impl FileError {
    /// Every line worth showing: the message, then each named entity.
    pub fn lines(&self) -> Vec<String> {
        let mut lines = vec![self.to_string()];
        if let FileError::Malformed { named, count } = self {
            lines.extend(named.iter().skip(1).cloned());
            let left = count.saturating_sub(named.len() as u64);
            if left > 0 {
                lines.push(format!("... and {} more", grouped(left)));
            }
        }
        lines
    }
}

/// `1234567` -> `1,234,567`.
pub fn grouped(n: u64) -> String {
    let digits = n.to_string();
    let mut out = String::with_capacity(digits.len() + digits.len() / 3);
    for (i, c) in digits.chars().enumerate() {
        if i > 0 && (digits.len() - i).is_multiple_of(3) {
            out.push(',');
        }
        out.push(c);
    }
    out
}

fn malformed_count(n: u64) -> String {
    match n {
        1 => "1 entity is".into(),
        n => format!("{} entities are", grouped(n)),
    }
}

/// What the reading has got to, shared with the visitors (which serde owns while it reads).
#[derive(Default)]
struct State {
    /// 1-based position of the element being read; 0 before the array opens.
    current: u64,
    /// What the top-level value was, when it was not an array.
    not_a_list: Option<&'static str>,
    scan: Scan,
    named: Vec<String>,
    malformed: u64,
}

/// Reads the register file in `source`, plain or gzip (told by its first bytes, not its name),
/// keeping the entries for `wanted`. `entities_read` counts the entities as they go by, for a
/// progress display.
pub fn read<R: Read>(
    source: R,
    wanted: &HashSet<String>,
    entities_read: &AtomicU64,
) -> Result<Scan, FileError> {
    let mut buffered = BufReader::with_capacity(BUFFER, source);
    let start = buffered
        .fill_buf()
        .map_err(|e| FileError::Unreadable(e.to_string()))?;
    if start.is_empty() {
        return Err(FileError::NotJson("it is empty".into()));
    }
    if start.starts_with(&GZIP_MAGIC) {
        let decoded = BufReader::with_capacity(BUFFER, MultiGzDecoder::new(buffered));
        let mut scan = read_json(decoded, wanted, entities_read, true)?;
        scan.gzip = true;
        Ok(scan)
    } else {
        read_json(buffered, wanted, entities_read, false)
    }
}

fn read_json<R: Read>(
    source: R,
    wanted: &HashSet<String>,
    entities_read: &AtomicU64,
    gzip: bool,
) -> Result<Scan, FileError> {
    let state = RefCell::new(State::default());
    let mut de = serde_json::Deserializer::from_reader(source);
    let top = TopLevel {
        state: &state,
        wanted,
        entities_read,
    };
    let read = de.deserialize_any(top).and_then(|()| de.end());
    let state = state.into_inner();
    if let Err(err) = read {
        return Err(classify(&err, &state, gzip));
    }
    if state.malformed > 0 {
        return Err(FileError::Malformed {
            named: state.named,
            count: state.malformed,
        });
    }
    if state.scan.entities == 0 {
        return Err(FileError::NoEntities);
    }
    if !wanted.is_empty() && state.scan.kept.is_empty() {
        return Err(FileError::NoneWanted {
            wanted: wanted.len(),
            entities: state.scan.entities,
        });
    }
    Ok(state.scan)
}

/// Says in words what serde_json stopped at, and where.
fn classify(err: &serde_json::Error, state: &State, gzip: bool) -> FileError {
    use serde_json::error::Category;
    if let Some(kind) = state.not_a_list {
        return FileError::NotAList(kind);
    }
    let at = format!(
        "line {}, column {}",
        err.line(),
        grouped(err.column() as u64)
    );
    let inside = || match state.current {
        0 => String::new(),
        n => format!("in entity {}, ", grouped(n)),
    };
    match err.classify() {
        Category::Eof => match state.current {
            0 => FileError::NotJson(format!("it ends before any value ({at})")),
            n => FileError::Truncated(format!(
                "it ends at entity {} ({at}), before the list of entities is closed",
                grouped(n)
            )),
        },
        Category::Io => {
            let cause = std::error::Error::source(err)
                .map(ToString::to_string)
                .unwrap_or_else(|| err.to_string());
            if gzip {
                // A cut-off gzip stream ends in the middle of its deflate data.
                FileError::Truncated(format!(
                    "the gzip data is damaged or cut off {}({cause})",
                    inside()
                ))
            } else {
                FileError::Unreadable(cause)
            }
        }
        Category::Syntax | Category::Data => {
            let message = err.to_string();
            // serde_json ends its message with " at line L column C"; ours says where instead.
            let message = message
                .rsplit_once(" at line ")
                .map_or(message.as_str(), |(m, _)| m);
            if state.current == 0 {
                FileError::NotJson(format!("{at}: {message}"))
            } else if message.starts_with("trailing characters") {
                FileError::TrailingData(at)
            } else {
                FileError::NotJson(format!("{}{at}: {message}", inside()))
            }
        }
    }
}

struct TopLevel<'a> {
    state: &'a RefCell<State>,
    wanted: &'a HashSet<String>,
    entities_read: &'a AtomicU64,
}

impl TopLevel<'_> {
    fn not_a_list<E: serde::de::Error>(&self, kind: &'static str) -> Result<(), E> {
        self.state.borrow_mut().not_a_list = Some(kind);
        Err(E::custom("not a list"))
    }

    fn take(&self, element: Element) {
        let mut state = self.state.borrow_mut();
        let position = state.current;
        state.scan.entities = position;
        self.entities_read.store(position, Ordering::Relaxed);
        let problem = match element {
            Element::NotAnObject(kind) => {
                format!("entity {} is {kind}, not an object", grouped(position))
            }
            Element::Entity(raw) => {
                // Only a readable number can name the entity; a problem with it is listed too.
                let number = match &raw.org_number {
                    entry::Raw::Text(t) if t.len() <= 20 => format!(" ({t})"),
                    _ => String::new(),
                };
                match entry::check(raw) {
                    Ok(e) => {
                        if self.wanted.contains(&e.org_number) {
                            state.scan.kept.insert(e.org_number.clone(), e);
                        }
                        return;
                    }
                    Err(problems) => format!(
                        "entity {}{number}: {}",
                        grouped(position),
                        problems.join("; ")
                    ),
                }
            }
        };
        state.malformed += 1;
        if state.named.len() < MAX_NAMED {
            state.named.push(problem);
        }
    }
}

impl<'de> Visitor<'de> for TopLevel<'_> {
    type Value = ();

    fn expecting(&self, f: &mut std::fmt::Formatter) -> std::fmt::Result {
        f.write_str("a JSON array of entities")
    }

    fn visit_seq<A: SeqAccess<'de>>(self, mut seq: A) -> Result<(), A::Error> {
        loop {
            self.state.borrow_mut().current += 1;
            match seq.next_element::<Element>()? {
                Some(element) => self.take(element),
                None => {
                    // The position counted one past the last entity.
                    self.state.borrow_mut().current -= 1;
                    return Ok(());
                }
            }
        }
    }

    fn visit_map<A: MapAccess<'de>>(self, _: A) -> Result<(), A::Error> {
        self.not_a_list("a JSON object")
    }
    fn visit_bool<E: serde::de::Error>(self, _: bool) -> Result<(), E> {
        self.not_a_list("true or false")
    }
    fn visit_i64<E: serde::de::Error>(self, _: i64) -> Result<(), E> {
        self.not_a_list("a number")
    }
    fn visit_u64<E: serde::de::Error>(self, _: u64) -> Result<(), E> {
        self.not_a_list("a number")
    }
    fn visit_f64<E: serde::de::Error>(self, _: f64) -> Result<(), E> {
        self.not_a_list("a number")
    }
    fn visit_str<E: serde::de::Error>(self, _: &str) -> Result<(), E> {
        self.not_a_list("text")
    }
    fn visit_unit<E: serde::de::Error>(self) -> Result<(), E> {
        self.not_a_list("null")
    }
}
