//! opml::import on arbitrary bytes: errors are fine, panics are not; every
//! subscription is an http or https address, every name, tag, skipped
//! address and reason one clean line.
#![no_main]

use broadsheet::feeds::opml::import;
use broadsheet_fuzz::assert_clean;
use libfuzzer_sys::fuzz_target;

fuzz_target!(|data: &[u8]| {
    let imported = match import(data) {
        Ok(imported) => imported,
        Err(err) => {
            assert_clean("import error", &err, false);
            return;
        }
    };
    for subscription in &imported.subscriptions {
        assert!(
            subscription.url.starts_with("http://") || subscription.url.starts_with("https://"),
            "not a web address: {:?}",
            subscription.url
        );
        assert_clean("url", &subscription.url, false);
        if let Some(name) = &subscription.name {
            assert_clean("name", name, false);
        }
        for tag in &subscription.tags {
            assert_clean("tag", tag, false);
        }
    }
    for skipped in &imported.skipped {
        assert_clean("skipped url", &skipped.url, false);
        assert_clean("skipped reason", &skipped.reason, false);
    }
    if let Some(stopped) = &imported.stopped {
        assert_clean("stopped", stopped, false);
    }
});
