//! The trade file: the shipped one, and broken ones refused with the line at fault.

use super::*;

#[test]
fn the_shipped_catalogue_is_valid_sorted_and_says_what_counts() {
    let c = TradeCatalogue::parse(DEFAULT).unwrap();
    assert_eq!(c, **SHIPPED);
    let names: Vec<String> = c.trades().iter().map(|t| key(&t.name)).collect();
    let mut sorted = names.clone();
    sorted.sort();
    assert_eq!(names, sorted);
    // The trades the fixtures and the rules name, as HMSREG writes them.
    for text in [
        "Tømrer",
        "tømrerfaget",
        "Snekker",
        "Elektro",
        "Rørleggerfaget",
        "Maler- og overflateteknikk",
        "Murer",
        "Betong",
        "betongfag",
        "Anleggsmaskinfører",
        "Anleggsgartner",
        "Stillas",
        "Taktekker",
        "Ventilasjon",
        "Isolatør",
        "Glass",
        "Flis",
        "Blikkenslager",
        "  RENHOLD ",
    ] {
        let t = c
            .find(text)
            .unwrap_or_else(|| panic!("{text} is not in the catalogue"));
        assert!(t.craft && t.apprentice_trade, "{text}");
        assert_eq!(c.counts(&key(text)), Counts::BOTH, "{text}");
    }
    for text in [
        "Prosjektleder",
        "Ingeniør",
        "Byggeleder",
        "Anleggsleder",
        "HMS-leder",
        "Kalkulatør",
    ] {
        let t = c
            .find(text)
            .unwrap_or_else(|| panic!("{text} is not in the catalogue"));
        assert!(!t.craft && !t.apprentice_trade, "{text}");
        assert_eq!(
            c.counts(&key(text)),
            Counts {
                skilled: false,
                apprentice: false
            }
        );
    }
    // Without a trade, or in one the catalogue does not know: both, as before.
    assert_eq!(c.counts(NO_TRADE), Counts::BOTH);
    assert_eq!(c.counts("sjakkmester"), Counts::BOTH);
}

const GOOD: &str = r#"{
  "trades": [
    { "name": "Tømrer", "craft": true, "apprenticeTrade": true, "spellings": ["Tømrerfaget", "tømrer"] },
    { "name": "Prosjektleder", "craft": false, "apprenticeTrade": false, "spellings": [] },
    { "name": "Stillas", "craft": true, "apprenticeTrade": false }
  ]
}"#;

#[test]
fn a_small_file_reads_with_its_flags_and_the_name_may_repeat_among_its_spellings() {
    let c = TradeCatalogue::parse(GOOD).unwrap();
    let names: Vec<&str> = c.trades().iter().map(|t| t.name.as_str()).collect();
    assert_eq!(names, ["Prosjektleder", "Stillas", "Tømrer"]);
    assert_eq!(
        c.counts("stillas"),
        Counts {
            skilled: true,
            apprentice: false
        }
    );
    assert_eq!(
        c.find("TØMRERFAGET").map(|t| t.name.as_str()),
        Some("Tømrer")
    );
    assert!(c.trades()[1].spellings.is_empty());
}

fn refused(text: &str) -> TradeFileError {
    TradeCatalogue::parse(text).unwrap_err()
}

#[test]
fn a_duplicate_spelling_is_refused_on_its_own_line() {
    // The second trade writes " TØMRERFAGET " on line 6: trimmed and without case it is the
    // first trade's "Tømrerfaget" (while "Tømrer fag", with its space, is a text of its own).
    let text = r#"{
  "trades": [
    { "name": "Tømrer", "craft": true, "apprenticeTrade": true,
      "spellings": ["Tømrerfaget", "Tømrer fag"] },
    { "name": "Snekker", "craft": true, "apprenticeTrade": true, "spellings": ["Snekkerfaget",
      " TØMRERFAGET "] }
  ]
}"#;
    let e = refused(text);
    assert_eq!(e.line, 6, "{e}");
    assert!(
        e.message.contains("duplicate spelling ' TØMRERFAGET '")
            && e.message.contains("'Tømrerfaget'"),
        "{e}"
    );
    assert!(
        e.to_string()
            .starts_with("the trade file is wrong at line 6"),
        "{e}"
    );

    // Spaces collapse: "Maler  og overflateteknikk" is "Maler og overflateteknikk".
    let text = "{ \"trades\": [\n { \"name\": \"Maler\", \"craft\": true, \"apprenticeTrade\": true, \"spellings\": [\"Maler og overflateteknikk\",\n \"Maler  og  overflateteknikk\"] } ] }";
    let e = refused(text);
    assert_eq!(e.line, 3, "{e}");
    assert!(e.message.contains("this trade already lists"), "{e}");

    // A name that another trade has as a spelling.
    let text = "{ \"trades\": [\n { \"name\": \"Betongfag\", \"craft\": true, \"apprenticeTrade\": true, \"spellings\": [\"Betong\"] },\n { \"name\": \"betong\", \"craft\": true, \"apprenticeTrade\": true } ] }";
    let e = refused(text);
    assert_eq!(e.line, 3, "{e}");
}

#[test]
fn unknown_fields_flags_and_bad_json_are_refused_on_their_line() {
    let unknown_flag = GOOD.replace(
        "\"name\": \"Stillas\", \"craft\": true, \"apprenticeTrade\": false",
        "\"name\": \"Stillas\", \"craft\": true, \"apprentice\": false",
    );
    let e = refused(&unknown_flag);
    assert_eq!(e.line, 5, "{e}");
    assert!(e.message.contains("unknown field `apprentice`"), "{e}");

    let missing_flag = GOOD.replace(", \"apprenticeTrade\": false }", " }");
    let e = refused(&missing_flag);
    assert!(e.message.contains("missing field `apprenticeTrade`"), "{e}");

    let not_a_flag = GOOD.replace("\"craft\": false", "\"craft\": \"nei\"");
    let e = refused(&not_a_flag);
    assert_eq!(e.line, 4, "{e}");

    let top = GOOD.replacen("\"trades\"", "\"fag\"", 1);
    let e = refused(&top);
    assert_eq!(e.line, 2, "{e}");
    assert!(e.message.contains("unknown field `fag`"), "{e}");

    let bad_json = GOOD.replace("\"spellings\": [] },", "\"spellings\": [] }");
    let e = refused(&bad_json);
    assert_eq!(e.line, 5, "{e}");

    let blank = GOOD.replace("\"Tømrerfaget\"", "\"  \"");
    let e = refused(&blank);
    assert!(e.message.contains("blank"), "{e}");

    let e = refused(&format!("{GOOD} x"));
    assert_eq!(e.line, 7, "{e}");
}
