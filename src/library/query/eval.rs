//! Evaluation: whether an article matches a query, which words an article
//! view highlights, and whether one query narrows another. [`Needle`] holds
//! each word's searcher, built once at parse time.

use std::fmt;

use chrono::NaiveDate;

use super::{Expr, Mark, Query};
use crate::article::Article;
use crate::library::Marks;

/// What a query looks at in an article: its id (for the marks), its search
/// text, date, tags and categories. A trait rather than [`Article`] itself,
/// so an article's summary and search text kept elsewhere (an on-disk
/// cache) are matched by the same code.
pub trait Subject {
    /// The article's id, as the marks know it.
    fn id(&self) -> &str;
    /// Title and body, lower-cased, for substring search.
    fn folded(&self) -> &str;
    /// The article's date, if any.
    fn date(&self) -> Option<NaiveDate>;
    /// The article's tags, as spelled.
    fn tags(&self) -> impl Iterator<Item = &str>;
    /// The article's categories, as spelled.
    fn categories(&self) -> impl Iterator<Item = &str>;
    /// The tag bit filter of its tags and categories (0: none set, so any
    /// term may be carried).
    fn term_bits(&self) -> u64;
    /// Whether the text holds `needle` when that is known without reading
    /// the text (a word index that answers exactly), `None` when the text
    /// must be read.
    fn holds(&self, _needle: &str) -> Option<bool> {
        None
    }
}

impl Subject for Article {
    fn id(&self) -> &str {
        &self.id
    }

    fn folded(&self) -> &str {
        &self.folded
    }

    fn date(&self) -> Option<NaiveDate> {
        self.date
    }

    fn tags(&self) -> impl Iterator<Item = &str> {
        self.tags.iter().map(String::as_str)
    }

    fn categories(&self) -> impl Iterator<Item = &str> {
        self.categories.iter().map(String::as_str)
    }

    fn term_bits(&self) -> u64 {
        self.term_bits
    }
}

/// A reference matches as what it points to (filters hand out `&&Article`).
impl<T: Subject + ?Sized> Subject for &T {
    fn id(&self) -> &str {
        (**self).id()
    }

    fn folded(&self) -> &str {
        (**self).folded()
    }

    fn date(&self) -> Option<NaiveDate> {
        (**self).date()
    }

    fn tags(&self) -> impl Iterator<Item = &str> {
        (**self).tags()
    }

    fn categories(&self) -> impl Iterator<Item = &str> {
        (**self).categories()
    }

    fn term_bits(&self) -> u64 {
        (**self).term_bits()
    }

    fn holds(&self, needle: &str) -> Option<bool> {
        (**self).holds(needle)
    }
}

impl Query {
    /// Whether the article matches. The empty query matches everything.
    pub fn matches(&self, article: &impl Subject, marks: &Marks) -> bool {
        self.expr
            .as_ref()
            .is_none_or(|expr| expr.matches(article, marks))
    }

    /// Whether the query looks at the marks: bookmarks or read marks
    /// (`is:`), or the person's own tags (`tag:`).
    pub fn uses_marks(&self) -> bool {
        self.expr.as_ref().is_some_and(Expr::has_marks)
    }

    /// Whether the query reads title and body text (it has words or
    /// phrases), so articles must be loaded with their bodies.
    pub fn needs_text(&self) -> bool {
        self.expr.as_ref().is_some_and(Expr::has_text)
    }

