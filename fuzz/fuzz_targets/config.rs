//! config::parse on arbitrary text: errors are fine, panics are not, and an
//! error's message is safe to print.
#![no_main]

use std::path::Path;

use broadsheet::config::parse;
use broadsheet_fuzz::assert_clean;
use libfuzzer_sys::fuzz_target;

fuzz_target!(|data: &[u8]| {
    let text = String::from_utf8_lossy(data);
    if let Err(err) = parse(&text, None, Path::new("/tmp")) {
        assert_clean("config error", &err.to_string(), false);
    }
});
