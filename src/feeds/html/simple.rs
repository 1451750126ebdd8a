//! The plainest item HTML made text without html2text: most feed items are
//! a few paragraphs of text with links and emphasis, and building
//! html5ever's tree and html2text's render lines for them is most of a
//! fetch's work (BENCHMARKS.md, "Fetching after issue 18"). [`convert`]
//! reads markup that [`super::bound`] wrote (lower-case tags, attribute
//! values in double quotes) and gives exactly the text html2text gives for
//! it, with the options `text_of_html_at` uses; anything it is not sure of
//! (another element, a character reference it does not know, a link with
//! no text, a paragraph that ends in a `<br>`, one too long not to be
//! wrapped) makes it give `None`, and html2text converts the item as
//! before. The tests compare the two on generated markup and on the items
//! of the test feeds.
//!
//! What it reads:
//! - text, its runs of HTML whitespace made one space, none at the start
//!   or end of a paragraph;
//! - `<p>` (closed, or closed by the next `<p>` or the end), and text
//!   outside any paragraph, each a paragraph of its own, separated by a
//!   blank line;
//! - `<a href>` as `[text][n]`, with `[n]: address` lines after the text;
//! - `<b>` and `<strong>` as `**text**`, `<em>` as `*text*`, `<i>`,
//!   `<span>` and `<u>` as their text alone (html2text's marks are text
//!   like any other, spaces around them kept as read); `<br>` as a line
//!   break.

/// Inline elements and the marks html2text writes around their text
/// (its `do_decorate` rules): html5ever gives them no meaning that changes
/// the text when they nest properly within a paragraph.
const INLINE: &[(&str, &str)] = &[
    ("b", "**"),
    ("strong", "**"),
    ("em", "*"),
    ("i", ""),
    ("span", ""),
    ("u", ""),
];

/// The longest paragraph taken, in bytes: html2text wraps at 100,000
/// columns, and a character is never wider than the bytes it takes.
const MAX_PARAGRAPH: usize = 50_000;

/// The text html2text gives for `html` (as [`super::bound`] wrote it),
/// when `html` is plain enough to be sure of; `None` otherwise.
pub(super) fn convert(html: &str) -> Option<String> {
    let mut writer = Writer {
        blocks: String::with_capacity(html.len()),
        block_start: 0,
        space: false,
        links: Vec::new(),
        link_start: None,
        inline: Vec::new(),
        in_paragraph: false,
        after_break: false,
    };
    let mut rest = html;
    while !rest.is_empty() {
        match rest.find('<') {
            Some(0) => {
                let end = rest.find('>')?;
                writer.tag(&rest[1..end])?;
                rest = &rest[end + 1..];
            }
            Some(at) => {
                writer.text(&rest[..at])?;
                rest = &rest[at..];
            }
            None => {
                writer.text(rest)?;
                rest = "";
            }
        }
    }
    writer.finish()
}

/// The text written so far, and where the markup is.
struct Writer {
    /// The paragraphs written, each ended by a blank line, and the one
    /// being written.
    blocks: String,
    /// Where the paragraph being written starts in `blocks`.
    block_start: usize,
    /// Whitespace was read since the last character of the paragraph.
    space: bool,
    /// The links' addresses, in order.
    links: Vec<String>,
    /// Where the open link's text starts in `blocks`.
    link_start: Option<usize>,
    /// The open inline elements.
    inline: Vec<&'static str>,
    /// A `<p>` is open.
    in_paragraph: bool,
    /// A `<br>` was the last thing written.
    after_break: bool,
}

impl Writer {
    /// Whether the paragraph being written holds anything yet.
    fn paragraph_empty(&self) -> bool {
        self.blocks.len() == self.block_start
    }

    /// Text that is no whitespace (a word, or the marks html2text writes
    /// as text: a link's brackets, emphasis), after the space read before
    /// it.
    fn push(&mut self, text: &str) {
        if std::mem::take(&mut self.space) {
            self.blocks.push(' ');
        }
        self.after_break = false;
        self.blocks.push_str(text);
    }

