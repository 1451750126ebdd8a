//! Generates folders of realistic article files for the benchmarks.
//!
//! ```text
//! cargo run --release --example gen_corpus -- N DIR            # N articles under DIR
//! cargo run --release --example gen_corpus -- --keep N DIR     # the same, unless DIR has them
//! cargo run --release --example gen_corpus -- --single MB FILE # one article of MB megabytes
//! cargo run --release --example gen_corpus -- --rss DIR FEED   # DIR's articles as one RSS 2.0 file
//! ```
//!
//! Articles follow the scraped plain-text format of `articles/*.txt`: most
//! start with ` date YYYY-MM-DD Posted in: A, B | Tagged: c, d`, some lack the
//! categories or the tags, some carry the body right after the date (as 002
//! and 004 do) and some have no header at all (as 003). A title line, then
//! paragraphs with the odd subheading, and now and then trailing clutter such
//! as "Read Next". Each file is 1 to 8 KB; dates spread over twenty years
//! (about one article in eight is undated); tags come from a long-tail
//! vocabulary with multi-word tags and case variants; a few articles hold CJK
//! text or emoji.
//!
//! Output depends only on N: every article is drawn from its own small
//! generator seeded from N and its number, so the folder is the same on every
//! machine and can be written by several threads at once. Files go into
//! nested folders of at most 1,000 files (`DIR/000/000123.txt`). When the
//! folder is complete a hidden marker file (`.gen_corpus`, ignored by the
//! loader) records N, so benches and `bench/compare.sh` reuse it.
//!
//! The benches include this file as a module, so everything they use is
//! `pub` here; apart from `main`, only [`ensure_corpus`] prints (one line to
//! stderr when it generates a corpus).

use std::fmt::Write as _;
use std::fs;
use std::io::{self, BufWriter, Write};
use std::path::{Path, PathBuf};
use std::process::ExitCode;
use std::thread;

/// Files per folder: keeps directories small, as people's archives are.
pub const FILES_PER_FOLDER: u64 = 1_000;

/// The hidden file that marks a folder as completely generated.
pub const MARKER: &str = ".gen_corpus";

/// Bumped whenever the generated text changes, so stale folders are rewritten.
const FORMAT_VERSION: u32 = 2;

/// Smallest and largest article, in bytes.
const MIN_BYTES: usize = 1024;
const MAX_BYTES: usize = 8 * 1024;

/// The bundled sample articles: their words are the main vocabulary, so
/// generated text has the letter and word-length mix of real articles.
const SAMPLES: [&str; 5] = [
    include_str!("../articles/000_b4046600ca63d592.txt"),
    include_str!("../articles/001_900db8947a90b09e.txt"),
    include_str!("../articles/002_3c2e4f83b2e5c3ed.txt"),
    include_str!("../articles/003_97ddbb98e762d2b5.txt"),
    include_str!("../articles/004_c084a17f8d89dc0e.txt"),
];

/// Frequent English words, to dilute the samples' topic words.
const COMMON: &[&str] = &[
    "the",
    "of",
    "and",
    "to",
    "a",
    "in",
    "is",
    "that",
    "for",
    "it",
    "as",
    "was",
    "with",
    "be",
    "by",
    "on",
    "not",
    "he",
    "she",
    "they",
    "this",
    "are",
    "or",
    "his",
    "her",
    "from",
    "at",
    "which",
    "but",
    "have",
    "an",
    "had",
    "were",
    "their",
    "been",
    "one",
    "all",
    "would",
    "there",
    "will",
    "more",
    "when",
    "who",
    "what",
    "about",
    "into",
    "than",
    "them",
    "can",
    "only",
    "other",
    "new",
    "some",
    "could",
    "time",
    "these",
    "two",
    "may",
    "then",
    "first",
    "any",
    "like",
    "our",
    "over",
    "such",
    "after",
    "most",
    "also",
    "made",
    "many",
    "before",
    "must",
    "through",
    "years",
    "where",
    "much",
    "your",
    "way",
    "well",
    "down",
    "should",
    "because",
    "each",
    "just",
    "those",
    "people",
    "how",
    "too",
    "little",
    "state",
    "good",
    "very",
    "make",
    "world",
    "still",
    "own",
    "see",
    "men",
    "work",
    "long",
    "get",
    "here",
    "between",
    "both",
    "life",
    "being",
    "under",
    "never",
    "day",
    "same",
    "another",
    "know",
    "while",
    "last",
    "might",
    "great",
    "since",
    "against",
    "right",
    "three",
    "came",
    "come",
    "around",
    "show",
    "season",
    "episode",
    "series",
    "film",
    "director",
    "studio",
    "release",
    "premiere",
    "cast",
    "story",
    "character",
    "fans",
    "critics",
    "audience",
    "trailer",
    "production",
    "streaming",
    "report",
    "announced",
    "confirmed",
    "according",
    "statement",
    "interview",
    "week",
    "month",
    "year",
    "government",
    "market",
    "company",
    "city",
    "music",
    "album",
    "tour",
    "game",
    "players",
    "team",
    "league",
    "record",
    "science",
    "research",
    "climate",
    "energy",
    "court",
];

