//! The streaming reader on small files in the register's format.

use std::{
    collections::HashSet,
    io::Write,
    sync::atomic::{AtomicU64, Ordering},
};

use chrono::NaiveDate;
use flate2::{Compression, write::GzEncoder};

use super::scan::{FileError, Scan, grouped, read};

/// An entity as the real file writes it, with fields we do not read around ours.
fn entity(org: &str, name: &str, flags: &str) -> String {
    format!(
        r#"{{"organisasjonsnummer":"{org}","navn":"{name}","organisasjonsform":{{"kode":"AS","beskrivelse":"Aksjeselskap"}},"forretningsadresse":{{"adresse":["Storgata 1"],"postnummer":"0150"}},"antallAnsatte":12{flags},"_links":{{"self":{{"href":"x"}}}}}}"#
    )
}

const CLEAN: &str =
    r#","konkurs":false,"underAvvikling":false,"underTvangsavviklingEllerTvangsopplosning":false"#;

fn file(entities: &[String]) -> Vec<u8> {
    format!("[\n{}\n]\n", entities.join(",\n")).into_bytes()
}

/// Three of ours (one bankrupt, one deleted, one clean) and one other.
fn sample() -> Vec<u8> {
    file(&[
        entity("974760673", "REGISTERENHETEN I BRØNNØYSUND", CLEAN),
        entity(
            "123456785",
            "KONKURS  BYGG AS",
            r#","konkurs":true,"underAvvikling":false,"underTvangsavviklingEllerTvangsopplosning":false,"konkursdato":"2026-10-01""#,
        ),
        entity("315771889", "ANDRE AS", CLEAN),
        entity(
            "310000003",
            "SLETTET AS",
            r#","konkurs":false,"underAvvikling":true,"underTvangsavviklingEllerTvangsopplosning":true,"slettedato":"2025-11-30""#,
        ),
    ])
}

fn wanted() -> HashSet<String> {
    ["974760673", "123456785", "310000003", "999999999"]
        .into_iter()
        .map(String::from)
        .collect()
}

fn scan(bytes: &[u8]) -> Result<Scan, FileError> {
    read(bytes, &wanted(), &AtomicU64::new(0))
}

fn gzip(bytes: &[u8]) -> Vec<u8> {
    let mut enc = GzEncoder::new(Vec::new(), Compression::default());
    enc.write_all(bytes).unwrap();
    enc.finish().unwrap()
}

#[test]
fn a_plain_file_keeps_the_wanted_numbers_with_their_flags() {
    let counted = AtomicU64::new(0);
    let s = read(sample().as_slice(), &wanted(), &counted).unwrap();
    assert_eq!(s.entities, 4);
    assert_eq!(counted.load(Ordering::Relaxed), 4);
    assert!(!s.gzip);
    // 315771889 is not ours; 999999999 is ours but not in the file.
    assert_eq!(
        s.kept.keys().collect::<Vec<_>>(),
        ["123456785", "310000003", "974760673"]
    );
    let bankrupt = &s.kept["123456785"];
    // Names are kept as the register writes them, spaces collapsed.
    assert_eq!(bankrupt.name, "KONKURS BYGG AS");
    assert!(bankrupt.bankrupt && !bankrupt.being_wound_up && !bankrupt.forced_dissolution);
    assert_eq!(bankrupt.deleted_on, None);
    let deleted = &s.kept["310000003"];
    assert!(!deleted.bankrupt && deleted.being_wound_up && deleted.forced_dissolution);
    assert_eq!(deleted.deleted_on, NaiveDate::from_ymd_opt(2025, 11, 30));
    assert!(!s.kept["974760673"].flagged());
    assert!(bankrupt.flagged() && deleted.flagged());
}

#[test]
fn gzip_is_told_by_its_first_bytes_and_reads_the_same() {
    let plain = scan(&sample()).unwrap();
    let zipped = scan(&gzip(&sample())).unwrap();
    assert!(zipped.gzip);
    assert_eq!(zipped.kept, plain.kept);
    assert_eq!(zipped.entities, plain.entities);
}

