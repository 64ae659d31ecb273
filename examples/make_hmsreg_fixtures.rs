//! Writes the HMSREG exports in `fixtures/hmsreg/`, shaped like real ones: title rows above
//! the header, Norwegian headers, org numbers as number cells, hours as text with decimal
//! commas, a totals row, two sheets; and a Windows-1252 CSV with periods and no worker column.
//! The shares these files must give are worked out by hand in `tests/hmsreg.rs`.
//! Run: cargo run --example make_hmsreg_fixtures

use rust_xlsxwriter::{ExcelDateTime, Format, Workbook, XlsxError};

/// (day in March/April, org, company, contract, HMS card, name, category, trade, hours as typed)
type Row = (
    &'static str,
    f64,
    &'static str,
    &'static str,
    &'static str,
    &'static str,
    &'static str,
    &'static str,
    &'static str,
);

const HOLMEN: f64 = 303_817_808.0;
const HAUGERUD: f64 = 355_974_758.0;

const MARCH: &[Row] = &[
    (
        "2026-03-02",
        HOLMEN,
        "Holmen Bygg AS",
        "OBY-2026-001 Tøyen skole",
        "HMS 1001",
        "Kari Nordmann",
        "Faglært",
        "Tømrer",
        "7,5",
    ),
    (
        "2026-03-02",
        HOLMEN,
        "Holmen Bygg AS",
        "OBY-2026-001 Tøyen skole",
        "HMS 1002",
        "Ola Hansen",
        "Lærling",
        "Tømrer",
        "7,5",
    ),
    (
        "2026-03-03",
        HOLMEN,
        "Holmen Bygg AS",
        "OBY-2026-001 Tøyen skole",
        "HMS 1003",
        "Per Olsen",
        "Ufaglært",
        "Betong",
        "7,5",
    ),
    (
        "2026-03-03",
        HOLMEN,
        "Holmen Bygg AS",
        "OBY-2026-001 Tøyen skole",
        "HMS 1001",
        "Kari Nordmann",
        "Faglært",
        "Tømrer",
        "8",
    ),
    (
        "2026-03-04",
        HOLMEN,
        "Holmen Bygg AS",
        "OBY-2026-001 Tøyen skole",
        "HMS 1004",
        "Eva Berg",
        "Administrativ",
        "",
        "4",
    ),
    (
        "2026-03-02",
        HAUGERUD,
        "Haugerud Rør AS",
        "OBY-2026-002 Furuset bad",
        "HMS 2001",
        "Ali Khan",
        "Faglært",
        "Rørlegger",
        "7,5",
    ),
    (
        "2026-03-02",
        HAUGERUD,
        "Haugerud Rør AS",
        "OBY-2026-002 Furuset bad",
        "HMS 2002",
        "Jonas Lie",
        "Ufaglært",
        "Rørlegger",
        "7,5",
    ),
    (
        "2026-03-03",
        HAUGERUD,
        "Haugerud Rør AS",
        "OBY-2026-002 Furuset bad",
        "HMS 2003",
        "Anna Dahl",
        "Ufaglært",
        "Rørlegger",
        "7,5",
    ),
    (
        "2026-03-03",
        HAUGERUD,
        "Haugerud Rør AS",
        "OBY-2026-002 Furuset bad",
        "HMS 2004",
        "Ida Moe",
        "Lærling",
        "Rørlegger",
        "6",
    ),
];

const APRIL: &[Row] = &[
    (
        "2026-04-01",
        HOLMEN,
        "Holmen Bygg AS",
        "OBY-2026-001 Tøyen skole",
        "HMS 1001",
        "Kari Nordmann",
        "Faglært",
        "Tømrer",
        "7,5",
    ),
    (
        "2026-04-01",
        HOLMEN,
        "Holmen Bygg AS",
        "OBY-2026-001 Tøyen skole",
        "HMS 1002",
        "Ola Hansen",
        "Lærling",
        "Tømrer",
        "7,5",
    ),
    (
        "2026-04-02",
        HOLMEN,
        "Holmen Bygg AS",
        "OBY-2026-001 Tøyen skole",
        "HMS 1005",
        "Siri Lund",
        "Lærling",
        "Tømrer",
        "7,5",
    ),
];

