//! What the reader shows: whole frames drawn into a `TestBackend` after real
//! key presses, kept as insta snapshots of the screen text (one line per row,
//! trailing spaces trimmed), plus checks on the cells a user would notice:
//! no control characters, wide characters that fit, colours that carry a
//! meaning, and no panic at any size.

mod reader;

use broadsheet::config::{Config, View};
use broadsheet::library::query::guide::GUIDE;
use broadsheet::tui::app::{App, Overlay};
use ratatui::buffer::Buffer;
use ratatui::crossterm::event::KeyCode;
use ratatui::layout::Rect;
use ratatui::style::Modifier;
use reader::*;
use unicode_width::UnicodeWidthStr;

/// The sizes every main screen is snapshotted at: wide (side by side),
/// classic (stacked) and small (one pane at a time).
const SIZES: [(u16, u16); 3] = [(120, 40), (80, 24), (40, 12)];

// ----- building a reader ---------------------------------------------------

/// A reader on a folder holding one file with these bytes, loaded as the
/// real reader loads it.
fn reader_of_file(name: &str, bytes: &[u8], width: u16, height: u16) -> App {
    let folder = tempfile::tempdir().expect("a temporary folder");
    std::fs::write(folder.path().join(name), bytes).expect("the article is written");
    reader_on(folder.path(), width, height)
}

/// A reader on the samples with these settings.
fn samples_with(config: Config, width: u16, height: u16) -> App {
    let library = config_for(&samples_dir()).library;
    reader(Config { library, ..config }, width, height)
}

/// What every drawn screen must satisfy, whatever the content:
/// - no cell holds a control character (ESC in particular), so nothing
///   from an article can act on the terminal;
/// - a wide character never sits in the last column, and the cell after it
///   is a blank continuation: ratatui 0.30 resets the cells a wide grapheme
///   covers, and a reset cell's symbol reads as " ", so anything else there
///   is text the terminal would hide or misplace;
/// - no row is wider than the terminal.
fn assert_screen_sound(buf: &Buffer, what: &str) {
    let area = buf.area;
    for y in area.top()..area.bottom() {
        for x in area.left()..area.right() {
            let symbol = buf[(x, y)].symbol();
            assert!(
                !symbol.chars().any(char::is_control),
                "{what}: cell ({x}, {y}) holds a control character: {symbol:?}"
            );
            if symbol.width() == 2 {
                let next = x + 1;
                assert!(
                    next < area.right(),
                    "{what}: wide {symbol:?} at ({x}, {y}) is cut by the right edge"
                );
                let hidden = buf[(next, y)].symbol();
                assert!(
                    hidden == " ",
                    "{what}: the cell after wide {symbol:?} at ({x}, {y}) holds {hidden:?}"
                );
            }
        }
        let row = row_text(buf, y);
        assert!(
            row.width() <= usize::from(area.width),
            "{what}: row {y} is {} columns on a {}-column screen: {row:?}",
            row.width(),
            area.width
        );
    }
}

/// Draws, checks the screen and compares it with the stored snapshot.
fn snapshot(app: &App, name: &str) -> Buffer {
    let buf = draw(app);
    assert_screen_sound(&buf, name);
    insta::assert_snapshot!(name, screen_text(&buf));
    buf
}

fn size_name(width: u16, height: u16) -> String {
    format!("{width}x{height}")
}

// ----- the sample articles at the three sizes --------------------------------

#[test]
fn start_shows_the_list_and_the_newest_article() {
    for (width, height) in SIZES {
        let app = samples_reader(width, height);
        snapshot(&app, &format!("start_{}", size_name(width, height)));
    }
}

#[test]
fn down_and_enter_open_the_second_article_in_the_reader() {
    for (width, height) in SIZES {
        let mut app = samples_reader(width, height);
        press(&mut app, KeyCode::Char('j'));
        press(&mut app, KeyCode::Enter);
        let id = app.selected_article().map(|a| a.id().to_string());
        assert_eq!(id.as_deref(), Some("000_b4046600ca63d592.txt"));
        snapshot(&app, &format!("open_second_{}", size_name(width, height)));
    }
}

#[test]
fn a_tag_picked_in_the_picker_filters_the_list() {
    for (width, height) in SIZES {
        let mut app = samples_reader(width, height);
        press(&mut app, KeyCode::Char('t'));
        type_text(&mut app, "bloo");
        press(&mut app, KeyCode::Char(' '));
        press(&mut app, KeyCode::Enter);
        assert!(app.overlay().is_none());
        snapshot(&app, &format!("tag_filter_{}", size_name(width, height)));
    }
}

