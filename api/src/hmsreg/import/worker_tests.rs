//! The worker hash ignores spacing and case and depends on the key.

use super::*;

#[test]
fn one_card_is_one_worker_whatever_its_spacing_and_case() {
    let key = b"test-key";
    let hash = worker_hash(key, "HMS 2");
    assert_eq!(hash, worker_hash(key, "hms2"));
    assert_eq!(hash, worker_hash(key, " h m s\t2 "));
    assert_ne!(hash, worker_hash(key, "HMS 3"));
    assert_ne!(hash, worker_hash(b"another-key", "HMS 2"));
    // 16 bytes of the HMAC, in hex.
    assert_eq!(hash.len(), 32);
}
