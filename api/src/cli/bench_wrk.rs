//! Load from `wrk` (the HTTP benchmarking tool), one run at a time, and what its report says.
//! The same tool and settings drive both servers, so their figures compare.

use std::{path::Path, process::Stdio, time::Duration};

use anyhow::Context as _;

/// One wrk run's figures.
#[derive(Clone, Debug, Default)]
pub struct Load {
    pub requests_per_second: f64,
    /// Latency percentiles 50, 75, 90 and 99, in milliseconds.
    pub p50: f64,
    pub p75: f64,
    pub p90: f64,
    pub p99: f64,
    pub requests: u64,
    /// Answers that were not 2xx or 3xx, and socket errors: a run with any is not a fair figure.
    pub failures: u64,
}

/// The Lua script that makes wrk POST `body` with `headers`.
pub fn script(body: &str, headers: &[(&str, String)]) -> String {
    let quote = |s: &str| s.replace('\\', "\\\\").replace('\'', "\\'");
    let mut lua = String::from("wrk.method = 'POST'\n");
    lua.push_str(&format!("wrk.body = '{}'\n", quote(body)));
    lua.push_str("wrk.headers['Content-Type'] = 'application/json'\n");
    for (name, value) in headers {
        lua.push_str(&format!(
            "wrk.headers['{}'] = '{}'\n",
            quote(name),
            quote(value)
        ));
    }
    lua
}

/// Runs wrk against `url` with the script at `script`: `connections` keep-alive connections on
/// at most two threads (the machine has two cores) for `duration`.
pub async fn run(
    url: &str,
    script: &Path,
    connections: u32,
    duration: Duration,
) -> anyhow::Result<Load> {
    let threads = connections.clamp(1, 2);
    let output = tokio::process::Command::new("wrk")
        .arg(format!("-t{threads}"))
        .arg(format!("-c{connections}"))
        .arg(format!("-d{}s", duration.as_secs().max(1)))
        .arg("--latency")
        .arg("-s")
        .arg(script)
        .arg(url)
        .stdin(Stdio::null())
        .output()
        .await
        .context("cannot run wrk (Debian: apt-get install wrk; benches/api.sh installs it)")?;
    let text = String::from_utf8_lossy(&output.stdout);
    if !output.status.success() {
        anyhow::bail!(
            "wrk failed: {}{}",
            text,
            String::from_utf8_lossy(&output.stderr)
        );
    }
    parse(&text).with_context(|| format!("cannot read wrk's report:\n{text}"))
}

/// Reads wrk's `--latency` report.
pub fn parse(report: &str) -> anyhow::Result<Load> {
    let mut load = Load::default();
    for line in report.lines().map(str::trim) {
        let words: Vec<&str> = line.split_whitespace().collect();
        match words.as_slice() {
            ["Requests/sec:", value] => load.requests_per_second = value.parse()?,
            [percent, value] if percent.ends_with('%') => {
                let ms = millis(value)?;
                match *percent {
                    "50%" => load.p50 = ms,
                    "75%" => load.p75 = ms,
                    "90%" => load.p90 = ms,
                    "99%" => load.p99 = ms,
                    _ => {}
                }
            }
            [count, "requests", "in", ..] => load.requests = count.parse()?,
            ["Non-2xx", "or", "3xx", "responses:", count] => {
                load.failures += count.parse::<u64>()?
            }
            ["Socket", "errors:", rest @ ..] => {
                // "connect 0, read 0, write 0, timeout 0"
                for n in rest.iter().skip(1).step_by(2) {
                    load.failures += n.trim_end_matches(',').parse::<u64>().unwrap_or(0);
                }
            }
            _ => {}
        }
    }
    if load.requests_per_second <= 0.0 {
        anyhow::bail!("no Requests/sec line");
    }
    Ok(load)
}

/// wrk writes durations as `812.00us`, `4.10ms` or `1.20s`.
fn millis(value: &str) -> anyhow::Result<f64> {
    let (number, factor) = if let Some(n) = value.strip_suffix("us") {
        (n, 0.001)
    } else if let Some(n) = value.strip_suffix("ms") {
        (n, 1.0)
    } else if let Some(n) = value.strip_suffix('m') {
        (n, 60_000.0)
    } else if let Some(n) = value.strip_suffix('s') {
        (n, 1000.0)
    } else {
        anyhow::bail!("unknown unit in {value}");
    };
    Ok(number.parse::<f64>()? * factor)
}

/// The median of `values` (the upper one of an even count).
pub fn median(values: &mut [f64]) -> f64 {
    values.sort_by(f64::total_cmp);
    values.get(values.len() / 2).copied().unwrap_or(0.0)
}

#[cfg(test)]
mod tests {
    use super::*;

    const REPORT: &str = "Running 5s test @ http://127.0.0.1:8080/graphql
  2 threads and 16 connections
  Thread Stats   Avg      Stdev     Max   +/- Stdev
    Latency     6.52ms    2.10ms  40.00ms   80.00%
    Req/Sec     1.23k   100.00     1.40k    70.00%
  Latency Distribution
     50%  812.00us
     75%    7.10ms
     90%    9.00ms
     99%    1.20s
  12345 requests in 5.00s, 50.00MB read
  Socket errors: connect 0, read 2, write 0, timeout 1
  Non-2xx or 3xx responses: 4
Requests/sec:   2469.00
Transfer/sec:     10.00MB
";

    #[test]
    fn reads_the_figures_and_units_of_a_report() {
        let load = parse(REPORT).unwrap();
        assert_eq!(load.requests_per_second, 2469.0);
        assert!((load.p50 - 0.812).abs() < 1e-9);
        assert_eq!(load.p75, 7.1);
        assert_eq!(load.p99, 1200.0);
        assert_eq!(load.requests, 12345);
        // 2 read errors, 1 timeout, 4 non-2xx answers.
        assert_eq!(load.failures, 7);
    }

    #[test]
    fn a_report_without_a_rate_is_refused() {
        assert!(parse("wrk: connection refused").is_err());
    }

    #[test]
    fn quotes_in_the_body_do_not_end_the_lua_string() {
        let lua = script(r#"{"query":"{ a(s: \"it's\") }"}"#, &[]);
        assert!(lua.contains(r#"wrk.body = '{"query":"{ a(s: \\"it\'s\\") }"}'"#));
    }
}
