//! Hostile article folders: every kind of escape sequence, control
//! character, broken encoding, odd name, odd file type and huge size that an
//! articles folder can hold. The folder is generated in a temp dir by the
//! tests (no binary junk in the repository), then loaded through the
//! library, the command line and the reader in a real pseudo-terminal.
//!
//! What must hold everywhere: nothing hangs, nothing crashes, the readable
//! articles are listed, the rest is skipped with a warning naming the file,
//! and no byte that could steer a terminal (control characters, ESC, bidi
//! controls) ever reaches one.

mod common;

use std::ffi::OsStr;
use std::fs;
use std::os::unix::ffi::OsStrExt;
use std::os::unix::fs::{PermissionsExt, symlink};
use std::path::Path;
use std::sync::atomic::{AtomicBool, Ordering};
use std::sync::{Arc, mpsc};
use std::thread;
use std::time::{Duration, Instant};

use broadsheet::article::{Article, BlockKind};
use broadsheet::library::{Library, LoadOptions, LoadWarning, load};
use common::{ENTER, Sandbox, assert_exit_code, list_header, screen_rows};

/// How long a load of the hostile folder may take before the test calls it
/// a hang: far more than a healthy debug build needs on a loaded machine.
const LOAD_DEADLINE: Duration = Duration::from_secs(60);

/// Articles that must be loaded, each by its id, whatever their content.
const READABLE: &[&str] = &[
    "csi.txt",
    "osc_title.txt",
    "osc8_link.txt",
    "osc52_clipboard.txt",
    "dcs.txt",
    "apc.txt",
    "queries.txt",
    "unterminated.txt",
    "c1_utf8.txt",
    "c1_raw.txt",
    "overwrite.txt",
    "controls.txt",
    "tabs.txt",
    "bidi.txt",
    "zero_width.txt",
    "zalgo.txt",
    "cjk_emoji.txt",
    "lone_continuation.txt",
    "truncated.txt",
    "overlong.txt",
    "surrogates.txt",
    "ff_bytes.txt",
    "bom_utf8.txt",
    "bom_utf16le.txt",
    "bom_utf16be.txt",
    "crlf.txt",
    "mixed_endings.txt",
    "huge_line.txt",
    "many_lines.txt",
    "long_title.md",
    "long_title.txt",
    "date_zero.txt",
    "date_huge.txt",
    "date_negative.txt",
    "date_max.txt",
    "date_feb30.txt",
    "tags_garbage.txt",
    "tags_thousands.txt",
    "escape_front_matter.md",
    "code_block.md",
    "quote\"s 'name'.txt",
    "-dash.txt",
    "space name.txt",
    "through_link.txt",
];

/// Files that must be skipped, each with a word its warning must hold.
const SKIPPED: &[(&str, &str)] = &[
    ("fifo.txt", "fifo"),
    ("loop/back", "loop"),
    ("self_loop.txt", "loop"),
    ("dangling.txt", "dangling"),
    ("zero_device.txt", "device"),
    ("null_device.txt", "device"),
    // A regular file whose read fails even for root (EIO).
    ("unreadable_mem.txt", "cannot be read"),
    ("nul_bytes.txt", "binary"),
    ("binary.txt", "binary"),
];

/// The paragraph every generated article carries, so each has a body.
const BODY: &str = "An ordinary paragraph of the article, long enough to read like one.";

