//! The public register (docs/rules.md, Public registers): a register file in Enhetsregisteret's
//! format is imported, and `Supplier.registry`, `supplierStatus.registry` and
//! `portfolioSummary.flaggedSuppliersOnActiveAgreements` show it; a newer file replaces it
//! whole, and a bad file changes nothing. Expected values worked out by hand from the files
//! below.

use std::{
    io::Write,
    sync::{Arc, atomic::AtomicU64},
};

use api::registry::{FileError, import::import};
use chrono::NaiveDate;
use serde_json::{Value, json};

use crate::common::{TestApp, apps, day};

// Suppliers (all valid MOD11) and the agreements they sit on, as of today:
const A: &str = "311000012"; // Alfa Bygg AS: active R-1 and R-2
const B: &str = "311000020"; // Beta Data AS: active R-1
const C: &str = "311000039"; // Gamma Renhold AS: active R-2
const D: &str = "311000047"; // Delta Maling AS: expired R-3 only
const E: &str = "311000055"; // Echo Transport AS: active R-1
const F: &str = "311000063"; // Foxtrot Vakt AS: active R-2
const G: &str = "311000071"; // Golf Catering AS: planned R-4 only
const H: &str = "311000098"; // Hotell Drift AS: R-5, in its dates but terminated
const W: &str = "311000101"; // not a supplier: only in the HMSREG hours
const X: &str = "311000128"; // none of ours