#[test]
fn search_filters_as_you_type_with_the_prompt_in_the_status_line() {
    for (width, height) in SIZES {
        let mut app = samples_reader(width, height);
        press(&mut app, KeyCode::Char('/'));
        type_text(&mut app, "oseman");
        assert!(matches!(app.overlay(), Some(Overlay::Search(_))));
        let buf = snapshot(&app, &format!("search_typing_{}", size_name(width, height)));
        let status = row_text(&buf, height - 2);
        assert!(
            status.starts_with("/oseman▏"),
            "the prompt shows what is typed: {status:?}"
        );
    }
}

#[test]
fn help_lists_the_keys() {
    for (width, height) in SIZES {
        let mut app = samples_reader(width, height);
        press(&mut app, KeyCode::Char('?'));
        assert!(matches!(app.overlay(), Some(Overlay::Help(_))));
        snapshot(&app, &format!("help_{}", size_name(width, height)));
    }
}

#[test]
fn the_tag_picker_lists_tags_and_categories_with_counts() {
    for (width, height) in SIZES {
        let mut app = samples_reader(width, height);
        press(&mut app, KeyCode::Char('t'));
        assert!(matches!(app.overlay(), Some(Overlay::Tags(_))));
        snapshot(&app, &format!("tag_picker_{}", size_name(width, height)));
    }
}

#[test]
fn a_search_without_results_says_how_to_clear_it() {
    for (width, height) in SIZES {
        let mut app = samples_reader(width, height);
        press(&mut app, KeyCode::Char('/'));
        type_text(&mut app, "zzzz");
        press(&mut app, KeyCode::Enter);
        assert!(app.overlay().is_none() && app.visible().is_empty());
        let buf = snapshot(&app, &format!("empty_result_{}", size_name(width, height)));
        assert!(
            screen_text(&buf).contains("no articles match"),
            "an empty list says why"
        );
    }
}

#[test]
fn z_reads_full_screen() {
    for (width, height) in SIZES {
        let mut app = samples_reader(width, height);
        press(&mut app, KeyCode::Char('z'));
        assert!(app.fullscreen());
        let buf = snapshot(&app, &format!("fullscreen_{}", size_name(width, height)));
        assert!(screen_text(&buf).contains("Reading · z returns"));
    }
}

// ----- wide characters ---------------------------------------------------------

/// One article in Japanese with emoji (a ZWJ family among them) and Latin.
fn cjk_article() -> String {
    let mut text = String::from(
        " date 2024-01-01 Posted in: 世界 | Tagged: 日本語, emoji🎉\n\n\
         日本語のタイトル 🎉 テスト\n\n",
    );
    text.push_str(
        "東京の朝は早い。駅のホームには通勤客があふれ、電車は数分おきに到着する。\
         家族連れ 👨‍👩‍👧 も多く、週末の Shibuya crossing は観光客でにぎわう。\
         ラーメン🍜と寿司🍣の店が並び、夜遅くまで明かりが消えない。\
         The city mixes English signs with 漢字 and ひらがな everywhere; \
         全角の句読点、括弧（かっこ）、そして絵文字🎌🗼が同じ行に並ぶ。\n\n\
         二段落目：短い文。🎉🎉🎉 終わり。\n",
    );
    text
}

/// How many cells hold a two-column grapheme.
fn wide_cells(buf: &Buffer) -> usize {
    buf.content()
        .iter()
        .filter(|cell| cell.symbol().width() == 2)
        .count()
}

#[test]
fn cjk_and_emoji_fit_the_list_and_the_reader() {
    for (width, height) in [(80, 24), (40, 12)] {
        let size = size_name(width, height);
        let mut app = reader_of_file("cjk.txt", cjk_article().as_bytes(), width, height);
        let buf = snapshot(&app, &format!("cjk_list_{size}"));
        assert!(
            screen_text(&buf).contains("日本語のタイト"),
            "the CJK title shows in the list"
        );
        assert!(
            wide_cells(&buf) > 5,
            "the wide-character checks had wide characters to check"
        );
        press(&mut app, KeyCode::Enter);
        let buf = snapshot(&app, &format!("cjk_reader_{size}"));
        let screen = screen_text(&buf);
        assert!(screen.contains("東京"), "the CJK body shows in the reader");
        assert!(
            screen.contains('👨') && !screen.contains(['\u{200D}', '👩', '👧']),
            "the family emoji is drawn as its first member alone:\n{screen}"
        );
        assert!(wide_cells(&buf) > 20);
    }
}