/// Writes the hostile folder into `dir`.
fn write_fixtures(dir: &Path) {
    let text = |name: &str, content: &str| write(dir, name.as_bytes(), content.as_bytes());
    let bytes = |name: &str, content: &[u8]| write(dir, name.as_bytes(), content);

    // Escape sequences of every family, in titles and bodies.
    text(
        "csi.txt",
        &format!(
            "\x1b[2J\x1b[HCSI Title \x1b[31mred\x1b[0m\n\n{BODY} \x1b[2J\x1b[1;1H\x1b[?1049l\n"
        ),
    );
    text(
        "osc_title.txt",
        &format!("\x1b]0;pwned\x07OSC Title\n\n{BODY} \x1b]2;pwned\x1b\\ and \x1b]1;pwned\x07\n"),
    );
    text(
        "osc8_link.txt",
        &format!(
            "OSC 8 Link\n\n\x1b]8;;https://evil.example/\x1b\\click here\x1b]8;;\x1b\\ {BODY}\n"
        ),
    );
    text(
        "osc52_clipboard.txt",
        &format!("Clipboard \x1b]52;c;cm0gLXJmIH4=\x07Title\n\n{BODY}\x1b]52;p;cHduZWQ=\x1b\\\n"),
    );
    text(
        "dcs.txt",
        &format!("DCS \x1bP1$tpwned\x1b\\Title\n\n{BODY} \x1bP+q544e\x1b\\\n"),
    );
    text(
        "apc.txt",
        &format!("APC \x1b_Gf=100;pwned\x1b\\Title\n\n{BODY} \x1b^privacy\x1b\\ \x1bXsos\x1b\\\n"),
    );
    text(
        "queries.txt",
        &format!(
            "Queries \x1b[6n\x1b[c\x1b]11;?\x07\x1b[>c\x1b[18t Title\n\n{BODY} \x1bZ \x1b[5n\n"
        ),
    );
    text(
        "unterminated.txt",
        &format!("Unterminated Title\n\n{BODY}\n\nA tail \x1b]0;pwned and \x1bP more \x1b[12"),
    );
    text(
        "c1_utf8.txt",
        &format!(
            "C1 \u{9b}2J\u{9d}0;pwned\u{9c}Title\n\n{BODY} \u{90}dcs\u{9c} \u{9e}pm\u{9c} \u{9f}apc\u{9c} \u{85}\u{8d}\n"
        ),
    );
    let mut c1_raw = b"C1 Raw \x9b2J\x9d0;raw\x07Title\n\n".to_vec();
    c1_raw.extend_from_slice(BODY.as_bytes());
    c1_raw.extend_from_slice(b" \x9b31m red \x90dcs\x9c\n");
    bytes("c1_raw.txt", &c1_raw);

    // Overwrites and lone control characters.
    text(
        "overwrite.txt",
        &format!("Safe Title\x08\x08\x08\x08\x08Evil!\n\n{BODY} visible\rhidden text\r\n"),
    );
    text(
        "controls.txt",
        &format!(
            "Bell\x07 Vt\x0b Ff\x0c So\x0e Si\x0f Del\x7f Title\n\n{BODY} \x01\x02\x03\x1a\x1c\x7f\n"
        ),
    );
    text("tabs.txt", &format!("\tTabbed\tTitle\n\n\t{BODY}\tend\n"));

    // Unicode that reorders or hides text.
    text(
        "bidi.txt",
        &format!(
            "Bidi \u{202e}gnp.exe\u{202c} \u{2066}iso\u{2069} \u{2067}\u{2068}x\u{2069}\u{2069} Title\n\n\
             {BODY} \u{202a}\u{202b}\u{202d}\u{200e}\u{200f}\u{61c} done\n"
        ),
    );
    text(
        "zero_width.txt",
        &format!("Zero\u{200b}Width\u{2060}\u{feff} Title\n\n{BODY} a\u{200b}\u{200c}\u{200d}b\n"),
    );
    let zalgo: String = "Zalgo"
        .chars()
        .flat_map(|c| {
            std::iter::once(c)
                .chain((0..300).map(|n| char::from_u32(0x300 + n % 0x70).unwrap_or('a')))
        })
        .collect();
    text("zalgo.txt", &format!("{zalgo}\n\n{BODY} {zalgo}\n"));
    let wide = "漢字かな交じり文😀👩‍👩‍👧‍👦🇫🇷".repeat(200);
    text(
        "cjk_emoji.txt",
        &format!("CJK 漢字 Title 😀\n\n{wide}\n\nx{wide}\n"),
    );

    // Invalid UTF-8 of every shape.
    let broken = |name: &str, bad: &[u8]| {
        let mut content = b"Broken ".to_vec();
        content.extend_from_slice(bad);
        content.extend_from_slice(b" Title\n\n");
        content.extend_from_slice(BODY.as_bytes());
        content.extend_from_slice(bad);
        content.push(b'\n');
        bytes(name, &content);
    };
    broken("lone_continuation.txt", b"\x80\xbf");
    broken("truncated.txt", b"\xe2\x82 \xf0\x9f\x98");
    broken("overlong.txt", b"\xc0\xaf \xe0\x80\xaf \xc1\x9b");
    broken("surrogates.txt", b"\xed\xa0\x80\xed\xbf\xbf");
    broken("ff_bytes.txt", b"\xff\xfe\xfd");

    // BOMs and line endings.
    let mut bom = b"\xef\xbb\xbf".to_vec();
    bom.extend_from_slice(format!("BOM Title\n\n{BODY}\n").as_bytes());
    bytes("bom_utf8.txt", &bom);
    let utf16 = format!("UTF16 Title \u{1b}[2J\n\n{BODY} 😀\n");
    let mut le = vec![0xff, 0xfe];
    let mut be = vec![0xfe, 0xff];
    for unit in utf16.encode_utf16() {
        le.extend_from_slice(&unit.to_le_bytes());
        be.extend_from_slice(&unit.to_be_bytes());
    }
    bytes("bom_utf16le.txt", &le);
    bytes("bom_utf16be.txt", &be);
    text(
        "crlf.txt",
        &format!("CRLF Title\r\n\r\n{BODY}\r\n\r\nSecond.\r\n"),
    );
    text(
        "mixed_endings.txt",
        &format!("Mixed Title\r\n\n{BODY}\r\rSecond.\n\r\nThird.\r"),
    );

    // Empty, blank, binary.
    text("empty.txt", "");
    text("whitespace.txt", " \t \n\n\r\n   \n");
    bytes(
        "nul_bytes.txt",
        b"Looks Like Text\n\nBut \0 holds \0 NUL bytes.\n",
    );
    let binary: Vec<u8> = (0..4096u32)
        .map(|n| (n.wrapping_mul(2_654_435_761) >> 13) as u8)
        .collect();
    bytes("binary.txt", &binary);

    // Sizes.
    let mut huge = String::from("Huge Line Title\n\n");
    while huge.len() < 3 * 1024 * 1024 {
        huge.push_str("word \x1b[2J longer-word 漢字 ");
    }
    huge.push('\n');
    text("huge_line.txt", &huge);
    let many: String = (0..300_000).map(|n| format!("l{n}\n")).collect();
    text("many_lines.txt", &format!("Many Lines Title\n\n{many}"));
    let plain_long_title = "Title\u{1b}[2J ".repeat(10_000);
    text(
        "long_title.txt",
        &format!(" date 2024-05-06\n{plain_long_title}\n\n{BODY}\n"),
    );
    let long_title = "Title \\u001b[2J".repeat(10_000);
    text(
        "long_title.md",
        &format!("+++\ntitle = \"{long_title}\"\n+++\n\n{BODY}\n"),
    );

    // Dates.
    text(
        "date_zero.txt",
        &format!(" date 0000-00-00 Posted in: News\n\nZero Date\n\n{BODY}\n"),
    );
    text(
        "date_max.txt",
        &format!(" date 9999-12-31 Posted in: News\n\nMax Date\n\n{BODY}\n"),
    );
    text(
        "date_huge.txt",
        &format!(" date 99999999999999999999-99-99 Posted in: News\n\nHuge Date\n\n{BODY}\n"),
    );
    text(
        "date_negative.txt",
        &format!(" date -2024-13-45 Posted in: News\n\nNegative Date\n\n{BODY}\n"),
    );
    text(
        "date_feb30.txt",
        &format!(" date 2024-02-30 Posted in: News\n\nFeb Thirty\n\n{BODY}\n"),
    );

    // Tags.
    text(
        "tags_garbage.txt",
        &format!(
            " date 2024-01-02 Posted in: \x1b[31mRed\x1b[0m, ,,, \u{202e}Cat | Tagged: \x1b]0;pwned\x07, \u{9b}x, \t, ,,,|||, \u{200b}\n\n\
             Garbage Tags\n\n{BODY}\n"
        ),
    );
    let thousands: Vec<String> = (0..5000).map(|n| format!("tag{n}")).collect();
    text(
        "tags_thousands.txt",
        &format!(
            " date 2024-01-03 Posted in: News | Tagged: {}\n\nThousands Of Tags\n\n{BODY}\n",
            thousands.join(", ")
        ),
    );
    text(
        "escape_front_matter.md",
        &format!(
            "+++\ntitle = \"Front \\u001b]0;pwned\\u0007Matter\"\ntags = [\"\\u001b[2J\", \"ok\"]\n\
             author = \"\\u202eAuthor\"\nsource = \"\\u009b2J\"\nurl = \"https://x.example/\\u001b[2J\"\n+++\n\n\
             {BODY} [link](https://e.example/\u{1b}]0;pwned\u{7})\n"
        ),
    );
    text(
        "code_block.md",
        &format!(
            "+++\ntitle = \"Code Block\"\n+++\n\n{BODY}\n\n```\nline one\x1b[2J\n\tline two\x07\n```\n"
        ),
    );

    // Names.
    for name in [
        "quote\"s 'name'.txt",
        "-dash.txt",
        "space name.txt",
        "esc\x1b[2Jname.txt",
        "new\nline.txt",
        "osc\x1b]0;pwned\x07name.txt",
        "bidi\u{202e}txt.exe.txt",
    ] {
        text(name, &format!("Named {}\n\n{BODY}\n", name.len()));
    }
    // The name the escape-laden one reads as once cleaned.
    text("escname.txt", &format!("Clean Name\n\n{BODY}\n"));
    write(
        dir,
        b"bad\xff\xfename.txt",
        format!("Non UTF8 Name\n\n{BODY}\n").as_bytes(),
    );

    // Deep folders.
    let mut deep = dir.to_path_buf();
    for _ in 0..100 {
        deep.push("d");
    }
    fs::create_dir_all(&deep).expect("deep folders");
    fs::write(deep.join("deep.txt"), format!("Deep Title\n\n{BODY}\n")).expect("deep article");

    // Links and special files.
    fs::create_dir(dir.join("loop")).expect("loop folder");
    symlink("..", dir.join("loop/back")).expect("loop link");
    symlink("self_loop.txt", dir.join("self_loop.txt")).expect("self link");
    symlink("nowhere/at/all.txt", dir.join("dangling.txt")).expect("dangling link");
    symlink("/dev/zero", dir.join("zero_device.txt")).expect("link to /dev/zero");
    symlink("/dev/null", dir.join("null_device.txt")).expect("link to /dev/null");
    // A link to an article outside the folder is listed under the link's
    // name; one to an article inside it is that article, listed once.
    let outside = dir.with_file_name("outside_article.txt");
    fs::write(&outside, format!("Through Link Title\n\n{BODY}\n")).expect("outside article");
    symlink(&outside, dir.join("through_link.txt")).expect("link to an article");
    symlink("csi.txt", dir.join("csi_again.txt")).expect("link to an article inside");
    symlink("/proc/self/mem", dir.join("unreadable_mem.txt")).expect("link to /proc/self/mem");
    let fifo = std::ffi::CString::new(dir.join("fifo.txt").as_os_str().as_bytes()).expect("path");
    // SAFETY: mkfifo reads a NUL-terminated path that lives across the call.
    let made = unsafe { libc::mkfifo(fifo.as_ptr(), 0o644) };
    assert_eq!(made, 0, "mkfifo: {}", std::io::Error::last_os_error());
    text("unreadable.txt", &format!("Unreadable\n\n{BODY}\n"));
    fs::set_permissions(
        dir.join("unreadable.txt"),
        fs::Permissions::from_mode(0o000),
    )
    .expect("chmod 000");
}

