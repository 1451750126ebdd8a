//! Making untrusted text terminal-safe. Runs once, at load.
//!
//! One pass over the text, one output `String`, no backtracking: a small state
//! machine recognises escape sequences and drops them whole, and a few counters
//! about what was last written decide on tabs, combining marks, joiners and
//! tag characters. Because every decision depends only on the output so far
//! and the current character, sanitizing twice changes nothing.
//!
//! Choices worth knowing:
//! - A string sequence (OSC, DCS, SOS, PM, APC) ends at its terminator (BEL,
//!   ST as `ESC \` or U+009C), at an `ESC` that starts another sequence, or at
//!   the end of the line when it has no terminator: the newline and the text
//!   after it are kept, so a stray `ESC ]` removes at most the rest of a line.
//! - A CSI or `ESC` + intermediates sequence ends at its final byte; any other
//!   character (a control, a newline, non-ASCII text) cuts it short and is then
//!   treated as ordinary input.
//! - Zero-width joiners are kept only between two emoji (`👨‍👩‍👧`). Tag characters
//!   (U+E0020–U+E007F) are kept only in emoji tag sequences: right after a black
//!   flag U+1F3F4, at most six tag letters and one cancel tag (`🏴󠁧󠁢󠁳󠁣󠁴󠁿`);
//!   elsewhere they are invisible text and are dropped.
//! - At most four zero-width marks (`MAX_COMBINING_MARKS`) follow one base
//!   character.

use unicode_width::UnicodeWidthChar;

/// How many zero-width combining marks may follow one base character. Enough
/// for real scripts (Vietnamese, Hebrew points with cantillation, keycaps);
/// stops "zalgo" text stacking hundreds of marks into one cell.
const MAX_COMBINING_MARKS: usize = 4;

/// How many tag letters an emoji tag sequence may hold (subdivision flags
/// such as `gbsct` use five).
const MAX_TAG_LETTERS: usize = 6;

/// Columns between tab stops.
const TAB_WIDTH: usize = 8;

const ESC: char = '\u{1b}';
const BEL: char = '\u{7}';
const ZWJ: char = '\u{200D}';
const BLACK_FLAG: char = '\u{1F3F4}';
const CANCEL_TAG: char = '\u{E007F}';

/// Removes everything that could act on a terminal from multi-line text:
/// escape sequences of every kind (CSI, OSC, DCS, APC, PM, SOS, SS2/SS3, also
/// unterminated ones, in 7-bit and 8-bit forms), C0 and C1 controls other than
/// `\n`, bare carriage returns, backspaces, DEL, bidi overrides and isolates and
/// zero-width format characters. Tabs are expanded to spaces (stops every 8
/// columns). Newlines are kept; U+2028 and U+2029 become newlines.
pub fn sanitize(text: &str) -> String {
    Sanitizer::new(Tabs::Expand).run(text)
}

/// Like [`sanitize`], for text shown on one line (ids, file names, titles,
/// messages): line breaks become spaces as well, runs of spaces collapse to
/// one and the ends are trimmed. No-break spaces are kept as they are.
pub fn sanitize_line(text: &str) -> String {
    collapse_spaces(&Sanitizer::new(Tabs::Keep).run(text))
}

/// How many characters of a user's text [`quoted`] keeps.
const QUOTE_LIMIT: usize = 40;

/// A user's text (a setting's name or value, a key spelling) made safe to
/// quote in an error message: its first 40 characters, with anything that is
/// not printable (tabs, escapes, bidi controls) written out as a Rust escape
/// (`\t`, `\u{1b}`) so the user sees what is wrong with it, and `…` when it
/// was longer.
pub(crate) fn quoted(text: &str) -> String {
    let mut out: String = text
        .chars()
        .take(QUOTE_LIMIT)
        .flat_map(char::escape_debug)
        .collect();
    if text.chars().nth(QUOTE_LIMIT).is_some() {
        out.push('…');
    }
    out
}

/// A message made of program text and [`quoted`] user text, with anything
/// that could still act on a terminal (a control character, a bidi or other
/// invisible format character) written out as a Rust escape: the last guard
/// before an error reaches the terminal, for user text a message forgot to
/// quote. Borrows when there is nothing to escape.
pub(crate) fn escape_unprintable(text: &str) -> std::borrow::Cow<'_, str> {
    let unprintable = |c: char| c.is_control() || is_hidden_format(c);
    if !text.chars().any(unprintable) {
        return std::borrow::Cow::Borrowed(text);
    }
    let mut out = String::with_capacity(text.len());
    for c in text.chars() {
        if unprintable(c) {
            out.extend(c.escape_debug());
        } else {
            out.push(c);
        }
    }
    std::borrow::Cow::Owned(out)
}

/// User text quoted in a message shown where its character columns matter,
/// such as a query error with a caret under the offending column: its first
/// 40 characters with every [`is_invisible`] character replaced by U+FFFD,
/// and `…` when it was longer. Unlike [`quoted`], which writes escapes and so
/// moves what follows, every character keeps its place.
pub(crate) fn quoted_in_place(text: &str) -> String {
    let mut out: String = text.chars().take(QUOTE_LIMIT).map(shown_in_place).collect();
    if text.chars().nth(QUOTE_LIMIT).is_some() {
        out.push('…');
    }
    out
}