    /// Text (character references as written): its words added to the
    /// paragraph.
    fn text(&mut self, text: &str) -> Option<()> {
        let mut rest = text;
        while !rest.is_empty() {
            // A run of plain characters is copied at once.
            let run = rest
                .find(|c: char| c == '&' || is_space(c) || !plain_char(c))
                .unwrap_or(rest.len());
            if run > 0 {
                self.push(&rest[..run]);
                rest = &rest[run..];
                continue;
            }
            let (c, used) = match rest.chars().next()? {
                '&' => reference(rest)?,
                c if is_space(c) => (c, 1),
                _ => return None,
            };
            rest = &rest[used..];
            if is_space(c) {
                if !self.paragraph_empty() {
                    self.space = true;
                }
            } else {
                self.push(c.encode_utf8(&mut [0; 4]));
            }
        }
        (self.blocks.len() - self.block_start <= MAX_PARAGRAPH).then_some(())
    }

    /// A tag, between its `<` and `>`.
    fn tag(&mut self, tag: &str) -> Option<()> {
        if let Some(name) = tag.strip_prefix('/') {
            return self.end_tag(name);
        }
        let (name, attributes) = tag.split_at(tag.find(' ').unwrap_or(tag.len()));
        if !well_formed(attributes) {
            // A `>` inside a quoted value ended the tag early, say.
            return None;
        }
        match name {
            "p" => {
                if !self.inline.is_empty() || self.link_start.is_some() {
                    return None;
                }
                // An open paragraph is closed by the next one; text
                // before it is a paragraph of its own.
                if self.in_paragraph && self.paragraph_empty() {
                    return None;
                }
                self.end_block()?;
                self.in_paragraph = true;
                Some(())
            }
            "a" => {
                let href = attribute(attributes, "href")?;
                if self.link_start.is_some() || href.is_empty() {
                    return None;
                }
                self.push("[");
                self.link_start = Some(self.blocks.len());
                self.links.push(href);
                Some(())
            }
            "br" => {
                if self.paragraph_empty() || self.link_start.is_some() {
                    return None;
                }
                // Whitespace before it ends the line with it.
                self.space = false;
                self.after_break = true;
                self.blocks.push('\n');
                // Lines after it start without the space before them.
                self.block_start = self.blocks.len();
                Some(())
            }
            _ => {
                let (name, mark) = INLINE.iter().find(|(inline, _)| *inline == name)?;
                if !mark.is_empty() {
                    self.push(mark);
                }
                self.inline.push(name);
                Some(())
            }
        }
    }

    /// An end tag named `name`.
    fn end_tag(&mut self, name: &str) -> Option<()> {
        match name {
            "p" => {
                if !self.in_paragraph
                    || self.paragraph_empty()
                    || !self.inline.is_empty()
                    || self.link_start.is_some()
                {
                    return None;
                }
                self.end_block()
            }
            "a" => {
                let start = self.link_start.take()?;
                if self.blocks.len() == start {
                    // html2text drops a link with no text.
                    return None;
                }
                self.push("]");
                let number = format!("[{}]", self.links.len());
                self.push(&number);
                Some(())
            }
            _ => {
                let open = self.inline.pop()?;
                if open != name {
                    return None;
                }
                let (_, mark) = INLINE.iter().find(|(inline, _)| *inline == name)?;
                if !mark.is_empty() {
                    self.push(mark);
                }
                Some(())
            }
        }
    }

    /// Ends the paragraph being written (nothing when it is empty);
    /// `None` after a `<br>`, which html2text ends differently.
    fn end_block(&mut self) -> Option<()> {
        if self.after_break {
            return None;
        }
        if !self.paragraph_empty() {
            self.blocks.push_str("\n\n");
        }
        self.block_start = self.blocks.len();
        self.space = false;
        self.in_paragraph = false;
        Some(())
    }

    /// The text, its links listed after it; `None` when an element is
    /// left open that html5ever would carry on.
    fn finish(mut self) -> Option<String> {
        if !self.inline.is_empty() || self.link_start.is_some() {
            return None;
        }
        if self.in_paragraph && self.paragraph_empty() {
            return None;
        }
        self.end_block()?;
        // Each paragraph ends its line, with a blank line between two,
        // and one before the list of links.
        let mut text = self.blocks;
        text.pop();
        if !self.links.is_empty() {
            text.push('\n');
        }
        for (number, link) in self.links.iter().enumerate() {
            text.push_str(&format!("[{}]: {link}\n", number + 1));
        }
        Some(text)
    }
}