/// An article full of the emoji sequences terminals draw at different
/// widths: skin tones, ZWJ sequences, VS16 presentation, keycaps, tag and
/// regional flags, a text-presentation selector; in the title and tags too.
fn contested_emoji_article() -> String {
    String::from(
        " date 2024-01-02 Posted in: Emoji | Tagged: 👍🏽, family 👨‍👩‍👧\n\n\
         Thumbs 👍🏽 and a family 👨‍👩‍👧 in the title\n\n\
         A thumb with a skin tone 👍🏽 and a family joined with ZWJ 👨‍👩‍👧 \
         and a coder 👩🏽‍💻, two people holding hands 🧑‍🤝‍🧑, a polar bear 🐻‍❄️.\n\n\
         A rainbow flag 🏳️‍🌈, a red heart ❤️, the sun ☀️, keycaps 1️⃣ #️⃣, \
         a victory hand ✌️✌🏽, Scotland 🏴\u{E0067}\u{E0062}\u{E0073}\u{E0063}\u{E0074}\u{E007F}, \
         France 🇫🇷, a watch as text ⌚\u{FE0E} and plain 日本語, é and e\u{301}.\n\n\
         👍🏽👍🏽👍🏽👍🏽👍🏽👍🏽👍🏽👍🏽👍🏽👍🏽👍🏽👍🏽👍🏽👍🏽👍🏽👍🏽👍🏽👍🏽👍🏽👍🏽👍🏽👍🏽👍🏽👍🏽👍🏽👍🏽👍🏽👍🏽👍🏽\n",
    )
}

/// Whether every terminal draws `symbol` in the columns the buffer gives
/// it: its width counted character by character (as a terminal that knows
/// no emoji sequences counts) is its width as one cluster (as a terminal
/// that knows them all counts), and it holds nothing that only means
/// something in a sequence some terminals know and others do not.
fn drawn_alike_everywhere(symbol: &str) -> bool {
    use unicode_width::UnicodeWidthChar;
    let one_by_one: usize = symbol.chars().map(|c| c.width().unwrap_or(0)).sum();
    let of_a_sequence = |c: char| {
        matches!(c,
            '\u{200D}' // zero-width joiner
            | '\u{FE00}'..='\u{FE0F}' // variation selectors
            | '\u{1F1E6}'..='\u{1F1FF}' // regional indicators (flags)
            | '\u{1F3FB}'..='\u{1F3FF}' // skin tones
            | '\u{E0000}'..='\u{E01EF}' // tags and more selectors
            | '\u{20E3}') // keycap
    };
    one_by_one == symbol.width() && !symbol.chars().any(of_a_sequence)
}

#[test]
fn emoji_sequences_are_drawn_as_text_of_one_agreed_width() {
    for (width, height) in [(120, 40), (80, 24), (50, 20), (40, 12)] {
        let size = size_name(width, height);
        let mut app = reader_of_file(
            "emoji.txt",
            contested_emoji_article().as_bytes(),
            width,
            height,
        );
        let mut frames = vec![("list", draw(&app))];
        press(&mut app, KeyCode::Enter);
        frames.push(("reader", draw(&app)));
        press(&mut app, KeyCode::Char('z'));
        frames.push(("full screen", draw(&app)));
        for (what, buf) in frames {
            let what = format!("{what} at {size}");
            assert_screen_sound(&buf, &what);
            for cell in buf.content() {
                assert!(
                    drawn_alike_everywhere(cell.symbol()),
                    "{what}: a cell holds {:?}, which terminals draw at different widths:\n{}",
                    cell.symbol(),
                    screen_text(&buf)
                );
            }
        }
    }
    // What stands in for each sequence, in the columns the layout gave it.
    let mut app = reader_of_file("emoji.txt", contested_emoji_article().as_bytes(), 120, 40);
    press(&mut app, KeyCode::Char('z'));
    let screen = screen_text(&draw(&app));
    // The paragraphs as one text: a line break was a space.
    let text = screen.lines().map(str::trim).collect::<Vec<_>>().join(" ");
    for shown in [
        "skin tone 👍 and a family joined with ZWJ 👨 and a coder 👩,",
        "rainbow flag 🏳 , a red heart ❤ , the sun ☀ , keycaps 1  #",
        "France FR, a watch as text ? and plain 日本語, é and e\u{301}.",
    ] {
        assert!(
            text.contains(shown),
            "{shown:?} is not on screen:\n{screen}"
        );
    }
}

// ----- hostile text ------------------------------------------------------------