fn write(dir: &Path, name: &[u8], content: &[u8]) {
    fs::write(dir.join(OsStr::from_bytes(name)), content).expect("write fixture");
}

/// Whether the tests run as root, who can read files whatever their mode.
fn is_root() -> bool {
    // SAFETY: geteuid has no preconditions and cannot fail.
    unsafe { libc::geteuid() == 0 }
}

/// Bidi controls: embeddings, overrides, isolates and marks.
fn is_bidi_control(c: char) -> bool {
    matches!(c, '\u{61c}' | '\u{200e}' | '\u{200f}' | '\u{202a}'..='\u{202e}' | '\u{2066}'..='\u{2069}')
}

/// The characters no terminal may be sent from an article: every C0 and C1
/// control (ESC among them), DEL, and bidi controls.
fn is_forbidden(c: char) -> bool {
    c.is_control() || is_bidi_control(c)
}

/// The forbidden characters of `text` (besides those `allowed`), spelled out.
fn forbidden_in(text: &str, allowed: &[char]) -> Vec<String> {
    text.chars()
        .filter(|c| is_forbidden(*c) && !allowed.contains(c))
        .map(|c| format!("U+{:04X}", u32::from(c)))
        .collect()
}

fn assert_clean(what: &str, text: &str, allowed: &[char]) {
    let found = forbidden_in(text, allowed);
    let start: String = text.chars().take(80).collect();
    assert!(found.is_empty(), "{what} holds {found:?}: {start:?}");
}

