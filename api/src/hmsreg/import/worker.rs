//! The keyed worker hash: counts distinct apprentices without keeping who they are.

use hmac::{Hmac, Mac};
use sha2::Sha256;

/// Keyed hash of a worker id (HMS card number): counts distinct apprentices without keeping
/// who they are. Spaces and case are ignored so one card is one worker.
pub fn worker_hash(key: &[u8], worker: &str) -> String {
    let normal: String = worker
        .chars()
        .filter(|c| !c.is_whitespace())
        .collect::<String>()
        .to_uppercase();
    let mut mac = match <Hmac<Sha256> as Mac>::new_from_slice(key) {
        Ok(m) => m,
        // HMAC takes keys of any length; this branch cannot be taken.
        Err(_) => return String::new(),
    };
    mac.update(normal.as_bytes());
    hex::encode(&mac.finalize().into_bytes()[..16])
}

#[cfg(test)]
#[path = "worker_tests.rs"]
mod tests;
