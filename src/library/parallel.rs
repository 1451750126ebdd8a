//! Work split over scoped threads, its results gathered in order.

use std::collections::BTreeMap;
use std::panic::{AssertUnwindSafe, catch_unwind, resume_unwind};
use std::sync::mpsc;
use std::sync::{Condvar, Mutex, PoisonError};

/// Runs `work(start)` for each of `starts` on a thread of its own and
/// returns the results in the order of `starts`. A panic in one is raised
/// again here: the work it runs catches what a file can cause, so a panic
/// that gets this far is a bug to surface, not a result to drop.
pub(crate) fn in_order<T: Send>(
    starts: impl Iterator<Item = usize>,
    work: &(dyn Fn(usize) -> T + Sync),
) -> Vec<T> {
    std::thread::scope(|scope| {
        let handles: Vec<_> = starts
            .map(|start| scope.spawn(move || work(start)))
            .collect();
        handles
            .into_iter()
            .map(|handle| match handle.join() {
                Ok(result) => result,
                Err(payload) => std::panic::resume_unwind(payload),
            })
            .collect()
    })
}

/// Runs `work` on each of `items` on `threads` threads and hands the
/// results to `take` on this thread, in the items' order, each as soon as
/// it and those before it are done: while `take` works on one result the
/// threads go on with the next items, so a core is never left idle
/// waiting for a round to be taken. At most `threads + 1` results wait
/// beside the one being taken, which bounds what is held. Stops at the
/// first error `take` returns (the items not yet started are left) and
/// returns it. A panic in `work` is raised again here.
pub(crate) fn pipelined<I: Send, T: Send, E>(
    items: impl Iterator<Item = I> + Send,
    threads: usize,
    work: &(dyn Fn(I) -> T + Sync),
    take: &mut dyn FnMut(T) -> Result<(), E>,
) -> Result<(), E> {
    if threads <= 1 {
        // Nothing to overlap with but `take` itself: one thread does both.
        for item in items {
            take(work(item))?;
        }
        return Ok(());
    }
    let ahead = threads + 1;
    let queue = Mutex::new(Queue {
        items,
        started: 0,
        taken: 0,
        stopped: false,
    });
    let room = Condvar::new();
    let (sender, receiver) = mpsc::channel();
    std::thread::scope(|scope| {
        for _ in 0..threads {
            let sender = sender.clone();
            let (queue, room) = (&queue, &room);
            scope.spawn(move || {
                while let Some((at, item)) = next_item(queue, room, ahead) {
                    let done = catch_unwind(AssertUnwindSafe(|| work(item)));
                    let failed = done.is_err();
                    if sender.send((at, done)).is_err() || failed {
                        break;
                    }
                }
            });
        }
        drop(sender);
        // However this thread leaves (a panic in `take` included), the
        // threads are told to start nothing more, so none waits for room
        // for ever and the scope can end.
        let _stop = StopOnDrop {
            queue: &queue,
            room: &room,
        };
        let mut waiting = BTreeMap::new();
        let mut next = 0;
        let mut outcome = Ok(());
        // Ends when every thread is done and has dropped its sender.
        for (at, done) in receiver.iter() {
            waiting.insert(at, done);
            while let Some(done) = waiting.remove(&next) {
                let result = match done {
                    Ok(result) => result,
                    Err(payload) => resume_unwind(payload),
                };
                next += 1;
                if outcome.is_ok() {
                    outcome = take(result);
                }
                let mut state = queue.lock().unwrap_or_else(PoisonError::into_inner);
                state.taken = next;
                state.stopped |= outcome.is_err();
                drop(state);
                room.notify_all();
            }
        }
        outcome
    })
}

/// The items of [`pipelined`] not yet started, and how far the taking is.
struct Queue<It> {
    items: It,
    /// Items handed to a thread so far (the next one's number).
    started: usize,
    /// Results taken so far.
    taken: usize,
    /// No more items are to be started.
    stopped: bool,
}