    /// What a word index may narrow this query's search to (see
    /// [`TextPlan`]): the words and phrases every matching article's text
    /// holds, under `and` and `or` as the query combines them. Under `-`,
    /// and for tags, categories, dates and marks, nothing is known of the
    /// text ([`TextPlan::Any`]), so such terms never make an index skip a
    /// true match.
    pub fn text_plan(&self) -> TextPlan<'_> {
        self.expr.as_ref().map_or(TextPlan::Any, Expr::text_plan)
    }

    /// Every word and phrase of the query, lower-cased, under `-` or not,
    /// in query order (repeats kept): the texts a search looks for.
    pub fn needles(&self) -> Vec<&str> {
        let mut needles = Vec::new();
        if let Some(expr) = &self.expr {
            expr.collect_needles(&mut needles);
        }
        needles
    }

    /// The lower-cased words and phrases an article view should highlight:
    /// those that must be present (not under an odd number of `-`), in query
    /// order, without repeats.
    pub fn highlight_terms(&self) -> Vec<String> {
        let mut terms = Vec::new();
        if let Some(expr) = &self.expr {
            expr.collect_highlights(true, &mut terms);
        }
        terms
    }

    /// Whether every article that matches `self` surely matches `broader`
    /// too, so a new search can filter the previous results instead of the
    /// whole library (typing `bloo` then `bloop`, or adding a term).
    /// Conservative: `false` when unsure.
    pub(crate) fn narrows(&self, broader: &Query) -> bool {
        let Some(broad) = &broader.expr else {
            return true;
        };
        let Some(narrow) = &self.expr else {
            return false;
        };
        let mut budget = IMPLICATION_BUDGET;
        implies(narrow, broad, &mut budget)
    }
}

