//! The climate office's downloads: real .xlsx files over HTTP, read back with calamine.

use std::io::Cursor;

use crate::common::{TestApp, apps};
use calamine::{Data, Reader, Xlsx};
use serde_json::json;

async fn download(app: &TestApp, path: &str, token: Option<&str>) -> reqwest::Response {
    let mut request = app.client.get(format!("{}{path}", app.address));
    if let Some(t) = token {
        request = request.bearer_auth(t);
    }
    request.send().await.unwrap()
}

fn sheet(bytes: Vec<u8>, name: &str) -> calamine::Range<Data> {
    let mut wb: Xlsx<_> = Xlsx::new(Cursor::new(bytes)).expect("a readable workbook");
    wb.worksheet_range(name).expect("the sheet")
}

fn cell(range: &calamine::Range<Data>, row: u32, col: u32) -> Data {
    range.get_value((row, col)).cloned().unwrap_or(Data::Empty)
}

#[tokio::test]
async fn climate_stats_download_has_the_figures_by_quarter_and_in_total() {
    for app in apps().await {
        let create = "mutation($i: TenderInput!) { createTender(input: $i) { id } }";
        let tender = |day: &str, requirements: serde_json::Value| {
            json!({ "title": "Transport", "agency": "Bymiljøetaten", "category": "SERVICES", "estimatedValue": "800000", "durationMonths": 12,
                    "announcedOn": day, "includesTransport": true, "buildingSite": false, "apprenticeTrades": false,
                    "labourCrimeRisk": "LOW", "requirements": requirements })
        };
        let ok = json!([{ "code": "ZERO_EMISSION_TRANSPORT", "form": "MINIMUM_REQUIREMENT" }]);
        // Q1: one satisfied; Q2: one satisfied, one missing. Total: 2 of 3 = 66.7 %.
        for (day, req) in [
            ("2025-02-01", ok.clone()),
            ("2025-04-01", ok.clone()),
            ("2025-05-01", json!([])),
        ] {
            app.ok(&app.adviser(), create, json!({ "i": tender(day, req) }))
                .await;
        }
        let path = "/exports/climate-stats.xlsx?from=2025-01-01&to=2025-06-30";
        let response = download(&app, path, Some(&app.climate())).await;
        assert_eq!(response.status(), 200, "[{}]", app.backend);
        assert_eq!(
            response.headers()["content-type"],
            "application/vnd.openxmlformats-officedocument.spreadsheetml.sheet"
        );
        let s = sheet(response.bytes().await.unwrap().to_vec(), "Klimakrav");
        let text = |r, c| cell(&s, r, c).to_string();
        assert!(
            text(1, 0).contains("2025-01-01 til 2025-06-30") && text(1, 0).contains("oslo-2026-11"),
            "{}",
            text(1, 0)
        );
        assert_eq!(text(3, 3), "Anskaffelser");
        // Rows 5-6 (0-based 4, 5): the quarters; row 7: the total.
        assert_eq!(
            (text(4, 0), cell(&s, 4, 3), cell(&s, 4, 4), cell(&s, 4, 5)),
            (
                "2025-Q1".to_string(),
                Data::Float(1.0),
                Data::Float(1.0),
                Data::Float(1.0)
            )
        );
        assert_eq!(
            (text(5, 0), cell(&s, 5, 3), cell(&s, 5, 4), cell(&s, 5, 5)),
            (
                "2025-Q2".to_string(),
                Data::Float(2.0),
                Data::Float(2.0),
                Data::Float(1.0)
            )
        );
        assert_eq!(cell(&s, 5, 7), Data::Float(50.0));
        assert_eq!(
            (text(6, 0), cell(&s, 6, 3), cell(&s, 6, 4)),
            ("Totalt".to_string(), Data::Float(3.0), Data::Float(3.0))
        );
        let Data::Float(share) = cell(&s, 6, 7) else {
            panic!("no share")
        };
        assert!((share - 200.0 / 3.0).abs() < 1e-9);

        assert_eq!(download(&app, path, None).await.status(), 401);
        assert_eq!(
            download(&app, path, Some(&app.buyer("Bymiljøetaten")))
                .await
                .status(),
            403
        );
        assert_eq!(
            download(
                &app,
                "/exports/climate-stats.xlsx?from=2025-13-01&to=2025-06-30",
                Some(&app.climate())
            )
            .await
            .status(),
            400
        );
    }
}

#[tokio::test]
async fn workforce_download_has_the_shares_per_group() {
    let workbook = include_bytes!("../../fixtures/hmsreg/oslobygg-2026-mars-april.xlsx");
    for app in apps().await {
        let import = "mutation($file: Upload!) { importHmsreg(file: $file) { status } }";
        let (_, body) = app
            .upload(
                Some(&app.adviser()),
                import,
                json!({}),
                "oslobygg.xlsx",
                workbook.to_vec(),
            )
            .await;
        assert_eq!(body["data"]["importHmsreg"]["status"], "ACCEPTED", "{body}");
        let path = "/exports/workforce-shares.xlsx?from=2026-01-01&to=2026-12-31&groupBy=MONTH";
        let response = download(&app, path, Some(&app.climate())).await;
        assert_eq!(response.status(), 200, "[{}]", app.backend);
        let s = sheet(response.bytes().await.unwrap().to_vec(), "Andeler");
        // March: skilled 15.5 + 7.5 = 23, apprentice 7.5 + 6 = 13.5, unskilled 22.5, admin 4; relevant 59.
        assert_eq!(
            cell(&s, 4, 0),
            Data::String("2026-03".into()),
            "[{}]",
            app.backend
        );
        assert_eq!(
            (
                cell(&s, 4, 1),
                cell(&s, 4, 2),
                cell(&s, 4, 3),
                cell(&s, 4, 4),
                cell(&s, 4, 5)
            ),
            (
                Data::Float(23.0),
                Data::Float(13.5),
                Data::Float(22.5),
                Data::Float(4.0),
                Data::Float(59.0)
            )
        );
        let Data::Float(share) = cell(&s, 4, 6) else {
            panic!("no share")
        };
        assert!((share - 23.0 / 59.0 * 100.0).abs() < 1e-9);
        // April: skilled 7.5, apprentice 15 (two apprentices).
        assert_eq!(
            (cell(&s, 5, 0), cell(&s, 5, 5), cell(&s, 5, 10)),
            (
                Data::String("2026-04".into()),
                Data::Float(22.5),
                Data::Float(2.0)
            )
        );
        // A buyer from another agency gets a workbook without rows.
        let response = download(&app, path, Some(&app.buyer("Bymiljøetaten"))).await;
        assert_eq!(response.status(), 200);
        let s = sheet(response.bytes().await.unwrap().to_vec(), "Andeler");
        assert_eq!(cell(&s, 4, 0), Data::Empty);
        let bad = "/exports/workforce-shares.xlsx?from=2026-01-01&to=2026-12-31&groupBy=WEEK";
        let response = download(&app, bad, Some(&app.climate())).await;
        assert_eq!(response.status(), 400);
        let body: serde_json::Value = response.json().await.unwrap();
        assert_eq!(body["errors"][0]["extensions"]["code"], "BAD_USER_INPUT");
    }
}
