//! Markdown (`.md`, `.markdown`) with optional TOML front matter, read with
//! pulldown-cmark into clean blocks: headings, paragraphs, lists, quotes and
//! code; inline markup dropped; links numbered and listed.
//!
//! Separate from the other formats because its structure is explicit
//! (Markdown events, a TOML table) and it decodes escapes of its own
//! (entities, TOML strings), so everything it produces is sanitized again.
//!
//! Optional TOML front matter between a first line `+++` and the next `+++`
//! line (`title`, `date`, `tags`, `categories`, `author`, `source`, `url`,
//! `arrived` (when a feed first wrote the file, which orders undated feed
//! items), and `enclosures`, an array of `{ url, type, length }` tables whose bad
//! entries are noted in [`Parsed::problems`]; unknown keys are ignored and
//! front matter that is not TOML is skipped).
//! Without a front-matter title, the first top-level `#` heading is the title.
//! Links and images become their text followed by `[n]`, `n` numbering the
//! target in [`Parsed::links`].

use std::collections::HashMap;

use chrono::NaiveDate;
use pulldown_cmark::{Event, HeadingLevel, Options, Parser, Tag, TagEnd};

use super::{Parsed, Spec, Summary, Tabs, is_blank, iso_date_prefix, non_empty_line, push_terms};
use crate::article::sanitize::sanitize;
use crate::article::when::Clock;
use crate::article::{Block, BlockKind, Enclosure};

/// How Markdown files are read: `.md` and `.markdown`; tabs kept, because
/// they nest lists and indent code, which expanding them to 8 columns would
/// change ([`parse_markdown`] sanitizes everything it produces, tabs
/// included); and a summary parses the whole file, because the title may be
/// the first `#` heading wherever it is.
pub(crate) const SPEC: Spec = Spec {
    extensions: &["md", "markdown"],
    tabs: Tabs::Keep,
    summary: Summary::Whole,
    parse: parse_markdown,
};

/// Nested Markdown lists are indented by two spaces per level up to this depth.
const MAX_LIST_INDENT_LEVELS: usize = 8;

/// Parses Markdown with optional TOML front matter between `+++` lines.
///
/// Every string that comes out is sanitized again, because Markdown and TOML
/// escapes (`&#27;`, `"\u001b"`) can produce control characters.
pub fn parse_markdown(text: &str) -> Parsed {
    let mut parsed = Parsed::default();
    let (front_matter, body) = split_front_matter(text);
    if let Some(front_matter) = front_matter {
        apply_front_matter(&mut parsed, front_matter);
    }
    MarkdownWalker::new(&mut parsed).walk(body);
    parsed
}

/// Splits `+++`-fenced front matter off the body. Without a closing `+++`
/// there is no front matter.
fn split_front_matter(text: &str) -> (Option<&str>, &str) {
    let mut lines = text.split_inclusive('\n');
    let Some(first) = lines.next() else {
        return (None, text);
    };
    if first.trim_end() != "+++" {
        return (None, text);
    }
    let start = first.len();
    let mut offset = start;
    for line in lines {
        if line.trim_end() == "+++" {
            let front = text.get(start..offset).unwrap_or("");
            let body = text.get(offset + line.len()..).unwrap_or("");
            return (Some(front), body);
        }
        offset += line.len();
    }
    (None, text)
}

/// Copies the known front-matter keys; front matter that is not TOML is
/// ignored as metadata.
fn apply_front_matter(parsed: &mut Parsed, front_matter: &str) {
    let Ok(table) = toml::from_str::<toml::Table>(front_matter) else {
        return;
    };
    let text = |key: &str| {
        table
            .get(key)
            .and_then(toml::Value::as_str)
            .and_then(non_empty_line)
    };
    parsed.title = text("title");
    parsed.author = text("author");
    parsed.source = text("source");
    parsed.url = text("url");
    if let Some((date, clock)) = table.get("date").and_then(toml_date) {
        parsed.date = date;
        parsed.clock = clock;
    }
    parsed.arrived = table.get("arrived").and_then(toml_instant);
    if let Some(value) = table.get("tags") {
        push_terms(&mut parsed.tags, toml_terms(value));
    }
    if let Some(value) = table.get("categories") {
        push_terms(&mut parsed.categories, toml_terms(value));
    }
    if let Some(value) = table.get("enclosures") {
        let (enclosures, problem) = toml_enclosures(value);
        parsed.enclosures = enclosures;
        parsed.problems.extend(problem);
    }
}