/// One article written to attack the terminal: 7-bit and 8-bit escape
/// sequences, C1 controls, bidi overrides and tabs in the title and body.
fn hostile_article() -> Vec<u8> {
    let mut bytes: Vec<u8> = Vec::new();
    bytes.extend_from_slice(
        b" date 2024-02-02 Posted in: \x1b[31mRed\x1b[0m | Tagged: \x1b]0;pwned\x07evil, ok\n\n",
    );
    bytes.extend_from_slice(
        b"Title\twith\ttabs \x1b[31mred\x1b[0m \xe2\x80\xaereversed\xe2\x80\xac end\n\n",
    );
    bytes.extend_from_slice(b"Body with \x1b[2J\x1b[H clear screen, ");
    bytes
        .extend_from_slice(b"an OSC 8 link \x1b]8;;http://evil.example\x1b\\click\x1b]8;;\x1b\\, ");
    // U+009B (8-bit CSI) and U+0085 (NEL) encoded in UTF-8, then a raw 0x9b.
    bytes.extend_from_slice(b"C1 \xc2\x9b31m controls \xc2\x85 and raw \x9b31m bytes, ");
    bytes.extend_from_slice(b"a bell \x07, a backspace x\x08y, a carriage\rreturn, ");
    bytes.extend_from_slice(b"bidi \xe2\x80\xae\xe2\x81\xa6isolates\xe2\x81\xa9\xe2\x80\xac and\ttabs\tin\tthe\tbody.\n\n");
    bytes.extend_from_slice(
        b"\x1b[31mSecond paragraph in red\x1b[0m with a DCS \x1bPq#0;2;0;0;0\x1b\\ sixel.\n",
    );
    bytes
}

#[test]
fn escape_sequences_and_controls_never_reach_the_screen() {
    let mut app = reader_of_file("hostile.txt", &hostile_article(), 80, 24);
    press(&mut app, KeyCode::Enter);
    let buf = snapshot(&app, "hostile_reader_80x24");
    let screen = screen_text(&buf);
    for remnant in ["[31m", "[0m", "[2J", "]0;", "]8;", "pwned\u{7}"] {
        assert!(
            !screen.contains(remnant),
            "no remnant {remnant:?} of an escape sequence shows:\n{screen}"
        );
    }
    // Bidi overrides and isolates are format characters, not controls, so
    // the cell check does not see them; they would reorder the text around.
    let bidi = |c: char| matches!(c, '\u{202A}'..='\u{202E}' | '\u{2066}'..='\u{2069}');
    assert!(
        !screen.contains(bidi),
        "no bidi override or isolate reaches a cell:\n{screen}"
    );
    assert!(
        screen.contains("Title") && screen.contains("Second paragraph"),
        "the readable text stays:\n{screen}"
    );
}

// ----- colours that carry a meaning ------------------------------------------

#[test]
fn the_selected_row_is_reverse_video_across_the_list() {
    let mut app = samples_reader(120, 40);
    let list = app.panes().list.expect("a list beside the reader");
    let buf = draw(&app);
    // Row 0 is the header; the selected article is the first row under it.
    let selected_y = list.y + 1;
    for x in list.left()..list.right() {
        let cell = &buf[(x, selected_y)];
        assert!(
            cell.modifier.contains(Modifier::REVERSED),
            "selected row, column {x} ({:?}) is reverse video",
            cell.symbol()
        );
    }
    for x in list.left()..list.right() {
        let cell = &buf[(x, selected_y + 1)];
        assert!(
            !cell.modifier.contains(Modifier::REVERSED),
            "the next row, column {x}, is not reverse video"
        );
    }
    // With the reader focused, the selection stays visible but dimmed.
    press(&mut app, KeyCode::Enter);
    let buf = draw(&app);
    for x in list.left()..list.right() {
        let cell = &buf[(x, selected_y)];
        assert!(
            cell.modifier.contains(Modifier::REVERSED | Modifier::DIM),
            "an unfocused selection, column {x}, is dim reverse video"
        );
    }
}

/// Cells of `area` whose text, read in order, spells `word` (ASCII,
/// case-insensitive).
fn cells_spelling(buf: &Buffer, area: Rect, word: &str) -> Vec<(u16, u16)> {
    let word: Vec<char> = word.to_lowercase().chars().collect();
    let mut found = Vec::new();
    for y in area.top()..area.bottom() {
        let row: Vec<(u16, String)> = (area.left()..area.right())
            .map(|x| (x, buf[(x, y)].symbol().to_lowercase()))
            .collect();
        for start in 0..row.len() {
            let spells = word.iter().enumerate().all(|(i, c)| {
                row.get(start + i)
                    .is_some_and(|(_, s)| s.chars().eq(std::iter::once(*c)))
            });
            if spells {
                found.extend(row[start..start + word.len()].iter().map(|(x, _)| (*x, y)));
            }
        }
    }
    found
}

#[test]
fn search_matches_in_the_reader_are_reverse_video_and_nothing_else_is() {
    let mut app = samples_reader(120, 40);
    press(&mut app, KeyCode::Char('/'));
    type_text(&mut app, "oseman");
    press(&mut app, KeyCode::Enter);
    press(&mut app, KeyCode::Enter);
    let reader = app.panes().reader.expect("a reader beside the list");
    let buf = draw(&app);
    // The text rows: below the header, inside the rule and the scrollbar.
    let text = Rect {
        x: reader.x + 1,
        y: reader.y + 1,
        width: reader.width.saturating_sub(2),
        height: reader.height.saturating_sub(1),
    };
    let matched = cells_spelling(&buf, text, "oseman");
    assert!(!matched.is_empty(), "the open article mentions Oseman");
    let mut reversed = Vec::new();
    for y in text.top()..text.bottom() {
        for x in text.left()..text.right() {
            if buf[(x, y)].modifier.contains(Modifier::REVERSED) {
                reversed.push((x, y));
            }
        }
    }
    assert_eq!(
        reversed, matched,
        "exactly the letters of each match are highlighted"
    );
}