/// Titles of trailing clutter lines, as scrapers leave them.
const CLUTTER: &[&str] = &[
    "Read Next",
    "About The Author",
    "Leave a Comment",
    "Advertisement",
    "More like this",
    "Related Stories",
    "Share this article",
    "Sign up for our newsletter",
    "Check out the trailer below:",
    "Most Popular",
];

/// Categories (`Posted in:`): a short list, as sites have.
const CATEGORIES: &[&str] = &[
    "TV",
    "Netflix",
    "Movies",
    "News",
    "Reviews",
    "Streaming",
    "Comics",
    "Music",
    "Games",
    "Anime",
    "Books",
    "Celebrity",
    "Tech",
    "Science",
    "World",
    "Culture",
    "Opinion",
    "Sport",
    "Business",
    "Health",
    "Politics",
    "Features",
    "Interviews",
    "Podcasts",
];

/// The head of the tag vocabulary: frequent, some multi-word, some not ASCII.
const HEAD_TAGS: &[&str] = &[
    "Netflix",
    "Heartstopper",
    "Alice Oseman",
    "bloopers",
    "Doctor Who",
    "Marvel",
    "MCU",
    "Disney+",
    "trailer",
    "review",
    "interview",
    "box office",
    "casting",
    "renewal",
    "season 3",
    "comic books",
    "anime",
    "video games",
    "BBC",
    "HBO",
    "Star Wars",
    "Star Trek",
    "horror",
    "comedy",
    "drama",
    "documentary",
    "K-drama",
    "Studio Ghibli",
    "Joe Locke",
    "Kit Connor",
    "Olivia Colman",
    "Prime Video",
    "Apple TV+",
    "Hulu",
    "premiere date",
    "first look",
    "behind the scenes",
    "fan theories",
    "soundtrack",
    "awards",
    "Emmys",
    "BAFTA",
    "Oscars",
    "superheroes",
    "LGBTQ+",
    "young adult",
    "adaptation",
    "webcomic",
    "podcast",
    "climate",
    "elections",
    "football",
    "tennis",
    "AI",
    "smartphones",
    "space",
    "NASA",
    "アニメ",
    "漫画",
    "드라마",
    "电影",
    "🎬 film",
    "Pokémon",
    "Café Society",
    "Zoë Kravitz",
];

/// CJK sentences for the few articles written (partly) in them.
const CJK: &[&str] = &[
    "新しいシーズンの予告編が公開されました。",
    "ファンは次の展開を心待ちにしています。",
    "撮影の舞台裏の映像も話題になりました。",
    "这部剧在全球范围内获得了很高的评价。",
    "导演表示第三季将会有更多惊喜。",
    "演员们在片场度过了愉快的时光。",
    "이번 시즌은 많은 팬들의 사랑을 받았습니다.",
    "제작진은 다음 시즌을 준비하고 있습니다.",
];

/// Emoji sprinkled into a few sentences.
const EMOJI: &[&str] = &[
    "🎬",
    "📺",
    "❤️",
    "😂",
    "🔥",
    "👏",
    "🏳️‍🌈",
    "✨",
    "🍿",
    "👨‍👩‍👧",
    "🇬🇧",
    "🙌🏽",
];

