//! A feed's items made into articles on a few threads when there are many:
//! converting an item's HTML is most of a big feed's fetch (BENCHMARKS.md,
//! "Fetching after issue 18"), and one feed is parsed by one fetch worker,
//! so a 10,000-item feed would use one core. Small feeds stay on the
//! worker's thread, which the other workers keep the cores busy beside.

use std::sync::Mutex;

use super::html::THREAD_STACK;

/// Below this many items a feed's items are converted on the calling
/// thread: starting threads costs more than they save, and the fetch's
/// other workers use the cores.
pub(super) const SPREAD_FROM: usize = 64;

/// The most threads one feed's items are converted on (the calling
/// thread included).
const MAX_THREADS: usize = 4;

/// How many items a thread takes at a time: small enough that the threads
/// finish together, large enough that taking them costs nothing.
const BATCH: usize = 16;

/// `f` of each of `items`, in their order. From [`SPREAD_FROM`] items on,
/// on up to [`MAX_THREADS`] threads (as many as the machine has cores),
/// the calling thread among them; a thread that cannot be started leaves
/// its share to the others. A panic in `f` ends the call in a panic once
/// every thread has stopped (the feed's fetch fails, as on one thread).
pub(super) fn map_in_order<T: Send, U: Send>(items: Vec<T>, f: impl Fn(T) -> U + Sync) -> Vec<U> {
    // Small feeds first: asking for the cores reads the process's cgroup
    // files, a few system calls a feed.
    if items.len() < SPREAD_FROM {
        return items.into_iter().map(f).collect();
    }
    let threads = std::thread::available_parallelism()
        .map_or(1, std::num::NonZeroUsize::get)
        .min(MAX_THREADS);
    if threads < 2 {
        return items.into_iter().map(f).collect();
    }
    let count = items.len();
    let mut batches: Vec<(usize, Vec<T>)> = Vec::with_capacity(count.div_ceil(BATCH));
    let mut rest = items.into_iter();
    loop {
        let batch: Vec<T> = rest.by_ref().take(BATCH).collect();
        if batch.is_empty() {
            break;
        }
        batches.push((batches.len(), batch));
    }
    // Taken from the end: the first batch last, which does not matter,
    // since the results are put in order below.
    let work = Mutex::new(batches);
    let done: Mutex<Vec<(usize, Vec<U>)>> = Mutex::new(Vec::new());
    let convert = || {
        loop {
            // A poisoned lock means a thread panicked: the scope carries
            // that panic on, so the others may simply stop.
            let next = work.lock().ok().and_then(|mut work| work.pop());
            let Some((at, batch)) = next else { break };
            let converted: Vec<U> = batch.into_iter().map(&f).collect();
            if let Ok(mut done) = done.lock() {
                done.push((at, converted));
            }
        }
    };
    std::thread::scope(|scope| {
        for _ in 1..threads {
            // Without a thread the others take its share.
            let _ = std::thread::Builder::new()
                .stack_size(THREAD_STACK)
                .spawn_scoped(scope, convert);
        }
        convert();
    });
    let mut done = done
        .into_inner()
        .unwrap_or_else(|poisoned| poisoned.into_inner());
    done.sort_unstable_by_key(|(at, _)| *at);
    let mut out = Vec::with_capacity(count);
    for (_, converted) in done {
        out.extend(converted);
    }
    out
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn results_come_in_the_order_of_the_items_however_many() {
        for count in [0, 1, SPREAD_FROM - 1, SPREAD_FROM, 1_000, 10_007] {
            let items: Vec<usize> = (0..count).collect();
            let got = map_in_order(items, |n| n * 2);
            let want: Vec<usize> = (0..count).map(|n| n * 2).collect();
            assert_eq!(got, want, "{count} items");
        }
    }

    #[test]
    fn a_panic_in_one_item_reaches_the_caller() {
        let items: Vec<usize> = (0..1_000).collect();
        let caught = std::panic::catch_unwind(|| {
            map_in_order(items, |n| {
                assert!(n != 777, "item 777");
                n
            })
        });
        assert!(caught.is_err());
    }
}
