//! Going from article to article without leaving the reader: the next and
//! previous article, and the next unread one.
//!
//! From the list these move the selection as `down` and `up` do. While
//! reading, the article moved to is opened in its place: the reader keeps
//! the focus (and the full screen), starts at the article's top, and marks
//! it read as opening it does.

use super::{App, Effect, Focus};

impl App {
    /// The next (`by` 1) or previous (`by` -1) article of the list.
    pub(super) fn step_article(&mut self, by: isize) -> Vec<Effect> {
        let target = self
            .selected
            .checked_add_signed(by)
            .filter(|&target| target < self.visible.len());
        match target {
            Some(target) => self.go_to_article(target),
            None => {
                self.say(
                    if by > 0 {
                        "this is the last article"
                    } else {
                        "this is the first article"
                    },
                    false,
                );
                Vec::new()
            }
        }
    }

    /// The first unread article after the selected one, going on from the
    /// top of the list after its end.
    pub(super) fn next_unread(&mut self) -> Vec<Effect> {
        let count = self.visible.len();
        let unread = (1..count)
            .map(|step| (self.selected + step) % count)
            .find(|&position| {
                let read = self
                    .library
                    .get(self.visible[position])
                    .is_some_and(|row| self.marks.read.contains(row.id()));
                !read
            });
        match unread {
            Some(position) => self.go_to_article(position),
            None => {
                self.say("no other unread article in the list", false);
                Vec::new()
            }
        }
    }

    /// Selects the article at `position` of the list, and opens it when
    /// the reader has the focus.
    fn go_to_article(&mut self, position: usize) -> Vec<Effect> {
        self.select(position);
        if self.focus == Focus::Reader {
            self.open()
        } else {
            Vec::new()
        }
    }
}