/// What the text of every article matching a query holds, as far as a
/// word index can use it: an index narrows a search to the texts that may
/// match, and never drops a true match, as long as each [`TextPlan::Text`]
/// is narrowed to texts holding it.
#[derive(Debug, Clone, PartialEq, Eq)]
pub enum TextPlan<'q> {
    /// Any text may match (nothing to narrow by).
    Any,
    /// The text holds this folded word or phrase.
    Text(&'q str),
    /// The text is as each of these says (at least two, none `Any`).
    AllOf(Vec<TextPlan<'q>>),
    /// The text is as one of these says (at least two, none `Any`).
    AnyOf(Vec<TextPlan<'q>>),
}

impl<'q> TextPlan<'q> {
    /// Every one of `plans`: those that say nothing are left out.
    pub fn all_of(plans: Vec<TextPlan<'q>>) -> TextPlan<'q> {
        let mut plans: Vec<TextPlan<'q>> = plans
            .into_iter()
            .filter(|plan| *plan != TextPlan::Any)
            .collect();
        match plans.len() {
            0 => TextPlan::Any,
            1 => plans.remove(0),
            _ => TextPlan::AllOf(plans),
        }
    }

    /// One of `plans`: when one says nothing, nor does the whole.
    pub fn any_of(mut plans: Vec<TextPlan<'q>>) -> TextPlan<'q> {
        if plans.is_empty() || plans.contains(&TextPlan::Any) {
            return TextPlan::Any;
        }
        if plans.len() == 1 {
            return plans.remove(0);
        }
        TextPlan::AnyOf(plans)
    }
}

/// How many comparisons [`Query::narrows`] may make: enough for any typed
/// query, and a bound that keeps a huge pasted query from stalling a
/// keystroke (past it the caller simply searches everything again).
const IMPLICATION_BUDGET: usize = 10_000;

/// Whether `narrow` matching an article guarantees that `broad` matches it.
/// Sound but not complete: `false` when unsure or out of budget.
fn implies(narrow: &Expr, broad: &Expr, budget: &mut usize) -> bool {
    if *budget == 0 {
        return false;
    }
    *budget -= 1;
    match (narrow, broad) {
        (
            Expr::Word(longer) | Expr::Phrase(longer),
            Expr::Word(shorter) | Expr::Phrase(shorter),
        ) => longer.as_str().contains(shorter.as_str()),
        (_, Expr::And(wanted)) => wanted.iter().all(|b| implies(narrow, b, budget)),
        (Expr::Or(options), _) => options.iter().all(|n| implies(n, broad, budget)),
        (Expr::And(given), _) => given.iter().any(|n| implies(n, broad, budget)),
        (_, Expr::Or(options)) => options.iter().any(|b| implies(narrow, b, budget)),
        // Contraposition: lacking `bloo` guarantees lacking `bloop`.
        (Expr::Not(n), Expr::Not(b)) => implies(b, n, budget),
        _ => narrow == broad,
    }
}

/// Lower-cased text to find in an article's folded title and body, with
/// its SIMD searcher built once when the query is parsed: search as you
/// type runs it over every article on every keystroke.
#[derive(Clone)]
pub struct Needle {
    /// Shared: the searcher is large and queries are cloned.
    finder: std::sync::Arc<memchr::memmem::Finder<'static>>,
}

impl Needle {
    /// The text searched for.
    fn as_str(&self) -> &str {
        // Built from a `String` in `From`, so always valid UTF-8.
        std::str::from_utf8(self.finder.needle()).unwrap_or_default()
    }

    /// Whether `haystack` contains the text.
    fn is_in(&self, haystack: &str) -> bool {
        self.finder.find(haystack.as_bytes()).is_some()
    }
}

impl From<String> for Needle {
    fn from(text: String) -> Needle {
        Needle {
            finder: std::sync::Arc::new(memchr::memmem::Finder::new(text.as_bytes()).into_owned()),
        }
    }
}

impl From<&str> for Needle {
    fn from(text: &str) -> Needle {
        Needle::from(text.to_string())
    }
}

impl PartialEq for Needle {
    fn eq(&self, other: &Needle) -> bool {
        self.as_str() == other.as_str()
    }
}

impl Eq for Needle {}

impl fmt::Debug for Needle {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        fmt::Debug::fmt(self.as_str(), f)
    }
}

impl std::ops::Deref for Needle {
    type Target = str;
    fn deref(&self) -> &str {
        self.as_str()
    }
}

impl Expr {
    /// Whether an `is:` or `tag:` term (which the person's own tags can
    /// answer) occurs anywhere in the expression.
    fn has_marks(&self) -> bool {
        match self {
            Expr::Is(_) | Expr::Tag(_) => true,
            Expr::Not(inner) => inner.has_marks(),
            Expr::And(terms) | Expr::Or(terms) => terms.iter().any(Expr::has_marks),
            Expr::Word(_) | Expr::Phrase(_) | Expr::Category(_) | Expr::Date(_) => false,
        }
    }

    /// Whether a word or phrase occurs anywhere in the expression.
    fn has_text(&self) -> bool {
        match self {
            Expr::Word(_) | Expr::Phrase(_) => true,
            Expr::Not(inner) => inner.has_text(),
            Expr::And(terms) | Expr::Or(terms) => terms.iter().any(Expr::has_text),
            Expr::Tag(_) | Expr::Category(_) | Expr::Date(_) | Expr::Is(_) => false,
        }
    }

    /// Whether the article matches this expression. Allocates nothing and
    /// stops at the first operand that decides an `And` or `Or`.
    fn matches(&self, article: &impl Subject, marks: &Marks) -> bool {
        match self {
            Expr::Word(text) | Expr::Phrase(text) => article
                .holds(text)
                .unwrap_or_else(|| text.is_in(article.folded())),
            Expr::Tag(tag) => {
                (may_carry(article, tag)
                    && article.tags().any(|t| crate::article::folds_to(t, tag)))
                    || marks
                        .tags
                        .get(article.id())
                        .is_some_and(|own| own.iter().any(|t| crate::article::folds_to(t, tag)))
            }
            Expr::Category(cat) => {
                may_carry(article, cat)
                    && article
                        .categories()
                        .any(|c| crate::article::folds_to(c, cat))
            }
            Expr::Date(range) => article.date().is_some_and(|date| range.contains(date)),
            Expr::Is(Mark::Bookmarked) => marks.bookmarked.contains(article.id()),
            Expr::Is(Mark::Read) => marks.read.contains(article.id()),
            Expr::Is(Mark::Unread) => !marks.read.contains(article.id()),
            Expr::Not(inner) => !inner.matches(article, marks),
            Expr::And(parts) => parts.iter().all(|part| part.matches(article, marks)),
            Expr::Or(parts) => parts.iter().any(|part| part.matches(article, marks)),
        }
    }

    fn collect_needles<'e>(&'e self, out: &mut Vec<&'e str>) {
        match self {
            Expr::Word(text) | Expr::Phrase(text) => out.push(text.as_str()),
            Expr::Not(inner) => inner.collect_needles(out),
            Expr::And(parts) | Expr::Or(parts) => {
                parts.iter().for_each(|part| part.collect_needles(out));
            }
            Expr::Tag(_) | Expr::Category(_) | Expr::Date(_) | Expr::Is(_) => {}
        }
    }

    fn text_plan(&self) -> TextPlan<'_> {
        match self {
            Expr::Word(text) | Expr::Phrase(text) => TextPlan::Text(text.as_str()),
            Expr::And(parts) => TextPlan::all_of(parts.iter().map(Expr::text_plan).collect()),
            Expr::Or(parts) => TextPlan::any_of(parts.iter().map(Expr::text_plan).collect()),
            // A negation holds in texts without the word: it tells nothing
            // of which texts to read.
            Expr::Not(_) => TextPlan::Any,
            Expr::Tag(_) | Expr::Category(_) | Expr::Date(_) | Expr::Is(_) => TextPlan::Any,
        }
    }

    fn collect_highlights(&self, positive: bool, out: &mut Vec<String>) {
        match self {
            Expr::Word(text) | Expr::Phrase(text) => {
                if positive && !out.iter().any(|seen| seen == text.as_str()) {
                    out.push(text.as_str().to_string());
                }
            }
            Expr::Not(inner) => inner.collect_highlights(!positive, out),
            Expr::And(parts) | Expr::Or(parts) => {
                for part in parts {
                    part.collect_highlights(positive, out);
                }
            }
            Expr::Tag(_) | Expr::Category(_) | Expr::Date(_) | Expr::Is(_) => {}
        }
    }
}

/// False when the article's term filter rules the folded term out.
fn may_carry(article: &impl Subject, folded: &str) -> bool {
    let bits = article.term_bits();
    bits == 0 || bits & crate::article::term_bit(folded) != 0
}

#[cfg(test)]
mod tests {
    use std::collections::HashSet;

    use crate::library::Marks;
    use crate::library::query::parse;
    use crate::library::query::testing::{article, ids};

    #[test]
    fn sample_queries_find_the_expected_articles() {
        let marks = Marks::default();
        let cases: &[(&str, &[&str])] = &[
            ("tag:bloopers", &["000"]),
            ("Oseman -tag:bloopers", &["001", "003"]),
            ("\"blooper reel\"", &["003", "004"]),
            ("date:2024-01..2024-12", &["000", "002"]),
            ("oseman", &["000", "001", "003"]),
            ("\"alice osman\"", &["002"]),
            ("tag:heartstopper", &["000", "001"]),
            ("tag:\"alice oseman\"", &["001"]),
            ("cat:netflix", &["000", "001"]),
            ("category:TV", &["000", "001"]),
            ("heartstopper blooper", &["000", "003", "004"]),
            ("", &["000", "001", "002", "003", "004"]),
        ];
        for (query, expected) in cases {
            assert_eq!(ids(query, &marks), *expected, "query {query:?}");
        }
    }

    #[test]
    fn words_match_case_insensitive_substrings_of_title_and_body() {
        let marks = Marks::default();
        let cases: &[(&str, &[&str])] = &[
            ("OSEMAN", &["000", "001", "003"]),
            ("oseMan heartSTOPPER", &["000", "001", "003"]),
            ("greatness", &["000"]),          // title only
            ("osem", &["000", "001", "003"]), // substring
            ("wave oseman", &["000"]),
            ("nosuchword", &[]),
        ];
        for (query, expected) in cases {
            assert_eq!(ids(query, &marks), *expected, "query {query:?}");
        }
    }

    #[test]
    fn tags_and_categories_match_whole_names_only() {
        let marks = Marks::default();
        assert_eq!(ids("tag:blooper", &marks), Vec::<String>::new());
        assert_eq!(ids("tag:oseman", &marks), Vec::<String>::new());
        assert_eq!(ids("cat:net", &marks), Vec::<String>::new());
        assert_eq!(ids("tag:HEARTSTOPPER", &marks), ["000", "001"]);
    }

    #[test]
    fn tag_terms_match_the_persons_own_tags_too() {
        let marks = Marks {
            tags: std::collections::HashMap::from([(
                "002".to_string(),
                vec!["To Share".to_string()],
            )]),
            ..Marks::default()
        };
        let query = crate::library::query::parse("tag:\"to share\"").unwrap();
        assert!(query.uses_marks(), "a count on a worker must get the tags");
        assert_eq!(ids("tag:\"to share\"", &marks), ["002"]);
        assert_eq!(
            ids("tag:\"to share\"", &Marks::default()),
            Vec::<String>::new()
        );
        assert_eq!(
            ids("tag:heartstopper or tag:\"to share\"", &marks),
            ["000", "001", "002"]
        );
    }

    #[test]
    fn is_terms_look_at_marks_by_id() {
        let marks = Marks {
            bookmarked: HashSet::from(["001".to_string(), "003".to_string()]),
            read: HashSet::from(["000".to_string(), "001".to_string()]),
            ..Marks::default()
        };
        let cases: &[(&str, &[&str])] = &[
            ("is:bookmarked", &["001", "003"]),
            ("is:read", &["000", "001"]),
            ("is:unread", &["002", "003", "004"]),
            ("-is:read", &["002", "003", "004"]),
            ("is:bookmarked is:unread", &["003"]),
            ("is:bookmarked or is:read", &["000", "001", "003"]),
            ("oseman -is:bookmarked", &["000"]),
        ];
        for (query, expected) in cases {
            assert_eq!(ids(query, &marks), *expected, "query {query:?}");
        }
        assert_eq!(ids("is:unread", &Marks::default()).len(), 5);
        assert!(ids("is:bookmarked", &Marks::default()).is_empty());
    }

    #[test]
    fn operators_combine_as_expected_on_samples() {
        let marks = Marks::default();
        let cases: &[(&str, &[&str])] = &[
            ("tag:bloopers or \"blooper reel\"", &["000", "003", "004"]),
            ("oseman tag:bloopers or date:2023", &["000", "004"]),
            ("oseman (tag:bloopers or date:2023)", &["000"]),
            ("-(oseman or osman)", &["004"]),
            ("--tag:bloopers", &["000"]),
            ("-\"blooper reel\" -oseman", &["002"]),
        ];
        for (query, expected) in cases {
            assert_eq!(ids(query, &marks), *expected, "query {query:?}");
        }
    }

    #[test]
    fn highlight_terms_are_the_positive_words_and_phrases() {
        let cases: &[(&str, &[&str])] = &[
            ("Oseman -tag:bloopers", &["oseman"]),
            ("\"Blooper Reel\" -netflix", &["blooper reel"]),
            ("a (b or -c) --d a", &["a", "b", "d"]),
            ("-(x or y) z", &["z"]),
            ("tag:x date:2024 is:read", &[]),
            ("", &[]),
        ];
        for (query, expected) in cases {
            assert_eq!(
                parse(query).unwrap().highlight_terms(),
                *expected,
                "{query:?}"
            );
        }
    }

    #[test]
    fn narrows_recognises_queries_that_only_grew() {
        let narrows = |new: &str, old: &str| parse(new).unwrap().narrows(&parse(old).unwrap());
        assert!(narrows("bloop", "bloo"));
        assert!(narrows("bloo tag:x", "bloo"));
        assert!(narrows("\"blooper reel\"", "blooper"));
        assert!(narrows("anything", ""));
        assert!(narrows("a", "a or b"));
        assert!(narrows("tag:x a", "a tag:x"));
        assert!(narrows("a or bc", "a or b"));
        assert!(narrows("-bloo", "-bloop"));
        assert!(narrows("(a b) or (a c)", "a"));
        assert!(narrows("a (b or c) d", "a (b or c)"));
        assert!(!narrows("", "a"));
        assert!(!narrows("blo", "bloo"));
        assert!(!narrows("a or b", "a"));
        assert!(!narrows("-bloop", "-bloo"));
        assert!(!narrows("tag:xy", "tag:x"));
        assert!(!narrows("a or b", "a or c"));
        assert!(!narrows("date:2024", "date:2024-03"));
        // Too many terms to compare within budget: unsure, so not narrowing
        // (the same query would otherwise narrow itself).
        let many: String = (0..2000).map(|i| format!("w{i} ")).collect();
        assert!(narrows("w1 w2 w3", "w3 w1"));
        assert!(!narrows(&many, &many));
    }

    #[test]
    fn matching_uses_article_ids_and_folded_text_only() {
        // `folded` is the source of truth for text: a title not in `folded`
        // is not searched again per article.
        let mut a = article("id", "Title", "body", &[], &[], None);
        a.folded = "something else".into();
        let marks = Marks::default();
        assert!(!parse("title").unwrap().matches(&a, &marks));
        assert!(parse("else").unwrap().matches(&a, &marks));
    }
}
