//! Refuses the .xls files that calamine (0.38) would read with memory out of all bounds.
//!
//! calamine trusts the file's numbers with memory, and running out of memory aborts the
//! server: no `catch_unwind` stops that. `fuzz_tests` found two ways a 5 KB upload did it:
//!
//! - The container (CFB) chains its sectors through a table, the FAT. calamine follows the
//!   directory's chain until it ends, and a stream's chain until it has the length the
//!   directory states, so a chain that loops copies the same sector for ever.
//! - The workbook stream (BIFF) states each sheet's size in a Dimensions record and calamine
//!   reserves room for that many cells (a few bytes changed asked for 422 GB); it then lays
//!   every sheet out as a full rectangle from its first to its last cell, and keeps them all.
//!
//! So this walks the file as calamine will, in the same order and with the same record
//! boundaries, and refuses a chain that loops, or sheets whose rectangles come to more cells
//! than one full .xls sheet holds (65 536 rows by 256 columns). A file calamine would refuse
//! anyway may be refused here first; a sound file passes. Memory then stays in proportion to
//! the file, plus those 16.7 million cells, around a gigabyte in calamine's layout: what
//! calamine needs for the largest sheet an .xls can have, for instance cells in two far
//! corners.

use std::collections::HashSet;

const END_OF_CHAIN: u32 = 0xFFFF_FFFE;
/// From here on an entry of the sector list marks a free, FAT or DIFAT sector, not a sector.
const DIF_SECTOR: u32 = 0xFFFF_FFFC;
const MARKERS: u32 = 0xFFFF_FFFA;
/// calamine reads a stream shorter than this from the mini stream, whatever the header says.
const MINI_CUTOFF: usize = 4096;
const MINI_SECTOR: usize = 64;
/// The largest sheet BIFF8 (Excel 97-2003) can hold, and the most all sheets may span.
const MAX_CELLS: u64 = 65_536 * 256;

/// Whether calamine can read `file`, a CFB container, with bounded memory.
pub(super) fn is_bounded(file: &[u8]) -> bool {
    workbook_stream(file).is_some_and(|stream| sheets_bounded(&stream))
}

fn u16_at(bytes: &[u8], at: usize) -> Option<u16> {
    bytes
        .get(at..at.checked_add(2)?)
        .map(|b| u16::from_le_bytes([b[0], b[1]]))
}

fn u32_at(bytes: &[u8], at: usize) -> Option<u32> {
    bytes
        .get(at..at.checked_add(4)?)
        .map(|b| u32::from_le_bytes([b[0], b[1], b[2], b[3]]))
}

fn words(bytes: &[u8]) -> impl Iterator<Item = u32> + '_ {
    bytes
        .chunks_exact(4)
        .map(|w| u32::from_le_bytes([w[0], w[1], w[2], w[3]]))
}

/// The bytes of the chain from `start` as calamine's `get_chain` gathers them: unit after
/// unit until the chain ends or `len` bytes are in. A unit met twice means the chain loops:
/// `None`, as for a unit that is not there.
fn chain<'a>(
    start: u32,
    len: usize,
    table: &[u32],
    unit: impl Fn(u32) -> Option<&'a [u8]>,
) -> Option<Vec<u8>> {
    let mut out = Vec::new();
    let mut seen = HashSet::new();
    let mut id = start;
    while id != END_OF_CHAIN {
        if !seen.insert(id) {
            return None;
        }
        let bytes = unit(id)?;
        let take = bytes.len().min(len - out.len());
        out.extend_from_slice(&bytes[..take]);
        if out.len() >= len {
            break;
        }
        id = *table.get(id as usize)?;
    }
    Some(out)
}