/// The most enclosures read from one article's front matter.
const MAX_ENCLOSURES: usize = 100;

/// The enclosures of an `enclosures` value, an array of tables with `url`
/// (an http or https address), `type` and `length` (bytes): those that
/// read well, and what was wrong with the others, for the reader to say.
/// A bad value never stops the article loading.
fn toml_enclosures(value: &toml::Value) -> (Vec<Enclosure>, Option<String>) {
    const SHAPE: &str =
        "an array of tables like { url = \"https://…\", type = \"audio/mpeg\", length = 123 }";
    let Some(items) = value.as_array() else {
        return (
            Vec::new(),
            Some(format!("`enclosures` is not read: it must be {SHAPE}")),
        );
    };
    let mut enclosures = Vec::new();
    let mut skipped = 0;
    for item in items.iter().take(MAX_ENCLOSURES) {
        match toml_enclosure(item) {
            Some(enclosure) => enclosures.push(enclosure),
            None => skipped += 1,
        }
    }
    let problem = (skipped > 0).then(|| {
        format!(
            "{skipped} of the {} `enclosures` not read: each must be {SHAPE}",
            items.len().min(MAX_ENCLOSURES)
        )
    });
    (enclosures, problem)
}

/// One enclosure: a table with a `url` that is an http or https address
/// (with no spaces), an optional `type` string and an optional `length`
/// of at least 0.
fn toml_enclosure(value: &toml::Value) -> Option<Enclosure> {
    let table = value.as_table()?;
    let url = non_empty_line(table.get("url")?.as_str()?)?;
    let scheme = url
        .split_once("://")
        .map(|(scheme, _)| scheme.to_ascii_lowercase());
    if !matches!(scheme.as_deref(), Some("http" | "https")) || url.contains(char::is_whitespace) {
        return None;
    }
    let kind = match table.get("type") {
        None => None,
        Some(kind) => Some(non_empty_line(kind.as_str()?)?),
    };
    let length = match table.get("length") {
        None => None,
        Some(length) => Some(u64::try_from(length.as_integer()?).ok()?),
    };
    Some(Enclosure { url, kind, length })
}

/// A TOML date or datetime, or a `"YYYY-MM-DD…"` string: the date as
/// written, and the clock when a time is given. A datetime without an
/// offset (`2024-05-01T10:00:00`) is read as UTC, the same on every machine;
/// a string's time is read when it is RFC 3339, else only its date.
fn toml_date(value: &toml::Value) -> Option<(Option<NaiveDate>, Option<Clock>)> {
    match value {
        toml::Value::Datetime(datetime) => {
            let date = datetime.date?;
            let date = NaiveDate::from_ymd_opt(
                i32::from(date.year),
                u32::from(date.month),
                u32::from(date.day),
            )?;
            let clock = datetime.time.and_then(|time| {
                let offset = match datetime.offset {
                    None | Some(toml::value::Offset::Z) => 0,
                    Some(toml::value::Offset::Custom { minutes }) => minutes,
                };
                // A leap second counts as the one before it.
                let seconds = u32::from(time.hour) * 3600
                    + u32::from(time.minute) * 60
                    + u32::from(time.second.unwrap_or(0).min(59));
                Clock::new(seconds, offset)
            });
            Some((Some(date), clock))
        }
        toml::Value::String(text) => {
            let text = text.trim();
            let (date, rest) = iso_date_prefix(text)?;
            if !(rest.is_empty() || rest.starts_with(['T', 't', ' '])) {
                return None;
            }
            let clock = chrono::DateTime::parse_from_rfc3339(text)
                .ok()
                .and_then(|datetime| Clock::of(&datetime))
                .filter(|(written, _)| Some(*written) == date)
                .map(|(_, clock)| clock);
            Some((date, clock))
        }
        _ => None,
    }
}

