//! The mutations: edits to a run of bytes, and the strategies that make them per fixture kind.

use proptest::{
    prelude::*,
    sample::{Index, select},
};

use super::{COMMON, Case, Fixture};

/// One change to a run of bytes. Positions are fractions of the current length, so an edit
/// stays meaningful after earlier edits have made the bytes shorter or longer.
#[derive(Clone, Debug)]
pub(super) enum Edit {
    /// XOR one byte with a non-zero mask.
    Flip(Index, u8),
    /// Cut everything from here on.
    Truncate(Index),
    Insert(Index, Vec<u8>),
    /// Write bytes over what is there, keeping the length: offsets in a container stay
    /// valid, so the change reaches what the container holds.
    Overwrite(Index, Vec<u8>),
    /// Remove up to this many bytes from here.
    Delete(Index, usize),
    /// Put a token in place of one value: a CSV field, an XML text or attribute value (the
    /// bytes between two of `;,\n\r<>"`). Inserted at random places, a token mostly breaks
    /// the syntax around it; in place of a value it reaches the parser's checks of values.
    Value(Index, Vec<u8>),
}

const DELIMITERS: &[u8] = b";,\n\r<>\"";

/// The spans between delimiters, including empty ones.
fn values(bytes: &[u8]) -> Vec<(usize, usize)> {
    let mut spans = Vec::new();
    let mut start = 0;
    for (i, b) in bytes.iter().enumerate() {
        if DELIMITERS.contains(b) {
            spans.push((start, i));
            start = i + 1;
        }
    }
    spans.push((start, bytes.len()));
    spans
}

fn edit(tokens: &'static [&'static [u8]]) -> impl Strategy<Value = Edit> + Clone {
    prop_oneof![
        3 => (any::<Index>(), 1..=255u8).prop_map(|(at, mask)| Edit::Flip(at, mask)),
        1 => any::<Index>().prop_map(Edit::Truncate),
        2 => (any::<Index>(), prop::collection::vec(any::<u8>(), 1..32))
            .prop_map(|(at, run)| Edit::Insert(at, run)),
        2 => (any::<Index>(), select(COMMON))
            .prop_map(|(at, token)| Edit::Insert(at, token.to_vec())),
        3 => (any::<Index>(), select(tokens))
            .prop_map(|(at, token)| Edit::Insert(at, token.to_vec())),
        2 => (any::<Index>(), 1..64usize).prop_map(|(at, n)| Edit::Delete(at, n)),
        2 => (any::<Index>(), select(COMMON))
            .prop_map(|(at, token)| Edit::Overwrite(at, token.to_vec())),
        3 => (any::<Index>(), select(tokens))
            .prop_map(|(at, token)| Edit::Overwrite(at, token.to_vec())),
        2 => (any::<Index>(), select(COMMON))
            .prop_map(|(at, token)| Edit::Value(at, token.to_vec())),
        4 => (any::<Index>(), select(tokens))
            .prop_map(|(at, token)| Edit::Value(at, token.to_vec())),
    ]
}

pub(super) fn edits(tokens: &'static [&'static [u8]]) -> impl Strategy<Value = Vec<Edit>> + Clone {
    prop::collection::vec(edit(tokens), 1..6)
}

pub(super) fn byte_case(fixture: &'static Fixture) -> BoxedStrategy<Case> {
    edits(fixture.tokens).prop_map(Case::Bytes).boxed()
}

/// Edits that keep every offset of a container (a CFB file's sectors) where it was.
fn in_place_edit(tokens: &'static [&'static [u8]]) -> impl Strategy<Value = Edit> + Clone {
    prop_oneof![
        2 => (any::<Index>(), 1..=255u8).prop_map(|(at, mask)| Edit::Flip(at, mask)),
        1 => (any::<Index>(), select(COMMON))
            .prop_map(|(at, token)| Edit::Overwrite(at, token.to_vec())),
        2 => (any::<Index>(), select(tokens))
            .prop_map(|(at, token)| Edit::Overwrite(at, token.to_vec())),
    ]
}

/// Most cases edit a container in place, so they get past it to the workbook inside;
/// the rest also shift and cut it.
pub(super) fn container_case(fixture: &'static Fixture) -> BoxedStrategy<Case> {
    prop_oneof![
        3 => prop::collection::vec(in_place_edit(fixture.tokens), 1..6).prop_map(Case::Bytes),
        1 => edits(fixture.tokens).prop_map(Case::Bytes),
    ]
    .boxed()
}

pub(super) fn apply(bytes: &mut Vec<u8>, edits: &[Edit]) {
    for edit in edits {
        let len = bytes.len();
        match edit {
            Edit::Flip(at, mask) if len > 0 => bytes[at.index(len)] ^= mask,
            Edit::Flip(..) => {}
            Edit::Truncate(at) => bytes.truncate(at.index(len + 1)),
            Edit::Insert(at, run) => {
                let at = at.index(len + 1);
                bytes.splice(at..at, run.iter().copied());
            }
            Edit::Delete(at, n) if len > 0 => {
                let at = at.index(len);
                bytes.drain(at..(at + n).min(len));
            }
            Edit::Delete(..) => {}
            Edit::Overwrite(at, run) if len > 0 => {
                let at = at.index(len);
                let end = (at + run.len()).min(len);
                bytes[at..end].copy_from_slice(&run[..end - at]);
            }
            Edit::Overwrite(..) => {}
            Edit::Value(at, token) => {
                let spans = values(bytes);
                let (start, end) = spans[at.index(spans.len())];
                bytes.splice(start..end, token.iter().copied());
            }
        }
    }
}