/// Whether `attributes` is a run of ` name="value"` as [`super::bound`]
/// writes them, and nothing else.
fn well_formed(attributes: &str) -> bool {
    let mut rest = attributes;
    while let Some(after) = rest.strip_prefix(' ') {
        let Some((key, after)) = after.split_once("=\"") else {
            return false;
        };
        let Some((_, after)) = after.split_once('"') else {
            return false;
        };
        if key.is_empty() || key.contains([' ', '"']) {
            return false;
        }
        rest = after;
    }
    rest.is_empty()
}

/// The value of the attribute `name` in `attributes` (` name="value"`
/// each, as [`super::bound`] writes them), its character references
/// resolved; `None` when it is missing or holds one this module does not
/// know.
fn attribute(attributes: &str, name: &str) -> Option<String> {
    let mut rest = attributes;
    while let Some(after) = rest.strip_prefix(' ') {
        let (key, after) = after.split_once("=\"")?;
        let (value, after) = after.split_once('"')?;
        if key == name {
            let mut out = String::with_capacity(value.len());
            let mut rest = value;
            while let Some(c) = rest.chars().next() {
                let (c, used) = if c == '&' {
                    reference(rest)?
                } else {
                    (c, c.len_utf8())
                };
                if !plain_char(c) || c == ' ' {
                    return None;
                }
                out.push(c);
                rest = &rest[used..];
            }
            return Some(out);
        }
        rest = after;
    }
    None
}

/// The character the reference at the start of `text` (`&amp;`,
/// `&#8217;`, `&#x2019;`) stands for, and its length; `None` for any other
/// reference, or one that stands for a character html5ever would replace
/// (a C1 code, a surrogate) or [`plain_char`] refuses.
fn reference(text: &str) -> Option<(char, usize)> {
    let end = text.bytes().take(12).position(|b| b == b';')?;
    let name = &text[1..end];
    let c = match name.strip_prefix('#') {
        Some(number) => {
            let code = match number.strip_prefix(['x', 'X']) {
                Some(hex) if !hex.is_empty() && hex.bytes().all(|b| b.is_ascii_hexdigit()) => {
                    u32::from_str_radix(hex, 16).ok()?
                }
                None if !number.is_empty() && number.bytes().all(|b| b.is_ascii_digit()) => {
                    number.parse().ok()?
                }
                _ => return None,
            };
            // 0x80 to 0x9F stand for Windows-1252's characters in HTML.
            if (0x80..=0x9f).contains(&code) {
                return None;
            }
            char::from_u32(code)?
        }
        None => match name {
            "amp" => '&',
            "lt" => '<',
            "gt" => '>',
            "quot" => '"',
            "apos" => '\'',
            _ => return None,
        },
    };
    (plain_char(c) || c == ' ').then_some((c, end + 1))
}

/// Whether `c` is HTML whitespace, which runs of make one space.
fn is_space(c: char) -> bool {
    matches!(c, ' ' | '\t' | '\n' | '\r' | '\x0c')
}

/// Whether html2text writes `c` as it is, as any other letter: not a
/// control character, no whitespace but the space, no format character
/// (soft hyphen, zero-width and direction marks), no noncharacter nor the
/// private-use marks of [`super::bound`].
fn plain_char(c: char) -> bool {
    let code = c as u32;
    if c.is_ascii() {
        return c == ' ' || c.is_ascii_graphic();
    }
    !(c.is_control()
        || c.is_whitespace()
        || matches!(
            code,
            0xad | 0x34f | 0x61c | 0x115f | 0x1160 | 0x17b4 | 0x17b5 | 0x180b..=0x180f
        )
        || (0x200b..=0x200f).contains(&code)
        || (0x2028..=0x202e).contains(&code)
        || (0x2060..=0x206f).contains(&code)
        || (0xfdd0..=0xfdef).contains(&code)
        || (0xfe00..=0xfe0f).contains(&code)
        || (0xe000..=0xf8ff).contains(&code)
        || matches!(code, 0x3164 | 0xfeff | 0xffa0 | 0xfff9..=0xfffb)
        || code & 0xfffe == 0xfffe)
}

#[cfg(test)]
mod tests {
    use proptest::prelude::*;

