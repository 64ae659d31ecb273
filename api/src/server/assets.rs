//! GraphiQL's files, compiled into the binary (`assets/graphiql/`, with their licences), and
//! the page that loads them. Nothing the page loads comes from another origin, so it works
//! inside a network that blocks outside traffic, under a policy that allows this origin only.

use actix_web::{HttpResponse, http::header, web};

/// Scripts and styles from this origin only; GraphiQL's fonts and icons are data: URIs inside
/// its stylesheet, and it talks to `/graphql` here.
pub const CONTENT_SECURITY_POLICY: &str = "default-src 'none'; script-src 'self'; style-src 'self'; font-src 'self' data:; img-src 'self' data:; connect-src 'self'; base-uri 'none'; form-action 'self'; frame-ancestors 'none'";

/// (name, media type, bytes).
const FILES: &[(&str, &str, &[u8])] = &[
    (
        "graphiql.min.js",
        "text/javascript; charset=utf-8",
        include_bytes!("../../../assets/graphiql/graphiql.min.js"),
    ),
    (
        "graphiql.min.css",
        "text/css; charset=utf-8",
        include_bytes!("../../../assets/graphiql/graphiql.min.css"),
    ),
    (
        "react.production.min.js",
        "text/javascript; charset=utf-8",
        include_bytes!("../../../assets/graphiql/react.production.min.js"),
    ),
    (
        "react-dom.production.min.js",
        "text/javascript; charset=utf-8",
        include_bytes!("../../../assets/graphiql/react-dom.production.min.js"),
    ),
    (
        "import.js",
        "text/javascript; charset=utf-8",
        include_bytes!("../../../assets/import/import.js"),
    ),
    (
        "import.css",
        "text/css; charset=utf-8",
        include_bytes!("../../../assets/import/import.css"),
    ),
    (
        "samkjop-graphiql.js",
        "text/javascript; charset=utf-8",
        include_bytes!("../../../assets/graphiql/samkjop-graphiql.js"),
    ),
];

const PAGE: &str = r#"<!DOCTYPE html>
<html lang="nb">
<head>
  <meta charset="utf-8">
  <meta name="viewport" content="width=device-width, initial-scale=1">
  <meta name="robots" content="noindex">
  <title>samkjop – GraphiQL</title>
  <link rel="stylesheet" href="/assets/graphiql/graphiql.min.css">
  <link rel="stylesheet" href="/assets/graphiql/page.css">
</head>
<body>
  <div id="graphiql">Laster GraphiQL …</div>
  <script src="/assets/graphiql/react.production.min.js"></script>
  <script src="/assets/graphiql/react-dom.production.min.js"></script>
  <script src="/assets/graphiql/graphiql.min.js"></script>
  <script src="/assets/graphiql/samkjop-graphiql.js"></script>
</body>
</html>
"#;

/// The page fills the window; a file of its own for the same reason as the script.
const PAGE_CSS: &str =
    "html, body, #graphiql { height: 100%; margin: 0; width: 100%; overflow: hidden; }\n";

fn secured(mut builder: actix_web::HttpResponseBuilder) -> actix_web::HttpResponseBuilder {
    builder
        .insert_header((header::CONTENT_SECURITY_POLICY, CONTENT_SECURITY_POLICY))
        .insert_header((header::X_CONTENT_TYPE_OPTIONS, "nosniff"))
        .insert_header((header::REFERRER_POLICY, "no-referrer"));
    builder
}

/// `GET /graphql`: the GraphiQL page.
pub async fn graphiql() -> HttpResponse {
    secured(HttpResponse::Ok())
        .content_type("text/html; charset=utf-8")
        .body(PAGE)
}

const IMPORT_PAGE: &str = include_str!("../../../assets/import/import.html");

/// `GET /import`: the HMSREG import page. The upload limit is written into it, so a file over
/// the limit is refused before it is sent. The page itself needs no token: it holds no data,
/// and every call it makes sends the token the user gives it.
pub async fn import_page(state: web::Data<crate::http::AppState>) -> HttpResponse {
    let max = state.limits.upload_bytes;
    let page = IMPORT_PAGE
        .replace("{{MAX_BYTES}}", &max.to_string())
        .replace("{{MAX_MIB}}", &(max / (1024 * 1024)).to_string());
    secured(HttpResponse::Ok())
        .content_type("text/html; charset=utf-8")
        .body(page)
}

/// `GET /assets/graphiql/{file}` and `GET /assets/import/{file}`.
pub async fn asset_file(name: web::Path<String>) -> HttpResponse {
    if name.as_str() == "page.css" {
        return secured(HttpResponse::Ok())
            .content_type("text/css; charset=utf-8")
            .insert_header((header::CACHE_CONTROL, "public, max-age=86400"))
            .body(PAGE_CSS);
    }
    match FILES.iter().find(|(n, _, _)| *n == name.as_str()) {
        Some((_, media, bytes)) => secured(HttpResponse::Ok())
            .content_type(*media)
            // The files change only with the binary; a day is short enough after an upgrade.
            .insert_header((header::CACHE_CONTROL, "public, max-age=86400"))
            .body(*bytes),
        None => secured(HttpResponse::NotFound())
            .content_type("text/plain; charset=utf-8")
            .body("no such file"),
    }
}
