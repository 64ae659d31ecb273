//! Progress of a long command: a bar on a terminal (indicatif), plain log lines when stderr is
//! not a terminal or the output is JSON (a scheduled job's log).
//!
//! The work itself only bumps counters: a [`CountingReader`] under the file's decoder counts
//! the bytes read, and the work may count its items (entities). A watcher thread turns them
//! into the display, so the readers know nothing of it and their results cannot change.

use std::{
    io::{IsTerminal as _, Read, Seek, SeekFrom},
    sync::{
        Arc,
        atomic::{AtomicBool, AtomicU64, Ordering},
    },
    thread::JoinHandle,
    time::{Duration, Instant},
};

use indicatif::{ProgressBar, ProgressDrawTarget, ProgressStyle};

use crate::registry::scan::grouped;

/// Counts the bytes read through it (the file's own bytes, under any decoder).
pub struct CountingReader<R> {
    inner: R,
    count: Arc<AtomicU64>,
}

impl<R> CountingReader<R> {
    pub fn new(inner: R, count: Arc<AtomicU64>) -> Self {
        Self { inner, count }
    }
}

impl<R: Read> Read for CountingReader<R> {
    fn read(&mut self, buf: &mut [u8]) -> std::io::Result<usize> {
        let n = self.inner.read(buf)?;
        self.count.fetch_add(n as u64, Ordering::Relaxed);
        Ok(n)
    }
}

impl<R: Seek> Seek for CountingReader<R> {
    fn seek(&mut self, pos: SeekFrom) -> std::io::Result<u64> {
        self.inner.seek(pos)
    }
}

/// What to show: the bytes read against `total_bytes` (the work to do, when known), and
/// the items counted, if the work counts any.
pub struct Watch {
    pub label: String,
    pub bytes: Arc<AtomicU64>,
    pub total_bytes: Option<u64>,
    pub items: Option<(Arc<AtomicU64>, &'static str)>,
}

/// A running display; [`Progress::finish`] ends it.
pub struct Progress {
    stop: Arc<AtomicBool>,
    thread: Option<JoinHandle<()>>,
}

/// How often a plain log line is written.
const LOG_EVERY: Duration = Duration::from_secs(5);
const TICK: Duration = Duration::from_millis(100);

impl Progress {
    /// Starts showing `watch`: a bar when stderr is a terminal and `plain` is not asked for.
    pub fn start(watch: Watch, plain: bool) -> Self {
        let stop = Arc::new(AtomicBool::new(false));
        let terminal = !plain && std::io::stderr().is_terminal();
        let flag = stop.clone();
        let thread = std::thread::Builder::new()
            .name("progress".into())
            .spawn(move || {
                if terminal {
                    bar(&watch, &flag);
                } else {
                    log_lines(&watch, &flag);
                }
            })
            // No thread, no display: the work goes on without one.
            .ok();
        Self { stop, thread }
    }

    /// Stops the display after drawing the final figures.
    pub fn finish(mut self) {
        self.stop.store(true, Ordering::Relaxed);
        if let Some(thread) = self.thread.take() {
            let _ = thread.join();
        }
    }
}

impl Drop for Progress {
    fn drop(&mut self) {
        self.stop.store(true, Ordering::Relaxed);
    }
}

/// The figures at one moment.
struct Figures {
    bytes: u64,
    items: Option<(u64, &'static str)>,
    elapsed: Duration,
}

impl Figures {
    fn now(watch: &Watch, started: Instant) -> Self {
        Self {
            bytes: watch.bytes.load(Ordering::Relaxed),
            items: watch
                .items
                .as_ref()
                .map(|(n, unit)| (n.load(Ordering::Relaxed), *unit)),
            elapsed: started.elapsed(),
        }
    }

    /// "123,456 entities read, 52,000/s" or "12.0 MiB read, 30.1 MiB/s".
    fn read_and_rate(&self) -> String {
        let secs = self.elapsed.as_secs_f64().max(0.001);
        match self.items {
            Some((n, unit)) => format!(
                "{} {unit} read, {}/s",
                grouped(n),
                grouped((n as f64 / secs) as u64)
            ),
            None => format!(
                "{} read, {}/s",
                mib(self.bytes),
                mib((self.bytes as f64 / secs) as u64)
            ),
        }
    }