#[test]
fn the_match_jumped_to_stands_out_from_the_other_matches() {
    for colours in [false, true] {
        let mut config = config_for(&samples_dir());
        if colours {
            config.theme.current_match_fg = ratatui::style::Color::Black;
            config.theme.current_match_bg = ratatui::style::Color::Yellow;
        }
        let mut app = reader(config, 120, 40);
        press(&mut app, KeyCode::Char('/'));
        type_text(&mut app, "oseman");
        press(&mut app, KeyCode::Enter);
        press(&mut app, KeyCode::Enter);
        press(&mut app, KeyCode::Char('n'));
        press(&mut app, KeyCode::Char('n'));
        let reader = app.panes().reader.expect("a reader beside the list");
        let buf = draw(&app);
        let text = Rect {
            y: reader.y + 1,
            height: reader.height - 1,
            ..reader
        };
        let matched = cells_spelling(&buf, text, "oseman");
        assert!(matched.len() >= 12, "at least two matches on screen");
        let stands_out = |&(x, y): &(u16, u16)| {
            let cell = &buf[(x, y)];
            if colours {
                cell.bg == ratatui::style::Color::Yellow
            } else {
                cell.modifier
                    .contains(Modifier::BOLD | Modifier::UNDERLINED)
            }
        };
        let current: Vec<(u16, u16)> = matched.iter().copied().filter(stands_out).collect();
        // The second match, and only its six letters.
        assert_eq!(current, matched[6..12], "colours: {colours}");
        let header = row_text(&buf, reader.y);
        assert!(header.contains("match 2 of "), "{header}");
    }
}

#[test]
fn the_unread_mark_has_the_unread_colour_and_goes_when_read() {
    let mut app = samples_reader(120, 40);
    let list = app.panes().list.expect("a list beside the reader");
    let theme = app.config().theme;
    let buf = draw(&app);
    for row in 1..=5 {
        let cell = &buf[(list.x, list.y + row)];
        assert_eq!(cell.symbol(), "•", "row {row} is unread");
        assert_eq!(
            cell.fg, theme.unread,
            "row {row}: the mark has the unread colour"
        );
    }
    press(&mut app, KeyCode::Enter);
    let buf = draw(&app);
    assert_eq!(
        buf[(list.x, list.y + 1)].symbol(),
        " ",
        "an opened article loses its unread mark"
    );
    assert_eq!(buf[(list.x, list.y + 2)].symbol(), "•");
}

// ----- every small size ----------------------------------------------------------

/// The reader in each state worth drawing small: the list and the open
/// reader, each plain and with every overlay open, and full screen.
fn states() -> Vec<(String, App)> {
    let mut config = Config::default();
    config.views.push(View {
        name: "Oseman".to_string(),
        query: "oseman".to_string(),
    });
    let with_keys = |keys: &[KeyCode]| {
        let mut app = samples_with(config.clone(), 80, 24);
        for key in keys {
            press(&mut app, *key);
        }
        app
    };
    let overlays: [(&str, &[KeyCode]); 5] = [
        ("plain", &[]),
        ("help", &[KeyCode::Char('?')]),
        ("tags", &[KeyCode::Char('t')]),
        ("views", &[KeyCode::Char('v')]),
        ("search", &[KeyCode::Char('/'), KeyCode::Char('o')]),
    ];
    let mut states = Vec::new();
    for (base, opening) in [("list", &[][..]), ("reader", &[KeyCode::Enter][..])] {
        for (overlay, keys) in overlays {
            let app = with_keys(&[opening, keys].concat());
            assert_eq!(
                app.overlay().is_some(),
                overlay != "plain",
                "{base} with {overlay}: the overlay is open"
            );
            states.push((format!("{base} with {overlay}"), app));
        }
    }
    let fullscreen = with_keys(&[KeyCode::Char('z')]);
    assert!(fullscreen.fullscreen());
    states.push(("full screen".to_string(), fullscreen));
    states
}

#[test]
fn every_size_from_1x1_to_30x12_draws_without_panic() {
    for (name, mut app) in states() {
        for width in 1..=30 {
            for height in 1..=12 {
                resize(&mut app, width, height);
                let buf = draw(&app);
                assert_screen_sound(&buf, &format!("{name} at {}", size_name(width, height)));
            }
        }
    }
}