/// An entity as the real file writes it, with fields we do not read around the ones we do.
fn entity(
    org: &str,
    name: &str,
    bankrupt: bool,
    wound_up: bool,
    forced: bool,
    deleted: Option<&str>,
) -> String {
    let deleted = deleted.map_or(String::new(), |d| format!(r#","slettedato":"{d}""#));
    format!(
        r#"{{"organisasjonsnummer":"{org}","navn":"{name}","organisasjonsform":{{"kode":"AS","beskrivelse":"Aksjeselskap"}},"registreringsdatoEnhetsregisteret":"2001-05-03","naeringskode1":{{"kode":"43.210","beskrivelse":"Elektrisk installasjonsarbeid"}},"antallAnsatte":12,"forretningsadresse":{{"land":"Norge","postnummer":"0150","poststed":"OSLO","adresse":["Storgata 1"]}},"konkurs":{bankrupt},"underAvvikling":{wound_up},"underTvangsavviklingEllerTvangsopplosning":{forced}{deleted},"maalform":"Bokmål","_links":{{"self":{{"href":"https://data.brreg.no/enhetsregisteret/api/enheter/{org}"}}}}}}"#
    )
}

fn register_file(entities: &[String]) -> Vec<u8> {
    format!("[\n{}\n]\n", entities.join(",\n")).into_bytes()
}

/// The first file: A bankrupt, B deleted, C under forced dissolution, D being wound up, E
/// clean, F not listed, G bankrupt, H being wound up, W bankrupt, X bankrupt.
fn first_file() -> Vec<u8> {
    register_file(&[
        entity(A, "ALFA BYGG AS", true, false, false, None),
        entity(B, "BETA DATA AS", false, false, false, Some("2025-11-30")),
        entity(C, "GAMMA RENHOLD AS", false, false, true, None),
        entity(D, "DELTA MALING AS", false, true, false, None),
        entity(E, "ECHO TRANSPORT AS", false, false, false, None),
        entity(G, "GOLF CATERING AS", true, false, false, None),
        entity(H, "HOTELL DRIFT AS", false, true, false, None),
        entity(W, "WHISKEY BEMANNING AS", true, false, false, None),
        entity(X, "XRAY AS", true, false, false, None),
    ])
}

/// The newer file: A and C clean again, B still deleted, D and G no longer listed, F now
/// listed and bankrupt, W clean.
fn newer_file() -> Vec<u8> {
    register_file(&[
        entity(A, "ALFA BYGG AS", false, false, false, None),
        entity(B, "BETA DATA AS", false, false, false, Some("2025-11-30")),
        entity(C, "GAMMA RENHOLD AS", false, false, false, None),
        entity(E, "ECHO TRANSPORT AS", false, false, false, None),
        entity(F, "FOXTROT VAKT AS", true, false, false, None),
        entity(H, "HOTELL DRIFT AS", false, true, false, None),
        entity(W, "WHISKEY BEMANNING AS", false, false, false, None),
    ])
}

fn gzip(bytes: &[u8]) -> Vec<u8> {
    let mut enc = flate2::write::GzEncoder::new(Vec::new(), flate2::Compression::default());
    enc.write_all(bytes).unwrap();
    enc.finish().unwrap()
}

async fn import_register(
    app: &TestApp,
    bytes: Vec<u8>,
    checked_on: NaiveDate,
) -> Result<api::registry::import::Imported, FileError> {
    import(
        &app.db,
        std::io::Cursor::new(bytes),
        "tester",
        "enheter.json",
        checked_on,
        Arc::new(AtomicU64::new(0)),
    )
    .await
    .unwrap()
}

/// One hour row for W (no supplier of ours), so its number is looked for too.
const HOURS: &str = "Periode;Orgnr;Oppdragsgiver;Kontrakt;Kategori;Timer\n2026-01;311000101;Oslobygg KF;K-1 Skole;Faglært;10\n";
const IMPORT_HOURS: &str = "mutation($file: Upload!, $dry: Boolean) { importHmsreg(file: $file, dryRun: $dry) { status } }";

async fn setup(app: &TestApp) {
    for (org, name) in [
        (A, "Alfa Bygg AS"),
        (B, "Beta Data AS"),
        (C, "Gamma Renhold AS"),
        (D, "Delta Maling AS"),
        (E, "Echo Transport AS"),
        (F, "Foxtrot Vakt AS"),
        (G, "Golf Catering AS"),
        (H, "Hotell Drift AS"),
    ] {
        app.create_supplier(org, name).await;
    }
    let area = app.create_area("Renhold").await;
    let agreement = |reference: &str, from: i64, to: i64, suppliers: &[&str]| {
        json!({
            "reference": reference, "title": format!("Avtale {reference}"), "areaId": area,
            "kind": "FRAMEWORK_AGREEMENT", "category": "CLEANING", "startsOn": day(from), "endsOn": day(to),
            "suppliers": suppliers.iter().map(|o| json!({ "orgNumber": o })).collect::<Vec<_>>(),
        })
    };
    app.create_agreement(agreement("R-1", -100, 300, &[A, B, E]))
        .await;
    app.create_agreement(agreement("R-2", -10, 10, &[A, C, F]))
        .await;
    app.create_agreement(agreement("R-3", -800, -1, &[D])).await;
    app.create_agreement(agreement("R-4", 1, 400, &[G])).await;
    let r5 = app.create_agreement(agreement("R-5", -50, 50, &[H])).await;
    app.ok(
        &app.adviser(),
        "mutation($id: ID!) { updateAgreement(id: $id, expectedVersion: 1, input: { terminated: true }) { status } }",
        json!({ "id": r5 }),
    )
    .await;
    let hours = app
        .import(IMPORT_HOURS, "timer.csv", HOURS.as_bytes().to_vec(), false)
        .await;
    assert_eq!(hours["status"], "ACCEPTED", "[{}] {hours}", app.backend);
}

const SUPPLIERS: &str = "{ suppliers(first: 50) { edges { node { orgNumber registry { name bankrupt beingWoundUp forcedDissolution deletedOn checkedOn } } } } }";
const STATUS: &str = "query($o: String!) { supplierStatus(orgNumber: $o) { known watchlisted registry { name bankrupt beingWoundUp forcedDissolution deletedOn checkedOn } supplier { registry { bankrupt } } } }";
const FLAGGED: &str = "{ portfolioSummary { flaggedSuppliersOnActiveAgreements { orgNumber name registry { bankrupt forcedDissolution deletedOn } } } }";

/// `Supplier.registry` of every supplier, by org number.
async fn registry_of_suppliers(app: &TestApp) -> std::collections::BTreeMap<String, Value> {
    let d = app.ok(&app.adviser(), SUPPLIERS, json!({})).await;
    d["suppliers"]["edges"]
        .as_array()
        .unwrap()
        .iter()
        .map(|e| {
            let n = &e["node"];
            (
                n["orgNumber"].as_str().unwrap().to_string(),
                n["registry"].clone(),
            )
        })
        .collect()
}

async fn flagged(app: &TestApp) -> Vec<String> {
    let d = app.ok(&app.buyer("Oslobygg KF"), FLAGGED, json!({})).await;
    d["portfolioSummary"]["flaggedSuppliersOnActiveAgreements"]
        .as_array()
        .unwrap()
        .iter()
        .map(|s| s["orgNumber"].as_str().unwrap().to_string())
        .collect()
}

fn status(
    name: &str,
    bankrupt: bool,
    wound_up: bool,
    forced: bool,
    deleted: Option<&str>,
    checked: &str,
) -> Value {
    json!({ "name": name, "bankrupt": bankrupt, "beingWoundUp": wound_up, "forcedDissolution": forced,
            "deletedOn": deleted, "checkedOn": checked })
}

#[tokio::test]
async fn the_register_shows_on_suppliers_the_status_and_the_summary() {
    let week_ago = api::clock::today() - chrono::Duration::days(7);
    for app in apps().await {
        setup(&app).await;
        // Before any register file: null everywhere, nothing flagged.
        assert!(
            registry_of_suppliers(&app)
                .await
                .values()
                .all(Value::is_null)
        );
        assert!(flagged(&app).await.is_empty());

        let imported = import_register(&app, gzip(&first_file()), week_ago)
            .await
            .unwrap();
        assert!(imported.gzip);
        assert_eq!(imported.stored.entities, 9);
        // Ours: A-H and W (9 numbers); listed: all but F; X is not ours.
        assert_eq!(imported.wanted, 9, "[{}]", app.backend);
        assert_eq!(imported.stored.kept, 8, "[{}]", app.backend);
        // A, B, C, D, G, H, W.
        assert_eq!(imported.stored.flagged, 7, "[{}]", app.backend);

        let checked = day(-7);
        let registry = registry_of_suppliers(&app).await;
        assert_eq!(
            registry[A],
            status("ALFA BYGG AS", true, false, false, None, &checked)
        );
        assert_eq!(
            registry[B],
            status(
                "BETA DATA AS",
                false,
                false,
                false,
                Some("2025-11-30"),
                &checked
            )
        );
        assert_eq!(
            registry[C],
            status("GAMMA RENHOLD AS", false, false, true, None, &checked)
        );
        assert_eq!(
            registry[D],
            status("DELTA MALING AS", false, true, false, None, &checked)
        );
        assert_eq!(
            registry[E],
            status("ECHO TRANSPORT AS", false, false, false, None, &checked)
        );
        assert_eq!(registry[F], Value::Null, "F is not in the file");

        // On active agreements: A (R-1, R-2; once), B, C, E, F. Flagged among them: A bankrupt,
        // B deleted, C under forced dissolution; by name Alfa, Beta, Gamma. D (expired), G
        // (planned) and H (terminated) are flagged but on no active agreement.
        assert_eq!(flagged(&app).await, [A, B, C], "[{}]", app.backend);
        let d = app.ok(&app.adviser(), FLAGGED, json!({})).await;
        assert_eq!(
            d["portfolioSummary"]["flaggedSuppliersOnActiveAgreements"][2],
            json!({ "orgNumber": C, "name": "Gamma Renhold AS",
                    "registry": { "bankrupt": false, "forcedDissolution": true, "deletedOn": null } })
        );

        // The status a buyer checks before signing shows the flag; so it does for an adviser.
        for token in [app.buyer("Oslobygg KF"), app.adviser(), app.climate()] {
            let d = app.ok(&token, STATUS, json!({ "o": A })).await;
            assert_eq!(
                d["supplierStatus"],
                json!({ "known": true, "watchlisted": false,
                        "registry": status("ALFA BYGG AS", true, false, false, None, &checked),
                        "supplier": { "registry": { "bankrupt": true } } }),
                "[{}]",
                app.backend
            );
            // Not listed: null, though the supplier is known.
            let d = app.ok(&token, STATUS, json!({ "o": F })).await;
            assert_eq!(d["supplierStatus"]["known"], true);
            assert_eq!(d["supplierStatus"]["registry"], Value::Null);
            // Only in the HMSREG hours: not a supplier, but the register was read for it.
            let d = app.ok(&token, STATUS, json!({ "o": W })).await;
            assert_eq!(d["supplierStatus"]["known"], false);
            assert_eq!(d["supplierStatus"]["registry"]["bankrupt"], true);
            assert_eq!(
                d["supplierStatus"]["registry"]["name"],
                "WHISKEY BEMANNING AS"
            );
            // None of ours: not kept, whatever the file said.
            let d = app.ok(&token, STATUS, json!({ "o": X })).await;
            assert_eq!(d["supplierStatus"]["registry"], Value::Null);
        }

        // Batched: a page of suppliers costs one statement more with the register, not one
        // per supplier.
        app.reset_statements();
        app.ok(
            &app.adviser(),
            "{ suppliers(first: 50) { edges { node { orgNumber } } } }",
            json!({}),
        )
        .await;
        let without = app.statements();
        app.reset_statements();
        app.ok(&app.adviser(), SUPPLIERS, json!({})).await;
        assert_eq!(
            app.statements(),
            without + 1,
            "[{}] {:?}",
            app.backend,
            app.statement_log()
        );

        // A newer file replaces everything, in one go.
        let imported = import_register(&app, newer_file(), api::clock::today())
            .await
            .unwrap();
        assert!(!imported.gzip);
        // A, B, C, E, F, H, W listed; D and G no longer.
        assert_eq!(imported.stored.kept, 7, "[{}]", app.backend);
        assert_eq!(imported.stored.replaced, 8, "[{}]", app.backend);
        let today = day(0);
        let registry = registry_of_suppliers(&app).await;
        assert_eq!(
            registry[A],
            status("ALFA BYGG AS", false, false, false, None, &today)
        );
        assert_eq!(
            registry[F],
            status("FOXTROT VAKT AS", true, false, false, None, &today)
        );
        assert_eq!(registry[D], Value::Null, "D is not in the newer file");
        assert_eq!(registry[G], Value::Null);
        // On active agreements now flagged: B (deleted) and F (bankrupt), by name.
        assert_eq!(flagged(&app).await, [B, F], "[{}]", app.backend);
        let after_newer = registry_of_suppliers(&app).await;

        // Bad files change nothing: the newer file's data stays whole.
        let mut all_bankrupt: Vec<String> = [A, B, C, D, E, F, G, H]
            .iter()
            .map(|o| entity(o, "KONKURS AS", true, false, false, None))
            .collect();
        let truncated = register_file(&all_bankrupt);
        let truncated_gzip = gzip(&truncated);
        all_bankrupt[3] = entity(D, "FEIL AS", false, false, false, Some("30.11.2025"));
        let malformed = register_file(&all_bankrupt);
        for (label, bytes, expect) in [
            (
                "truncated",
                truncated[..truncated.len() / 2].to_vec(),
                "the file is truncated",
            ),
            (
                "truncated gzip",
                truncated_gzip[..truncated_gzip.len() - 30].to_vec(),
                "the file is truncated",
            ),
            (
                "malformed",
                malformed,
                "entity 4 (311000047): slettedato is not a date (YYYY-MM-DD)",
            ),
            (
                "not an array",
                br#"{"organisasjonsnummer":"311000012"}"#.to_vec(),
                "not a list of entities",
            ),
            (
                "not JSON",
                b"organisasjonsnummer;navn\n311000012;ALFA\n".to_vec(),
                "the file is not JSON",
            ),
        ] {
            let refused =
                import_register(&app, bytes, api::clock::today() + chrono::Duration::days(1))
                    .await
                    .unwrap_err();
            assert!(
                refused.to_string().contains(expect),
                "[{}] {label}: {refused}",
                app.backend
            );
            assert_eq!(
                registry_of_suppliers(&app).await,
                after_newer,
                "[{}] {label}",
                app.backend
            );
            assert_eq!(flagged(&app).await, [B, F], "[{}] {label}", app.backend);
        }

        // Two imports, two audit events; the refused files left none.
        let d = app
            .ok(&app.admin(), "{ auditEvents(entity: \"registry\") { totalCount edges { node { actor action after } } } }", json!({}))
            .await;
        assert_eq!(d["auditEvents"]["totalCount"], 2, "[{}]", app.backend);
        let newest = &d["auditEvents"]["edges"][0]["node"];
        assert_eq!(newest["action"], "import");
        assert_eq!(newest["after"]["entries"], 7);
        assert_eq!(newest["after"]["flagged"], 3, "B, F and H");
    }
}

#[tokio::test]
async fn the_demo_register_flags_one_supplier_on_an_active_agreement() {
    for app in apps().await {
        let context = crate::common::fixture_context();
        api::wiring::load_all(&app.db, &context).await.unwrap();
        // fixtures/generate_brreg.py: 303703829 is bankrupt and on an agreement active until
        // 2028-12-31 or later; the other flagged ones have only expired agreements.
        assert_eq!(flagged(&app).await, ["303703829"], "[{}]", app.backend);
        let buyer = app.buyer("Oslobygg KF");
        let d = app.ok(&buyer, STATUS, json!({ "o": "303703829" })).await;
        assert_eq!(
            d["supplierStatus"]["registry"]["name"],
            "KAMPEN BEMANNING SA"
        );
        assert_eq!(d["supplierStatus"]["registry"]["bankrupt"], true);
        assert_eq!(d["supplierStatus"]["registry"]["checkedOn"], day(0));
        for (org, field, value) in [
            ("312999145", "beingWoundUp", json!(true)),
            ("320819679", "forcedDissolution", json!(true)),
            ("324385460", "deletedOn", json!("2025-11-30")),
        ] {
            let d = app.ok(&buyer, STATUS, json!({ "o": org })).await;
            assert_eq!(d["supplierStatus"]["registry"][field], value, "{org}");
        }
        // 301253737 is left out of the demo file.
        let d = app.ok(&buyer, STATUS, json!({ "o": "301253737" })).await;
        assert_eq!(d["supplierStatus"]["known"], true);
        assert_eq!(d["supplierStatus"]["registry"], Value::Null);
    }
}