/// Every string of the article at `position`, as listed (its row and
/// search text) and as read whole from its file (when it still can be), is
/// safe for a terminal.
fn assert_listed_clean(library: &Library, position: usize) {
    let row = library.get(position).expect("a row at the position");
    let id = row.id();
    assert_clean("an id", id, &[]);
    assert_clean(&format!("{id}: title"), row.title(), &[]);
    assert_clean(
        &format!("{id}: search text"),
        &library.text(position),
        &['\n'],
    );
    for term in row.categories().chain(row.tags()) {
        assert_clean(&format!("{id}: a tag or category"), term, &[]);
        assert!(!term.trim().is_empty(), "{id}: an empty tag or category");
    }
    for credit in [row.author(), row.source(), row.url()]
        .into_iter()
        .flatten()
    {
        assert_clean(&format!("{id}: author, source or url"), credit, &[]);
    }
    if let Some(Ok(article)) = library.read_whole(position, u64::MAX) {
        assert_article_clean(&article);
    }
}

fn assert_article_clean(article: &Article) {
    let id = &article.id;
    assert_clean("an id", id, &[]);
    assert_clean(&format!("{id}: title"), &article.title, &[]);
    // Search text is never shown, but is made from the same clean strings.
    assert_clean(&format!("{id}: search text"), &article.folded, &['\n']);
    for term in article.categories.iter().chain(&article.tags) {
        assert_clean(&format!("{id}: a tag or category"), term, &[]);
        assert!(!term.trim().is_empty(), "{id}: an empty tag or category");
    }
    for credit in [&article.author, &article.source, &article.url]
        .into_iter()
        .flatten()
    {
        assert_clean(&format!("{id}: author, source or url"), credit, &[]);
    }
    for link in &article.links {
        assert_clean(&format!("{id}: a link"), link, &[]);
    }
    for block in &article.blocks {
        let allowed: &[char] = if block.kind == BlockKind::Code {
            &['\n']
        } else {
            &[]
        };
        assert_clean(
            &format!("{id}: a {:?} block", block.kind),
            &block.text,
            allowed,
        );
    }
}