// ----- text cut at an edge -----------------------------------------------------
//
// Text that does not fit must say so with "…" instead of stopping mid-word,
// and a pane's position must stay readable. The tests below assert that; the
// ignored ones fail on the current views (see their reasons).

/// The text between two popup borders `│ … │` on the first row that holds
/// `needle`, trailing spaces trimmed.
fn popup_text(buf: &Buffer, needle: &str) -> String {
    let row = rows(buf)
        .into_iter()
        .find(|row| row.contains(needle))
        .unwrap_or_default();
    row.split('│')
        .find(|part| part.contains(needle))
        .unwrap_or_default()
        .trim_end()
        .to_string()
}

/// `shown` is `full`, or a cut of it that ends in "…".
fn assert_whole_or_marked_cut(shown: &str, full: &str, what: &str) {
    let shown = shown.trim();
    let full = full.trim();
    if shown == full {
        return;
    }
    let kept = shown.strip_suffix('…');
    assert!(
        kept.is_some_and(|kept| full.starts_with(kept)),
        "{what}: {shown:?} is neither {full:?} nor a cut of it ending in \"…\""
    );
}

/// The screen rows, as the terminal shows them.
fn rows(buf: &Buffer) -> Vec<String> {
    (buf.area.top()..buf.area.bottom())
        .map(|y| row_text(buf, y))
        .collect()
}

#[test]
fn key_descriptions_in_help_that_do_not_fit_end_in_an_ellipsis() {
    let mut app = samples_reader(120, 40);
    press(&mut app, KeyCode::Char('?'));
    let buf = draw(&app);
    let inner = popup_text(&buf, "Go back");
    let description = inner
        .split_once("  ")
        .map(|(_, rest)| rest.trim_start())
        .unwrap_or_default();
    assert_whole_or_marked_cut(
        description,
        "Go back: close the article, prompt or popup (never quits)",
        "the help row of esc",
    );
}

#[test]
fn help_at_80x24_shows_how_to_quit() {
    let mut app = samples_reader(80, 24);
    press(&mut app, KeyCode::Char('?'));
    let buf = draw(&app);
    // q closes help as it closes every popup where letters are no text;
    // Q quits from anywhere.
    assert_eq!(
        popup_text(&buf, "Q quit"),
        "↓ 71 more · esc/q close · Q quit · j/k scroll · / filter",
        "the help at the classic terminal size tells how to leave and that more is below"
    );
}

#[test]
fn the_empty_list_message_that_does_not_fit_ends_in_an_ellipsis() {
    let mut app = samples_reader(40, 12);
    press(&mut app, KeyCode::Char('/'));
    type_text(&mut app, "zzzz");
    press(&mut app, KeyCode::Enter);
    let buf = draw(&app);
    assert_whole_or_marked_cut(
        &row_text(&buf, 1),
        "no articles match · c clears the filters",
        "the empty list at 40 columns",
    );
}

#[test]
fn the_tag_picker_hint_that_does_not_fit_ends_in_an_ellipsis() {
    let mut app = samples_reader(40, 12);
    press(&mut app, KeyCode::Char('t'));
    let buf = draw(&app);
    assert_whole_or_marked_cut(
        &popup_text(&buf, "space pick"),
        "space pick · tab any/all · enter apply · esc cancel",
        "the tag picker hint at 40 columns",
    );
}

#[test]
fn the_search_hint_that_does_not_fit_ends_in_an_ellipsis() {
    let mut app = samples_reader(30, 12);
    press(&mut app, KeyCode::Char('/'));
    let buf = draw(&app);
    assert_whole_or_marked_cut(
        &row_text(&buf, 11),
        "enter keep · esc restore · ? queries · ctrl-u clear",
        "the search hint at 30 columns",
    );
}

#[test]
fn a_narrow_reader_keeps_its_position_apart_from_the_label() {
    let mut app = samples_reader(30, 12);
    press(&mut app, KeyCode::Char('z'));
    let buf = draw(&app);
    let header = row_text(&buf, 0);
    assert!(
        header.trim_end().ends_with(" 1-9/118 7%"),
        "the position shows whole, after a space: {header:?}"
    );
}

#[test]
fn a_narrow_list_keeps_its_position() {
    let app = samples_reader(24, 8);
    let buf = draw(&app);
    let header = row_text(&buf, 0);
    assert!(
        header.trim_end().ends_with(" 1/5"),
        "the list position shows at 24 columns: {header:?}"
    );
}

// ----- the list's columns ---------------------------------------------------------

/// The column where `text` starts on row `y`, if it is there.
fn column_of(buf: &Buffer, y: u16, text: &str) -> Option<usize> {
    let row = row_text(buf, y);
    row.find(text).map(|at| row[..at].width())
}