const HEADER: [&str; 11] = [
    "Dato",
    "Orgnr",
    "Firma",
    "Oppdragsgiver",
    "Prosjektnr",
    "HMS-kort",
    "Navn",
    "Fødselsdato",
    "Kategori",
    "Faggruppe",
    "Timer",
];

fn sheet(
    workbook: &mut Workbook,
    name: &str,
    title: bool,
    rows: &[Row],
    total: &str,
) -> Result<(), XlsxError> {
    let date = Format::new().set_num_format("dd.mm.yyyy");
    let org = Format::new().set_num_format("0");
    let bold = Format::new().set_bold();
    let ws = workbook.add_worksheet();
    ws.set_name(name)?;
    let mut r = 0;
    if title {
        ws.write_string_with_format(0, 0, "Mannskapslister og timer - eksport fra HMSREG", &bold)?;
        ws.write_string(1, 0, "Oppdragsgiver: Oslobygg KF  Utskrevet 07.04.2026")?;
        r = 3;
    }
    for (c, h) in HEADER.iter().enumerate() {
        ws.write_string_with_format(r, c as u16, *h, &bold)?;
        ws.set_column_width(c as u16, 16)?;
    }
    for row in rows {
        r += 1;
        let (y, m, d) = (
            row.0[0..4].parse().unwrap_or(2026),
            row.0[5..7].parse().unwrap_or(1),
            row.0[8..10].parse().unwrap_or(1),
        );
        ws.write_datetime_with_format(r, 0, &ExcelDateTime::from_ymd(y, m, d)?, &date)?;
        ws.write_number_with_format(r, 1, row.1, &org)?;
        ws.write_string(r, 2, row.2)?;
        ws.write_string(r, 3, "Oslobygg KF")?;
        ws.write_string(r, 4, row.3)?;
        ws.write_string(r, 5, row.4)?;
        ws.write_string(r, 6, row.5)?;
        ws.write_string(r, 7, "01.01.1990")?;
        ws.write_string(r, 8, row.6)?;
        if !row.7.is_empty() {
            ws.write_string(r, 9, row.7)?;
        }
        ws.write_string(r, 10, row.8)?;
    }
    ws.write_string_with_format(r + 1, 0, "Sum timer", &bold)?;
    ws.write_string_with_format(r + 1, 10, total, &bold)?;
    Ok(())
}

fn main() -> Result<(), Box<dyn std::error::Error>> {
    let dir = std::path::Path::new(env!("CARGO_MANIFEST_DIR")).join("fixtures/hmsreg");
    std::fs::create_dir_all(&dir)?;

    let mut workbook = Workbook::new();
    sheet(&mut workbook, "Timer mars", true, MARCH, "63")?;
    sheet(&mut workbook, "Timer april", false, APRIL, "22,5")?;
    workbook.save(dir.join("oslobygg-2026-mars-april.xlsx"))?;

    // Bymiljøetaten's export: one line per month, saved from Norwegian Excel (Windows-1252).
    let csv = "Timeliste - Bymiljøetaten, 1. kvartal 2026\r\n\
               \r\n\
               Periode;Org.nr;Firmanavn;Oppdragsgiver;Kontrakt;Stillingskategori;Fag;Antall timer\r\n\
               2026-01;315 771 889;Majorstua Grønt AS;Bymiljøetaten;BYM-2025-17 Drift av grøntarealer;Faglært;Anleggsgartner;120,5\r\n\
               2026-01;315771889;Majorstua Grønt AS;Bymiljøetaten;BYM-2025-17 Drift av grøntarealer;Ufaglært;Anleggsgartner;80\r\n\
               02.2026;315771889;Majorstua Grønt AS;Bymiljøetaten;BYM-2025-17 Drift av grøntarealer;Lærling;Anleggsgartner;20\r\n\
               02.2026;315771889;Majorstua Grønt AS;BYMILJØETATEN;BYM-2025-17 Drift av grøntarealer;Faglært;Anleggsgartner;100\r\n\
               Sum;;;;;;;320,5\r\n";
    let (bytes, _, unmappable) = encoding_rs::WINDOWS_1252.encode(csv);
    assert!(!unmappable);
    std::fs::write(dir.join("bymiljoetaten-2026-q1.csv"), bytes)?;
    println!("wrote {}", dir.display());
    Ok(())
}
