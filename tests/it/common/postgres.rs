//! A throwaway PostgreSQL cluster for the tests, or `TEST_DATABASE_URL`.
//!
//! The cluster lives in a temp dir with a Unix socket and no TCP port. A watchdog shell stops it
//! and removes the dir when this test process ends. `initdb` refuses root, so as root the
//! cluster runs as the `postgres` user. With `REQUIRE_POSTGRES=1`, no server is a failure.

use std::{
    path::{Path, PathBuf},
    process::Command,
    sync::{
        OnceLock,
        atomic::{AtomicUsize, Ordering},
    },
    time::{Duration, Instant},
};

use sea_orm::{ConnectionTrait, Database};

static ADMIN_URL: OnceLock<Option<String>> = OnceLock::new();
static NEXT_DB: AtomicUsize = AtomicUsize::new(0);

/// A URL to a new, empty database, or `None` when no PostgreSQL is to be had (and not required).
pub async fn fresh_database_url() -> Option<String> {
    let admin = ADMIN_URL.get_or_init(admin_url).clone()?;
    let name = format!(
        "samkjop_test_{}_{}",
        std::process::id(),
        NEXT_DB.fetch_add(1, Ordering::SeqCst)
    );
    let conn = Database::connect(admin.as_str())
        .await
        .expect("connect to the PostgreSQL admin database");
    conn.execute_unprepared(&format!("CREATE DATABASE {name}"))
        .await
        .expect("create a test database");
    let _ = conn.close().await;
    Some(with_database(&admin, &name))
}

fn with_database(admin: &str, name: &str) -> String {
    // postgres://user@host/db?params -> replace the db part.
    let (base, query) = admin
        .split_once('?')
        .map_or((admin, None), |(b, q)| (b, Some(q)));
    let prefix = base.rsplit_once('/').map_or(base, |(p, _)| p);
    match query {
        Some(q) => format!("{prefix}/{name}?{q}"),
        None => format!("{prefix}/{name}"),
    }
}

fn required() -> bool {
    std::env::var("REQUIRE_POSTGRES").is_ok_and(|v| v == "1")
}

fn admin_url() -> Option<String> {
    if let Ok(url) = std::env::var("TEST_DATABASE_URL")
        && !url.trim().is_empty()
    {
        return Some(url);
    }
    let Some(bin) = find_bin_dir() else {
        assert!(
            !required(),
            "REQUIRE_POSTGRES=1 but no PostgreSQL server (initdb, pg_ctl) was found"
        );
        eprintln!("PostgreSQL not found: the tests run on SQLite only");
        return None;
    };
    match start_cluster(&bin) {
        Ok(url) => Some(url),
        Err(e) => {
            assert!(
                !required(),
                "REQUIRE_POSTGRES=1 but the PostgreSQL cluster did not start: {e}"
            );
            eprintln!("PostgreSQL did not start ({e}): the tests run on SQLite only");
            None
        }
    }
}

fn find_bin_dir() -> Option<PathBuf> {
    let mut candidates: Vec<PathBuf> = std::fs::read_dir("/usr/lib/postgresql")
        .into_iter()
        .flatten()
        .flatten()
        .map(|e| e.path().join("bin"))
        .filter(|p| p.join("initdb").exists() && p.join("pg_ctl").exists())
        .collect();
    // The newest major version first.
    candidates.sort_by_key(|p| {
        p.parent()
            .and_then(|v| v.file_name())
            .and_then(|v| v.to_str())
            .and_then(|v| v.parse::<u32>().ok())
            .unwrap_or(0)
    });
    if let Some(bin) = candidates.pop() {
        return Some(bin);
    }
    std::env::var_os("PATH").and_then(|paths| {
        std::env::split_paths(&paths)
            .find(|p| p.join("initdb").exists() && p.join("pg_ctl").exists())
    })
}

fn is_root() -> bool {
    Command::new("id")
        .arg("-u")
        .output()
        .is_ok_and(|o| String::from_utf8_lossy(&o.stdout).trim() == "0")
}

/// Runs a shell script, as `postgres` when we are root.
fn shell(script: &str, as_postgres: bool) -> Command {
    if as_postgres {
        let mut c = Command::new("runuser");
        c.args(["-u", "postgres", "--", "sh", "-c", script]);
        c
    } else {
        let mut c = Command::new("sh");
        c.args(["-c", script]);
        c
    }
}

fn start_cluster(bin: &Path) -> Result<String, String> {
    let as_postgres = is_root();
    let dir = std::env::temp_dir().join(format!("samkjop-pg-{}", std::process::id()));
    let _ = std::fs::remove_dir_all(&dir);
    std::fs::create_dir_all(&dir).map_err(|e| e.to_string())?;
    if as_postgres {
        let status = Command::new("chown")
            .args(["postgres:postgres", &dir.display().to_string()])
            .status()
            .map_err(|e| e.to_string())?;
        if !status.success() {
            return Err("cannot hand the temp dir to the postgres user".into());
        }
    }
    let d = dir.display();
    let b = bin.display();
    let init = format!(
        "{b}/initdb -D {d}/data -U postgres --auth=trust -E UTF8 --no-locale > {d}/initdb.log 2>&1"
    );
    let status = shell(&init, as_postgres)
        .status()
        .map_err(|e| e.to_string())?;
    if !status.success() {
        let log = std::fs::read_to_string(dir.join("initdb.log")).unwrap_or_default();
        return Err(format!("initdb failed: {log}"));
    }
    // Durability is pointless for a throwaway cluster; turning it off makes the tests faster.
    let watchdog = format!(
        "{b}/pg_ctl -D {d}/data -l {d}/server.log -w -o \"-k {d} -c listen_addresses='' -c fsync=off -c synchronous_commit=off -c full_page_writes=off -c max_connections=300\" start > /dev/null 2>&1; \
         while [ -d /proc/{pid} ]; do sleep 1; done; \
         {b}/pg_ctl -D {d}/data -m immediate stop > /dev/null 2>&1; rm -rf {d}",
        pid = std::process::id()
    );
    shell(&watchdog, as_postgres)
        .stdin(std::process::Stdio::null())
        .stdout(std::process::Stdio::null())
        .stderr(std::process::Stdio::null())
        .spawn()
        .map_err(|e| e.to_string())?;
    let socket = dir.join(".s.PGSQL.5432");
    let started = Instant::now();
    while !socket.exists() {
        if started.elapsed() > Duration::from_secs(60) {
            let log = std::fs::read_to_string(dir.join("server.log")).unwrap_or_default();
            return Err(format!("the server did not open its socket: {log}"));
        }
        std::thread::sleep(Duration::from_millis(100));
    }
    // The socket file appears a moment before the server accepts connections.
    std::thread::sleep(Duration::from_millis(300));
    Ok(format!("postgres://postgres@localhost/postgres?host={d}"))
}