/// `text` with every [`is_invisible`] character replaced by U+FFFD, one
/// character for one: the replacement neither acts on the terminal nor
/// takes a width the terminal might disagree on, and a column counted in
/// characters still points at the same character (what a caret under the
/// text needs).
pub(crate) fn replace_invisible(text: &str) -> String {
    text.chars().map(shown_in_place).collect()
}

/// A character as it may be shown on a terminal line in its own place.
fn shown_in_place(c: char) -> char {
    if is_invisible(c) { '\u{FFFD}' } else { c }
}

/// Whether a character is invisible or could act on a terminal: a control
/// character (C0, DEL, C1), a hidden format character (bidi controls,
/// zero-width spaces, word joiners, BOMs, soft hyphens and the like) or a
/// zero-width joiner. The one list of such characters, for text that is
/// refused or shown replaced when it holds one (names, queries). The
/// sanitizer uses the same list but keeps a joiner between two emoji, where
/// it draws one picture.
pub fn is_invisible(c: char) -> bool {
    is_control(c) || c == ZWJ || is_hidden_format(c)
}

/// Like [`sanitize`] but keeps tabs, for sources whose syntax gives tabs a
/// meaning of their own (Markdown indentation). Whatever is made from the
/// result must be sanitized again before it is shown.
pub(crate) fn sanitize_keeping_tabs(text: &str) -> String {
    Sanitizer::new(Tabs::Keep).run(text)
}

/// Whether tabs are expanded or kept.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
enum Tabs {
    /// Tabs become spaces up to the next tab stop.
    Expand,
    /// Tabs are kept as they are.
    Keep,
}

/// Where the sanitizer is inside an escape sequence.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
enum State {
    /// Ordinary text.
    Ground,
    /// Just after `ESC`.
    Escape,
    /// After `ESC` and one or more intermediate bytes (`ESC ( B`).
    EscapeIntermediate,
    /// Inside a control sequence (`ESC [` or U+009B), before its final byte.
    Csi,
    /// Inside a string sequence (OSC, DCS, SOS, PM, APC), before its terminator.
    Str,
    /// Just after an `ESC` inside a string sequence: `\` ends it (ST).
    StrEscape,
    /// After SS2/SS3: the next character is part of the sequence.
    SingleShift,
}

/// What to do with the current character after one step of the machine.
enum Step {
    /// The character has been dealt with.
    Done,
    /// The character ends nothing it belongs to: look at it again in the new
    /// state (always a state that consumes it, so this cannot loop).
    Again,
}

/// The one-pass sanitizer: its escape state and what it knows about the text
/// it has written so far.
struct Sanitizer {
    out: String,
    state: State,
    tabs: Tabs,
    /// Display column in the current output line (for tab stops).
    column: usize,
    /// Zero-width marks written since the last base character.
    marks: usize,
    /// The last base character written is an emoji (so a ZWJ may follow).
    after_emoji: bool,
    /// Inside an emoji tag sequence: how many tag letters have been written.
    tag_letters: Option<usize>,
}

impl Sanitizer {
    fn new(tabs: Tabs) -> Self {
        Sanitizer {
            out: String::new(),
            state: State::Ground,
            tabs,
            column: 0,
            marks: 0,
            after_emoji: false,
            tag_letters: None,
        }
    }

    fn run(mut self, text: &str) -> String {
        self.out.reserve(text.len());
        let mut at = 0;
        while let Some(rest) = text.get(at..).filter(|rest| !rest.is_empty()) {
            // Most text is runs of printable ASCII and line breaks: copy a
            // run at once instead of classifying each character (a text
            // of nothing else is one run).
            if self.state == State::Ground {
                let run = plain_run(rest);
                if run > 0 {
                    self.write_plain(&rest[..run]);
                    at += run;
                    continue;
                }
            }
            let mut chars = rest.chars();
            let Some(c) = chars.next() else { break };
            let next = chars.next();
            // `Again` moves to a state that consumes the character, so this
            // inner loop runs at most three times per character.
            while let Step::Again = self.step(c, next) {}
            at += c.len_utf8();
        }
        self.out
    }

    fn step(&mut self, c: char, next: Option<char>) -> Step {
        match self.state {
            State::Ground => {
                self.ground(c, next);
                Step::Done
            }
            State::Escape => self.after_escape(c),
            State::EscapeIntermediate => match c {
                '\u{20}'..='\u{2f}' => Step::Done,
                '\u{30}'..='\u{7e}' => self.finish(),
                _ => self.abort(),
            },
            State::Csi => match c {
                '\u{20}'..='\u{3f}' => Step::Done,
                '\u{40}'..='\u{7e}' => self.finish(),
                _ => self.abort(),
            },
            State::Str => match c {
                BEL | '\u{9c}' => self.finish(),
                ESC => {
                    self.state = State::StrEscape;
                    Step::Done
                }
                // No terminator before the end of the line: the sequence ends
                // here and the line break is kept.
                '\n' | '\u{2028}' | '\u{2029}' => self.abort(),
                _ => Step::Done,
            },
            State::StrEscape => match c {
                '\\' => self.finish(),
                _ => {
                    // The ESC cancels the string and starts a new sequence.
                    self.state = State::Escape;
                    Step::Again
                }
            },
            State::SingleShift => {
                if is_control(c) {
                    self.abort()
                } else {
                    self.finish()
                }
            }
        }
    }