/// The next item of `queue` and its number, once there is room for its
/// result (fewer than `ahead` results waiting to be taken); `None` when
/// the items are over or the work stopped.
fn next_item<I, It: Iterator<Item = I>>(
    queue: &Mutex<Queue<It>>,
    room: &Condvar,
    ahead: usize,
) -> Option<(usize, I)> {
    let mut state = queue.lock().unwrap_or_else(PoisonError::into_inner);
    while !state.stopped && state.started >= state.taken + ahead {
        state = room.wait(state).unwrap_or_else(PoisonError::into_inner);
    }
    if state.stopped {
        return None;
    }
    let item = state.items.next()?;
    let at = state.started;
    state.started += 1;
    Some((at, item))
}

/// Stops [`pipelined`]'s threads from starting more items when dropped.
struct StopOnDrop<'q, It> {
    queue: &'q Mutex<Queue<It>>,
    room: &'q Condvar,
}

impl<It> Drop for StopOnDrop<'_, It> {
    fn drop(&mut self) {
        self.queue
            .lock()
            .unwrap_or_else(PoisonError::into_inner)
            .stopped = true;
        self.room.notify_all();
    }
}

#[cfg(test)]
mod tests {
    use std::sync::atomic::{AtomicUsize, Ordering};

    use super::*;

    #[test]
    fn results_come_in_the_order_of_the_starts() {
        let squares = in_order([3, 1, 2].into_iter(), &|n| n * n);
        assert_eq!(squares, [9, 1, 4]);
    }

    #[test]
    fn pipelined_results_are_taken_in_order_whatever_order_they_finish_in() {
        for threads in [1, 2, 3, 8] {
            let mut taken = Vec::new();
            let work = |n: u64| {
                // Earlier items take longer, so later ones finish first.
                std::thread::sleep(std::time::Duration::from_micros((50 - n) * 40));
                n * n
            };
            let done: Result<(), ()> = pipelined(0..50u64, threads, &work, &mut |square| {
                taken.push(square);
                Ok(())
            });
            assert_eq!(done, Ok(()));
            assert_eq!(taken, (0..50u64).map(|n| n * n).collect::<Vec<_>>());
        }
    }

    #[test]
    fn pipelined_work_never_runs_far_ahead_of_the_taking() {
        let started = AtomicUsize::new(0);
        let work = |n: usize| {
            started.fetch_add(1, Ordering::SeqCst);
            n
        };
        let mut most_ahead = 0;
        let done: Result<(), ()> = pipelined(0..200, 2, &work, &mut |n| {
            // Slow taking: the threads would race ahead if let.
            std::thread::sleep(std::time::Duration::from_micros(200));
            let ahead = started.load(Ordering::SeqCst) - (n + 1);
            most_ahead = most_ahead.max(ahead);
            Ok(())
        });
        assert_eq!(done, Ok(()));
        assert!(most_ahead <= 3, "{most_ahead} results waited at once");
        assert_eq!(started.load(Ordering::SeqCst), 200);
    }

    #[test]
    fn pipelined_stops_at_the_first_error_of_the_taking() {
        let started = AtomicUsize::new(0);
        let work = |n: usize| {
            started.fetch_add(1, Ordering::SeqCst);
            n
        };
        let mut taken = Vec::new();
        let done = pipelined(0..1_000, 2, &work, &mut |n| {
            taken.push(n);
            if n == 10 { Err("full disk") } else { Ok(()) }
        });
        assert_eq!(done, Err("full disk"));
        assert_eq!(taken, (0..=10).collect::<Vec<_>>());
        assert!(started.load(Ordering::SeqCst) < 20);
    }

    #[test]
    fn a_panic_in_the_taking_is_raised_and_leaves_no_thread_waiting() {
        // The threads fill the room ahead and wait; the taking panics. The
        // call must end (with the panic), not wait for them for ever.
        let raised = catch_unwind(|| {
            let _: Result<(), ()> = pipelined(0..100, 2, &|n: usize| n, &mut |n| {
                assert_ne!(n, 5, "a bug in the taking");
                std::thread::sleep(std::time::Duration::from_millis(2));
                Ok(())
            });
        });
        assert!(raised.is_err());
    }

    #[test]
    fn a_panic_in_pipelined_work_is_raised_again_and_ends_the_threads() {
        let raised = catch_unwind(|| {
            let work = |n: usize| {
                assert_ne!(n, 7, "a bug in the work");
                n
            };
            let _: Result<(), ()> = pipelined(0..100, 2, &work, &mut |_| Ok(()));
        });
        assert!(raised.is_err());
    }
}
