//! The pages in a real browser: Chromium over WebDriver (chromedriver), with every host but
//! 127.0.0.1 unresolvable, so a page that loaded anything from outside would break here.
//! Skipped when chromedriver is not installed, unless REQUIRE_BROWSER=1 (CI sets it and
//! installs Debian's chromium and chromium-driver). With SCREENSHOTS=DIR the tests also save a
//! picture of each page there for a person to look at.

use std::{
    process::{Child, Command, Stdio},
    time::Duration,
};

use fantoccini::{Client, ClientBuilder, Locator};
use serde_json::json;

use crate::common::{TestApp, sqlite_app};

struct Browser {
    driver: Child,
    client: Client,
}

impl Drop for Browser {
    fn drop(&mut self) {
        let _ = self.driver.kill();
        let _ = self.driver.wait();
    }
}

fn free_port() -> u16 {
    std::net::TcpListener::bind("127.0.0.1:0")
        .unwrap()
        .local_addr()
        .unwrap()
        .port()
}

async fn browser() -> Option<Browser> {
    // Two TLS back-ends are linked into the tests; WebDriver here is plain HTTP, but rustls
    // wants one chosen before any client is built.
    let _ = rustls::crypto::ring::default_provider().install_default();
    let required = std::env::var("REQUIRE_BROWSER").is_ok_and(|v| v == "1");
    let Ok(which) = Command::new("sh")
        .args(["-c", "command -v chromedriver"])
        .output()
    else {
        return None;
    };
    if !which.status.success() {
        assert!(
            !required,
            "REQUIRE_BROWSER=1 but chromedriver was not found"
        );
        eprintln!("chromedriver not installed: browser tests skipped");
        return None;
    }
    let port = free_port();
    let driver = Command::new("chromedriver")
        .arg(format!("--port={port}"))
        .stdout(Stdio::null())
        .stderr(Stdio::null())
        .spawn()
        .expect("chromedriver starts");
    let mut caps = serde_json::Map::new();
    caps.insert(
        "goog:chromeOptions".into(),
        json!({ "args": [
            "--headless=new", "--no-sandbox", "--disable-gpu", "--disable-dev-shm-usage",
            "--window-size=1280,900",
            // No outside network: every name but our own address fails to resolve.
            "--host-resolver-rules=MAP * ~NOTFOUND , EXCLUDE 127.0.0.1"
        ] }),
    );
    let url = format!("http://127.0.0.1:{port}");
    for _ in 0..100 {
        if let Ok(client) = ClientBuilder::rustls()
            .expect("tls")
            .capabilities(caps.clone())
            .connect(&url)
            .await
        {
            return Some(Browser { driver, client });
        }
        tokio::time::sleep(Duration::from_millis(100)).await;
    }
    let mut driver = driver;
    let _ = driver.kill();
    let _ = driver.wait();
    panic!("chromedriver did not answer on {url}");
}

async fn screenshot(client: &Client, name: &str) {
    if let Ok(dir) = std::env::var("SCREENSHOTS") {
        let png = client.screenshot().await.unwrap();
        std::fs::create_dir_all(&dir).unwrap();
        std::fs::write(format!("{dir}/{name}.png"), png).unwrap();
    }
}

/// Waits until `script` (a JavaScript expression) is true, failing after 20 seconds.
async fn until(client: &Client, what: &str, script: &str) {
    for _ in 0..200 {
        let v = client
            .execute(&format!("return !!({script});"), vec![])
            .await
            .unwrap();
        if v.as_bool() == Some(true) {
            return;
        }
        tokio::time::sleep(Duration::from_millis(100)).await;
    }
    let body = client
        .execute("return document.body.innerText;", vec![])
        .await
        .unwrap();
    panic!("timed out waiting for {what}; the page says: {body}");
}

/// Clicks the element with this id, as a user would.
async fn click(client: &Client, id: &str) {
    client
        .find(Locator::Id(id))
        .await
        .unwrap()
        .click()
        .await
        .unwrap();
}

/// Every resource the page loaded came from the app itself.
async fn only_own_origin(client: &Client, app: &TestApp) {
    let loaded = client
        .execute(
            "return performance.getEntriesByType('resource').map(e => e.name);",
            vec![],
        )
        .await
        .unwrap();
    let loaded = loaded.as_array().unwrap();
    assert!(!loaded.is_empty());
    for url in loaded {
        assert!(
            url.as_str().unwrap().starts_with(&app.address),
            "loaded from elsewhere: {url}"
        );
    }
}

#[tokio::test]
async fn graphiql_loads_with_no_outside_network_and_runs_a_query() {
    let Some(b) = browser().await else { return };
    let app = sqlite_app(Default::default()).await;
    let c = &b.client;
    c.goto(&format!("{}/graphql", app.address)).await.unwrap();
    until(
        c,
        "GraphiQL",
        "document.querySelector('.graphiql-execute-button')",
    )
    .await;
    until(
        c,
        "the editors",
        "document.querySelectorAll('.CodeMirror').length >= 3",
    )
    .await;
    let token = app.adviser();
    // The query and headers editors are CodeMirror 5 instances: set them as a user's typing would.
    c.execute(
        "document.querySelector('.graphiql-query-editor .CodeMirror').CodeMirror.setValue(arguments[0]);
         const headers = [...document.querySelectorAll('.graphiql-editor-tool .CodeMirror')]
           .find(e => !e.closest('.hidden'));
         headers.CodeMirror.setValue(arguments[1]);",
        vec![
            json!("{ viewer { subject roles } }"),
            json!(format!("{{ \"Authorization\": \"Bearer {token}\" }}")),
        ],
    )
    .await
    .unwrap();
    c.find(Locator::Css(".graphiql-execute-button"))
        .await
        .unwrap()
        .click()
        .await
        .unwrap();
    until(
        c,
        "the answer",
        "document.querySelector('.result-window') && document.querySelector('.result-window').innerText.includes('ADVISER')",
    )
    .await;
    let answer = c
        .execute(
            "return document.querySelector('.result-window').innerText;",
            vec![],
        )
        .await
        .unwrap();
    assert!(
        answer.as_str().unwrap().contains("\"subject\": \"tester\""),
        "{answer}"
    );
    only_own_origin(c, &app).await;
    screenshot(c, "graphiql").await;
}