fn assert_warning_clean(warning: &LoadWarning) {
    assert_clean("a warning's path", &warning.path, &[]);
    assert_clean("a warning's message", &warning.message, &[]);
}

/// Loads `dir` on a thread and fails when it takes longer than
/// [`LOAD_DEADLINE`], which is what a hang looks like from outside.
fn load_within_deadline(dir: &Path) -> Library {
    let (sender, receiver) = mpsc::channel();
    let root = dir.to_path_buf();
    thread::spawn(move || {
        let _ = sender.send(load(&root, &LoadOptions::default()));
    });
    match receiver.recv_timeout(LOAD_DEADLINE) {
        Ok(result) => result.expect("the folder itself loads"),
        Err(mpsc::RecvTimeoutError::Timeout) => panic!("loading hung for {LOAD_DEADLINE:?}"),
        Err(mpsc::RecvTimeoutError::Disconnected) => panic!("loading panicked"),
    }
}

fn hostile_sandbox() -> Sandbox {
    let sandbox = Sandbox::empty();
    write_fixtures(&sandbox.articles());
    sandbox
}

fn warning_for<'a>(library: &'a Library, path: &str) -> Option<&'a LoadWarning> {
    library
        .warnings()
        .iter()
        .find(|warning| warning.path == path)
}

#[test]
fn load_lists_the_readable_and_warns_about_the_rest_with_clean_text() {
    let sandbox = hostile_sandbox();
    let library = load_within_deadline(&sandbox.articles());

    for id in READABLE {
        assert!(
            library.find(id).is_some(),
            "{id} was not loaded; warnings: {:?}",
            library.warnings()
        );
    }
    assert!(
        library.find("csi_again.txt").is_none(),
        "a link to an article in the folder is listed again"
    );
    let deep = format!("{}deep.txt", "d/".repeat(100));
    assert!(
        library.find(&deep).is_some(),
        "the article 100 folders deep was not loaded"
    );
    for (path, word) in SKIPPED {
        let warning = warning_for(&library, path)
            .unwrap_or_else(|| panic!("no warning for {path}; warnings: {:?}", library.warnings()));
        assert!(
            warning.message.contains(word),
            "the warning for {path} does not say {word:?}: {}",
            warning.message
        );
        assert!(
            library.find(path).is_none(),
            "{path} was loaded as an article"
        );
    }
    if !is_root() {
        let warning =
            warning_for(&library, "unreadable.txt").expect("a warning for unreadable.txt");
        assert!(
            warning.message.contains("cannot be read"),
            "{}",
            warning.message
        );
    }
    // Every odd name is loaded under a clean id.
    let named = library
        .iter()
        .filter(|a| a.title().starts_with("Named "))
        .count();
    assert_eq!(named, 7, "articles with odd names");
    assert!(library.iter().any(|a| a.title() == "Non UTF8 Name"));
    // A clean name keeps its id; the escape-laden name that reads the same
    // gets another, with a warning.
    assert_eq!(
        library.find("escname.txt").map(|a| a.title()),
        Some("Clean Name")
    );
    assert_eq!(
        library.find("escname.txt~2").map(|a| a.title()),
        Some("Named 15")
    );
    assert!(
        warning_for(&library, "escname.txt").is_some_and(|w| w.message.contains("escname.txt~2"))
    );

    for position in 0..library.len() {
        assert_listed_clean(&library, position);
    }
    for warning in library.warnings() {
        assert_warning_clean(warning);
    }
}

