//! What the protocol tests against test servers (tests/sync_greader.rs,
//! tests/sync_miniflux.rs) share: a protocol's account on a test server,
//! and its items read page after page.

use std::time::Duration;

use broadsheet::sync::http::Client;
use broadsheet::sync::service::{Credentials, Cursor, Secret, Service};

/// The credentials for `user` with `password` at `url`, and a client
/// with a timeout no test answer comes near.
pub fn login(url: String, user: &str, password: &str) -> (Credentials, Client) {
    (
        Credentials {
            url,
            user: user.to_string(),
            password: Secret::new(password.to_string()),
        },
        Client::new(Duration::from_secs(20)),
    )
}

/// Every item after `from` in pages of `limit`: their ids and the last
/// cursor.
pub fn read_all(service: &mut dyn Service, from: Cursor, limit: usize) -> (Vec<String>, Cursor) {
    let mut cursor = from;
    let mut ids = Vec::new();
    for _ in 0..10_000 {
        let page = service.items(&cursor, limit).expect("a page of items");
        ids.extend(page.items.into_iter().map(|item| item.id));
        cursor = page.next;
        if !page.more {
            return (ids, cursor);
        }
    }
    panic!("the items never ended");
}