    use super::super::{MAX_ELEMENTS, bound, item_text};
    use super::*;
    use crate::article::sanitize::sanitize;

    /// The item's HTML as `text_of_html_at` hands it to a converter.
    fn bounded(html: &str) -> String {
        bound::bound_for_text(&sanitize(html), MAX_ELEMENTS, None).html
    }

    /// What html2text gives for `html`, and what [`convert`] gives.
    fn both(html: &str) -> (String, Option<String>) {
        let html = bounded(html);
        let expected = item_text(&html).unwrap_or_else(|err| panic!("{html:?}: {err}"));
        (expected, convert(&html))
    }

    /// The HTML of the items `bench/feeds.py` serves, and of items as
    /// feeds write them: each converted directly, as html2text does.
    #[test]
    fn plain_items_are_written_as_html2text_writes_them() {
        let bench = "<p>The council met on Tuesday to talk about the river, the bridge and \
                     the new school; <a href=\"https://news.example/more\">more here</a>. \
                     Neighbours spoke for an hour about the traffic and the trees.</p>"
            .repeat(5);
        let cases = [
            bench.as_str(),
            "Just a sentence, no markup.",
            "  Text with\n  a line break and  spaces \n",
            "<p>One.</p>\n<p>Two, <em>with</em> <strong>emphasis</strong>.</p>",
            "<p>It&#8217;s Tom &amp; Jerry&#x2019;s &lt;show&gt; &quot;live&quot;</p>",
            "<p>First<p>Second, not closed",
            "Before<p>inside</p>after",
            "<p><a href=\"https://a.example/x?y=1&amp;z=2\" rel=\"nofollow\">A link</a> first.</p>",
            "<p>Line one<br>line two<br/>\nline three</p>",
            "<p>日本語のテキスト。 <b>太字</b></p><p>Ελληνικά, русский.</p>",
            "<p><span>a</span> <i>b</i><u>c</u></p>",
            "<p>An image: <img src=\"https://a.example/i.png\" alt=\"x\"></p>",
        ];
        for html in cases {
            let (expected, direct) = both(html);
            assert_eq!(direct.as_deref(), Some(expected.as_str()), "{html:?}");
        }
    }

    /// Markup the direct converter leaves to html2text.
    #[test]
    fn anything_else_is_left_to_html2text() {
        let cases = [
            "<ul><li>a</li></ul>",
            "<p>a&nbsp;b</p>",
            "<p>AT&T</p>",
            "<p><a>no address</a></p>",
            "<p><b>open</p>",
            "<p></p>",
            "<pre>code</pre>",
            "<p>soft&shy;hyphen</p>",
            "<p><code>code</code></p>",
        ];
        for html in cases {
            assert_eq!(convert(&bounded(html)), None, "{html:?}");
        }
    }

    /// Pieces of markup, plain and not, that generated items are made of.
    const PIECES: &[&str] = &[
        "<p>",
        "</p>",
        "<a href=\"https://x.example/a?b=1&amp;c=2\">",
        "<a href=\"/relative\" title=\"t\">",
        "<a href=\"mailto:a@x.example\">",
        "</a>",
        "<b>",
        "</b>",
        "<em>",
        "</em>",
        "<strong>",
        "</strong>",
        "<i>",
        "</i>",
        "<span>",
        "</span>",
        "<span class=\"c\">",
        "<u>",
        "</u>",
        "<code>",
        "</code>",
        "<img src=\"i.png\" alt=\"i\">",
        "<br>",
        "<div>",
        "</div>",
        "<h2>",
        "</h2>",
        "word",
        "Tom &amp; Jerry",
        "&#8217;",
        "&#x2019;s",
        "&#39;",
        "&lt;tag&gt;",
        "&quot;",
        "&nbsp;",
        "&hellip;",
        "&#150;",
        "&#160;",
        "&#0;",
        "é",
        "日本語",
        "\u{a0}",
        "\u{200b}",
        "\u{3000}",
        "*star*",
        "_under_",
        "# hash",
        "1. one",
        "[brackets]",
        "\\",
        "`tick`",
        "> quote",
        "-",
        "x&y",
        ">",
        "\"",
        " ",
        "  ",
        "\n",
        "\t",
        " \n ",
    ];