/// The list's article rows: `(y, article)` for the rows on screen.
fn list_rows(app: &App) -> Vec<(u16, broadsheet::library::SummaryRow<'_>)> {
    let list = app.panes().list.expect("a list pane");
    app.visible()
        .iter()
        .skip(app.list_offset())
        .take(usize::from(list.height - 1))
        .enumerate()
        .filter_map(|(row, &index)| {
            let y = list.y + 1 + u16::try_from(row).ok()?;
            Some((y, app.library().get(index)?))
        })
        .collect()
}

#[test]
fn titles_start_in_one_column_on_every_row_dated_or_not() {
    for (width, height) in [(120, 40), (80, 24), (50, 20)] {
        let app = samples_reader(width, height);
        let buf = draw(&app);
        let rows = list_rows(&app);
        assert!(
            rows.iter().any(|(_, article)| article.date().is_none()),
            "the samples have an undated article"
        );
        let starts: Vec<Option<usize>> = rows
            .iter()
            .map(|(y, article)| column_of(&buf, *y, &article.title()[..12]))
            .collect();
        assert!(
            starts
                .iter()
                .all(|start| start.is_some() && *start == starts[0]),
            "at {width}x{height} titles start at {starts:?}:\n{}",
            screen_text(&buf)
        );
    }
}

/// Three short articles with tags, one undated.
fn short_titles_folder() -> tempfile::TempDir {
    let folder = tempfile::tempdir().expect("a temporary folder");
    let articles = [
        (
            "a.txt",
            " date 2024-03-01 Posted in: News | Tagged: rain, wind\n\nStorm warning\n\nBody.\n",
        ),
        (
            "b.txt",
            " date 2024-02-01 Posted in: Arts | Tagged: film, festivals, awards\n\nThe festival opens this week\n\nBody.\n",
        ),
        (
            "c.md",
            "+++\ntitle = \"New bridge\"\ntags = [\"city\"]\ncategories = [\"News\"]\n+++\n\nBody.\n",
        ),
    ];
    for (name, text) in articles {
        std::fs::write(folder.path().join(name), text).expect("an article is written");
    }
    folder
}

#[test]
fn tags_get_what_whole_titles_leave_and_line_up() {
    let folder = short_titles_folder();
    let app = reader_on(folder.path(), 80, 24);
    let buf = snapshot(&app, "short_titles_80x24");
    let rows = list_rows(&app);
    let tags: Vec<Option<usize>> = rows
        .iter()
        .map(|(y, article)| column_of(&buf, *y, article.tags().next().unwrap_or("?")))
        .collect();
    assert!(
        tags.iter().all(|at| at.is_some() && *at == tags[0]),
        "tags start in one column: {tags:?}"
    );
    assert!(
        screen_text(&buf).contains("film, festivals, awards"),
        "whole when they fit"
    );
    // Narrower: the titles stay whole, the tags shrink.
    let app = reader_on(folder.path(), 56, 20);
    let buf = snapshot(&app, "short_titles_56x20");
    let screen = screen_text(&buf);
    assert!(
        screen.contains("The festival opens this week  film, festi…"),
        "{screen}"
    );
    // Narrower still: the tags go before a title is cut.
    let app = reader_on(folder.path(), 50, 20);
    let screen = screen_text(&draw(&app));
    assert!(
        screen.contains("The festival opens this week\n"),
        "{screen}"
    );
    assert!(!screen.contains("film"), "{screen}");
}

#[test]
fn list_columns_choose_and_order_the_columns() {
    let folder = short_titles_folder();
    let mut config = config_for(folder.path());
    config.display.list_columns = vec![
        broadsheet::library::ListColumn::Title,
        broadsheet::library::ListColumn::Categories,
    ];
    let app = reader(config, 80, 24);
    let buf = draw(&app);
    let row = row_text(&buf, 1);
    assert_eq!(
        row.trim_end(),
        "•  Storm warning                                                            News",
        "the title, then the categories at the right, and no date"
    );
}

// ----- help and the query cheat sheet -------------------------------------------

#[test]
fn help_filtered_to_nothing_says_so_above_its_footer() {
    for (width, height) in [(120, 40), (80, 24), (50, 20)] {
        let mut app = samples_reader(width, height);
        press(&mut app, KeyCode::Char('?'));
        press(&mut app, KeyCode::Char('/'));
        type_text(&mut app, "xyzzy");
        let buf = snapshot(&app, &format!("help_nothing_{}", size_name(width, height)));
        assert_eq!(
            popup_text(&buf, "matches"),
            "no key or query term matches",
            "the message has a row of its own"
        );
        assert_eq!(
            popup_text(&buf, "keep filter"),
            "enter keep filter · esc clear filter"
        );
    }
}