#[test]
fn load_makes_hostile_text_plain() {
    let sandbox = hostile_sandbox();
    let library = load_within_deadline(&sandbox.articles());
    let title = |id: &str| {
        library
            .find(id)
            .map(|a| a.title().to_string())
            .unwrap_or_default()
    };
    for id in [
        "csi.txt",
        "osc_title.txt",
        "c1_utf8.txt",
        "queries.txt",
        "osc52_clipboard.txt",
    ] {
        let title = title(id);
        for remnant in ["[2J", "]0;", "pwned", "]52;", "[6n"] {
            assert!(
                !title.contains(remnant),
                "{id}: the title {title:?} keeps {remnant:?}"
            );
        }
    }
    assert!(title("tabs.txt").contains("Tabbed"));
    let position = library.position("zero_width.txt").expect("zero_width.txt");
    let zero_width = library
        .read_whole(position, u64::MAX)
        .and_then(Result::ok)
        .expect("zero_width.txt read whole");
    let hidden = ['\u{200b}', '\u{2060}', '\u{feff}'];
    assert!(!zero_width.title.contains(hidden), "{:?}", zero_width.title);
    for block in &zero_width.blocks {
        assert!(!block.text.contains(hidden), "{:?}", block.text);
    }
    for id in [
        "bom_utf8.txt",
        "bom_utf16le.txt",
        "bom_utf16be.txt",
        "crlf.txt",
    ] {
        let title = title(id);
        assert!(
            ["BOM Title", "UTF16 Title", "CRLF Title"].contains(&title.as_str()),
            "{id}: title {title:?}"
        );
    }
    let feb30 = library.find("date_feb30.txt").expect("date_feb30.txt");
    assert_eq!(feb30.date(), None, "2024-02-30 is no date");
    let max = library.find("date_max.txt").expect("date_max.txt");
    assert_eq!(
        max.date().map(|d| d.to_string()),
        Some("9999-12-31".to_string())
    );
    // Not `YYYY-MM-DD`: not a header (the format's rule), so the line is
    // kept as text, not lost, and no date is made up.
    for (id, line) in [
        (
            "date_huge.txt",
            "date 99999999999999999999-99-99 Posted in: News",
        ),
        ("date_negative.txt", "date -2024-13-45 Posted in: News"),
    ] {
        let article = library.find(id).expect(id);
        assert_eq!(article.date(), None, "{id}: no such date");
        assert_eq!(article.title(), line, "{id}");
    }
    for id in ["long_title.md", "long_title.txt"] {
        let long = title(id);
        assert!(long.starts_with("Title Title"), "{id}: {long:?}");
        // parse::TITLE_MAX_COLUMNS: a 100,000-character title is cut short.
        assert!(
            long.chars().count() <= 200,
            "{id}: {} characters",
            long.chars().count()
        );
    }
    let tags = library.find("tags_thousands.txt").map(|a| a.tags().len());
    // The documented cap (parse::MAX_TERMS): the first thousand are kept.
    assert_eq!(tags, Some(1000), "5,000 tags are cut to the first thousand");
}

#[test]
fn files_that_vanish_or_change_while_loading_never_hang_or_crash() {
    let sandbox = Sandbox::empty();
    let dir = sandbox.articles();
    let count = 3000;
    for n in 0..count {
        fs::write(
            dir.join(format!("a{n:04}.txt")),
            format!("Title {n}\n\n{BODY}\n"),
        )
        .expect("article");
    }
    let stop = Arc::new(AtomicBool::new(false));
    let churn = {
        let stop = Arc::clone(&stop);
        let dir = dir.clone();
        thread::spawn(move || {
            let mut n = 0usize;
            // Bounded: stops when told, and after a time limit regardless.
            let until = Instant::now() + Duration::from_secs(30);
            while !stop.load(Ordering::Relaxed) && Instant::now() < until {
                let path = dir.join(format!("a{:04}.txt", n % count));
                match n % 4 {
                    0 => {
                        let _ = fs::remove_file(&path);
                    }
                    1 => {
                        let _ = fs::write(&path, b"\x1b]0;pwned\x07Rewritten\n\n\0binary now");
                    }
                    2 => {
                        let _ = fs::write(&path, format!("Back {n} \x1b[2J\n\n{BODY}\n"));
                    }
                    _ => {
                        let _ = fs::remove_file(&path);
                        let _ = symlink("/dev/zero", &path);
                    }
                }
                n = n.wrapping_add(7);
            }
        })
    };
    for _ in 0..3 {
        let library = load_within_deadline(&dir);
        assert!(library.len() <= count);
        for position in 0..library.len() {
            assert_listed_clean(&library, position);
        }
        for warning in library.warnings() {
            assert_warning_clean(warning);
        }
    }
    stop.store(true, Ordering::Relaxed);
    churn.join().expect("the churning thread");
}

/// Runs a command on the hostile folder; asserts it exits 0 and prints
/// nothing a terminal would act on. Returns stdout.
fn run_clean(sandbox: &Sandbox, args: &[&str]) -> String {
    let output = sandbox.run(args);
    let stdout = String::from_utf8_lossy(&output.stdout).into_owned();
    let stderr = String::from_utf8_lossy(&output.stderr).into_owned();
    assert_eq!(
        output.status.code(),
        Some(0),
        "broadsheet {args:?} failed: {stderr}"
    );
    assert_clean(&format!("stdout of {args:?}"), &stdout, &['\n']);
    assert_clean(&format!("stderr of {args:?}"), &stderr, &['\n']);
    stdout
}