/// A TOML offset datetime as nanoseconds since the Unix epoch, to the
/// nanosecond written (`2026-12-07T07:20:00.000000003Z`): the `arrived`
/// instant of a feed item. Anything else (a string, a date without a time
/// or offset, a year past 2262) is none.
fn toml_instant(value: &toml::Value) -> Option<i64> {
    let toml::Value::Datetime(datetime) = value else {
        return None;
    };
    datetime.offset?;
    chrono::DateTime::parse_from_rfc3339(&datetime.to_string())
        .ok()?
        .timestamp_nanos_opt()
}

/// Terms from an array of strings (other values skipped) or one
/// comma-separated string.
fn toml_terms(value: &toml::Value) -> Vec<&str> {
    match value {
        toml::Value::String(text) => text.split(',').collect(),
        toml::Value::Array(items) => items.iter().filter_map(toml::Value::as_str).collect(),
        _ => Vec::new(),
    }
}

/// A Markdown container that decides how the text inside it is shown.
enum Container {
    /// A block quote.
    Quote,
    /// A list; `next` is the number of its next item when it is ordered.
    List { next: Option<u64> },
    /// A list item: `marker` starts its first block, `indent` the others.
    Item {
        marker: String,
        indent: String,
        marked: bool,
    },
}

/// Walks pulldown-cmark events into blocks and links.
struct MarkdownWalker<'p> {
    parsed: &'p mut Parsed,
    /// Whether the first top-level `#` heading should become the title.
    wants_title: bool,
    containers: Vec<Container>,
    /// Inline text of the paragraph, heading or item being read.
    text: String,
    /// Text of the code block being read.
    code: Option<String>,
    /// Targets of the links and images being read, innermost last.
    open_links: Vec<String>,
    link_numbers: HashMap<String, usize>,
    /// Inside a paragraph. The items of a tight list hold text without
    /// paragraphs; those of a loose list hold paragraphs.
    in_paragraph: bool,
    /// A list that is no item's began, and none of its items is a block
    /// yet: its first item is set off from what came before.
    new_list: bool,
}

impl<'p> MarkdownWalker<'p> {
    fn new(parsed: &'p mut Parsed) -> Self {
        let wants_title = parsed.title.is_none();
        MarkdownWalker {
            parsed,
            wants_title,
            containers: Vec::new(),
            text: String::new(),
            code: None,
            open_links: Vec::new(),
            link_numbers: HashMap::new(),
            in_paragraph: false,
            new_list: false,
        }
    }

    fn walk(mut self, body: &str) {
        let parser = Parser::new_ext(body, Options::ENABLE_STRIKETHROUGH);
        for event in parser {
            match event {
                Event::Start(tag) => self.start(tag),
                Event::End(tag) => self.end(tag),
                Event::Text(text) => match &mut self.code {
                    Some(code) => code.push_str(&text),
                    None => self.text.push_str(&text),
                },
                Event::Code(text) => self.text.push_str(&text),
                Event::SoftBreak | Event::HardBreak => self.text.push(' '),
                Event::Rule => self.flush(),
                // Raw HTML, and extensions that are not enabled.
                _ => {}
            }
        }
        self.flush();
    }

    fn start(&mut self, tag: Tag<'_>) {
        match tag {
            Tag::Paragraph => {
                self.flush();
                self.in_paragraph = true;
            }
            Tag::Heading { .. } => self.flush(),
            Tag::BlockQuote(_) => {
                self.flush();
                self.containers.push(Container::Quote);
            }
            Tag::CodeBlock(_) => {
                self.flush();
                self.code = Some(String::new());
            }
            Tag::List(start) => {
                self.flush();
                let in_list = self
                    .containers
                    .iter()
                    .any(|c| matches!(c, Container::List { .. }));
                self.new_list |= !in_list;
                self.containers.push(Container::List { next: start });
            }
            Tag::Item => {
                self.flush();
                let item = self.new_item();
                self.containers.push(item);
            }
            Tag::Link { dest_url, .. } | Tag::Image { dest_url, .. } => {
                self.open_links.push(dest_url.into_string());
            }
            _ => {}
        }
    }

