//! How long a text is to read: its words, and minutes at a reading pace.
//!
//! Chinese and Japanese are written without spaces between words, so
//! counting what lies between spaces makes a whole Japanese paragraph one
//! "word". Their characters are counted instead (each ideograph and kana
//! is a word here, as word processors count them), and read at their own
//! pace: a minute reads about 230 words of text written with spaces, or
//! about 400 Chinese or Japanese characters.

use super::sanitize::{HIGH, each_byte, space_at};

/// Words a minute of text written with spaces between words.
const WORDS_PER_MINUTE: usize = 230;

/// Chinese and Japanese characters a minute.
const CJK_CHARS_PER_MINUTE: usize = 400;

/// The words of a text, by how they are read.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Default)]
pub struct WordCount {
    /// Words between spaces (Latin, Cyrillic, Korean, numbers…).
    pub spaced: usize,
    /// Chinese and Japanese characters, each counted as a word.
    pub cjk: usize,
}

impl WordCount {
    /// Counts the words of `text`, a byte at a time: a character is
    /// decoded only where one may start that is whitespace or Chinese or
    /// Japanese.
    pub fn of(text: &str) -> WordCount {
        let bytes = text.as_bytes();
        let mut count = WordCount::default();
        let (mut in_word, mut at) = (false, 0);
        while at < bytes.len() {
            // Eight ASCII bytes at once where they are (most of most
            // texts): a first index counts the words of every article.
            if let Some(chunk) = bytes.get(at..).and_then(|rest| rest.first_chunk::<8>()) {
                let chunk = u64::from_le_bytes(*chunk);
                if chunk & HIGH == 0 {
                    let (starts, ends_in_word) = ascii_word_starts(chunk, in_word);
                    count.spaced += starts;
                    in_word = ends_in_word;
                    at += 8;
                    continue;
                }
            }
            // ASCII, decided here without decoding: the ASCII characters
            // `char::is_whitespace` takes.
            let b = bytes[at];
            if b < 0x80 {
                if matches!(b, b'\t'..=b'\r' | b' ') {
                    in_word = false;
                } else {
                    count.spaced += usize::from(!in_word);
                    in_word = true;
                }
                at += 1;
                continue;
            }
            if let Some(len) = space_at(text, at, &char::is_whitespace) {
                in_word = false;
                at += len;
                continue;
            }
            if MAY_START_CJK[usize::from(bytes[at])]
                && let Some(c) = text.get(at..).and_then(|rest| rest.chars().next())
            {
                match script_of(c) {
                    Script::Cjk => {
                        count.cjk += 1;
                        in_word = false;
                        at += c.len_utf8();
                        continue;
                    }
                    Script::Punctuation => {
                        in_word = false;
                        at += c.len_utf8();
                        continue;
                    }
                    Script::Other => {}
                }
            }
            count.spaced += usize::from(!in_word);
            in_word = true;
            at += 1;
        }
        count
    }

    /// Every word, a Chinese or Japanese character counting as one.
    pub fn total(self) -> usize {
        self.spaced + self.cjk
    }

    /// Whole minutes to read at the pace of each kind of text, at least 1.
    pub fn reading_minutes(self) -> usize {
        // In characters-per-minute units of both paces, so a text mixing
        // the two is not rounded up twice.
        let work = self.spaced * CJK_CHARS_PER_MINUTE + self.cjk * WORDS_PER_MINUTE;
        work.div_ceil(WORDS_PER_MINUTE * CJK_CHARS_PER_MINUTE)
            .max(1)
    }
}

impl std::ops::Add for WordCount {
    type Output = WordCount;

    /// The words of two texts together.
    fn add(self, other: WordCount) -> WordCount {
        WordCount {
            spaced: self.spaced + other.spaced,
            cjk: self.cjk + other.cjk,
        }
    }
}

/// One in every byte.
const ONES: u64 = 0x0101_0101_0101_0101;