#[tokio::test]
async fn the_import_page_dry_runs_then_imports_a_workbook() {
    let Some(b) = browser().await else { return };
    let app = sqlite_app(Default::default()).await;
    let c = &b.client;
    let file = std::fs::canonicalize("fixtures/hmsreg/oslobygg-2026-mars-april.xlsx").unwrap();

    c.goto(&format!("{}/import", app.address)).await.unwrap();
    // A buyer may not import: told in words, before anything is stored.
    let token = c.find(Locator::Id("token")).await.unwrap();
    token.send_keys(&app.buyer("Oslobygg KF")).await.unwrap();
    let input = c.find(Locator::Id("file")).await.unwrap();
    input.send_keys(file.to_str().unwrap()).await.unwrap();
    click(c, "dry-run").await;
    until(
        c,
        "the refusal",
        "document.getElementById('message').innerText.includes('Rollen din kan ikke importere')",
    )
    .await;

    token.clear().await.unwrap();
    token.send_keys(&app.adviser()).await.unwrap();
    click(c, "dry-run").await;
    until(
        c,
        "the dry run",
        "document.getElementById('status').innerText.includes('Godkjent i prøvekjøringen')",
    )
    .await;
    // The workbook by hand (tests/it/hmsreg.rs): 81.5 relevant hours, skilled 30.5/81.5 =
    // 37.4 %, apprentices 28.5/81.5 = 35.0 %, 3 apprentices; two totals rows warned about.
    let text = |id: &str| {
        let id = id.to_string();
        async move {
            c.execute(
                &format!("return document.getElementById('{id}').innerText;"),
                vec![],
            )
            .await
            .unwrap()
            .as_str()
            .unwrap()
            .to_string()
        }
    };
    assert_eq!(text("relevant").await, "81,50");
    assert_eq!(text("skilled-share").await, "37,4 %");
    assert_eq!(text("apprentice-share").await, "35,0 %");
    assert_eq!(text("apprentices").await, "3");
    assert_eq!(
        c.execute(
            "return document.querySelectorAll('#issues tr.WARNING').length;",
            vec![]
        )
        .await
        .unwrap(),
        json!(2)
    );
    assert!(text("issues").await.contains("TOTALS_ROW"));
    screenshot(c, "import-dry-run").await;
    // Nothing stored by the dry run.
    assert_eq!(app.count_hmsreg_imports().await, 0);

    click(c, "confirm").await;
    until(
        c,
        "the import",
        "document.getElementById('status').innerText === 'Importert.'",
    )
    .await;
    until(
        c,
        "the list",
        "document.getElementById('imports').innerText.includes('oslobygg-2026-mars-april.xlsx')",
    )
    .await;
    assert_eq!(app.count_hmsreg_imports().await, 1);
    // The keyboard reaches the controls in order: Tab from the token goes to "remember",
    // then to the file.
    c.execute("document.getElementById('token').focus();", vec![])
        .await
        .unwrap();
    for expected in ["remember", "file"] {
        c.active_element()
            .await
            .unwrap()
            .send_keys("\u{e004}")
            .await
            .unwrap();
        let focused = c
            .execute("return document.activeElement.id;", vec![])
            .await
            .unwrap();
        assert_eq!(focused, json!(expected));
    }
    only_own_origin(c, &app).await;
    screenshot(c, "import-done").await;
}

#[tokio::test]
async fn the_import_page_refuses_a_file_over_the_upload_limit_before_sending_it() {
    let Some(b) = browser().await else { return };
    // The Oslobygg workbook is about 7 KB: over a 2,048-byte limit.
    let limits = api::config::Limits {
        upload_bytes: 2048,
        ..Default::default()
    };
    let app = sqlite_app(limits).await;
    let c = &b.client;
    let file = std::fs::canonicalize("fixtures/hmsreg/oslobygg-2026-mars-april.xlsx").unwrap();
    c.goto(&format!("{}/import", app.address)).await.unwrap();
    let token = c.find(Locator::Id("token")).await.unwrap();
    token.send_keys(&app.adviser()).await.unwrap();
    let input = c.find(Locator::Id("file")).await.unwrap();
    input.send_keys(file.to_str().unwrap()).await.unwrap();
    app.reset_statements();
    click(c, "dry-run").await;
    until(
        c,
        "the refusal",
        "document.getElementById('message').innerText.includes('serveren tar imot høyst')",
    )
    .await;
    // Nothing reached the server: no upload, so not a single statement ran.
    assert_eq!(app.statements(), 0);
    let sent = c
        .execute(
            "return performance.getEntriesByType('resource').filter(e => e.name.endsWith('/graphql')).length;",
            vec![],
        )
        .await
        .unwrap();
    assert_eq!(sent, json!(0));
}
