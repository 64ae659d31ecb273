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
    /// The command, for the log lines: `import-brreg`.
    pub command: &'static str,
    /// The file's name: the bar's label.
    pub file: String,
    pub bytes: Arc<AtomicU64>,
    /// Bytes read before the measured pass (the HMSREG import reads the whole file once for
    /// its SHA-256 first): shown as "checking", and left out of the rate and the time left.
    pub first_pass: u64,
    /// Bytes of the measured pass, when known.
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
                let mut clock = Clock::new(&watch);
                if terminal {
                    bar(&watch, &mut clock, &flag);
                } else {
                    log_lines(&watch, &mut clock, &flag);
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

/// When the work and its measured pass began.
struct Clock {
    started: Instant,
    measured_from: Option<Instant>,
}

impl Clock {
    fn new(watch: &Watch) -> Self {
        let now = Instant::now();
        Self {
            started: now,
            measured_from: (watch.first_pass == 0).then_some(now),
        }
    }

    fn figures(&mut self, watch: &Watch) -> Figures {
        let read = watch.bytes.load(Ordering::Relaxed);
        let measuring = read >= watch.first_pass;
        if measuring && self.measured_from.is_none() {
            self.measured_from = Some(Instant::now());
        }
        Figures {
            checking: !measuring,
            bytes: read.saturating_sub(watch.first_pass),
            total: watch.total_bytes,
            items: watch
                .items
                .as_ref()
                .map(|(n, unit)| (n.load(Ordering::Relaxed), *unit)),
            measured: self.measured_from.map_or(Duration::ZERO, |t| t.elapsed()),
            elapsed: self.started.elapsed(),
        }
    }
}

/// The figures at one moment.
struct Figures {
    /// Still in the first pass.
    checking: bool,
    /// Bytes of the measured pass read so far.
    bytes: u64,
    total: Option<u64>,
    items: Option<(u64, &'static str)>,
    /// Time in the measured pass.
    measured: Duration,
    elapsed: Duration,
}

impl Figures {
    /// "123,456 entities read, 52,000/s" or "12.0 MiB read, 30.1 MiB/s".
    fn read_and_rate(&self) -> String {
        if self.checking {
            return "checking the file (SHA-256)".into();
        }
        let secs = self.measured.as_secs_f64().max(0.001);
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

    /// Time left at the measured pass's rate so far, when its size is known and some of it
    /// has gone by.
    fn left(&self) -> Option<Duration> {
        let total = self.total?;
        if self.checking || self.bytes == 0 || self.bytes >= total {
            return None;
        }
        let per_byte = self.measured.as_secs_f64() / self.bytes as f64;
        Some(Duration::from_secs_f64(
            per_byte * (total - self.bytes) as f64,
        ))
    }

    /// ", about 12 s left", or what is going on when that cannot be said.
    fn left_text(&self) -> String {
        match (self.left(), self.total) {
            (Some(left), _) => format!(", about {} s left", left.as_secs() + 1),
            (None, Some(total)) if !self.checking && self.bytes >= total => ", finishing".into(),
            _ => String::new(),
        }
    }

    fn percent(&self) -> Option<f64> {
        let total = self.total.filter(|t| *t > 0)?;
        Some((100.0 * self.bytes.min(total) as f64 / total as f64).floor())
    }
}

fn mib(bytes: u64) -> String {
    format!("{:.1} MiB", bytes as f64 / (1024.0 * 1024.0))
}

fn bar(watch: &Watch, clock: &mut Clock, stop: &AtomicBool) {
    let template = match watch.total_bytes {
        Some(_) => "{prefix} [{wide_bar}] {percent:>3}% {msg}",
        None => "{spinner} {prefix} {msg} ({elapsed})",
    };
    let bar = ProgressBar::with_draw_target(watch.total_bytes, ProgressDrawTarget::stderr());
    if let Ok(style) = ProgressStyle::with_template(template) {
        bar.set_style(style.progress_chars("=> "));
    }
    bar.set_prefix(watch.file.clone());
    loop {
        let done = stop.load(Ordering::Relaxed);
        let figures = clock.figures(watch);
        let position = figures
            .total
            .map_or(figures.bytes, |t| figures.bytes.min(t));
        bar.set_position(position);
        let left = if done {
            String::new()
        } else {
            figures.left_text()
        };
        bar.set_message(format!("{}{left}", figures.read_and_rate()));
        if done {
            bar.finish();
            return;
        }
        std::thread::sleep(TICK);
    }
}

fn log_lines(watch: &Watch, clock: &mut Clock, stop: &AtomicBool) {
    let mut last = Instant::now();
    loop {
        let done = stop.load(Ordering::Relaxed);
        // Every tick, so the clock sees the measured pass begin.
        let figures = clock.figures(watch);
        if done || last.elapsed() >= LOG_EVERY {
            last = Instant::now();
            let share = figures
                .percent()
                .map(|p| format!(", {p:.0} % of the file"))
                .unwrap_or_default();
            let left = if done {
                String::new()
            } else {
                figures.left_text()
            };
            let state = if done { "read" } else { "reading" };
            let when = if done { "in" } else { "so far" };
            tracing::info!(
                "{} {}: {state}: {}{share}{left}; {:.1} s {when}",
                watch.command,
                watch.file,
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
    fn time_left_is_the_measured_rate_over_what_is_left() {
        let f = Figures {
            checking: false,
            bytes: 250,
            total: Some(1000),
            items: Some((10, "entities")),
            measured: Duration::from_secs(5),
            elapsed: Duration::from_secs(6),
        };
        assert_eq!(f.left(), Some(Duration::from_secs(15)));
        assert_eq!(f.left_text(), ", about 16 s left");
        assert_eq!(f.read_and_rate(), "10 entities read, 2/s");
        assert_eq!(f.percent(), Some(25.0));
        let unknown = Figures { total: None, ..f };
        assert_eq!(unknown.left(), None);
        assert_eq!(unknown.percent(), None);
    }

    #[test]
    fn the_first_pass_is_checking_and_not_counted() {
        let watch = Watch {
            command: "import-hmsreg",
            file: "timer.xlsx".into(),
            bytes: Arc::new(AtomicU64::new(400)),
            first_pass: 1000,
            total_bytes: Some(1000),
            items: None,
        };
        let mut clock = Clock::new(&watch);
        let f = clock.figures(&watch);
        assert!(f.checking);
        assert_eq!(f.bytes, 0);
        assert_eq!(f.read_and_rate(), "checking the file (SHA-256)");
        assert_eq!(f.left(), None);
        watch.bytes.store(1500, Ordering::Relaxed);
        let f = clock.figures(&watch);
        assert!(!f.checking);
        assert_eq!(f.bytes, 500);
        assert_eq!(f.percent(), Some(50.0));
        watch.bytes.store(2100, Ordering::Relaxed);
        assert_eq!(clock.figures(&watch).left_text(), ", finishing");
    }
}