    fn end(&mut self, tag: TagEnd) {
        match tag {
            TagEnd::Paragraph => {
                self.flush();
                self.in_paragraph = false;
            }
            TagEnd::Heading(level) => self.end_heading(level),
            TagEnd::BlockQuote(_) | TagEnd::List(_) | TagEnd::Item => {
                self.flush();
                self.containers.pop();
            }
            TagEnd::CodeBlock => {
                let code = self.code.take().unwrap_or_default();
                let code = sanitize(code.trim_end_matches('\n'));
                if !is_blank(&code) {
                    self.parsed.blocks.push(Block::new(BlockKind::Code, code));
                }
            }
            TagEnd::Link | TagEnd::Image => {
                if let Some(url) = self.open_links.pop() {
                    self.push_link_number(&url);
                }
            }
            _ => {}
        }
    }

    /// The first top-level `#` heading becomes the title when there is none;
    /// other headings are subheadings.
    fn end_heading(&mut self, level: HeadingLevel) {
        let Some(text) = non_empty_line(&std::mem::take(&mut self.text)) else {
            return;
        };
        if self.wants_title && level == HeadingLevel::H1 && self.containers.is_empty() {
            self.parsed.title = Some(text);
            self.wants_title = false;
        } else {
            self.parsed
                .blocks
                .push(Block::new(BlockKind::Subheading, text));
        }
    }

    /// A list item with its marker, numbered by its list and indented by
    /// its nesting.
    fn new_item(&mut self) -> Container {
        let depth = self
            .containers
            .iter()
            .filter(|c| matches!(c, Container::List { .. }))
            .count()
            .saturating_sub(1)
            .min(MAX_LIST_INDENT_LEVELS);
        let number = match self.containers.last_mut() {
            Some(Container::List { next: Some(next) }) => {
                let number = *next;
                *next = next.saturating_add(1);
                Some(number)
            }
            _ => None,
        };
        let marker = match number {
            Some(number) => format!("{number}. "),
            None => "• ".to_owned(),
        };
        let indent = "  ".repeat(depth);
        Container::Item {
            marker: format!("{indent}{marker}"),
            indent: format!("{indent}{}", " ".repeat(marker.chars().count())),
            marked: false,
        }
    }

    /// Appends `[n]` for a link target, numbering new targets.
    fn push_link_number(&mut self, url: &str) {
        let Some(url) = non_empty_line(url) else {
            return;
        };
        let number = match self.link_numbers.get(&url) {
            Some(&number) => number,
            None => {
                self.parsed.links.push(url.clone());
                let number = self.parsed.links.len();
                self.link_numbers.insert(url, number);
                number
            }
        };
        self.text.push_str(&format!("[{number}]"));
    }

    /// Turns the inline text read so far into a block of the kind its
    /// innermost container asks for.
    ///
    /// The text of a tight list's item (not in a paragraph) goes right
    /// under the item before it, nested ones included; the first item of a
    /// list and the paragraphs of a loose list's items are set off by a
    /// blank line.
    fn flush(&mut self) {
        let Some(text) = non_empty_line(&std::mem::take(&mut self.text)) else {
            return;
        };
        let after_item = self
            .parsed
            .blocks
            .last()
            .is_some_and(|block| block.kind == BlockKind::ListItem);
        let block = match self.containers.last_mut() {
            Some(Container::Item {
                marker,
                indent,
                marked,
            }) => {
                let prefix = if *marked { indent } else { marker };
                *marked = true;
                let block = Block::new(BlockKind::ListItem, format!("{prefix}{text}"));
                let tight = !self.in_paragraph && after_item && !self.new_list;
                self.new_list = false;
                if tight { block.joined() } else { block }
            }
            Some(Container::Quote) => Block::new(BlockKind::Quote, text),
            _ => Block::new(BlockKind::Paragraph, text),
        };
        self.parsed.blocks.push(block);
    }
}

#[cfg(test)]
mod tests {
    use super::super::testing::{date, kinds, markdown, texts};
    use crate::article::BlockKind;

