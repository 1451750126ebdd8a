//! The sync engine's setup for a test folder (tests/sync_engine.rs,
//! tests/sync_greader.rs): the account "home", its articles, feed list,
//! marks and state beside each other in one folder, so that no test
//! writes into the person's own data.

use std::path::Path;
use std::time::Duration;

use broadsheet::store::MarkStores;
use broadsheet::sync::engine::Setup;
use broadsheet::sync::state::SyncPaths;

/// The setup of the account "home" with every file in `root`, asking the
/// server `page_size` items a page.
pub fn setup_in(root: &Path, page_size: usize) -> Setup {
    Setup {
        account: "home".into(),
        articles: root.join("articles"),
        paths: SyncPaths::new(&root.join("feeds.toml"), "home"),
        stores: MarkStores::new(&root.join("bookmarks.toml"), &root.join("state.toml")),
        page_size,
        max_wait: Duration::from_secs(2),
    }
}