    /// The character after `ESC` chooses the kind of sequence.
    fn after_escape(&mut self, c: char) -> Step {
        self.state = match c {
            '[' => State::Csi,
            ']' | 'P' | 'X' | '^' | '_' => State::Str,
            'N' | 'O' => State::SingleShift,
            '\u{20}'..='\u{2f}' => State::EscapeIntermediate,
            // A two-character escape (`ESC c`, `ESC 7`, a lone ST `ESC \`).
            '\u{30}'..='\u{7e}' => State::Ground,
            // Not a sequence: the ESC alone is dropped.
            _ => return self.abort(),
        };
        Step::Done
    }

    /// The sequence ended with this character, which is dropped with it.
    fn finish(&mut self) -> Step {
        self.state = State::Ground;
        Step::Done
    }

    /// The sequence ended before this character, which is ordinary input.
    fn abort(&mut self) -> Step {
        self.state = State::Ground;
        Step::Again
    }

    /// Handles a character outside any escape sequence.
    fn ground(&mut self, c: char, next: Option<char>) {
        match c {
            '\n' | '\u{2028}' | '\u{2029}' => self.write_newline(),
            '\t' => self.write_tab(),
            ESC => self.state = State::Escape,
            '\u{9b}' => self.state = State::Csi,
            '\u{9d}' | '\u{90}' | '\u{98}' | '\u{9e}' | '\u{9f}' => self.state = State::Str,
            '\u{8e}' | '\u{8f}' => self.state = State::SingleShift,
            _ if is_control(c) || is_hidden_format(c) => {}
            ZWJ => {
                if self.after_emoji && next.is_some_and(is_pictographic) {
                    self.out.push(ZWJ);
                    self.tag_letters = None;
                }
            }
            '\u{E0000}'..='\u{E007F}' => self.write_tag(c),
            _ => match c.width() {
                Some(0) => self.write_mark(c),
                width => self.write_base(c, width.unwrap_or(0)),
            },
        }
    }

    /// Writes printable ASCII and newlines (no other controls, no tabs):
    /// as [`write_newline`](Self::write_newline) would each newline.
    fn write_plain(&mut self, run: &str) {
        self.out.push_str(run);
        self.column = match memchr::memrchr(b'\n', run.as_bytes()) {
            Some(newline) => run.len() - newline - 1,
            None => self.column.saturating_add(run.len()),
        };
        self.marks = 0;
        self.after_emoji = false;
        self.tag_letters = None;
    }

    fn write_newline(&mut self) {
        self.out.push('\n');
        self.column = 0;
        self.marks = 0;
        self.after_emoji = false;
        self.tag_letters = None;
    }

    fn write_tab(&mut self) {
        match self.tabs {
            Tabs::Expand => {
                let spaces = TAB_WIDTH - self.column % TAB_WIDTH;
                for _ in 0..spaces {
                    self.write_base(' ', 1);
                }
            }
            Tabs::Keep => {
                self.write_base('\t', 0);
                self.column = (self.column / TAB_WIDTH + 1) * TAB_WIDTH;
            }
        }
    }

    fn write_base(&mut self, c: char, width: usize) {
        self.out.push(c);
        self.column = self.column.saturating_add(width);
        self.marks = 0;
        self.after_emoji = is_pictographic(c);
        self.tag_letters = (c == BLACK_FLAG).then_some(0);
    }

    fn write_mark(&mut self, c: char) {
        if self.marks < MAX_COMBINING_MARKS {
            self.out.push(c);
            self.marks += 1;
            self.tag_letters = None;
        }
    }

    /// Keeps a tag character only where it belongs to an emoji tag sequence.
    fn write_tag(&mut self, c: char) {
        match (self.tag_letters, c) {
            (Some(n), CANCEL_TAG) if n > 0 => {
                self.out.push(c);
                self.tag_letters = None;
            }
            (Some(n), '\u{E0020}'..='\u{E007E}') if n < MAX_TAG_LETTERS => {
                self.out.push(c);
                self.tag_letters = Some(n + 1);
            }
            _ => {}
        }
    }
}

/// Length of the leading run of printable ASCII (0x20 to 0x7e) and
/// newlines, found eight bytes at a time.
fn plain_run(text: &str) -> usize {
    let bytes = text.as_bytes();
    let mut at = 0;
    while let Some(chunk) = bytes.get(at..at + 8) {
        if !printable_chunk(chunk) {
            break;
        }
        at += 8;
    }
    at + bytes[at..]
        .iter()
        .position(|&b| !is_plain_byte(b))
        .unwrap_or(bytes.len() - at)
}

/// Whether a byte is printable ASCII (0x20 to 0x7e) or a newline.
fn is_plain_byte(b: u8) -> bool {
    b == b'\n' || (0x20..0x7f).contains(&b)
}