/// Syllables of made-up names: the long tail of rare words and tags that
/// selective searches hit.
const SYLLABLES: &[&str] = &[
    "ka", "lo", "mi", "ren", "tor", "vel", "zan", "quo", "dri", "sha", "bel", "nor", "fi", "gu",
    "xan", "ply", "stra", "ven", "ol", "ith", "um", "ae", "cor", "dun", "esk", "hal", "jor", "mar",
    "pen", "rik", "sol", "tam", "ul", "wyn", "yor", "bra", "cel", "dor", "fen", "gar",
];

/// Small, fast, deterministic generator (splitmix64): the corpus must not
/// depend on a library's choice of algorithm.
#[derive(Debug, Clone)]
pub struct Rng(u64);

impl Rng {
    /// A generator seeded with `seed`.
    pub fn new(seed: u64) -> Rng {
        Rng(seed)
    }

    /// The generator of article `index` in a corpus of `n`.
    pub fn for_article(n: u64, index: u64) -> Rng {
        let mut mixer = Rng::new(n ^ 0x6272_6f61_6473_6865);
        let base = mixer.next_u64();
        Rng::new(base ^ index.wrapping_mul(0x9E37_79B9_7F4A_7C15))
    }

    /// The next 64 random bits.
    pub fn next_u64(&mut self) -> u64 {
        self.0 = self.0.wrapping_add(0x9E37_79B9_7F4A_7C15);
        let mut z = self.0;
        z = (z ^ (z >> 30)).wrapping_mul(0xBF58_476D_1CE4_E5B9);
        z = (z ^ (z >> 27)).wrapping_mul(0x94D0_49BB_1331_11EB);
        z ^ (z >> 31)
    }

    /// A number in `0..bound` (0 when `bound` is 0).
    pub fn below(&mut self, bound: usize) -> usize {
        if bound == 0 {
            return 0;
        }
        // Multiply-shift: unbiased enough for text and free of division.
        ((u128::from(self.next_u64()) * bound as u128) >> 64) as usize
    }

    /// A number in `low..=high`.
    pub fn between(&mut self, low: usize, high: usize) -> usize {
        low + self.below(high.saturating_sub(low) + 1)
    }

    /// True `percent` times in a hundred.
    pub fn percent(&mut self, percent: usize) -> bool {
        self.below(100) < percent
    }

    /// A uniform number in `0.0..1.0`.
    pub fn unit(&mut self) -> f64 {
        (self.next_u64() >> 11) as f64 / (1u64 << 53) as f64
    }

    /// An index into `len` items skewed towards the start (a long tail):
    /// the first items are drawn far more often than the last.
    pub fn skewed(&mut self, len: usize) -> usize {
        let u = self.unit();
        ((u * u * u) * len as f64) as usize % len.max(1)
    }

    /// One item of a non-empty slice.
    pub fn pick<'a>(&mut self, items: &[&'a str]) -> &'a str {
        items.get(self.below(items.len())).copied().unwrap_or("")
    }
}

/// Everything text is drawn from, built once per corpus.
#[derive(Debug, Clone)]
pub struct Vocabulary {
    /// The distinct words of the sample articles, in order of appearance.
    sample_words: Vec<String>,
    /// Made-up names: rare words.
    rare_words: Vec<String>,
    /// Tags, the most frequent first.
    tags: Vec<String>,
}

impl Default for Vocabulary {
    fn default() -> Self {
        Vocabulary::new()
    }
}

