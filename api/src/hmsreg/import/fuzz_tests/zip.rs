//! Mutated zip-based workbooks (.xlsx, .ods): bytes edited, or parts removed, swapped, edited.

use std::{
    io::{Cursor, Read, Write},
    sync::LazyLock,
};

use ::zip::{CompressionMethod, ZipArchive, ZipWriter, write::SimpleFileOptions};
use proptest::{prelude::*, sample::Index};

use super::{
    CASES, Case, Fixture, fuzz,
    mutate::{Edit, apply, edits},
};

/// XML in the parts of an .xlsx or .ods: broken structure, out-of-range references and counts,
/// and values of the wrong type.
const XML: &[&[u8]] = &[
    b"<",
    b">",
    b"\"",
    b"/>",
    b"</row>",
    b"</sheetData>",
    b"&#0;",
    b"&#xFFFFFFFF;",
    b"&amp",
    b"&unknown;",
    b"<![CDATA[",
    b"<!DOCTYPE x [<!ENTITY a \"aaaaaaaa\">]>",
    b"<c r=\"XFD1048576\"><v>1</v></c>",
    b"<c r=\"A1048577\"><v>1</v></c>",
    b"<c r=\"A0\"><v>1</v></c>",
    b"<c r=\"\"><v>1</v></c>",
    b"<c r=\"A1\" t=\"s\"><v>4294967295</v></c>",
    b"<c r=\"B2\" t=\"s\"><v>-1</v></c>",
    b"<c r=\"C3\" s=\"99999\"><v>45000</v></c>",
    b"<c r=\"D4\" t=\"d\"><v>99999-99-99T99:99</v></c>",
    b"<c r=\"E5\" t=\"e\"><v>#WHAT?</v></c>",
    b"<c r=\"F6\" t=\"b\"><v>2</v></c>",
    b"<c r=\"G7\" t=\"inlineStr\"><is><t>x</t></is></c>",
    b"<c r=\"H8\"><v>1e400</v></c>",
    b"<row r=\"0\">",
    b"<row r=\"4294967295\">",
    b"<dimension ref=\"A1:XFD1048576\"/>",
    b"<mergeCell ref=\"A1:XFD1048576\"/>",
    b"<numFmt numFmtId=\"4294967295\" formatCode=\"yyyy-mm-dd\"/>",
    b"<si><t>",
    b"<sst count=\"4294967295\" uniqueCount=\"4294967295\">",
    b"<sheet name=\"\" sheetId=\"0\" r:id=\"rId99\"/>",
    b"Target=\"../../../../etc/passwd\"",
    b"Target=\"\"",
    b"table:number-columns-repeated=\"1073741823\"",
    b"table:number-columns-repeated=\"0\"",
    b"table:number-rows-repeated=\"1048576\"",
    b"table:number-rows-repeated=\"-1\"",
    b"office:value-type=\"float\" office:value=\"x\"",
    b"office:value-type=\"date\" office:date-value=\"99999-99-99\"",
    b"office:value-type=\"percentage\" office:value=\"1e400\"",
    b"<table:table-cell/>",
    b"<table:table-row>",
    b"</table:table>",
    b"<text:p>",
    b"<text:s text:c=\"4294967295\"/>",
];

pub(super) static XLSX: Fixture = Fixture {
    name: "oslobygg-2026-mars-april.xlsx",
    bytes: include_bytes!(concat!(
        env!("CARGO_MANIFEST_DIR"),
        "/../fixtures/hmsreg/oslobygg-2026-mars-april.xlsx"
    )),
    tokens: XML,
};

pub(super) static ODS: Fixture = Fixture {
    name: "timer.ods",
    bytes: include_bytes!(concat!(
        env!("CARGO_MANIFEST_DIR"),
        "/../fixtures/hmsreg/formats/timer.ods"
    )),
    tokens: XML,
};

/// One change to the parts of a zip-based workbook; the zip is written anew afterwards.
#[derive(Clone, Debug)]
pub(super) enum Surgery {
    Remove(Index),
    /// The two parts keep their names and trade contents.
    Swap(Index, Index),
    /// Edits to the part's uncompressed content (the XML), which raw edits of the zip rarely
    /// reach: they mostly break the compression or the directory first.
    Edit(Index, Vec<Edit>),
}

/// Half the cases edit the zip's bytes, half take the workbook apart and put it together
/// changed.
fn zip_case(fixture: &'static Fixture) -> BoxedStrategy<Case> {
    let surgery = prop_oneof![
        1 => any::<Index>().prop_map(Surgery::Remove),
        1 => (any::<Index>(), any::<Index>()).prop_map(|(a, b)| Surgery::Swap(a, b)),
        3 => (any::<Index>(), edits(fixture.tokens)).prop_map(|(at, e)| Surgery::Edit(at, e)),
    ];
    prop_oneof![
        edits(fixture.tokens).prop_map(Case::Bytes),
        prop::collection::vec(surgery, 1..4).prop_map(Case::Zip),
    ]
    .boxed()
}

pub(super) type Parts = Vec<(String, Vec<u8>)>;

/// The fixture's parts in their order, uncompressed.
fn parts_of(bytes: &[u8]) -> Parts {
    let mut archive = ZipArchive::new(Cursor::new(bytes)).expect("the fixture is a zip");
    (0..archive.len())
        .map(|i| {
            let mut part = archive.by_index(i).expect("a part of the fixture");
            let mut content = Vec::new();
            part.read_to_end(&mut content).expect("the part inflates");
            (part.name().expect("a part name").to_string(), content)
        })
        .collect()
}

pub(super) static XLSX_PARTS: LazyLock<Parts> = LazyLock::new(|| parts_of(XLSX.bytes));
pub(super) static ODS_PARTS: LazyLock<Parts> = LazyLock::new(|| parts_of(ODS.bytes));

pub(super) fn rebuild(parts: &Parts) -> Vec<u8> {
    let mut zip = ZipWriter::new(Cursor::new(Vec::new()));
    for (name, content) in parts {
        // OpenDocument wants `mimetype` stored; keep the rest as an office suite writes it.
        let method = if name == "mimetype" {
            CompressionMethod::Stored
        } else {
            CompressionMethod::Deflated
        };
        let options = SimpleFileOptions::default().compression_method(method);
        zip.start_file(name.as_str(), options)
            .expect("a part starts");
        zip.write_all(content).expect("a part is written");
    }
    zip.finish().expect("the zip is finished").into_inner()
}

pub(super) fn operate(parts: &Parts, surgeries: &[Surgery]) -> Vec<u8> {
    let mut parts = parts.clone();
    for surgery in surgeries {
        let len = parts.len();
        if len == 0 {
            break;
        }
        match surgery {
            Surgery::Remove(at) => {
                parts.remove(at.index(len));
            }
            Surgery::Swap(a, b) => {
                let (a, b) = (a.index(len), b.index(len));
                let first = std::mem::take(&mut parts[a].1);
                parts[a].1 = std::mem::replace(&mut parts[b].1, first);
            }
            Surgery::Edit(at, edits) => apply(&mut parts[at.index(len)].1, edits),
        }
    }
    rebuild(&parts)
}

#[test]
fn mutated_xlsx_never_panics() {
    let tally = fuzz(&XLSX, Some(&XLSX_PARTS), 1, zip_case(&XLSX));
    assert!(tally.cases >= CASES);
}

#[test]
fn mutated_ods_never_panics() {
    let tally = fuzz(&ODS, Some(&ODS_PARTS), 2, zip_case(&ODS));
    assert!(tally.cases >= CASES);
}