/// Whether eight bytes are all printable ASCII (0x20 to 0x7e) or newlines.
fn printable_chunk(chunk: &[u8]) -> bool {
    let Some(word) = word_of(chunk) else {
        return false;
    };
    // DEL (0x7f): the low seven bits are all set, so adding one carries out.
    let delete = ((word & LOW7) + 0x0101_0101_0101_0101) & !word & HIGH;
    // A newline: zero after the xor, and a zero byte's low seven bits
    // plus 0x7f leave its high bit clear.
    let xored = word ^ 0x0A0A_0A0A_0A0A_0A0A;
    let newline = !(((xored & LOW7) + LOW7) | xored) & HIGH;
    ((not_text(word) & !newline) | delete) == 0
}

/// C0 controls, DEL and C1 controls.
fn is_control(c: char) -> bool {
    matches!(c, '\0'..='\u{1f}' | '\u{7f}'..='\u{9f}')
}

/// Invisible format characters (Unicode category Cf) that a reader does not
/// need: bidi embeddings, overrides, isolates and marks, zero-width spaces and
/// joiners, word joiners, BOMs, soft hyphens, interlinear annotation marks and
/// the like. ZWJ and tag characters are decided separately.
fn is_hidden_format(c: char) -> bool {
    matches!(
        c,
        '\u{ad}'
            | '\u{600}'..='\u{605}'
            | '\u{61c}'
            | '\u{6dd}'
            | '\u{70f}'
            | '\u{890}'..='\u{891}'
            | '\u{8e2}'
            | '\u{180e}'
            | '\u{200b}'..='\u{200c}'
            | '\u{200e}'..='\u{200f}'
            | '\u{202a}'..='\u{202e}'
            | '\u{2060}'..='\u{206f}'
            | '\u{feff}'
            | '\u{fff9}'..='\u{fffb}'
            | '\u{110bd}'
            | '\u{110cd}'
            | '\u{13430}'..='\u{1343f}'
            | '\u{1bca0}'..='\u{1bca3}'
            | '\u{1d173}'..='\u{1d17a}'
    )
}

/// Emoji and other pictographs: a close superset of Unicode's
/// Extended_Pictographic (it also counts skin-tone modifiers and regional
/// indicators), which is what decides whether a ZWJ joins two emoji.
fn is_pictographic(c: char) -> bool {
    matches!(
        c,
        '\u{a9}'
            | '\u{ae}'
            | '\u{203c}'
            | '\u{2049}'
            | '\u{2122}'
            | '\u{2139}'
            | '\u{2194}'..='\u{2199}'
            | '\u{21a9}'..='\u{21aa}'
            | '\u{231a}'..='\u{231b}'
            | '\u{2328}'
            | '\u{2388}'
            | '\u{23cf}'
            | '\u{23e9}'..='\u{23f3}'
            | '\u{23f8}'..='\u{23fa}'
            | '\u{24c2}'
            | '\u{25aa}'..='\u{25ab}'
            | '\u{25b6}'
            | '\u{25c0}'
            | '\u{25fb}'..='\u{25fe}'
            | '\u{2600}'..='\u{27bf}'
            | '\u{2934}'..='\u{2935}'
            | '\u{2b05}'..='\u{2b07}'
            | '\u{2b1b}'..='\u{2b1c}'
            | '\u{2b50}'
            | '\u{2b55}'
            | '\u{3030}'
            | '\u{303d}'
            | '\u{3297}'
            | '\u{3299}'
            | '\u{1f000}'..='\u{1faff}'
            | '\u{1fc00}'..='\u{1fffd}'
    )
}

/// Spaces that may break a line; no-break spaces are text and stay.
fn is_breaking_space(c: char) -> bool {
    c.is_whitespace() && !matches!(c, '\u{a0}' | '\u{2007}' | '\u{202f}')
}

/// Turns every run of breaking whitespace (newlines included) into one space
/// and drops it at both ends.
///
/// Text between irregular whitespace (anything but a single space between
/// two words) is copied in whole runs, found eight bytes at a time
/// ([`next_irregular`]).
pub(crate) fn collapse_spaces(text: &str) -> String {
    let bytes = text.as_bytes();
    let mut out = String::with_capacity(text.len());
    let mut run_start = 0;
    let mut at = 0;
    while at < bytes.len() {
        // Inside a run, skip to the next byte that needs a look.
        if at > run_start {
            at = next_irregular(bytes, at);
            if at >= bytes.len() {
                break;
            }
        }
        if !MAY_START_SPACE[usize::from(bytes[at])] {
            at += 1;
            continue;
        }
        let Some(len) = space_at(text, at, &is_breaking_space) else {
            at += 1;
            continue;
        };
        let single = bytes[at] == b' '
            && at > run_start
            && space_at(text, at + 1, &is_breaking_space).is_none()
            && at + 1 < bytes.len();
        if single {
            at += 1;
            continue;
        }
        // Irregular whitespace: copy the run so far, skip all the spaces,
        // and write one space if a word follows.
        push_run(&mut out, text, run_start, at);
        at += len;
        while let Some(len) = space_at(text, at, &is_breaking_space) {
            at += len;
        }
        run_start = at;
    }
    push_run(&mut out, text, run_start, bytes.len());
    out
}