impl Vocabulary {
    /// The vocabulary: the samples' words, made-up rare words and a tag list
    /// with a long tail (the same on every run).
    pub fn new() -> Vocabulary {
        // Distinct words, each as likely as the next: repeated as often as in
        // the samples, the samples' few topic words ("Oseman") would be in
        // nearly every article, and no search would be selective.
        let mut seen = std::collections::HashSet::new();
        let sample_words = SAMPLES
            .iter()
            .flat_map(|text| text.split_whitespace())
            .map(|word| word.trim_matches(|c: char| !c.is_alphanumeric()))
            .filter(|word| !word.is_empty() && word.chars().all(|c| !c.is_ascii_digit()))
            .filter(|word| seen.insert(*word))
            .map(str::to_string)
            .collect();
        let mut rng = Rng::new(0x766f_6361_6275_6c61);
        let rare_words: Vec<String> = (0..20_000).map(|_| made_up_word(&mut rng)).collect();
        let mut tags: Vec<String> = HEAD_TAGS.iter().map(|t| t.to_string()).collect();
        for _ in 0..4_000 {
            let tag = match rng.below(4) {
                // People and shows: "Kelimar Zorvant".
                0 | 1 => format!(
                    "{} {}",
                    capitalized(&made_up_word(&mut rng)),
                    capitalized(&made_up_word(&mut rng))
                ),
                // Topics: "zorvant".
                2 => made_up_word(&mut rng),
                // Topics with a qualifier: "zorvant season 2".
                _ => format!("{} season {}", made_up_word(&mut rng), rng.between(1, 9)),
            };
            tags.push(tag);
        }
        Vocabulary {
            sample_words,
            rare_words,
            tags,
        }
    }

    /// One word of running text: frequent words about half the time, as
    /// in English prose, then the samples' words, then the long tail.
    fn word(&self, rng: &mut Rng) -> &str {
        match rng.below(100) {
            0..=44 => rng.pick(COMMON),
            45..=86 => &self.sample_words[rng.below(self.sample_words.len())],
            _ => &self.rare_words[rng.skewed(self.rare_words.len())],
        }
    }

    /// One tag, now and then in another case than usual ("netflix", "NETFLIX").
    fn tag(&self, rng: &mut Rng) -> String {
        // Half the tags come from the head list: sites reuse their big tags.
        let range = if rng.percent(50) {
            HEAD_TAGS.len()
        } else {
            self.tags.len()
        };
        let tag = &self.tags[rng.skewed(range)];
        match rng.below(100) {
            0..=2 => tag.to_lowercase(),
            3 => tag.to_uppercase(),
            _ => tag.clone(),
        }
    }
}

/// A made-up word of two to four syllables.
fn made_up_word(rng: &mut Rng) -> String {
    let mut word = String::new();
    for _ in 0..rng.between(2, 4) {
        word.push_str(rng.pick(SYLLABLES));
    }
    word
}

/// The word with its first letter in upper case.
fn capitalized(word: &str) -> String {
    let mut chars = word.chars();
    match chars.next() {
        Some(first) => first.to_uppercase().chain(chars).collect(),
        None => String::new(),
    }
}

/// How an article starts, in the proportions a scraped folder shows.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
enum Header {
    /// ` date D Posted in: A, B | Tagged: c, d`, then the title.
    Full,
    /// ` date D Posted in: A, B`, then the title.
    CategoriesOnly,
    /// ` date D | Tagged: c, d`, then the title.
    TagsOnly,
    /// ` date D First sentence of the body…` (no title line).
    BodyAfterDate,
    /// No header: a title line, then the body (undated).
    TitleOnly,
    /// No header and no title: the body alone (undated).
    Bare,
}

impl Header {
    fn draw(rng: &mut Rng) -> Header {
        match rng.below(100) {
            0..=61 => Header::Full,
            62..=69 => Header::CategoriesOnly,
            70..=75 => Header::TagsOnly,
            76..=87 => Header::BodyAfterDate,
            88..=97 => Header::TitleOnly,
            _ => Header::Bare,
        }
    }
}