/// Every string in a JSON value, recursively.
fn json_strings(value: &serde_json::Value, out: &mut Vec<String>) {
    match value {
        serde_json::Value::String(text) => out.push(text.clone()),
        serde_json::Value::Array(items) => items.iter().for_each(|item| json_strings(item, out)),
        serde_json::Value::Object(map) => {
            for (key, item) in map {
                out.push(key.clone());
                json_strings(item, out);
            }
        }
        _ => {}
    }
}

#[test]
fn the_command_line_prints_nothing_a_terminal_would_act_on() {
    let sandbox = hostile_sandbox();
    run_clean(&sandbox, &["list"]);
    run_clean(&sandbox, &["tags"]);
    run_clean(&sandbox, &["categories"]);
    run_clean(&sandbox, &["check"]);
    let json: serde_json::Value = serde_json::from_str(&run_clean(&sandbox, &["list", "--json"]))
        .expect("list --json is JSON");
    let mut strings = Vec::new();
    json_strings(&json, &mut strings);
    for text in &strings {
        assert_clean("a string of list --json", text, &[]);
    }
    let ids: Vec<String> = json
        .as_array()
        .expect("an array")
        .iter()
        .filter_map(|row| row["id"].as_str().map(str::to_string))
        .collect();
    for id in READABLE {
        assert!(
            ids.iter().any(|listed| listed == id),
            "list --json lacks {id}"
        );
    }
    for id in &ids {
        let shown = run_clean(&sandbox, &["show", "--", id]);
        assert!(!shown.is_empty(), "show {id} printed nothing");
    }
}

#[test]
fn the_check_command_names_every_skipped_file() {
    let sandbox = hostile_sandbox();
    let output = sandbox.run(&["check"]);
    let all = format!(
        "{}{}",
        String::from_utf8_lossy(&output.stdout),
        String::from_utf8_lossy(&output.stderr)
    );
    for (path, _) in SKIPPED {
        assert!(all.contains(path), "check does not name {path}:\n{all}");
    }
}

#[test]
fn the_reader_opens_every_hostile_article_without_losing_the_terminal() {
    let sandbox = hostile_sandbox();
    let total = load_within_deadline(&sandbox.articles()).len();
    let mut session = sandbox.start(120, 40);
    let shown = format!("{total}/{total}");
    session.wait_for_text(&[&shown]);
    for position in 1..=total {
        session.press(ENTER);
        session.press(b"G");
        session.wait_for("the article focused and scrolled to its end", |screen| {
            hints(screen).contains("esc/q back")
                && screen_rows(screen).join("\n").contains(" 100% ")
        });
        // Esc alone: followed at once by `j` it would read as Alt-j.
        session.press(b"\x1b");
        session.wait_for("the list focused", |screen| {
            hints(screen).contains("enter open")
        });
        session.press(b"j");
        let next = position.min(total - 1) + 1;
        let wanted = format!(" {next}/{total}");
        session.wait_for(&format!("list position {next}"), |screen| {
            list_header(screen).contains(&wanted)
        });
        assert_screen_untouched(&session);
    }
    // The tag picker over a thousand tags and garbage ones: pick one.
    session.press(b"t");
    session.wait_for_text(&["Tags · match any"]);
    session.press(b"tag999");
    session.wait_for_text(&["[ ] tag999"]);
    session.press(b" \r");
    let one = format!(" 1/{total}");
    session.wait_for("the tag filter applied", |screen| {
        common::status_line(screen).contains(&one)
    });
    session.press(b"c");
    session.wait_for("the filter cleared", |screen| {
        common::status_line(screen).contains(&shown)
    });
    assert_screen_untouched(&session);
    session.wait_for("saves done", |screen| {
        !common::status_line(screen).contains("saving")
    });
    // A read mark still being saved makes the first q ask for a second.
    session.quit();
    let status = session.wait_exit();
    assert_exit_code(&status, 0);
    session.assert_terminal_restored();
    assert_screen_untouched(&session);
}

/// The key hints: the bottom row.
fn hints(screen: &vt100::Screen) -> String {
    screen_rows(screen).pop().unwrap_or_default()
}

/// Asserts the article text never took over the terminal: no window title
/// or icon name was set and no escape remnants are on screen.
fn assert_screen_untouched(session: &common::Session) {
    let titles = session.titles();
    assert!(
        titles.is_empty(),
        "the window title was changed to {titles:?}"
    );
    let raw = session.raw();
    assert_only_checked_links(&raw);
    for (name, sequence) in [
        ("a DCS sequence", &b"\x1bP"[..]),
        ("an APC sequence", b"\x1b_"),
        ("a cursor position query", b"\x1b[6n"),
    ] {
        assert!(
            common::rfind(&raw, sequence).is_none(),
            "the reader wrote {name} to the terminal"
        );
    }
    let screen = session.screen_text();
    for remnant in ["[2J", "]0;", "]52;", "]8;", "pwned"] {
        assert!(
            !screen.contains(remnant),
            "the screen shows {remnant:?}:\n{screen}"
        );
    }
}