#[test]
fn help_lists_the_query_language_after_the_keys() {
    let mut app = samples_reader(80, 24);
    press(&mut app, KeyCode::Char('?'));
    press(&mut app, KeyCode::Char('/'));
    type_text(&mut app, "date");
    let buf = snapshot(&app, "help_queries_80x24");
    let screen = screen_text(&buf);
    assert!(screen.contains("Queries (type them after /)"), "{screen}");
    assert!(
        popup_text(&buf, "a year, month or day").starts_with("date:2024 "),
        "examples in the key column:\n{screen}"
    );
}

#[test]
fn the_help_key_on_an_empty_search_prompt_shows_the_query_language() {
    for (width, height) in [(120, 40), (80, 24), (50, 20), (40, 12)] {
        let mut app = samples_reader(width, height);
        press(&mut app, KeyCode::Char('/'));
        let hints = row_text(&draw(&app), height - 1);
        assert!(
            hints.contains("? queries"),
            "the prompt says how: {hints:?}"
        );
        press(&mut app, KeyCode::Char('?'));
        let buf = snapshot(&app, &format!("search_guide_{}", size_name(width, height)));
        assert!(
            row_text(&buf, height - 2).starts_with("/▏"),
            "the prompt stays empty"
        );
        assert!(row_text(&buf, height - 1).contains("? hide"));
        if width >= 80 {
            let screen = screen_text(&buf);
            for term in GUIDE {
                assert!(
                    screen.contains(term.matches),
                    "{:?} is shown:\n{screen}",
                    term.matches
                );
            }
        }
    }
}

// ----- the status line and the key hints ----------------------------------------

#[test]
fn hints_keep_help_and_quit_and_show_only_what_can_be_used() {
    for (width, height) in [(120, 40), (80, 24), (50, 20), (40, 12)] {
        let app = samples_reader(width, height);
        let hints = row_text(&draw(&app), height - 1);
        assert!(
            hints.contains("? help") && hints.contains("q quit"),
            "{width}x{height}: {hints:?}"
        );
        assert!(
            !hints.contains("views"),
            "no saved views, no views key: {hints:?}"
        );
        assert!(!hints.contains("bookmarked"), "no bookmarks yet: {hints:?}");
        assert!(!hints.contains("clear"), "nothing to clear: {hints:?}");
    }
    let mut config = Config::default();
    config.views.push(View {
        name: "Oseman".to_string(),
        query: "oseman".to_string(),
    });
    let mut app = samples_with(config, 120, 40);
    let hints = row_text(&draw(&app), 39);
    assert!(hints.contains("v views"), "{hints:?}");
    press(&mut app, KeyCode::Char('b'));
    press(&mut app, KeyCode::Char('U'));
    let hints = row_text(&draw(&app), 39);
    assert!(
        hints.contains("c clear") && hints.contains("B bookmarked"),
        "a filter to clear and bookmarks to show: {hints:?}"
    );
}

#[test]
fn the_filter_stays_beside_a_message_and_the_message_goes_on_the_next_key() {
    let mut app = samples_reader(80, 24);
    press(&mut app, KeyCode::Char('/'));
    type_text(&mut app, "oseman");
    press(&mut app, KeyCode::Enter);
    press(&mut app, KeyCode::Enter);
    press(&mut app, KeyCode::Char('N'));
    let status = || row_text(&draw(&app), 22);
    let shown = status();
    assert!(
        shown.starts_with(" oseman · no more matches above"),
        "the filter and the message side by side: {shown:?}"
    );
    for (key, filter) in [
        (KeyCode::Esc, " oseman "),
        (KeyCode::Char('B'), " oseman is:bookmarked "),
        (KeyCode::Char('B'), " oseman "),
        (KeyCode::Char('t'), " oseman "),
        (KeyCode::Esc, " oseman "),
        (KeyCode::Char('c'), " all articles "),
    ] {
        press(&mut app, key);
        let shown = row_text(&draw(&app), 22);
        assert!(shown.starts_with(filter), "after {key:?}: {shown:?}");
        assert!(!shown.contains("matches"), "after {key:?}: {shown:?}");
    }
}

#[test]
fn a_long_message_is_cut_before_the_filter_is() {
    let mut app = samples_reader(50, 20);
    press(&mut app, KeyCode::Char('t'));
    type_text(&mut app, "bloo");
    press(&mut app, KeyCode::Char(' '));
    press(&mut app, KeyCode::Enter);
    press(&mut app, KeyCode::Char('b'));
    let status = row_text(&snapshot(&app, "message_beside_filter_50x20"), 18);
    assert!(
        status.starts_with(" tag:\"bloopers\" · bookmarked: "),
        "{status:?}"
    );
    assert!(status.contains("…"), "the message is cut: {status:?}");
}