/// Writes the text of article `index` of a corpus of `n` into `out`
/// (cleared first). The text is 1 to 8 KB of UTF-8.
pub fn article_text(vocab: &Vocabulary, n: u64, index: u64, out: &mut String) {
    out.clear();
    let mut rng = Rng::for_article(n, index);
    let header = Header::draw(&mut rng);
    let target = rng.between(MIN_BYTES, MAX_BYTES - 900);
    let cjk = rng.percent(3);
    let emoji = rng.percent(8);
    match header {
        Header::Full | Header::CategoriesOnly | Header::TagsOnly => {
            out.push_str(" date ");
            push_date(&mut rng, out);
            if header != Header::TagsOnly {
                out.push_str(" Posted in: ");
                push_categories(&mut rng, out);
            }
            if header != Header::CategoriesOnly {
                out.push_str(" | Tagged: ");
                push_tags(vocab, &mut rng, out);
            }
            out.push_str("\n\n");
            push_title(vocab, &mut rng, cjk, out);
            out.push_str("\n\n");
        }
        Header::BodyAfterDate => {
            out.push_str(" date ");
            push_date(&mut rng, out);
            out.push(' ');
            push_paragraph(vocab, &mut rng, emoji, out);
            out.push_str("\n\n");
        }
        Header::TitleOnly => {
            push_title(vocab, &mut rng, cjk, out);
            out.push_str("\n\n");
        }
        Header::Bare => {}
    }
    push_body(vocab, &mut rng, target, cjk, emoji, out);
    if rng.percent(25) {
        for _ in 0..rng.between(1, 4) {
            out.push_str("\n\n");
            out.push_str(rng.pick(CLUTTER));
        }
    }
    // Some scraped files end without a final newline, as 003 does.
    if rng.percent(85) {
        out.push('\n');
    }
}

/// A date between 2005 and 2025, recent years more often.
fn push_date(rng: &mut Rng, out: &mut String) {
    let recent = rng.unit().sqrt();
    let year = 2005 + (recent * 21.0) as u32;
    let month = rng.between(1, 12);
    let day = rng.between(1, 28);
    let _ = write!(out, "{:04}-{month:02}-{day:02}", year.min(2025));
}

fn push_categories(rng: &mut Rng, out: &mut String) {
    let count = rng.between(1, 3);
    for i in 0..count {
        if i > 0 {
            out.push_str(", ");
        }
        out.push_str(CATEGORIES[rng.skewed(CATEGORIES.len())]);
    }
}

fn push_tags(vocab: &Vocabulary, rng: &mut Rng, out: &mut String) {
    let count = rng.between(1, 7);
    for i in 0..count {
        if i > 0 {
            out.push_str(", ");
        }
        out.push_str(&vocab.tag(rng));
    }
}

/// A title: a handful of capitalised words, sometimes "Show Season N: …",
/// never ending in sentence punctuation.
fn push_title(vocab: &Vocabulary, rng: &mut Rng, cjk: bool, out: &mut String) {
    if cjk && rng.percent(50) {
        out.push_str(rng.pick(CJK).trim_end_matches('。'));
        return;
    }
    if rng.percent(20) {
        let _ = write!(
            out,
            "{} Season {}: ",
            capitalized(&vocab.tags[rng.skewed(60)]),
            rng.between(1, 6)
        );
    }
    let words = rng.between(4, 12);
    for i in 0..words {
        if i > 0 {
            out.push(' ');
        }
        out.push_str(&capitalized(vocab.word(rng)));
    }
}

/// Paragraphs, subheadings now and then, until the text reaches `target`
/// bytes (a paragraph is never longer than the margin left below 8 KB).
fn push_body(
    vocab: &Vocabulary,
    rng: &mut Rng,
    target: usize,
    cjk: bool,
    emoji: bool,
    out: &mut String,
) {
    let mut since_heading = 0;
    let mut first = true;
    while out.len() < target {
        if !first {
            out.push_str("\n\n");
        }
        first = false;
        if since_heading >= 2 && rng.percent(30) {
            let words = rng.between(3, 8);
            for i in 0..words {
                if i > 0 {
                    out.push(' ');
                }
                out.push_str(&capitalized(vocab.word(rng)));
            }
            since_heading = 0;
        } else if cjk && rng.percent(40) {
            for _ in 0..rng.between(2, 8) {
                out.push_str(rng.pick(CJK));
            }
            since_heading += 1;
        } else {
            push_paragraph(vocab, rng, emoji, out);
            since_heading += 1;
        }
    }
}

/// One paragraph of two to six sentences (at most about 800 bytes).
fn push_paragraph(vocab: &Vocabulary, rng: &mut Rng, emoji: bool, out: &mut String) {
    let sentences = rng.between(2, 6);
    for s in 0..sentences {
        if s > 0 {
            out.push(' ');
        }
        push_sentence(vocab, rng, emoji, out);
    }
}

