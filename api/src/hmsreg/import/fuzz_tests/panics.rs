//! Tells a panic in our code from one in calamine, by the backtrace a quiet panic hook keeps.

use std::{
    backtrace::Backtrace,
    cell::{Cell as Flag, RefCell},
    panic::{self, AssertUnwindSafe},
    sync::Once,
};

thread_local! {
    /// Set while this thread runs a case: its panics are expected and caught, and the
    /// default hook would print each one with a backtrace hint between the test results.
    static QUIET: Flag<bool> = const { Flag::new(false) };
    /// Where this thread's last quiet panic happened and its backtrace, from the hook: the
    /// payload has neither.
    static PANIC: RefCell<Option<(String, String)>> = const { RefCell::new(None) };
}

/// Installs, once per test binary, a hook that stays silent for quiet threads and passes
/// every other panic to the previous hook, so other tests running alongside report as usual.
pub(super) fn install_quiet_hook() {
    static ONCE: Once = Once::new();
    ONCE.call_once(|| {
        let previous = panic::take_hook();
        panic::set_hook(Box::new(move |info| {
            if QUIET.with(Flag::get) {
                let place = info
                    .location()
                    .map(|l| format!("{}:{}:{}", l.file(), l.line(), l.column()))
                    .unwrap_or_else(|| "(unknown)".into());
                let backtrace = Backtrace::force_capture().to_string();
                PANIC.with(|p| *p.borrow_mut() = Some((place, backtrace)));
            } else {
                previous(info);
            }
        }));
    });
}

/// Whose code a caught panic is.
#[derive(Debug, PartialEq)]
pub(super) enum Culprit {
    /// Our code, or a library our code calls (a panicking `Decimal` product is our misuse).
    Ours,
    /// calamine, or what it calls (zip, quick-xml), on bytes we handed it.
    Calamine,
}

fn is_ours(symbol: &str) -> bool {
    symbol.starts_with("api::") || symbol.starts_with("<api::")
}

fn is_runtime(symbol: &str) -> bool {
    [
        "std::", "core::", "alloc::", "<std::", "<core::", "<alloc::", "__rust", "rust_",
    ]
    .iter()
    .any(|p| symbol.starts_with(p))
}

/// The file a panic happened in says too little: a slice index in our code is reported
/// there, but `Decimal * Decimal` reports its panic inside rust_decimal. The backtrace says
/// which of our functions made the call that panicked, and whom it called.
fn culprit(place: &str, backtrace: &str) -> Culprit {
    // The symbol lines, innermost first: `  12: calamine::cfb::Cfb::new`.
    let symbols: Vec<&str> = backtrace
        .lines()
        .filter_map(|line| {
            let (number, symbol) = line.trim_start().split_once(": ")?;
            number.parse::<u32>().ok().map(|_| symbol)
        })
        .collect();
    // Past the capture and the hook, which are on top.
    let from = symbols
        .iter()
        .rposition(|s| s.contains("install_quiet_hook"))
        .map_or(0, |i| i + 1);
    let symbols = &symbols[from..];
    let Some(caller) = symbols.iter().position(|s| is_ours(s)) else {
        // No symbols (a build without them): only calamine's own files blame calamine.
        return if place.contains("/calamine-") {
            Culprit::Calamine
        } else {
            Culprit::Ours
        };
    };
    let callee = symbols[..caller].iter().rev().find(|s| !is_runtime(s));
    match callee {
        Some(c) if c.starts_with("calamine::") || c.starts_with("<calamine::") => Culprit::Calamine,
        _ => Culprit::Ours,
    }
}

/// A caught panic: its message, where it happened, and whose code it is.
#[derive(Debug)]
pub(super) struct Caught {
    pub message: String,
    pub place: String,
    pub culprit: Culprit,
}

pub(super) fn quietly<T>(f: impl FnOnce() -> T) -> Result<T, Caught> {
    PANIC.with(|p| p.borrow_mut().take());
    QUIET.with(|q| q.set(true));
    let result = panic::catch_unwind(AssertUnwindSafe(f));
    QUIET.with(|q| q.set(false));
    result.map_err(|payload| {
        let (place, backtrace) = PANIC
            .with(|p| p.borrow_mut().take())
            .unwrap_or_else(|| ("(unknown)".into(), String::new()));
        Caught {
            message: payload
                .downcast_ref::<&str>()
                .map(|s| s.to_string())
                .or_else(|| payload.downcast_ref::<String>().cloned())
                .unwrap_or_default(),
            culprit: culprit(&place, &backtrace),
            place,
        }
    })
}