/// Of eight ASCII bytes (little-endian in `chunk`, the first byte lowest),
/// how many start a word (are not whitespace and follow whitespace, the
/// first one following whatever came before: inside a word when
/// `in_word`), and whether the last is inside a word. Whitespace is the
/// ASCII of `char::is_whitespace`: space and `\t` to `\r`. Each byte's
/// answer is in its high bit.
fn ascii_word_starts(chunk: u64, in_word: bool) -> (usize, bool) {
    // A byte equal to a space: zero after the xor. For bytes below 0x80,
    // adding 0x7f to the low seven bits sets the high bit exactly when one
    // of them is set, and carries into no other byte.
    let spaces = chunk ^ each_byte(b' ');
    let nonzero = ((spaces & !HIGH) + !HIGH) | spaces;
    let is_space = !nonzero & HIGH;
    // `\t` to `\r` (9 to 13): with the high bit set, taking 9 keeps it
    // when the byte is at least 9, taking 14 when at least 14; no byte
    // borrows from the next.
    let raised = chunk | HIGH;
    let at_least_9 = raised.wrapping_sub(each_byte(9)) & HIGH;
    let at_least_14 = raised.wrapping_sub(each_byte(14)) & HIGH;
    let white = is_space | (at_least_9 & !at_least_14);
    let word = !white & HIGH;
    // What each byte follows: the byte before's whiteness, the first
    // byte's from `in_word`.
    let before_white = (white << 8) | if in_word { 0 } else { 0x80 };
    // Each byte's flag moved down to a 0 or 1, then all eight summed into
    // the top byte by one multiply: the baseline x86-64 has no popcount
    // instruction, and `count_ones` would be a dozen operations.
    let starts = ((((word & before_white) >> 7).wrapping_mul(ONES)) >> 56) as usize;
    (starts, word >> 63 == 1)
}

/// How many words `text` has: what lies between whitespace, and each
/// Chinese or Japanese character (see [`WordCount`]).
pub(crate) fn count_words(text: &str) -> usize {
    WordCount::of(text).total()
}

/// How a character counts.
enum Script {
    /// A Chinese or Japanese character: a word of its own.
    Cjk,
    /// Chinese and Japanese punctuation (`、。「」（）`): between words,
    /// like a space.
    Punctuation,
    /// Anything else: part of the word around it.
    Other,
}

fn script_of(c: char) -> Script {
    match c {
        // Iteration marks and the ideographic zero are written as kanji.
        '\u{3005}'..='\u{3007}' => Script::Cjk,
        '\u{3000}'..='\u{303F}' | '\u{30FB}' => Script::Punctuation,
        '\u{3040}'..='\u{30FF}' // hiragana, katakana
        | '\u{31F0}'..='\u{31FF}' // katakana for Ainu
        | '\u{3400}'..='\u{4DBF}' // ideographs, extension A
        | '\u{4E00}'..='\u{9FFF}' // ideographs
        | '\u{F900}'..='\u{FAFF}' // compatibility ideographs
        | '\u{FF66}'..='\u{FF9F}' // halfwidth katakana
        | '\u{20000}'..='\u{3FFFF}' => Script::Cjk, // ideographs, extensions B on
        // Fullwidth punctuation; fullwidth letters and digits are words.
        '\u{FF01}'..='\u{FF0F}'
        | '\u{FF1A}'..='\u{FF20}'
        | '\u{FF3B}'..='\u{FF40}'
        | '\u{FF5B}'..='\u{FF65}' => Script::Punctuation,
        _ => Script::Other,
    }
}

/// Bytes that can start a character of [`script_of`]'s ranges: the lead
/// bytes of U+3000 to U+9FFF and U+F900 to U+FFFF (three bytes) and of the
/// planes above (four).
static MAY_START_CJK: [bool; 256] = {
    let mut table = [false; 256];
    let mut b = 0xE3;
    while b <= 0xE9 {
        table[b] = true;
        b += 1;
    }
    table[0xEF] = true;
    table[0xF0] = true;
    table
};