/// One sentence: capitalised, with the odd comma, quotation, dash or number.
fn push_sentence(vocab: &Vocabulary, rng: &mut Rng, emoji: bool, out: &mut String) {
    let words = rng.between(5, 20);
    let quoted = rng.percent(10);
    if quoted {
        out.push('“');
    }
    for i in 0..words {
        if i > 0 {
            match rng.below(80) {
                0..=3 => out.push_str(", "),
                4 => out.push_str(" – "),
                _ => out.push(' '),
            }
        }
        if rng.percent(2) {
            let _ = write!(out, "{}", rng.between(1, 2025));
            continue;
        }
        let word = vocab.word(rng);
        if i == 0 {
            out.push_str(&capitalized(word));
        } else {
            out.push_str(word);
        }
    }
    if emoji && rng.percent(30) {
        out.push(' ');
        out.push_str(rng.pick(EMOJI));
    }
    out.push(match rng.below(20) {
        0 => '?',
        1 => '!',
        _ => '.',
    });
    if quoted {
        out.push('”');
    }
}

/// One huge article of at least `bytes` bytes: a full header, a title and
/// paragraphs with subheadings, for the reader benches.
pub fn single_article(bytes: usize) -> String {
    let vocab = Vocabulary::new();
    let mut rng = Rng::new(bytes as u64);
    let mut out = String::with_capacity(bytes + 1024);
    out.push_str(" date 2024-06-01 Posted in: TV, Features | Tagged: long read, Heartstopper\n\n");
    out.push_str("The Longest Article Anyone Ever Scraped\n\n");
    push_body(&vocab, &mut rng, bytes, false, true, &mut out);
    out.push('\n');
    out
}

/// A folder with `text` as its one article, `long.txt`, beside the corpora
/// (written when it is not there already): for the benchmarks of a long
/// article, which the reader reads from its file like any other.
pub fn one_article_dir(text: &str) -> io::Result<PathBuf> {
    let dir = corpus_dir(0).with_file_name(format!("one-{}", text.len()));
    let path = dir.join("long.txt");
    let written = fs::metadata(&path).is_ok_and(|m| m.len() == text.len() as u64);
    if !written {
        fs::create_dir_all(&dir)?;
        fs::write(&path, text)?;
    }
    Ok(dir)
}

/// The largest article the benchmarks load: above the default limit, which
/// the long article exceeds.
pub const LONG_ARTICLE_LIMIT: u64 = 64 * 1024 * 1024;

/// Where article `index` of a corpus of `n` goes, relative to the folder:
/// `000/000123.txt` (wider numbers when `n` needs them).
pub fn relative_path(n: u64, index: u64) -> PathBuf {
    let digits = n.saturating_sub(1).max(999_999).to_string().len();
    let folder_digits = digits.saturating_sub(3);
    let folder = index / FILES_PER_FOLDER;
    PathBuf::from(format!("{folder:0folder_digits$}")).join(format!("{index:0digits$}.txt"))
}

/// What a generation wrote.
#[derive(Debug, Clone, Copy, Default, PartialEq, Eq)]
pub struct Written {
    /// Files written.
    pub files: u64,
    /// Bytes written.
    pub bytes: u64,
}

/// Writes a corpus of `n` articles under `dir` on every core, then the
/// marker file. Existing files of the same names are overwritten; other
/// files are left alone.
pub fn generate(n: u64, dir: &Path) -> io::Result<Written> {
    let folders = n.div_ceil(FILES_PER_FOLDER);
    for folder in 0..folders {
        let first = relative_path(n, folder * FILES_PER_FOLDER);
        if let Some(parent) = first.parent() {
            fs::create_dir_all(dir.join(parent))?;
        }
    }
    let vocab = Vocabulary::new();
    let threads = thread::available_parallelism().map_or(1, |n| n.get()) as u64;
    let results: Vec<io::Result<Written>> = thread::scope(|scope| {
        let handles: Vec<_> = (0..threads)
            .map(|worker| {
                let vocab = &vocab;
                // Whole folders per thread, interleaved, so the threads
                // never write into the same directory at once.
                scope.spawn(move || {
                    let mut written = Written::default();
                    let mut text = String::with_capacity(MAX_BYTES * 2);
                    for folder in (worker..folders).step_by(threads as usize) {
                        let end = ((folder + 1) * FILES_PER_FOLDER).min(n);
                        for index in folder * FILES_PER_FOLDER..end {
                            article_text(vocab, n, index, &mut text);
                            fs::write(dir.join(relative_path(n, index)), text.as_bytes())?;
                            written.files += 1;
                            written.bytes += text.len() as u64;
                        }
                    }
                    Ok(written)
                })
            })
            .collect();
        handles
            .into_iter()
            .map(|h| {
                h.join()
                    .unwrap_or_else(|_| Err(io::Error::other("a generator thread panicked")))
            })
            .collect()
    });
    let mut total = Written::default();
    for result in results {
        let written = result?;
        total.files += written.files;
        total.bytes += written.bytes;
    }
    fs::write(dir.join(MARKER), marker_text(n))?;
    Ok(total)
}

