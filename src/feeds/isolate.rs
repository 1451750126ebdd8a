//! One feed's work run so that a panic in it (a parser's bug meeting bytes
//! no one foresaw) is that feed's failure, with the panic's message,
//! instead of the end of the whole fetch.

use std::any::Any;
use std::panic::{self, AssertUnwindSafe};

/// What `work` returns, or the message of the panic that stopped it.
/// Whatever `work` shared with others must stay usable after a panic:
/// the fetch's shared state is behind mutexes read through poisoning.
pub(super) fn isolated<T>(work: impl FnOnce() -> T) -> Result<T, String> {
    panic::catch_unwind(AssertUnwindSafe(work)).map_err(|payload| message_of(payload.as_ref()))
}

/// The text a panic was raised with (`panic!("…")` gives a `&str` or a
/// `String`), or a placeholder for other payloads.
fn message_of(payload: &(dyn Any + Send)) -> String {
    if let Some(text) = payload.downcast_ref::<&str>() {
        (*text).to_string()
    } else if let Some(text) = payload.downcast_ref::<String>() {
        text.clone()
    } else {
        "a panic without a message".to_string()
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn a_panic_becomes_its_message() {
        assert_eq!(isolated(|| 3), Ok(3));
        let caught = isolated(|| -> u8 { panic!("set_encoding() called after {}", "drain") });
        assert_eq!(caught, Err("set_encoding() called after drain".to_string()));
        let caught = isolated(|| -> u8 { std::panic::panic_any(7_u32) });
        assert_eq!(caught, Err("a panic without a message".to_string()));
    }
}