/// The stream calamine reads the workbook from (`Workbook`, else `Book`), with every chain
/// calamine follows on the way checked.
fn workbook_stream(file: &[u8]) -> Option<Vec<u8>> {
    let size: usize = match u16_at(file, 30)? {
        9 => 512,
        12 => 4096,
        _ => return None,
    };
    // Whole sectors only: calamine pads a short last sector with zeros the second time it
    // reads it, and this walk has to see the bytes calamine sees. Office writes whole ones.
    if !file.len().is_multiple_of(size) || file.len() < size {
        return None;
    }
    let sectors = file.len() / size - 1;
    // Sector `id` follows the header, which takes the first sector's room.
    let sector = |id: u32| -> Option<&[u8]> {
        let id = id as usize;
        (id < sectors).then(|| &file[(id + 1) * size..(id + 2) * size])
    };

    // The FAT's own sectors: 109 listed in the header, the rest in a chain of DIFAT sectors
    // whose last word names the next one.
    let mut difat: Vec<u32> = words(file.get(76..512)?).collect();
    let mut id = u32_at(file, 68)?;
    let mut seen = HashSet::new();
    while id < MARKERS {
        if !seen.insert(id) {
            return None;
        }
        difat.extend(words(sector(id)?));
        id = difat.pop()?;
    }
    let mut fat = Vec::new();
    let mut listed = HashSet::new();
    for id in difat.into_iter().filter(|id| *id < DIF_SECTOR) {
        // Listed twice, a sector only makes the table larger than the file.
        if !listed.insert(id) {
            return None;
        }
        fat.extend(words(sector(id)?));
    }

    let directory = chain(u32_at(file, 48)?, usize::MAX, &fat, sector)?;
    let entries: Vec<&[u8]> = directory.chunks_exact(128).collect();
    let start_of = |entry: &[u8]| u32_at(entry, 116);
    let len_of = |entry: &[u8]| -> Option<usize> {
        // With 512-byte sectors the length is 32 bits; the high word is left as noise.
        let low = u64::from(u32_at(entry, 120)?);
        let len = if size == 512 {
            low
        } else {
            low | u64::from(u32_at(entry, 124)?) << 32
        };
        usize::try_from(len).ok()
    };
    let root = entries.first()?;

    // calamine loads the mini stream (in the root entry's chain) and its table whenever the
    // header says the table has sectors.
    let mini_fat_sectors = u32_at(file, 64)? as usize;
    let (mini_fat, mini_stream) = if mini_fat_sectors > 0 {
        let mini_stream = chain(start_of(root)?, len_of(root)?, &fat, sector)?;
        let mini_fat = chain(
            u32_at(file, 60)?,
            mini_fat_sectors.saturating_mul(size),
            &fat,
            sector,
        )?;
        (words(&mini_fat).collect::<Vec<_>>(), mini_stream)
    } else {
        (Vec::new(), Vec::new())
    };
    let mini_sector = |id: u32| -> Option<&[u8]> {
        let start = (id as usize).checked_mul(MINI_SECTOR)?;
        mini_stream.get(start..start.checked_add(MINI_SECTOR)?)
    };

    // The first entry by that name, compared as calamine does (decoded, cut at a NUL,
    // ASCII case ignored); `Book` only when there is no `Workbook`.
    let find = |name: &str| {
        entries.iter().find(|entry| {
            let (decoded, _, _) = encoding_rs::UTF_16LE.decode(&entry[..64]);
            let bytes = decoded.as_bytes();
            let end = bytes.iter().position(|b| *b == 0).unwrap_or(bytes.len());
            bytes[..end].eq_ignore_ascii_case(name.as_bytes())
        })
    };
    let entry = find("Workbook").or_else(|| find("Book"))?;
    let (start, len) = (start_of(entry)?, len_of(entry)?);
    if len < MINI_CUTOFF {
        chain(start, len, &mini_fat, mini_sector)
    } else {
        chain(start, len, &fat, sector)
    }
}

/// The records of a BIFF stream as calamine's `RecordIter` cuts them: type and data, with
/// the Continue records after one passed over with it. Ends where calamine stops with an
/// error.
fn records(mut stream: &[u8]) -> impl Iterator<Item = (u16, &[u8])> {
    std::iter::from_fn(move || {
        let typ = u16_at(stream, 0)?;
        let len = usize::from(u16_at(stream, 2)?);
        let data = stream.get(4..4 + len)?;
        stream = &stream[4 + len..];
        while stream.len() > 4 && u16_at(stream, 0) == Some(0x003C) {
            let len = usize::from(u16_at(stream, 2)?);
            stream = stream.get(4 + len..)?;
        }
        Some((typ, data))
    })
}

