//! Work split over scoped threads, its results gathered in order.

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

#[cfg(test)]
mod tests {
    #[test]
    fn results_come_in_the_order_of_the_starts() {
        let squares = super::in_order([3, 1, 2].into_iter(), &|n| n * n);
        assert_eq!(squares, [9, 1, 4]);
    }
}
