//! The full text of an item's page, for feeds that only carry a summary
//! (`full_text` in feeds.toml): the page's main content found by
//! dom_smoothie (a port of Mozilla's Readability, the reader view of
//! Firefox) and made readable text the way feed items are, links numbered
//! and listed. [`choose`] keeps the feed's summary when the page gives less.

use std::panic::{self, AssertUnwindSafe};

use dom_query::Document;
use dom_smoothie::{Config, Readability};
use url::Url;

use super::html::{bounded_page, text_of_html};
use crate::article::words::WordCount;

/// The largest page extraction is tried on. Articles are far smaller;
/// a larger page is more likely an endless one or an attack than a story,
/// and cutting it would cut the article too.
const MAX_PAGE: usize = 5 * 1024 * 1024;

/// The most elements Readability scores: a bound on its time on a page
/// that is within [`MAX_PAGE`] but made of nothing but tiny elements.
const MAX_ELEMENTS: usize = 200_000;

/// Elements whose `id` or `class` holds one of these words (any case) are
/// cookie and consent notices when they are short. Readability drops
/// notices called banners or popups, but not these, and they sit in the
/// same container as the article on many sites.
const NOTICE_SELECTOR: &str =
    "[id*=cookie i], [class*=cookie i], [id*=consent i], [class*=consent i]";

/// The most text an element matched by [`NOTICE_SELECTOR`] may hold and
/// still be taken for a notice: an article inside a container with such a
/// name (a recipe for cookies) is longer.
const MAX_NOTICE_TEXT: usize = 600;

/// The main content of the page `html`, fetched from `page_url`, as
/// readable, terminal-safe text (paragraphs, headings, lists; links
/// numbered and listed, made absolute against `page_url`). None when the page is over 5 MB, does
/// not look like it holds an article, extraction fails or panics, or it
/// yields no text: the caller keeps the feed's own text then.
pub fn extract(html: &str, page_url: &str) -> Option<String> {
    if html.len() > MAX_PAGE {
        return None;
    }
    // dom_smoothie works through untrusted markup with many heuristics;
    // a panic in it must cost this one item its full text, not the fetch.
    let content = panic::catch_unwind(AssertUnwindSafe(|| main_content(html, page_url)))
        .ok()
        .flatten()?;
    let text = text_of_html(&content);
    (!text.is_empty()).then_some(text)
}

/// The text to keep for an item: the `extracted` full text, unless there
/// is none or it has fewer words than the feed's `summary` (a paywall or
/// cookie wall can leave less on the page than the feed gave).
pub fn choose(summary: &str, extracted: Option<String>) -> String {
    match extracted {
        Some(text) if words(&text) >= words(summary) => text,
        _ => summary.to_string(),
    }
}

/// The main content's HTML, when Readability finds an article.
fn main_content(html: &str, page_url: &str) -> Option<String> {
    // Readability refuses an address that is not absolute; without one,
    // relative links simply stay relative.
    let url = Url::parse(page_url.trim())
        .ok()
        .filter(|url| matches!(url.scheme(), "http" | "https"));
    let config = Config {
        max_elements_to_parse: MAX_ELEMENTS,
        ..Config::default()
    };
    // Bounded first: html5ever's time and what reads its tree grow with
    // the nesting (see `html::bound`).
    let document = Document::from(bounded_page(html));
    drop_notices(&document);
    let mut readability =
        Readability::with_document(document, url.as_ref().map(Url::as_str), Some(config)).ok()?;
    // Without this check Readability's last resort returns the whole body
    // of a page that has no article: its menus, banners and footer.
    if !readability.is_probably_readable() {
        return None;
    }
    let article = readability.parse().ok()?;
    Some(article.content.to_string())
}

/// Removes the page's cookie and consent notices (see [`NOTICE_SELECTOR`]).
fn drop_notices(document: &Document) {
    let Some(notices) = document.try_select(NOTICE_SELECTOR) else {
        return;
    };
    for notice in notices.nodes() {
        if notice.text().len() <= MAX_NOTICE_TEXT {
            notice.remove_from_parent();
        }
    }
}

/// How many words `text` has, as the library counts them: Chinese and
/// Japanese have no spaces between words, so their characters count each
/// (by spaces alone, a whole Japanese page would be one word and lose to
/// any summary).
fn words(text: &str) -> usize {
    let count = WordCount::of(text);
    count.spaced + count.cjk
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn the_longer_text_is_kept() {
        let summary = "A short summary of the story.";
        assert_eq!(choose(summary, None), summary);
        assert_eq!(choose(summary, Some("Subscribe now".into())), summary);
        let full = "The whole story, told at length in many more words than the summary.";
        assert_eq!(choose(summary, Some(full.into())), full);
        assert_eq!(choose("", Some("x".into())), "x");
    }

    #[test]
    fn a_chinese_or_japanese_page_longer_than_the_summary_is_kept() {
        let summary = "東京の天気は晴れ。 Tokyo weather summary.";
        let page = "東京の天気は今日も晴れです。明日は午後から雨が降る見込みで、\
                    気温は昨日より三度ほど低くなるでしょう。";
        assert_eq!(choose(summary, Some(page.into())), page);
        let chinese = "北京今天天气晴朗，明天下午可能有雨，气温比昨天低三度左右。";
        assert_eq!(choose("北京天气晴。", Some(chinese.into())), chinese);
        // And a page with less is still not taken.
        assert_eq!(choose(page, Some("東京".into())), page);
    }

    #[test]
    fn pages_over_the_cap_or_without_text_give_nothing() {
        let huge = format!("<p>{}</p>", "word ".repeat(MAX_PAGE / 4));
        assert_eq!(extract(&huge, "https://a.example/"), None);
        assert_eq!(extract("", "https://a.example/"), None);
        assert_eq!(extract("<html><body></body></html>", "not a url"), None);
    }

    #[test]
    fn short_cookie_notices_go_and_long_texts_so_named_stay() {
        let long = "A recipe paragraph about baking cookies. ".repeat(20);
        let html = format!(
            "<div class='Cookie-Bar'>We use cookies.</div><div id=consentBox>Agree?</div><div class=cookies>{long}</div>"
        );
        let document = Document::from(html.as_str());
        drop_notices(&document);
        let text = document.select("body").text().to_string();
        assert!(
            !text.contains("We use cookies.") && !text.contains("Agree?"),
            "{text}"
        );
        assert!(text.contains("A recipe paragraph"), "{text}");
    }
}