/// The first byte from `at` on that may be irregular whitespace: one that
/// may start a whitespace character ([`MAY_START_SPACE`]), except a space
/// followed by a byte that cannot (one space between two words). Eight
/// bytes are looked at together, so prose is passed over at a few
/// operations a word; the bytes found are decided one by one.
fn next_irregular(bytes: &[u8], mut at: usize) -> usize {
    while let Some(chunk) = bytes.get(at..).and_then(|rest| rest.first_chunk::<8>()) {
        // Whether the byte after the eight may start whitespace (the end
        // counts as if it did: a last space is irregular).
        let after = bytes
            .get(at + 8)
            .is_none_or(|&b| MAY_START_SPACE[usize::from(b)]);
        let found = irregular_bits(u64::from_le_bytes(*chunk), after);
        if found != 0 {
            // Little-endian: the first byte found is the lowest set bit.
            return at + (found.trailing_zeros() / 8) as usize;
        }
        at += 8;
    }
    while let Some(&b) = bytes.get(at) {
        let single_space = b == b' '
            && bytes
                .get(at + 1)
                .is_some_and(|&next| !MAY_START_SPACE[usize::from(next)]);
        if MAY_START_SPACE[usize::from(b)] && !single_space {
            return at;
        }
        at += 1;
    }
    at
}

/// Of eight bytes (little-endian in `word`), the high bit of each that
/// [`next_irregular`] must stop at; `after` says whether the byte after
/// them may start whitespace.
fn irregular_bits(word: u64, after: bool) -> u64 {
    // Tests on the low seven bits of each byte, which borrow from and
    // carry into no other byte; ASCII and non-ASCII bytes are told apart
    // by the high bit.
    let low = word & LOW7;
    let ascii = !word & HIGH;
    let at_least = |lo: u8| (low | HIGH).wrapping_sub(each_byte(lo)) & HIGH;
    let at_most = |hi: u8| each_byte(0x80 + hi).wrapping_sub(low) & HIGH;
    // Tab to carriage return, file to unit separators and space.
    let ascii_space = ascii & ((at_least(0x09) & at_most(0x0D)) | (at_least(0x1C) & at_most(0x20)));
    // The lead bytes 0xC2 and 0xE1 to 0xE3.
    let lead = word & HIGH & ((at_least(0x42) & at_most(0x42)) | (at_least(0x61) & at_most(0x63)));
    let may_start = ascii_space | lead;
    let space = ascii & at_least(0x20) & at_most(0x20);
    // Each byte's successor's flag.
    let next_may_start = (may_start >> 8) | (u64::from(after) << 63);
    may_start & !(space & !next_may_start)
}

/// Eight bytes, each `byte`.
pub(super) const fn each_byte(byte: u8) -> u64 {
    u64::from_le_bytes([byte; 8])
}

/// The high bit of every byte of a word (the bytes past ASCII, in the
/// eight-at-a-time tests of this module, word counts and folding), and
/// the other seven.
pub(super) const HIGH: u64 = 0x8080_8080_8080_8080;
const LOW7: u64 = 0x7F7F_7F7F_7F7F_7F7F;

/// Eight bytes as one little-endian word.
fn word_of(chunk: &[u8]) -> Option<u64> {
    <[u8; 8]>::try_from(chunk).ok().map(u64::from_le_bytes)
}

/// The high bit set in each byte of `word` that is not ASCII or is an ASCII
/// control below 0x20 (adding 0x60 to its low seven bits leaves the high
/// bit clear exactly then).
fn not_text(word: u64) -> u64 {
    let non_ascii = word & HIGH;
    let control = !((word & LOW7) + 0x6060_6060_6060_6060) & !word & HIGH;
    non_ascii | control
}

/// Appends `text[start..end]` (a run without irregular whitespace) after a
/// separating space when `out` already holds a word.
fn push_run(out: &mut String, text: &str, start: usize, end: usize) {
    if let Some(run) = text.get(start..end).filter(|run| !run.is_empty()) {
        if !out.is_empty() {
            out.push(' ');
        }
        out.push_str(run);
    }
}

/// The runs of `text` between whitespace characters (as `is_space` sees
/// them), found a byte at a time.
///
/// Articles are mostly ASCII: a byte is decoded only when it can start one
/// of the few non-ASCII whitespace characters (U+0085, U+00A0, U+1680,
/// U+2000 to U+205F, U+3000), which is what makes this much faster than
/// `split(char::is_whitespace)` on long bodies.
/// `text` made one line ([`sanitize_line`]), or `None` when nothing is left:
/// every one-line field (titles, credits, headings, link targets) is kept
/// only when it says something.
pub(crate) fn non_empty_line(text: &str) -> Option<String> {
    Some(sanitize_line(text)).filter(|line| !line.is_empty())
}