    /// Seconds left at the rate so far, when the size is known and some bytes have gone by.
    fn left(&self, total: Option<u64>) -> Option<Duration> {
        let total = total?;
        if self.bytes == 0 || self.bytes >= total {
            return None;
        }
        let per_byte = self.elapsed.as_secs_f64() / self.bytes as f64;
        Some(Duration::from_secs_f64(
            per_byte * (total - self.bytes) as f64,
        ))
    }
}

fn mib(bytes: u64) -> String {
    format!("{:.1} MiB", bytes as f64 / (1024.0 * 1024.0))
}

fn bar(watch: &Watch, stop: &AtomicBool) {
    let started = Instant::now();
    let bar = match watch.total_bytes {
        Some(total) => {
            let bar = ProgressBar::with_draw_target(Some(total), ProgressDrawTarget::stderr());
            if let Ok(style) = ProgressStyle::with_template(
                "{prefix} [{bar:30}] {percent:>3}% {msg} ({elapsed}, {eta} left)",
            ) {
                bar.set_style(style.progress_chars("=> "));
            }
            bar
        }
        None => {
            let bar = ProgressBar::with_draw_target(None, ProgressDrawTarget::stderr());
            if let Ok(style) = ProgressStyle::with_template("{spinner} {prefix} {msg} ({elapsed})")
            {
                bar.set_style(style);
            }
            bar
        }
    };
    bar.set_prefix(watch.label.clone());
    loop {
        let done = stop.load(Ordering::Relaxed);
        let figures = Figures::now(watch, started);
        let position = watch
            .total_bytes
            .map_or(figures.bytes, |t| figures.bytes.min(t));
        bar.set_position(position);
        bar.set_message(figures.read_and_rate());
        if done {
            bar.finish();
            return;
        }
        std::thread::sleep(TICK);
    }
}

fn log_lines(watch: &Watch, stop: &AtomicBool) {
    let started = Instant::now();
    let mut last = Instant::now();
    loop {
        let done = stop.load(Ordering::Relaxed);
        if done || last.elapsed() >= LOG_EVERY {
            last = Instant::now();
            let figures = Figures::now(watch, started);
            let share = watch
                .total_bytes
                .filter(|t| *t > 0)
                .map(|t| {
                    let percent = (100.0 * figures.bytes.min(t) as f64 / t as f64).floor();
                    format!(", {percent:.0} % of the file")
                })
                .unwrap_or_default();
            let left = match figures.left(watch.total_bytes) {
                Some(left) if !done => format!(", about {} s left", left.as_secs() + 1),
                _ => String::new(),
            };
            let state = if done { "read" } else { "reading" };
            let when = if done { "in" } else { "so far" };
            tracing::info!(
                "{}: {state}: {}{share}{left}; {:.1} s {when}",
                watch.label,
                figures.read_and_rate(),
                figures.elapsed.as_secs_f64()
            );
        }
        if done {
            return;
        }
        std::thread::sleep(TICK);
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn the_counting_reader_counts_what_goes_through_and_changes_nothing() {
        let count = Arc::new(AtomicU64::new(0));
        let mut reader =
            CountingReader::new(std::io::Cursor::new(b"hello world".to_vec()), count.clone());
        let mut out = String::new();
        reader.read_to_string(&mut out).unwrap();
        assert_eq!(out, "hello world");
        assert_eq!(count.load(Ordering::Relaxed), 11);
        reader.seek(SeekFrom::Start(6)).unwrap();
        out.clear();
        reader.read_to_string(&mut out).unwrap();
        assert_eq!(out, "world");
        assert_eq!(count.load(Ordering::Relaxed), 16);
    }

    #[test]
    fn time_left_is_the_rate_so_far_over_what_is_left() {
        let f = Figures {
            bytes: 250,
            items: Some((10, "entities")),
            elapsed: Duration::from_secs(5),
        };
        assert_eq!(f.left(Some(1000)), Some(Duration::from_secs(15)));
        assert_eq!(f.left(None), None);
        assert_eq!(f.read_and_rate(), "10 entities read, 2/s");
    }
}