    proptest! {
        #![proptest_config(ProptestConfig::with_cases(2000))]

        /// Whenever the direct converter takes an item, its text is
        /// html2text's, character for character.
        #[test]
        fn the_direct_text_is_always_html2texts(
            picks in prop::collection::vec(0..PIECES.len(), 0..40),
        ) {
            let html: String = picks.iter().map(|&pick| PIECES[pick]).collect();
            let (expected, direct) = both(&html);
            if let Some(direct) = direct {
                prop_assert_eq!(direct, expected, "{:?}", html);
            }
        }
    }

    /// Words, with character references and whitespace, as paragraphs
    /// hold them.
    const WORDS: &[&str] = &[
        "word",
        "Tom &amp; Jerry",
        "it&#8217;s",
        "&#x2019;",
        "&lt;tag&gt;",
        "&quot;q&quot;",
        "é",
        "日本語",
        "*star*",
        "[1]",
        "# hash",
        "\\",
        ">",
        ",",
        " ",
        "\n  ",
        "\t",
    ];

    /// The elements a paragraph's words may be wrapped in.
    const WRAPS: &[(&str, &str)] = &[
        ("<a href=\"https://x.example/a?b=1&amp;c=2\">", "</a>"),
        ("<a href=\"/relative\" title=\"t\">", "</a>"),
        ("<b>", "</b>"),
        ("<strong>", "</strong>"),
        ("<em>", "</em>"),
        ("<i>", "</i>"),
        ("<span class=\"c\">", "</span>"),
        ("<u>", "</u>"),
    ];

    /// A paragraph: runs of words, each run bare or wrapped in an element.
    fn paragraph() -> impl Strategy<Value = String> {
        // Each run holds a word (html2text drops a link of whitespace).
        let spaces = WORDS.iter().filter(|w| w.trim().is_empty()).count();
        let run = (
            prop::collection::vec(0..WORDS.len(), 0..3),
            0..WORDS.len() - spaces,
            prop::collection::vec(0..WORDS.len(), 0..3),
            prop::option::of(0..WRAPS.len()),
        )
            .prop_map(|(before, word, after, wrap)| {
                let words: String = before
                    .iter()
                    .chain([&word])
                    .chain(&after)
                    .map(|&w| WORDS[w])
                    .collect();
                match wrap {
                    Some(wrap) => format!("{}{words}{}", WRAPS[wrap].0, WRAPS[wrap].1),
                    None => words,
                }
            });
        prop::collection::vec(run, 1..6).prop_map(|runs| format!("<p>word {}</p>\n", runs.concat()))
    }

    proptest! {
        #![proptest_config(ProptestConfig::with_cases(1000))]

        /// Paragraphs of words, links and emphasis, properly nested, are
        /// all taken by the direct converter, and written as html2text
        /// writes them.
        #[test]
        fn plain_paragraphs_are_taken_and_written_as_html2text_does(
            paragraphs in prop::collection::vec(paragraph(), 1..6),
        ) {
            let html = paragraphs.concat();
            let (expected, direct) = both(&html);
            prop_assert_eq!(direct, Some(expected), "{:?}", html);
        }
    }

    /// The items of every test feed: those the direct converter takes are
    /// written as html2text writes them.
    #[test]
    fn the_test_feeds_items_are_written_as_html2text_writes_them() {
        let root = std::path::Path::new(env!("CARGO_MANIFEST_DIR")).join("tests/fixtures");
        let mut items = Vec::new();
        for folder in ["feeds", "feed_formats", "feed_html", "feed_links"] {
            for entry in std::fs::read_dir(root.join(folder)).unwrap().flatten() {
                let bytes = std::fs::read(entry.path()).unwrap();
                let Ok(feed) = feed_rs::parser::parse(bytes.as_slice()) else {
                    continue;
                };
                for entry in feed.entries {
                    items.extend(entry.content.and_then(|content| content.body));
                    items.extend(entry.summary.map(|summary| summary.content));
                }
            }
        }
        let mut taken = 0;
        for html in &items {
            let (expected, direct) = both(html);
            if let Some(direct) = direct {
                assert_eq!(direct, expected, "{html:?}");
                taken += 1;
            }
        }
        assert!(
            items.len() > 30 && taken > 20,
            "{taken} of {} taken",
            items.len()
        );
    }
}