#[test]
fn absent_or_null_flags_are_not_set() {
    let s = scan(&file(&[
        entity("974760673", "A AS", ""),
        entity("123456785", "B AS", r#","konkurs":null,"slettedato":null"#),
    ]))
    .unwrap();
    assert!(s.kept.values().all(|e| !e.flagged()));
}

#[test]
fn a_malformed_entity_is_named_by_its_position_and_refuses_the_whole_file() {
    let mut entities: Vec<String> = (0..1_300)
        .map(|i| {
            entity(
                if i == 0 { "974760673" } else { "315771889" },
                "X AS",
                CLEAN,
            )
        })
        .collect();
    entities[1_233] = entity(
        "123456785",
        "FEIL AS",
        r#","konkurs":"nei","underAvvikling":false"#,
    );
    entities[1_250] = entity("12345", "KORT AS", CLEAN);
    entities[1_260] = "42".into();
    let err = scan(&file(&entities)).unwrap_err();
    let FileError::Malformed { named, count } = &err else {
        panic!("{err:?}");
    };
    assert_eq!(*count, 3);
    assert_eq!(
        named,
        &[
            "entity 1,234 (123456785): konkurs is not a boolean (it is text)",
            "entity 1,251 (12345): organisasjonsnummer is not 9 digits",
            "entity 1,261 is a number, not an object",
        ]
    );
    let message = err.to_string();
    assert!(
        message.contains("3 entities are malformed, so the whole file is refused"),
        "{message}"
    );
    assert!(
        message.contains("entity 1,234 (123456785): konkurs is not a boolean"),
        "{message}"
    );
    // The same in gzip.
    let zipped = scan(&gzip(&file(&entities))).unwrap_err();
    assert_eq!(zipped, err);
}

#[test]
fn every_field_we_read_is_checked() {
    let cases = [
        (r#"{"navn":"A AS"}"#, "organisasjonsnummer is missing"),
        (
            r#"{"organisasjonsnummer":974760673,"navn":"A AS"}"#,
            "organisasjonsnummer is a number, not text",
        ),
        (r#"{"organisasjonsnummer":"974760673"}"#, "navn is missing"),
        (
            r#"{"organisasjonsnummer":"974760673","navn":"  "}"#,
            "navn is blank",
        ),
        (
            r#"{"organisasjonsnummer":"974760673","navn":["A"]}"#,
            "navn is a list, not text",
        ),
        (
            r#"{"organisasjonsnummer":"974760673","navn":"A","underAvvikling":1}"#,
            "underAvvikling is not a boolean (it is a number)",
        ),
        (
            r#"{"organisasjonsnummer":"974760673","navn":"A","underTvangsavviklingEllerTvangsopplosning":{}}"#,
            "underTvangsavviklingEllerTvangsopplosning is not a boolean (it is an object)",
        ),
        (
            r#"{"organisasjonsnummer":"974760673","navn":"A","slettedato":"30.11.2025"}"#,
            "slettedato is not a date (YYYY-MM-DD)",
        ),
        (
            r#"{"organisasjonsnummer":"974760673","navn":"A","slettedato":true}"#,
            "slettedato is true or false, not a date",
        ),
    ];
    for (json, problem) in cases {
        let err = scan(format!("[{json}]").as_bytes()).unwrap_err();
        let FileError::Malformed { named, .. } = &err else {
            panic!("{json}: {err:?}");
        };
        assert!(named[0].starts_with("entity 1"), "{named:?}");
        assert!(named[0].ends_with(problem), "{json}: {named:?}");
    }
}

#[test]
fn a_refusal_names_the_first_twenty_and_counts_the_rest() {
    let entities: Vec<String> = (0..50).map(|_| "true".to_string()).collect();
    let err = scan(&file(&entities)).unwrap_err();
    let lines = err.lines();
    // The message (naming the first), 19 more, and the count of the rest.
    assert_eq!(lines.len(), 21);
    assert!(
        lines[0].contains("50 entities are malformed"),
        "{}",
        lines[0]
    );
    assert_eq!(lines[19], "entity 20 is true or false, not an object");
    assert_eq!(lines[20], "... and 30 more");
}

#[test]
fn a_truncated_file_is_refused() {
    let bytes = sample();
    // Cut inside the third entity.
    let cut = bytes.len() * 3 / 5;
    let err = scan(&bytes[..cut]).unwrap_err();
    assert!(matches!(err, FileError::Truncated(_)), "{err:?}");
    assert!(err.to_string().contains("ends at entity 3"), "{err}");
    // Cut after the last entity, before the list is closed.
    let open = &bytes[..bytes.len() - 3];
    let err = scan(open).unwrap_err();
    assert!(matches!(err, FileError::Truncated(_)), "{err:?}");
    // A cut-off gzip download.
    let zipped = gzip(&sample());
    let err = scan(&zipped[..zipped.len() / 2]).unwrap_err();
    assert!(matches!(err, FileError::Truncated(_)), "{err:?}");
    assert!(err.to_string().contains("gzip"), "{err}");
    // Only the gzip trailer missing: the data is all there but cannot be trusted.
    let err = scan(&zipped[..zipped.len() - 4]).unwrap_err();
    assert!(matches!(err, FileError::Truncated(_)), "{err:?}");
}

#[test]
fn a_file_that_is_not_an_array_of_entities_is_refused() {
    for (bytes, holds) in [
        (r#"{"organisasjonsnummer":"974760673"}"#, "a JSON object"),
        ("42", "a number"),
        (r#""enheter""#, "text"),
        ("null", "null"),
    ] {
        let err = scan(bytes.as_bytes()).unwrap_err();
        assert_eq!(err, FileError::NotAList(holds), "{bytes}");
        assert!(err.to_string().contains("not a list of entities"));
    }
    assert_eq!(scan(b"[]").unwrap_err(), FileError::NoEntities);
    assert_eq!(scan(b"  [ ]  \n").unwrap_err(), FileError::NoEntities);
}

#[test]
fn a_file_that_is_not_json_is_refused() {
    for bytes in [
        &b"organisasjonsnummer;navn\n974760673;A AS\n"[..],
        b"<html>Service unavailable</html>",
        b"\xef\xbb\xbf[]",
        b"",
        b"   \n",
    ] {
        let err = scan(bytes).unwrap_err();
        assert!(matches!(err, FileError::NotJson(_)), "{bytes:?}: {err:?}");
        assert!(err.to_string().starts_with("the file is not JSON"), "{err}");
    }
    // Broken JSON inside the list names the entity.
    let err =
        scan(br#"[{"organisasjonsnummer":"974760673","navn":"A"},{"navn" "B"}]"#).unwrap_err();
    assert!(err.to_string().contains("in entity 2"), "{err}");
    // More after the list.
    let mut bytes = sample();
    bytes.extend_from_slice(b"[]");
    assert!(matches!(
        scan(&bytes).unwrap_err(),
        FileError::TrailingData(_)
    ));
}

#[test]
fn a_file_with_none_of_our_numbers_is_refused() {
    let err = scan(&file(&[entity("315771889", "ANDRE AS", CLEAN)])).unwrap_err();
    assert_eq!(
        err,
        FileError::NoneWanted {
            wanted: 4,
            entities: 1
        }
    );
    // With nothing wanted (an empty register) there is nothing to guard.
    let s = read(sample().as_slice(), &HashSet::new(), &AtomicU64::new(0)).unwrap();
    assert!(s.kept.is_empty());
}

#[test]
fn a_number_listed_twice_counts_as_the_later_listing() {
    let s = scan(&file(&[
        entity("974760673", "GAMMELT NAVN AS", CLEAN),
        entity("974760673", "NYTT NAVN AS", r#","konkurs":true"#),
    ]))
    .unwrap();
    assert_eq!(s.kept["974760673"].name, "NYTT NAVN AS");
    assert!(s.kept["974760673"].bankrupt);
}

#[test]
fn counts_are_grouped_in_thousands() {
    assert_eq!(grouped(0), "0");
    assert_eq!(grouped(999), "999");
    assert_eq!(grouped(1_234), "1,234");
    assert_eq!(grouped(1_000_000), "1,000,000");
}