#[cfg(test)]
pub(crate) fn words<F: Fn(char) -> bool>(text: &str, is_space: F) -> impl Iterator<Item = &str> {
    let bytes = text.as_bytes();
    let mut at = 0;
    std::iter::from_fn(move || {
        // Skip spaces, then take the word up to the next one.
        let mut start = at;
        while let Some(len) = space_at(text, start, &is_space) {
            start += len;
        }
        if start >= bytes.len() {
            at = start;
            return None;
        }
        let mut end = start + 1;
        loop {
            while end < bytes.len() && !MAY_START_SPACE[usize::from(bytes[end])] {
                end += 1;
            }
            if end >= bytes.len() || space_at(text, end, &is_space).is_some() {
                break;
            }
            end += 1;
        }
        at = end;
        text.get(start..end)
    })
}

/// Bytes that can start a whitespace character: ASCII tab to carriage
/// return, file to unit separators, space, and the lead bytes of the
/// non-ASCII ones.
static MAY_START_SPACE: [bool; 256] = {
    let mut table = [false; 256];
    let mut b = 0x09;
    while b <= 0x0D {
        table[b] = true;
        b += 1;
    }
    let mut b = 0x1C;
    while b <= 0x20 {
        table[b] = true;
        b += 1;
    }
    table[0xC2] = true;
    table[0xE1] = true;
    table[0xE2] = true;
    table[0xE3] = true;
    table
};

/// Length in bytes of the whitespace character starting at `at`, if any.
#[inline]
pub(super) fn space_at(text: &str, at: usize, is_space: &impl Fn(char) -> bool) -> Option<usize> {
    let b = *text.as_bytes().get(at)?;
    if !MAY_START_SPACE[usize::from(b)] {
        return None;
    }
    let c = if b < 0x80 {
        char::from(b)
    } else {
        text.get(at..)?.chars().next()?
    };
    is_space(c).then(|| c.len_utf8())
}