/// Asserts every OSC sequence in `raw` is a link the reader made itself
/// (OSC 8, for the numbered links): an http, https or mailto address with
/// nothing that could end the sequence early or start another, or the
/// closing one. Article text never reaches the terminal as a sequence.
fn assert_only_checked_links(raw: &[u8]) {
    let text = String::from_utf8_lossy(raw);
    for (at, _) in text.match_indices("\x1b]") {
        let rest = &text[at + 2..];
        let end = rest
            .find("\x1b\\")
            .expect("every OSC sequence the reader writes is ended");
        let payload = &rest[..end];
        let url = payload
            .strip_prefix("8;;")
            .unwrap_or_else(|| panic!("the reader wrote the OSC sequence {payload:?}"));
        let scheme_ok = url.is_empty()
            || ["http://", "https://", "mailto:"]
                .iter()
                .any(|scheme| url.to_ascii_lowercase().starts_with(scheme));
        assert!(
            scheme_ok && !url.chars().any(|c| c.is_control() || c.is_whitespace()),
            "the reader linked {url:?}"
        );
    }
}

/// Arguments a script might pass on from untrusted text.
const HOSTILE_ARGUMENTS: &[&[&str]] = &[
    &["show", "\x1b]0;pwned\x07"],
    &["list", "tag:\x1b]0;pwned\x07"],
    &["list", "\"\x1b]0;pwned\x07"],
    &["bookmark", "add", "\x1b]0;pwned\x07"],
    &["--articles", "\x1b]0;pwned\x07", "list"],
];

#[test]
fn errors_about_hostile_arguments_print_nothing_a_terminal_would_act_on() {
    let sandbox = hostile_sandbox();
    for args in HOSTILE_ARGUMENTS {
        let output = sandbox.run(args);
        // A query is allowed to match nothing; anything else is an error.
        assert!(
            matches!(output.status.code(), Some(0 | 1)),
            "{args:?}: {:?}",
            output.status
        );
        let stderr = String::from_utf8_lossy(&output.stderr);
        assert_clean(&format!("stderr of {args:?}"), &stderr, &['\n']);
    }
}

#[test]
fn a_missing_config_path_with_escapes_is_printed_clean() {
    let sandbox = hostile_sandbox();
    let output = sandbox.run(&["--config", "\x1b]0;pwned\x07.toml", "check"]);
    assert_eq!(output.status.code(), Some(1));
    let stderr = String::from_utf8_lossy(&output.stderr);
    assert_clean("stderr of --config", &stderr, &['\n']);
}

#[test]
fn usage_errors_never_set_the_window_title() {
    let sandbox = Sandbox::empty();
    for args in [
        &["\x1b]0;pwned\x07"][..],
        &["list", "--sort", "\x1b]0;pwned\x07"],
        &["--\x1b]0;pwned\x07"],
    ] {
        // In colour: that is when clap writes its errors to the terminal as they are.
        let mut session = common::Session::start_with_args(&sandbox, 100, 30, args, true);
        let status = session.wait_exit();
        assert_exit_code(&status, 2);
        let titles = session.titles();
        assert!(
            titles.is_empty(),
            "{args:?} set the window title: {titles:?}"
        );
        assert!(
            common::rfind(&session.raw(), b"\x1b]").is_none(),
            "{args:?} wrote an OSC sequence"
        );
    }
}

#[test]
fn hand_edited_bookmarks_with_escapes_are_printed_clean() {
    let sandbox = hostile_sandbox();
    fs::write(
        sandbox.path().join("bookmarks.toml"),
        "version = 1\n\n[[bookmark]]\nid = \"gone\\u001b]0;pwned\\u0007.txt\"\n\
         title = \"Evil \\u001b[2J title \\u202e\"\nadded = 2026-11-21T10:00:00Z\n\
         note = \"n\\u009b2J \\u001bP1$tq\\u001b\\\\\"\n",
    )
    .expect("bookmarks.toml");
    let listed = run_clean(&sandbox, &["bookmarks"]);
    assert!(listed.contains("Evil"), "{listed}");
    let json: serde_json::Value =
        serde_json::from_str(&run_clean(&sandbox, &["bookmarks", "--json"])).expect("JSON");
    let mut strings = Vec::new();
    json_strings(&json, &mut strings);
    for text in &strings {
        assert_clean("a string of bookmarks --json", text, &[]);
    }
    run_clean(
        &sandbox,
        &[
            "bookmark",
            "add",
            "csi.txt",
            "--note",
            "\x1b]0;pwned\x07 \u{202e}",
        ],
    );
    let listed = run_clean(&sandbox, &["bookmarks"]);
    assert!(!listed.contains("pwned"), "{listed}");
}
