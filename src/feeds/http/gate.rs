//! At most so many requests in flight per host: a count per `host:port`
//! that a request waits on before it starts and gives back when its body is
//! read. Many feeds live on one host (a blog platform, a news site's
//! sections); fetching them all at once would hammer it and get us
//! throttled.

use std::collections::HashMap;
use std::sync::{Condvar, Mutex, MutexGuard, PoisonError};

/// The counts of requests in flight, per host.
#[derive(Debug)]
pub(crate) struct Gate {
    /// The most requests in flight to one host (at least 1).
    limit: usize,
    /// Requests in flight per `host:port`; a host with none has no entry.
    busy: Mutex<HashMap<String, usize>>,
    /// Signalled whenever a request ends, for those waiting to start.
    freed: Condvar,
}

/// The right to one request to a host, given back when dropped.
#[derive(Debug)]
pub(crate) struct Permit<'a> {
    gate: &'a Gate,
    host: String,
}

impl Gate {
    /// A gate letting at most `limit` requests to one host through at once.
    /// A limit of 0 would block every request forever, so it counts as 1.
    pub(crate) fn new(limit: usize) -> Gate {
        Gate {
            limit: limit.max(1),
            busy: Mutex::new(HashMap::new()),
            freed: Condvar::new(),
        }
    }

    /// Waits until `host` has a free place, and takes it.
    pub(crate) fn enter(&self, host: &str) -> Permit<'_> {
        let mut busy = self.lock();
        while busy.get(host).copied().unwrap_or(0) >= self.limit {
            busy = self
                .freed
                .wait(busy)
                .unwrap_or_else(PoisonError::into_inner);
        }
        *busy.entry(host.to_string()).or_insert(0) += 1;
        Permit {
            gate: self,
            host: host.to_string(),
        }
    }

    /// The counts. Nothing panics while holding the lock, but if something
    /// ever did, the counts are still whole numbers worth using: a poisoned
    /// lock must not stop every later fetch.
    fn lock(&self) -> MutexGuard<'_, HashMap<String, usize>> {
        self.busy.lock().unwrap_or_else(PoisonError::into_inner)
    }
}

impl Drop for Permit<'_> {
    fn drop(&mut self) {
        let mut busy = self.gate.lock();
        if let Some(count) = busy.get_mut(&self.host) {
            *count = count.saturating_sub(1);
            if *count == 0 {
                busy.remove(&self.host);
            }
        }
        drop(busy);
        // Every waiter, not one: the one woken might wait for another host.
        self.gate.freed.notify_all();
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use std::sync::Arc;
    use std::sync::atomic::{AtomicUsize, Ordering};
    use std::thread;
    use std::time::Duration;

    #[test]
    fn never_more_than_the_limit_in_flight_for_one_host() {
        let gate = Arc::new(Gate::new(2));
        let now = Arc::new(AtomicUsize::new(0));
        let most = Arc::new(AtomicUsize::new(0));
        let workers: Vec<_> = (0..6)
            .map(|_| {
                let (gate, now, most) = (gate.clone(), now.clone(), most.clone());
                thread::spawn(move || {
                    let _permit = gate.enter("example.com:443");
                    let inside = now.fetch_add(1, Ordering::SeqCst) + 1;
                    most.fetch_max(inside, Ordering::SeqCst);
                    thread::sleep(Duration::from_millis(20));
                    now.fetch_sub(1, Ordering::SeqCst);
                })
            })
            .collect();
        for worker in workers {
            assert!(worker.join().is_ok());
        }
        assert_eq!(most.load(Ordering::SeqCst), 2);
        assert!(gate.lock().is_empty(), "every place was given back");
    }

    #[test]
    fn other_hosts_are_not_held_up() {
        let gate = Gate::new(1);
        let _first = gate.enter("a:80");
        // Would block forever if hosts shared one count.
        let _second = gate.enter("b:80");
    }

    #[test]
    fn a_limit_of_zero_still_lets_one_through() {
        let gate = Gate::new(0);
        let _permit = gate.enter("a:80");
    }
}