#[cfg(test)]
mod tests {
    use super::*;

    fn count(text: &str) -> (usize, usize) {
        let count = WordCount::of(text);
        (count.spaced, count.cjk)
    }

    #[test]
    fn spaced_text_counts_what_lies_between_whitespace() {
        assert_eq!(count("the quick  brown\tfox\njumps"), (5, 0));
        assert_eq!(count("  "), (0, 0));
        assert_eq!(count("non\u{a0}breaking em\u{2003}space"), (4, 0));
        assert_eq!(count("한국어는 띄어쓰기를 한다"), (3, 0));
    }

    #[test]
    fn chinese_and_japanese_count_each_character_and_no_punctuation() {
        // 東京の朝は早い (7) 駅のホーム (5).
        assert_eq!(count("東京の朝は早い。駅のホーム、"), (0, 12));
        assert_eq!(count("「人々」（ひとびと）"), (0, 6));
        assert_eq!(count("渋谷のShibuya crossing、ＡＢＣ。"), (3, 3));
        assert_eq!(count("𠮷野家"), (0, 3));
    }

    #[test]
    fn reading_time_follows_the_pace_of_each_kind_of_text() {
        let minutes = |spaced, cjk| WordCount { spaced, cjk }.reading_minutes();
        assert_eq!(minutes(0, 0), 1);
        assert_eq!(minutes(230, 0), 1);
        assert_eq!(minutes(231, 0), 2);
        assert_eq!(minutes(0, 400), 1);
        assert_eq!(minutes(0, 2_000), 5);
        // Half a minute of each is one minute, not two.
        assert_eq!(minutes(115, 200), 1);
    }

    /// The count as it is defined: split at whitespace, then each word is
    /// its CJK characters and the runs of other characters between them and
    /// the punctuation.
    fn expected(text: &str) -> (usize, usize) {
        let (mut spaced, mut cjk) = (0, 0);
        for word in text.split_whitespace() {
            let mut in_run = false;
            for c in word.chars() {
                match script_of(c) {
                    Script::Cjk => {
                        cjk += 1;
                        in_run = false;
                    }
                    Script::Punctuation => in_run = false,
                    Script::Other => {
                        spaced += usize::from(!in_run);
                        in_run = true;
                    }
                }
            }
        }
        (spaced, cjk)
    }

    #[test]
    fn eight_ascii_bytes_at_a_time_count_as_one_at_a_time() {
        // Every whitespace byte and its neighbours below and above, at
        // each place of a chunk, and runs across chunks.
        for text in [
            "abcdefgh",
            " bcdefgh",
            "abcdefg ",
            "a\x08b\tc\nd\x0be\x0cf\rg\x0eh",
            "\x1f \x21 \t\t\t\tword",
            "one two three four five six seven eight nine",
            "        ",
            "aaaaaaaaaaaaaaaaaaaaaaaa bbbbbbbbbbbbbbbbbbbbbbbbbbb",
            "x       x       x       ",
            "\x7f\x00\x7e\x01 ~ \x19\x1a",
        ] {
            assert_eq!(count(text), expected(text), "{text:?}");
        }
    }

    proptest::proptest! {
        #[test]
        fn long_ascii_runs_count_as_defined(
            text in "([\x00-\x7f]{1,20}[é日、\u{a0}]?){0,20}"
        ) {
            proptest::prop_assert_eq!(count(&text), expected(&text));
        }

        #[test]
        fn counts_follow_the_definition(
            text in "([a-z]{1,6}[ \\t\\n\u{85}\u{a0}\u{3000}é日本カ々、。（ＡＢ€\u{20bb7}]{1,3}){0,30}"
        ) {
            proptest::prop_assert_eq!(count(&text), expected(&text));
        }
    }
}