    #[test]
    fn front_matter_gives_metadata() {
        let a = markdown(
            "+++\ntitle = \"FM Title\"\ndate = 2024-05-01\ntags = [\"Rust\", \"rust\", 3, \"CLI\"]\n\
             categories = \"Tech, News\"\nauthor = \"Ann\"\nsource = \"Paper\"\nurl = \"https://x.example/a\"\n\
             unknown = { nested = true }\n+++\n\n# Heading\n\nBody.\n",
        );
        assert_eq!(a.title, "FM Title");
        assert_eq!(a.date, date("2024-05-01"));
        assert_eq!(a.tags, ["Rust", "CLI"]);
        assert_eq!(a.categories, ["Tech", "News"]);
        assert_eq!(a.author.as_deref(), Some("Ann"));
        assert_eq!(a.source.as_deref(), Some("Paper"));
        assert_eq!(a.url.as_deref(), Some("https://x.example/a"));
        // With a front-matter title the heading stays in the body.
        assert_eq!(kinds(&a), [BlockKind::Subheading, BlockKind::Paragraph]);
    }

    #[test]
    fn front_matter_dates_come_in_several_forms() {
        for value in [
            "2024-05-01",
            "2024-05-01T10:00:00Z",
            "2024-05-01T10:00:00",
            "2024-05-01 10:00:00+02:00",
            "\"2024-05-01\"",
            "\"2024-05-01T10:00:00Z\"",
        ] {
            let a = markdown(&format!("+++\ndate = {value}\n+++\nBody.\n"));
            assert_eq!(a.date, date("2024-05-01"), "{value}");
        }
        for value in ["10:00:00", "\"2024-13-01\"", "\"yesterday\"", "20240501"] {
            let a = markdown(&format!("+++\ndate = {value}\n+++\nBody.\n"));
            assert_eq!(a.date, None, "{value}");
        }
    }

    #[test]
    fn arrival_is_read_to_the_nanosecond_and_only_as_an_instant() {
        let a = markdown("+++\narrived = 2026-12-07T07:20:00.000000003Z\n+++\nBody.\n");
        assert_eq!(a.arrived, Some(1_796_628_000_000_000_003));
        let a = markdown("+++\narrived = 2026-12-07T09:20:00+02:00\n+++\nBody.\n");
        assert_eq!(
            a.arrived,
            Some(1_796_628_000_000_000_000),
            "the offset counts"
        );
        for value in [
            "2026-12-07",
            "2026-12-07T07:20:00",
            "\"2026-12-07T07:20:00Z\"",
            "3",
        ] {
            let a = markdown(&format!("+++\narrived = {value}\n+++\nBody.\n"));
            assert_eq!(a.arrived, None, "{value}");
        }
    }

    #[test]
    fn front_matter_that_is_not_toml_is_skipped() {
        let a = markdown("+++\ntitle = [unclosed\n+++\nFirst para. Second.\n");
        assert_eq!(a.title, "First para");
        assert_eq!(texts(&a), ["First para. Second."]);
    }

    #[test]
    fn unclosed_front_matter_is_body() {
        let a = markdown("+++\ntitle = \"x\"\n");
        assert!(a.blocks.iter().any(|b| b.text.contains("title = \"x\"")));
    }

    #[test]
    fn front_matter_strings_are_sanitized() {
        let a =
            markdown("+++\ntitle = \"Bad\\u001b[31m Title\\u202e\"\ntags = [\"a\\u0007b\"]\n+++\n");
        assert_eq!(a.title, "Bad Title");
        assert_eq!(a.tags, ["ab"]);
    }

    #[test]
    fn first_h1_is_the_title_and_not_repeated() {
        let a = markdown("Intro text.\n\n# The Title\n\n## Part\n\n# Another\n");
        assert_eq!(a.title, "The Title");
        assert_eq!(texts(&a), ["Intro text.", "Part", "Another"]);
        assert_eq!(
            kinds(&a),
            [
                BlockKind::Paragraph,
                BlockKind::Subheading,
                BlockKind::Subheading
            ]
        );
    }