fn marker_text(n: u64) -> String {
    format!("gen_corpus format {FORMAT_VERSION} articles {n}\n")
}

/// Whether `dir` holds a complete corpus of `n` articles of this format.
pub fn is_complete(n: u64, dir: &Path) -> bool {
    fs::read_to_string(dir.join(MARKER)).is_ok_and(|text| text == marker_text(n))
}

/// The folder benches keep the corpus of `n` articles in:
/// `$BENCH_CORPUS_DIR/N`, else `$CARGO_TARGET_DIR/bench-corpus/N`, else
/// `target/bench-corpus/N` in the project.
pub fn corpus_dir(n: u64) -> PathBuf {
    let base = match (
        std::env::var_os("BENCH_CORPUS_DIR"),
        std::env::var_os("CARGO_TARGET_DIR"),
    ) {
        (Some(dir), _) => PathBuf::from(dir),
        (None, Some(target)) => PathBuf::from(target).join("bench-corpus"),
        (None, None) => Path::new(env!("CARGO_MANIFEST_DIR")).join("target/bench-corpus"),
    };
    base.join(n.to_string())
}

/// The corpus size of the benches that use one corpus: `$BENCH_ARTICLES`,
/// else 100,000. Panics with a message when the variable is not a number.
pub fn bench_articles() -> u64 {
    match std::env::var("BENCH_ARTICLES") {
        Err(_) => 100_000,
        Ok(text) => match text.trim().parse() {
            Ok(n) if n > 0 => n,
            _ => panic!("BENCH_ARTICLES must be a whole number above 0, not {text:?}"),
        },
    }
}

/// The corpus of `n` articles, generated first when it is missing or
/// incomplete.
pub fn ensure_corpus(n: u64) -> io::Result<PathBuf> {
    let dir = corpus_dir(n);
    if !is_complete(n, &dir) {
        fs::create_dir_all(&dir)?;
        let started = std::time::Instant::now();
        let written = generate(n, &dir)?;
        eprintln!(
            "generated {} articles ({} bytes) in {} in {:.1?}",
            written.files,
            written.bytes,
            dir.display(),
            started.elapsed()
        );
    }
    Ok(dir)
}

/// Writes the articles of `dir`, as broadsheet loads them, as one RSS 2.0
/// file: one `<item>` per article with title, date, a category per tag and
/// category, and the body as description. For comparing with feed readers.
pub fn write_rss(dir: &Path, feed: &Path) -> io::Result<u64> {
    let options = broadsheet::library::LoadOptions::default();
    let library = broadsheet::library::load(dir, &options).map_err(io::Error::other)?;
    let mut out = BufWriter::new(fs::File::create(feed)?);
    out.write_all(
        b"<?xml version=\"1.0\" encoding=\"UTF-8\"?>\n<rss version=\"2.0\">\n<channel>\n\
          <title>broadsheet corpus</title>\n<link>file:///</link>\n\
          <description>Generated articles</description>\n",
    )?;
    let mut body = String::new();
    for (position, article) in library.iter().enumerate() {
        body.clear();
        let whole = library.read_whole(position, u64::MAX).and_then(Result::ok);
        let blocks = whole
            .as_ref()
            .map_or(&[][..], |article| &article.blocks[..]);
        for (i, block) in blocks.iter().enumerate() {
            if i > 0 {
                body.push_str("\n\n");
            }
            body.push_str(&block.text);
        }
        writeln!(out, "<item>")?;
        writeln!(out, "<title>{}</title>", xml_escape(article.title()))?;
        writeln!(
            out,
            "<guid isPermaLink=\"false\">{}</guid>",
            xml_escape(article.id())
        )?;
        if let Some(date) = article.date() {
            writeln!(
                out,
                "<pubDate>{}</pubDate>",
                date.format("%a, %d %b %Y 12:00:00 +0000")
            )?;
        }
        for term in article.categories().chain(article.tags()) {
            writeln!(out, "<category>{}</category>", xml_escape(term))?;
        }
        writeln!(out, "<description>{}</description>", xml_escape(&body))?;
        writeln!(out, "</item>")?;
    }
    out.write_all(b"</channel>\n</rss>\n")?;
    out.flush()?;
    Ok(library.len() as u64)
}