/// A name made of `text` that is safe in any file system and any shell:
/// lower-case ASCII letters and digits, every other run of characters one
/// `-`, no `-` at either end, at most `max` bytes (feed folders, article
/// files, per-folder marks).
pub fn slug(text: &str, max: usize) -> String {
    let mut out = String::new();
    for c in text.chars() {
        if out.len() >= max {
            break;
        }
        if c.is_ascii_alphanumeric() {
            out.push(c.to_ascii_lowercase());
        } else if !out.is_empty() && !out.ends_with('-') {
            out.push('-');
        }
    }
    out.trim_end_matches('-').to_string()
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn quoted_user_text_is_short_and_printable() {
        assert_eq!(quoted("purple"), "purple");
        assert_eq!(quoted("a\tb\u{1b}[2J\u{202e}"), "a\\tb\\u{1b}[2J\\u{202e}");
        assert_eq!(quoted(&"é".repeat(50)), format!("{}…", "é".repeat(40)));
    }

    #[test]
    fn escape_unprintable_leaves_clean_text_alone_and_escapes_the_rest() {
        let clean = "`purple` is not a colour; use \"#rrggbb\" 漢字 😀";
        assert!(matches!(
            escape_unprintable(clean),
            std::borrow::Cow::Borrowed(text) if text == clean
        ));
        assert_eq!(
            escape_unprintable("x\ty\u{1b}]0;t\u{7}\u{202e}\u{200b}z"),
            "x\\ty\\u{1b}]0;t\\u{7}\\u{202e}\\u{200b}z"
        );
    }

    #[test]
    fn invisible_characters_include_every_list_they_replaced() {
        // What the query caret, the config's view names and the sanitizer
        // each treated as invisible before sharing this list.
        let ranges = [
            ('\0', '\u{1f}'),
            ('\u{7f}', '\u{9f}'),
            ('\u{ad}', '\u{ad}'),
            ('\u{180e}', '\u{180e}'),
            ('\u{200b}', '\u{200f}'),
            ('\u{202a}', '\u{202e}'),
            ('\u{2060}', '\u{2064}'),
            ('\u{2066}', '\u{2069}'),
            ('\u{feff}', '\u{feff}'),
            ('\u{fff9}', '\u{fffb}'),
        ];
        for (first, last) in ranges {
            for c in first..=last {
                assert!(is_invisible(c), "U+{:04X}", u32::from(c));
            }
        }
        for c in [
            ' ', 'a', 'é', '日', '😀', '\u{301}', '\u{a0}', '\u{fe0f}', '\u{fffd}',
        ] {
            assert!(!is_invisible(c), "U+{:04X}", u32::from(c));
        }
    }

    #[test]
    fn quoting_in_place_keeps_one_character_for_one() {
        assert_eq!(
            quoted_in_place("a\tb\u{1b}[2J\u{202e}\u{200d}"),
            "a\u{fffd}b\u{fffd}[2J\u{fffd}\u{fffd}"
        );
        assert_eq!(
            quoted_in_place(&"é".repeat(50)),
            format!("{}…", "é".repeat(40))
        );
        assert_eq!(
            replace_invisible("日\u{ad}x\u{2060}"),
            "日\u{fffd}x\u{fffd}"
        );
        assert_eq!(replace_invisible(&"x".repeat(50)), "x".repeat(50));
    }

    #[test]
    fn plain_text_passes_unchanged() {
        let text = "Heartstopper Season 3 — “bloopers” ‘€4.99’, café 世界 🎬\nnext line";
        assert_eq!(sanitize(text), text);
    }

    #[test]
    fn csi_sequences_are_removed_whole() {
        assert_eq!(sanitize("a\u{1b}[31mred\u{1b}[0m b"), "ared b");
        assert_eq!(sanitize("x\u{1b}[?1049hy"), "xy");
        assert_eq!(sanitize("x\u{1b}[2J\u{1b}[1;1Hy"), "xy");
    }

    #[test]
    fn eight_bit_csi_is_removed_whole() {
        assert_eq!(sanitize("a\u{9b}31mb"), "ab");
    }

    #[test]
    fn osc_ends_at_bel_or_st() {
        assert_eq!(sanitize("a\u{1b}]0;evil title\u{7}b"), "ab");
        assert_eq!(
            sanitize("a\u{1b}]8;;http://x\u{1b}\\link\u{1b}]8;;\u{1b}\\b"),
            "alinkb"
        );
        assert_eq!(sanitize("a\u{9d}52;c;aGk=\u{9c}b"), "ab");
    }

    #[test]
    fn dcs_sos_pm_apc_end_at_st() {
        for intro in ['P', 'X', '^', '_'] {
            let text = format!("a\u{1b}{intro}payload;1;2\u{1b}\\b");
            assert_eq!(sanitize(&text), "ab", "ESC {intro}");
        }
        for intro in ['\u{90}', '\u{98}', '\u{9e}', '\u{9f}'] {
            let text = format!("a{intro}payload\u{9c}b");
            assert_eq!(sanitize(&text), "ab", "U+{:04X}", intro as u32);
        }
    }

    #[test]
    fn unterminated_string_sequence_ends_at_the_line_end() {
        assert_eq!(
            sanitize("first \u{1b}]0;title without end\nsecond line"),
            "first \nsecond line"
        );
        assert_eq!(sanitize("x\u{1b}Pno end"), "x");
    }

    #[test]
    fn esc_inside_a_string_starts_a_new_sequence() {
        assert_eq!(sanitize("a\u{1b}]0;t\u{1b}[31mb"), "ab");
    }

    #[test]
    fn single_shifts_take_one_character() {
        assert_eq!(sanitize("a\u{1b}Nxb\u{1b}Oyc"), "abc");
        assert_eq!(sanitize("a\u{8e}xb\u{8f}yc"), "abc");
    }

    #[test]
    fn two_character_and_charset_escapes_are_removed() {
        assert_eq!(sanitize("a\u{1b}cb\u{1b}7c\u{1b}(Bd\u{1b}#8e"), "abcde");
    }

    #[test]
    fn lone_esc_is_dropped_and_the_text_after_it_kept() {
        assert_eq!(sanitize("a\u{1b}"), "a");
        assert_eq!(sanitize("a\u{1b}\nb"), "a\nb");
        assert_eq!(sanitize("a\u{1b}éb"), "aéb");
    }

    #[test]
    fn interrupted_csi_keeps_the_interrupting_text() {
        assert_eq!(sanitize("a\u{1b}[12\nb"), "a\nb");
        assert_eq!(sanitize("a\u{1b}[12é"), "aé");
    }

    #[test]
    fn controls_are_removed_but_their_neighbours_stay() {
        assert_eq!(sanitize("bell\u{7} back\u{8}x cr\rlf"), "bell backx crlf");
        assert_eq!(sanitize("v\u{b}f\u{c}so\u{e}si\u{f}del\u{7f}"), "vfsosidel");
        assert_eq!(sanitize("c1\u{85}\u{9c}\u{80}end"), "c1end");
        assert_eq!(sanitize("nul\0"), "nul");
    }

    #[test]
    fn tabs_expand_to_the_next_stop() {
        assert_eq!(sanitize("\tx"), "        x");
        assert_eq!(sanitize("ab\tx"), "ab      x");
        assert_eq!(sanitize("12345678\tx"), "12345678        x");
        assert_eq!(sanitize("a\n\tb"), "a\n        b");
        // Stops count from the last line break of a long plain run.
        assert_eq!(
            sanitize("a long first line\nab\tx"),
            "a long first line\nab      x"
        );
        // Wide characters count two columns.
        assert_eq!(sanitize("世\tx"), "世      x");
    }

    #[test]
    fn bidi_and_zero_width_characters_are_removed() {
        let hidden = "\u{202a}\u{202b}\u{202c}\u{202d}\u{202e}\u{2066}\u{2067}\u{2068}\u{2069}\
                      \u{200e}\u{200f}\u{61c}\u{200b}\u{200c}\u{200d}\u{2060}\u{2061}\u{2062}\
                      \u{2063}\u{2064}\u{feff}\u{ad}\u{180e}\u{fff9}\u{fffa}\u{fffb}";
        assert_eq!(sanitize(&format!("a{hidden}b")), "ab");
    }

    #[test]
    fn line_and_paragraph_separators_become_newlines() {
        assert_eq!(sanitize("a\u{2028}b\u{2029}c"), "a\nb\nc");
    }

    #[test]
    fn zwj_is_kept_only_between_emoji() {
        let family = "👨\u{200d}👩\u{200d}👧";
        assert_eq!(sanitize(family), family);
        let rainbow = "🏳\u{fe0f}\u{200d}🌈";
        assert_eq!(sanitize(rainbow), rainbow);
        assert_eq!(sanitize("a\u{200d}b"), "ab");
        assert_eq!(sanitize("👨\u{200d}b"), "👨b");
        assert_eq!(sanitize("👨\u{200d}"), "👨");
    }

    #[test]
    fn tag_characters_are_kept_only_in_flag_sequences() {
        let scotland = "🏴\u{e0067}\u{e0062}\u{e0073}\u{e0063}\u{e0074}\u{e007f}";
        assert_eq!(sanitize(scotland), scotland);
        assert_eq!(sanitize("hi\u{e0068}\u{e0069}\u{e007f}!"), "hi!");
        assert_eq!(sanitize("🏴\u{e007f}"), "🏴");
        let long = format!("🏴{}\u{e007f}", "\u{e0061}".repeat(50));
        assert_eq!(
            sanitize(&long),
            format!("🏴{}\u{e007f}", "\u{e0061}".repeat(MAX_TAG_LETTERS))
        );
    }

    #[test]
    fn combining_marks_are_kept_up_to_the_cap() {
        assert_eq!(sanitize("e\u{301}"), "e\u{301}");
        assert_eq!(sanitize("ệ"), "ệ");
        let zalgo = format!("z{}a", "\u{336}".repeat(300));
        assert_eq!(
            sanitize(&zalgo),
            format!("z{}a", "\u{336}".repeat(MAX_COMBINING_MARKS))
        );
    }

    #[test]
    fn sanitize_line_joins_lines_and_collapses_spaces() {
        assert_eq!(sanitize_line("  a \n\n b\t\tc \r\n"), "a b c");
        assert_eq!(sanitize_line("x\u{1b}]0;t\ny"), "x y");
        assert_eq!(sanitize_line("\u{2028}"), "");
        assert_eq!(sanitize_line("10\u{a0}km"), "10\u{a0}km");
    }

    #[test]
    fn huge_inputs_are_handled_in_linear_time() {
        // Each ESC cuts the CSI before it short; the final `x` ends the last.
        let line = "\u{1b}[".repeat(500_000) + "x y";
        assert_eq!(sanitize(&line), " y");
        let osc = "\u{1b}]".repeat(500_000);
        assert_eq!(sanitize(&osc), "");
        let marks = "a".to_owned() + &"\u{301}".repeat(1_000_000);
        assert_eq!(sanitize(&marks).chars().count(), 1 + MAX_COMBINING_MARKS);
    }

    #[test]
    fn sanitizing_twice_changes_nothing() {
        let samples = [
            "a\u{1b}[31m\t\u{9b}b\u{8}\r",
            "\u{1b}\u{1b}]x\u{7}\t\u{301}\u{301}\u{301}\u{301}\u{301}",
            "👨\u{200d}\u{200d}👩 \u{2028}\t\t🏴\u{e0067}\u{e007f}\u{e0067}",
        ];
        for s in samples {
            let once = sanitize(s);
            assert_eq!(sanitize(&once), once, "{s:?}");
            let line = sanitize_line(s);
            assert_eq!(sanitize_line(&line), line, "{s:?}");
        }
    }

    proptest::proptest! {
        #[test]
        fn irregular_bytes_are_found_as_one_at_a_time(
            text in "[ab  \t\n\u{1c}\u{a0}\u{2000}“é日]{0,40}",
            from in 0usize..8,
        ) {
            let bytes = text.as_bytes();
            let from = from.min(bytes.len());
            let may = |at: usize| bytes.get(at).is_none_or(|&b| MAY_START_SPACE[usize::from(b)]);
            let single_space = |at: usize| bytes[at] == b' ' && !may(at + 1);
            let expected = (from..bytes.len())
                .find(|&at| may(at) && !single_space(at))
                .unwrap_or(bytes.len());
            proptest::prop_assert_eq!(next_irregular(bytes, from), expected);
        }

        #[test]
        fn words_split_exactly_like_the_standard_library(
            text in "([a-z]{1,12}[   \\t\\n\u{85}\u{a0}\u{1680}\u{2000}-\u{200b}\u{2028}\u{202f}\u{205f}\u{3000}é日€\u{1c}\u{7f}]{1,3}){0,30}"
        ) {
            let expected_run = text.bytes().position(|b| !is_plain_byte(b)).unwrap_or(text.len());
            proptest::prop_assert_eq!(plain_run(&text), expected_run);
            let ours: Vec<&str> = words(&text, char::is_whitespace).collect();
            let std: Vec<&str> = text.split_whitespace().collect();
            proptest::prop_assert_eq!(ours, std);
            let ours: Vec<&str> = words(&text, is_breaking_space).collect();
            let std: Vec<&str> = text.split(is_breaking_space).filter(|w| !w.is_empty()).collect();
            proptest::prop_assert_eq!(collapse_spaces(&text), std.join(" "));
            proptest::prop_assert_eq!(ours, std);
        }
    }
}