    #[test]
    fn without_h1_the_title_is_derived() {
        let a = markdown("## Section\n\nFirst sentence here. More.\n");
        assert_eq!(a.title, "Section");
        let a = markdown("```\nlet x = 1;\n```\n");
        assert_eq!(a.title, "let x = 1;");
    }

    #[test]
    fn inline_markup_becomes_plain_text() {
        let a = markdown("Some *emph*, **strong**, ~~gone~~ and `code`<b>!</b>\nnext  \nline\n");
        assert_eq!(texts(&a), ["Some emph, strong, gone and code! next line"]);
    }

    #[test]
    fn links_and_images_are_numbered_once_per_target() {
        let a = markdown(
            "See [one](https://a.example) and [two](https://b.example), \
             [one again](https://a.example) and ![a chart](chart.png).\n",
        );
        assert_eq!(
            texts(&a),
            ["See one[1] and two[2], one again[1] and a chart[3]."]
        );
        assert_eq!(
            a.links,
            ["https://a.example", "https://b.example", "chart.png"]
        );
    }

    #[test]
    fn lists_carry_markers_and_nesting() {
        let a = markdown("- one\n  - inner\n- two\n\t- tab inner\n\n3. three\n4. four\n");
        assert_eq!(
            texts(&a),
            [
                "• one",
                "  • inner",
                "• two",
                "  • tab inner",
                "3. three",
                "4. four"
            ]
        );
        assert!(a.blocks.iter().all(|b| b.kind == BlockKind::ListItem));
    }

    /// Whether each block is drawn right under the one before it.
    fn joined(a: &crate::article::Article) -> Vec<bool> {
        a.blocks.iter().map(|b| b.joined).collect()
    }

    #[test]
    fn tight_list_items_follow_each_other_and_loose_ones_keep_a_blank_line() {
        let tight = markdown("Intro.\n\n- one\n  - inner\n- two\n\nAfter.\n\n1. a\n2. b\n");
        assert_eq!(
            texts(&tight),
            [
                "Intro.",
                "• one",
                "  • inner",
                "• two",
                "After.",
                "1. a",
                "2. b"
            ]
        );
        assert_eq!(
            joined(&tight),
            [false, false, true, true, false, false, true],
            "a list is set off from the text around it, its items are not"
        );
        let loose = markdown("- one\n\n- two\n\n  more of two\n- three\n");
        assert_eq!(
            texts(&loose),
            ["• one", "• two", "  more of two", "• three"]
        );
        assert_eq!(joined(&loose), [false, false, false, false]);
        let two_lists = markdown("- a\n- b\n\n1. c\n2. d\n");
        assert_eq!(joined(&two_lists), [false, true, false, true]);
    }

    #[test]
    fn loose_list_item_paragraphs_are_aligned_under_the_marker() {
        let a = markdown("1. first para\n\n   second para\n");
        assert_eq!(texts(&a), ["1. first para", "   second para"]);
    }

    #[test]
    fn quotes_code_rules_and_html_blocks() {
        let a = markdown(
            "> quoted\n> text\n\n---\n\n```rust\nfn main() {\n\tgo();\n}\n```\n\n<div>\nraw html\n</div>\n",
        );
        assert_eq!(kinds(&a), [BlockKind::Quote, BlockKind::Code]);
        assert_eq!(texts(&a), ["quoted text", "fn main() {\n        go();\n}"]);
    }

    #[test]
    fn entity_encoded_controls_are_removed() {
        let a = markdown(
            "# T&#27;]0;evil&#7;itle\n\nRed &#27;[31mtext&#x202E; [l](http://x&#27;[2J.example)\n",
        );
        assert_eq!(a.title, "Title");
        assert_eq!(texts(&a), ["Red text l[1]"]);
        assert_eq!(a.links, ["http://x.example"]);
    }

    #[test]
    fn deeply_nested_markdown_does_not_blow_up() {
        let nested = "- ".repeat(2_000) + "deep\n";
        let a = markdown(&nested);
        assert!(a.blocks.iter().all(|b| b.text.len() < 100));
        let quotes = ">".repeat(10_000) + " deep\n";
        let a = markdown(&quotes);
        assert_eq!(texts(&a), ["deep"]);
    }
}
