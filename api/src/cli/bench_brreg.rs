//! `samkjop bench-brreg`: writes a register file shaped like Enhetsregisteret's bulk download
//! (about 1 KB per entity, gzip when the name ends in `.gz`) and times the import over it,
//! into a fresh SQLite database holding 2,000 suppliers. Prints figures; asserts nothing.

use std::{
    fs::File,
    io::{BufWriter, Write},
    path::{Path, PathBuf},
    sync::{Arc, atomic::AtomicU64},
    time::Instant,
};

use anyhow::Context as _;
use chrono::Utc;
use entity::supplier;
use flate2::{Compression, write::GzEncoder};
use sea_orm::{EntityTrait, Set};

use super::bench::{reset_peak, show_peak};
use crate::{clock, domain::text::search_key, registry};

/// Suppliers in the benchmark's register: a large municipality's.
const SUPPLIERS: u64 = 2_000;

/// The `n`-th made-up organisation number: 3, seven digits, the MOD11 digit (numbers without
/// one are skipped, so `k` runs a little ahead of `n`).
struct Numbers {
    k: u32,
}

impl Iterator for Numbers {
    type Item = String;
    fn next(&mut self) -> Option<String> {
        loop {
            let digits = format!("3{:07}", self.k);
            self.k += 1;
            let weights: Vec<u32> = digits.bytes().map(|b| u32::from(b - b'0')).collect();
            if let Some(check) = crate::domain::orgnr::check_digit(&weights) {
                return Some(format!("{digits}{check}"));
            }
        }
    }
}

const FORMS: [(&str, &str); 4] = [
    ("AS", "Aksjeselskap"),
    ("ENK", "Enkeltpersonforetak"),
    ("ANS", "Ansvarlig selskap med solidarisk ansvar"),
    ("SA", "Samvirkeforetak"),
];
const PLACES: [(&str, &str, &str); 4] = [
    ("0150", "OSLO", "Karl Johans gate"),
    ("5003", "BERGEN", "Strandgaten"),
    ("7010", "TRONDHEIM", "Munkegata"),
    ("9008", "TROMSØ", "Storgata"),
];

/// Writes one entity with the fields the real file has; about one in 60 is flagged.
fn write_entity(out: &mut impl Write, i: u64, org: &str) -> std::io::Result<()> {
    let (form, form_text) = FORMS[(i % 4) as usize];
    let (postnr, place, street) = PLACES[(i % 4) as usize];
    let bankrupt = i % 97 == 5;
    let wound_up = i % 131 == 7;
    let forced = i % 389 == 11;
    write!(
        out,
        r#"{{"organisasjonsnummer":"{org}","navn":"BENCHMARK {place} {i} {form}","organisasjonsform":{{"kode":"{form}","beskrivelse":"{form_text}","_links":{{"self":{{"href":"https://data.brreg.no/enhetsregisteret/api/organisasjonsformer/{form}"}}}}}},"registreringsdatoEnhetsregisteret":"{}-{:02}-{:02}","registrertIMvaregisteret":{},"naeringskode1":{{"kode":"43.210","beskrivelse":"Elektrisk installasjonsarbeid"}},"antallAnsatte":{},"harRegistrertAntallAnsatte":true,"forretningsadresse":{{"land":"Norge","landkode":"NO","postnummer":"{postnr}","poststed":"{place}","adresse":["{street} {}"],"kommune":"{place}","kommunenummer":"0301"}},"institusjonellSektorkode":{{"kode":"2100","beskrivelse":"Private aksjeselskaper mv."}},"registrertIForetaksregisteret":true,"registrertIStiftelsesregisteret":false,"registrertIFrivillighetsregisteret":false,"konkurs":{bankrupt},"underAvvikling":{wound_up},"underTvangsavviklingEllerTvangsopplosning":{forced},"maalform":"Bokmål","_links":{{"self":{{"href":"https://data.brreg.no/enhetsregisteret/api/enheter/{org}"}}}}}}"#,
        1990 + i % 35,
        1 + i % 12,
        1 + i % 28,
        i.is_multiple_of(3),
        i % 250,
        1 + i % 120,
    )
}

/// Writes a register file of `entities` entities at `path` (gzip when it ends in `.gz`).
pub fn generate(path: &Path, entities: u64) -> anyhow::Result<()> {
    let file = BufWriter::with_capacity(1 << 20, File::create(path)?);
    let gzip = path.extension().is_some_and(|e| e == "gz");
    let mut out: Box<dyn Write> = if gzip {
        Box::new(GzEncoder::new(file, Compression::default()))
    } else {
        Box::new(file)
    };
    out.write_all(b"[\n")?;
    for (i, org) in (Numbers { k: 0 }).take(entities as usize).enumerate() {
        if i > 0 {
            out.write_all(b",\n")?;
        }
        write_entity(&mut out, i as u64, &org)?;
    }
    out.write_all(b"\n]\n")?;
    out.flush()?;
    drop(out);
    Ok(())
}

pub async fn run(entities: u64, keep: Option<PathBuf>) -> anyhow::Result<()> {
    let dir = tempfile::tempdir()?;
    let path = keep.unwrap_or_else(|| dir.path().join("enheter.json.gz"));
    if !path.exists() {
        let started = Instant::now();
        generate(&path, entities)?;
        println!(
            "generated {entities} entities in {:.1} s ({} MiB on disk)",
            started.elapsed().as_secs_f64(),
            std::fs::metadata(&path)?.len() / (1024 * 1024)
        );
    }
    let url = format!(
        "sqlite://{}?mode=rwc",
        dir.path().join("bench.db").display()
    );
    let db = crate::db::connect_and_migrate(&url)
        .await
        .context("cannot open the benchmark database")?;
    // Every 500th number of the file is a supplier of ours.
    let rows: Vec<supplier::ActiveModel> = (Numbers { k: 0 })
        .take(entities.min(SUPPLIERS * 500) as usize)
        .step_by(500)
        .map(|org| supplier::ActiveModel {
            name: Set(format!("Leverandør {org}")),
            search_key: Set(search_key(&format!("Leverandør {org}"))),
            org_number: Set(org),
            created_at: Set(Utc::now()),
            ..Default::default()
        })
        .collect();
    for chunk in rows.chunks(500) {
        supplier::Entity::insert_many(chunk.to_vec())
            .exec_without_returning(&db)
            .await?;
    }

    reset_peak();
    let started = Instant::now();
    let size = std::fs::metadata(&path)?.len();
    let file = File::open(&path)?;
    let imported = registry::import::import(
        &db,
        file,
        "bench",
        "bench",
        clock::today(),
        Arc::new(AtomicU64::new(0)),
    )
    .await?
    .map_err(|e| anyhow::anyhow!("the benchmark file was refused: {e}"))?;
    let secs = started.elapsed().as_secs_f64();
    let stored = &imported.stored;
    println!(
        "import-brreg: {} entities ({} MiB{}) in {secs:.2} s ({:.0} entities/s); {} of {} suppliers kept, {} flagged; peak {}",
        stored.entities,
        size / (1024 * 1024),
        if imported.gzip { " gzip" } else { "" },
        stored.entities as f64 / secs,
        stored.kept,
        imported.wanted,
        stored.flagged,
        show_peak()
    );
    Ok(())
}
