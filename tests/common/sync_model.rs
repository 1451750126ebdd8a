//! A small model of a sync server for the engine's tests: items with ids
//! and read and starred flags, pages after a cursor, refusals and faults a
//! test arranges, and a count of requests. It implements the same
//! `Service` trait every protocol does. Used with
//! `#[path = "common/sync_model.rs"] mod sync_model;`.

#![allow(dead_code)]

use std::collections::HashMap;

use broadsheet::sync::service::{
    Change, Cursor, Flag, ItemPage, RemoteFeed, RemoteItem, Sent, Service, SyncError,
};

/// The address the model says it is at, in its errors.
pub const URL: &str = "http://127.0.0.1:9/";

/// The model server.
#[derive(Default)]
pub struct Model {
    pub feeds: Vec<RemoteFeed>,
    /// Items in id order; ids are numbers, the cursor the last id given.
    pub items: Vec<RemoteItem>,
    /// Requests, by call.
    pub requests: HashMap<&'static str, usize>,
    /// Every change received, whole.
    pub sends: Vec<Change>,
    /// Ids whose changes are refused, with the reason.
    pub refuse: HashMap<String, String>,
    /// Every call fails as if the server were down.
    pub down: bool,
    /// `items` fails after this many calls.
    pub items_fail_after: Option<usize>,
    /// Each page repeats the last item of the page before.
    pub repeat: bool,
    /// The next this-many calls answer 429 with this Retry-After.
    pub busy: Option<(usize, u64)>,
    /// The login is refused.
    pub wrong_password: bool,
    /// A file read at each `send`, as the sender found it (the engine's
    /// journal, which must be on disk before anything is sent).
    pub watch_at_send: Option<std::path::PathBuf>,
    /// What that file held at each `send`.
    pub seen_at_send: Vec<String>,
    /// The cursors `items` was called with.
    pub cursors: Vec<String>,
}

impl Model {
    /// Two feeds and `count` unread items, alternating between them.
    pub fn with_items(count: usize) -> Model {
        let feeds = vec![
            RemoteFeed {
                id: "f1".into(),
                title: "Tech Daily".into(),
                url: "https://tech.example/feed".into(),
                site_url: Some("https://tech.example/".into()),
                categories: vec!["Tech".into()],
            },
            RemoteFeed {
                id: "f2".into(),
                title: "World News".into(),
                url: "https://world.example/rss".into(),
                site_url: None,
                categories: vec!["News".into(), "Daily".into()],
            },
        ];
        let mut model = Model {
            feeds,
            ..Model::default()
        };
        for n in 1..=count {
            model.add_item(n);
        }
        model
    }

    /// Adds item `n` (id `n`).
    pub fn add_item(&mut self, n: usize) {
        self.items.push(RemoteItem {
            id: n.to_string(),
            feed_id: if n.is_multiple_of(2) { "f2" } else { "f1" }.into(),
            title: format!("Item number {n}"),
            url: Some(format!("https://site.example/{n}")),
            author: Some("Ann".into()),
            published: Some(1_765_000_000 + n as i64 * 60),
            html: format!("<p>Body of item <b>{n}</b>.</p>"),
            read: false,
            starred: false,
        });
    }

    /// The item of this id.
    pub fn item(&mut self, id: &str) -> &mut RemoteItem {
        self.items
            .iter_mut()
            .find(|item| item.id == id)
            .expect("the test names an item of the model")
    }

    /// Every request so far.
    pub fn total_requests(&self) -> usize {
        self.requests.values().sum()
    }

    fn enter(&mut self, call: &'static str) -> Result<(), SyncError> {
        *self.requests.entry(call).or_default() += 1;
        if self.down {
            return Err(SyncError::Unreachable {
                url: URL.into(),
                detail: "connection refused".into(),
            });
        }
        if self.wrong_password {
            return Err(SyncError::Login {
                url: URL.into(),
                detail: "invalid credentials".into(),
            });
        }
        if let Some((left, secs)) = self.busy {
            self.busy = (left > 1).then_some((left - 1, secs));
            return Err(SyncError::Status {
                url: URL.into(),
                status: 429,
                retry_after: Some(secs),
            });
        }
        Ok(())
    }
}

impl Service for Model {
    fn protocol(&self) -> &'static str {
        "Model"
    }

    fn feeds(&mut self) -> Result<Vec<RemoteFeed>, SyncError> {
        self.enter("feeds")?;
        Ok(self.feeds.clone())
    }

    fn items(&mut self, after: &Cursor, limit: usize) -> Result<ItemPage, SyncError> {
        self.enter("items")?;
        self.cursors.push(after.0.clone());
        if let Some(left) = self.items_fail_after {
            if left == 0 {
                return Err(SyncError::Unreachable {
                    url: URL.into(),
                    detail: "connection reset".into(),
                });
            }
            self.items_fail_after = Some(left - 1);
        }
        let after: usize = after.0.parse().unwrap_or(0);
        let mut start = self
            .items
            .iter()
            .position(|item| item.id.parse::<usize>().unwrap_or(0) > after)
            .unwrap_or(self.items.len());
        if self.repeat && start > 0 {
            start -= 1;
        }
        let page: Vec<RemoteItem> = self.items.iter().skip(start).take(limit).cloned().collect();
        let next = page
            .last()
            .map_or(after.to_string(), |item| item.id.clone());
        let more = start + page.len() < self.items.len();
        Ok(ItemPage {
            items: page,
            next: Cursor(next),
            more,
        })
    }

    fn items_by_id(&mut self, ids: &[String]) -> Result<Vec<RemoteItem>, SyncError> {
        self.enter("items_by_id")?;
        Ok(self
            .items
            .iter()
            .filter(|item| ids.contains(&item.id))
            .cloned()
            .collect())
    }

    fn unread_ids(&mut self) -> Result<Vec<String>, SyncError> {
        self.enter("unread_ids")?;
        Ok(self
            .items
            .iter()
            .filter(|item| !item.read)
            .map(|item| item.id.clone())
            .collect())
    }

    fn starred_ids(&mut self) -> Result<Vec<String>, SyncError> {
        self.enter("starred_ids")?;
        Ok(self
            .items
            .iter()
            .filter(|item| item.starred)
            .map(|item| item.id.clone())
            .collect())
    }

    fn send(&mut self, change: &Change) -> Result<Sent, SyncError> {
        self.enter("send")?;
        if let Some(path) = &self.watch_at_send {
            self.seen_at_send
                .push(std::fs::read_to_string(path).unwrap_or_default());
        }
        self.sends.push(change.clone());
        let mut sent = Sent::default();
        for id in &change.ids {
            if let Some(why) = self.refuse.get(id) {
                sent.refused.push((id.clone(), why.clone()));
                continue;
            }
            let Some(item) = self.items.iter_mut().find(|item| &item.id == id) else {
                sent.refused.push((id.clone(), "no such item".into()));
                continue;
            };
            match change.flag {
                Flag::Read => item.read = change.on,
                Flag::Starred => item.starred = change.on,
            }
            sent.accepted.push(id.clone());
        }
        Ok(sent)
    }

    fn subscribe(&mut self, _url: &str) -> Result<RemoteFeed, SyncError> {
        Err(SyncError::Unsupported {
            protocol: "Model",
            what: "subscribe",
        })
    }
}
