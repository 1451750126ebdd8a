//! A step `undo` takes back, apart from the [`App`](super::App) that keeps
//! the list of them: what was done, and the changes that take it back.

use crate::store::MarkChange;

/// The most steps `undo` can take back.
pub(super) const UNDO_DEPTH: usize = 200;

/// One change the person made, and how to take it back.
#[derive(Debug, Clone, PartialEq, Eq)]
pub(crate) struct UndoStep {
    /// What was done, for the message when it is undone.
    pub(super) what: String,
    /// The changes that take it back, in order.
    pub(super) inverse: Vec<MarkChange>,
}