/// Text escaped for XML character data.
pub fn xml_escape(text: &str) -> std::borrow::Cow<'_, str> {
    if !text.contains(['&', '<', '>']) {
        return std::borrow::Cow::Borrowed(text);
    }
    let mut out = String::with_capacity(text.len() + 16);
    for c in text.chars() {
        match c {
            '&' => out.push_str("&amp;"),
            '<' => out.push_str("&lt;"),
            '>' => out.push_str("&gt;"),
            _ => out.push(c),
        }
    }
    std::borrow::Cow::Owned(out)
}

const USAGE: &str = "usage:
  gen_corpus N DIR             write N articles under DIR (DIR/000/000000.txt ...)
  gen_corpus --keep N DIR      the same, unless DIR already holds exactly that corpus
  gen_corpus --single MB FILE  write one article of MB megabytes to FILE
  gen_corpus --rss DIR FEED    write DIR's articles as one RSS 2.0 file FEED";

fn main() -> ExitCode {
    let args: Vec<String> = std::env::args().skip(1).collect();
    let result = match args.as_slice() {
        [flag, mb, file] if flag == "--single" => run_single(mb, Path::new(file)),
        [flag, dir, feed] if flag == "--rss" => run_rss(Path::new(dir), Path::new(feed)),
        [n, dir] if !n.starts_with('-') => run_corpus(n, Path::new(dir), false),
        [flag, n, dir] if flag == "--keep" => run_corpus(n, Path::new(dir), true),
        _ => Err(USAGE.to_string()),
    };
    match result {
        Ok(()) => ExitCode::SUCCESS,
        Err(message) => {
            eprintln!("gen_corpus: {message}");
            ExitCode::from(2)
        }
    }
}

fn run_corpus(n: &str, dir: &Path, keep: bool) -> Result<(), String> {
    let n: u64 = n
        .parse()
        .map_err(|_| format!("N must be a whole number, not {n:?}\n{USAGE}"))?;
    if keep && is_complete(n, dir) {
        println!("{} already holds the corpus of {n} articles", dir.display());
        return Ok(());
    }
    let started = std::time::Instant::now();
    fs::create_dir_all(dir).map_err(|e| format!("{}: {e}", dir.display()))?;
    let written = generate(n, dir).map_err(|e| format!("{}: {e}", dir.display()))?;
    println!(
        "wrote {} articles, {} bytes, under {} in {:.2?}",
        written.files,
        written.bytes,
        dir.display(),
        started.elapsed()
    );
    Ok(())
}

fn run_single(mb: &str, file: &Path) -> Result<(), String> {
    let mb: f64 = mb
        .parse()
        .ok()
        .filter(|mb: &f64| mb.is_finite() && *mb > 0.0 && *mb <= 4096.0)
        .ok_or_else(|| format!("MB must be a number of megabytes up to 4096, not {mb:?}"))?;
    let text = single_article((mb * 1024.0 * 1024.0) as usize);
    fs::write(file, &text).map_err(|e| format!("{}: {e}", file.display()))?;
    println!("wrote {} bytes to {}", text.len(), file.display());
    Ok(())
}

fn run_rss(dir: &Path, feed: &Path) -> Result<(), String> {
    let items = write_rss(dir, feed).map_err(|e| format!("{}: {e}", feed.display()))?;
    println!("wrote {items} items to {}", feed.display());
    Ok(())
}
