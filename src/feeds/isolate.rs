//! One feed's work run so that a panic in it (a parser's bug meeting bytes
//! no one foresaw) is that feed's failure, with the panic's message,
//! instead of the end of the whole fetch.

use std::any::Any;
use std::cell::Cell;
use std::panic::{self, AssertUnwindSafe};

thread_local! {
    /// How many isolated runs this thread is inside.
    static DEPTH: Cell<usize> = const { Cell::new(0) };
}

/// Whether this thread is running isolated work, whose panic will be
/// caught and reported as a feed's failure: a panic hook (the reader's,
/// which gives the terminal back before the program ends) leaves such a
/// panic alone, since the program goes on.
pub fn inside() -> bool {
    DEPTH.with(|depth| depth.get() > 0)
}

/// What `work` returns, or the message of the panic that stopped it.
/// Whatever `work` shared with others must stay usable after a panic:
/// the fetch's shared state is behind mutexes read through poisoning.
pub(super) fn isolated<T>(work: impl FnOnce() -> T) -> Result<T, String> {
    DEPTH.with(|depth| depth.set(depth.get() + 1));
    let result = panic::catch_unwind(AssertUnwindSafe(work));
    DEPTH.with(|depth| depth.set(depth.get().saturating_sub(1)));
    result.map_err(|payload| message_of(payload.as_ref()))
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
        assert!(!inside());
        assert_eq!(isolated(inside), Ok(true), "inside while it runs");
        assert!(!inside(), "and not after");
        let caught = isolated(|| -> u8 { panic!("set_encoding() called after {}", "drain") });
        assert_eq!(caught, Err("set_encoding() called after drain".to_string()));
        let caught = isolated(|| -> u8 { std::panic::panic_any(7_u32) });
        assert_eq!(caught, Err("a panic without a message".to_string()));
        assert!(!inside(), "not after a panic either");
    }
}