/// calamine reads the globals up to their EOF record, then each sheet from the offset its
/// BoundSheet record gives.
fn sheets_bounded(stream: &[u8]) -> bool {
    let mut offsets = Vec::new();
    for (typ, data) in records(stream) {
        match typ {
            // FilePass: calamine stops here and says the workbook has a password.
            0x002F => match u16_at(data, 0) {
                Some(0) => {}
                Some(_) => return true,
                None => return false,
            },
            // BoundSheet
            0x0085 => offsets.extend(u32_at(data, 0).map(|at| at as usize)),
            // EOF
            0x000A => break,
            _ => {}
        }
    }
    // An offset past the stream makes calamine panic, which `read_and_check` answers. Every
    // offset counts, the same one again too: calamine lays each sheet out.
    let mut total = 0u64;
    for sheet in offsets.into_iter().filter_map(|at| stream.get(at..)) {
        match sheet_cells(sheet) {
            Some(cells) => total = total.saturating_add(cells),
            None => return false,
        }
    }
    total <= MAX_CELLS
}

/// The smallest rectangle around the cells calamine makes of a sheet.
#[derive(Default)]
struct Span(Option<(u32, u32, u32, u32)>);

impl Span {
    fn take(&mut self, row: u32, col: u32) {
        self.0 = Some(match self.0 {
            None => (row, row, col, col),
            Some((r0, r1, c0, c1)) => (r0.min(row), r1.max(row), c0.min(col), c1.max(col)),
        });
    }

    fn cells(&self) -> u64 {
        self.0.map_or(0, |(r0, r1, c0, c1)| {
            u64::from(r1 - r0 + 1) * u64::from(c1 - c0 + 1)
        })
    }
}

/// The cells calamine lays a sheet out in; `None` when a Dimensions record or the sheet alone
/// is larger than an .xls sheet can be.
fn sheet_cells(sheet: &[u8]) -> Option<u64> {
    let mut span = Span::default();
    // A String record's cell is where the last Formula was, (0, 0) before any.
    span.take(0, 0);
    // Charts and other substreams nested in a sheet carry cell-like records that calamine
    // passes over; it counts their BOF and EOF records to know where they end.
    let mut seen_bof = false;
    let mut depth = 0usize;
    for (typ, data) in records(sheet) {
        if depth > 0 {
            match typ {
                0x0809 => depth += 1,
                0x000A => depth -= 1,
                _ => {}
            }
            continue;
        }
        let position = || Some((u32::from(u16_at(data, 0)?), u32::from(u16_at(data, 2)?)));
        match typ {
            0x0809 if seen_bof => depth += 1,
            0x0809 => seen_bof = true,
            0x000A => break,
            // Dimensions: calamine reserves rows × columns cells, in wrapping u32 sums.
            0x0200 => {
                let (rows, cols) = dimensions(data)?;
                if rows.saturating_mul(cols) > MAX_CELLS {
                    return None;
                }
            }
            // Number, Label, RString, BoolErr, RK, LabelSst, Formula: one cell at row, col.
            0x0203 | 0x0204 | 0x00D6 | 0x0205 | 0x027E | 0x00FD | 0x0006 => {
                if let Some((row, col)) = position() {
                    span.take(row, col);
                }
            }
            // MulRk: a run of cells from its first column, one per six bytes.
            0x00BD => {
                if let Some((row, col)) = position() {
                    let run = data.len().saturating_sub(6).div_ceil(6) as u32;
                    span.take(row, col);
                    span.take(row, col + run.saturating_sub(1));
                }
            }
            _ => {}
        }
        if span.cells() > MAX_CELLS {
            return None;
        }
    }
    Some(span.cells())
}

/// Rows and columns calamine reserves for a Dimensions record (`None` where it fails).
fn dimensions(data: &[u8]) -> Option<(u64, u64)> {
    let (rf, rl, mut cf, cl) = match data.len() {
        10 => (
            u32::from(u16_at(data, 0)?),
            u32::from(u16_at(data, 2)?),
            u32::from(u16_at(data, 4)?),
            u32::from(u16_at(data, 6)?),
        ),
        14 | 16 => (
            u32_at(data, 0)?,
            u32_at(data, 4)?,
            u32::from(u16_at(data, 8)?),
            u32::from(u16_at(data, 10)?),
        ),
        _ => return None,
    };
    if 0xFF < cf || cl < cf {
        cf = 0;
    }
    let (start, end) = if 1 <= rl && 1 <= cl {
        ((rf, cf), (rl - 1, cl - 1))
    } else {
        ((rf, cf), (rf, cf))
    };
    // A debug build panics where these wrap; a release build wraps, as here.
    let rows = end.0.wrapping_sub(start.0).wrapping_add(1);
    let cols = end.1.wrapping_sub(start.1).wrapping_add(1);
    Some((u64::from(rows), u64::from(cols)))
}

#[cfg(test)]
#[path = "xls_check_tests.rs"]
mod tests;
