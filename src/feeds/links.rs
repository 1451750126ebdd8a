//! Relative addresses in a feed made whole. A feed may write an item's
//! link, its enclosures and the links in its text relative to somewhere
//! (`<link>/odd/3</link>`, `<a href="../img/a.png">`); saved as they are,
//! they name nothing once the item is a file. Each is resolved against the
//! first base there is: the `xml:base` in scope, then the item's own link
//! (for the links in its text), then the feed's final address (after
//! redirects).
//!
//! feed-rs already resolves the links, enclosures and Media RSS addresses
//! of XML feeds against the `xml:base` in scope, starting from the feed's
//! address when it is given one ([`crate::feeds::parse::parse_at`] gives
//! it): as XML says, an item's link and enclosures take the `xml:base` in
//! scope, else the document's address. What it leaves is done here: JSON
//! Feed addresses (which have no `xml:base`: an attachment takes the item's
//! link, then the feed's address), and the links inside an item's text,
//! which it hands over as HTML (the text's `xml:base`, where feed-rs gives
//! it, then the item's link, then the feed's address). Those are resolved
//! in the Markdown the text is turned into, by a pass over the Markdown
//! that does not depend on how the HTML was converted, and that never
//! touches code spans or code blocks (pulldown-cmark says where links are;
//! code holds none).
//!
//! Only a result that is an http or https address replaces what was
//! written: anything else (`javascript:`, `data:`, a relative address
//! with no base) stays text as written, which the reader does not open.

use std::ops::Range;

use pulldown_cmark::{Event, LinkType, Options, Parser, Tag};
use url::Url;

/// The bases an item's relative addresses are resolved against, first
/// first: `xml:base`, the item's link, the feed's address. Only http and
/// https addresses are kept as bases.
#[derive(Debug, Clone, Default, PartialEq, Eq)]
pub struct Bases {
    bases: Vec<Url>,
}

impl Bases {
    /// The bases, in order; those that are not whole http or https
    /// addresses are left out.
    pub fn new<'a>(bases: impl IntoIterator<Item = Option<&'a str>>) -> Bases {
        Bases {
            bases: bases
                .into_iter()
                .flatten()
                .filter_map(|base| Url::parse(base.trim()).ok())
                .filter(is_web)
                .collect(),
        }
    }

    /// [`Bases::new`] of addresses already read: each one read once
    /// serves every item of a feed.
    pub fn from_urls<'a>(bases: impl IntoIterator<Item = Option<&'a Url>>) -> Bases {
        Bases {
            bases: bases
                .into_iter()
                .flatten()
                .filter(|url| is_web(url))
                .cloned()
                .collect(),
        }
    }

    /// `href` as a whole http or https address: as it is (in the form
    /// `url` writes it) when it is one, resolved against the first base
    /// when it is relative; None otherwise (another scheme, or relative
    /// with no base).
    pub fn web_address(&self, href: &str) -> Option<String> {
        let href = href.trim();
        if href.is_empty() {
            return None;
        }
        match Url::parse(href) {
            Ok(url) => is_web(&url).then(|| url.to_string()),
            Err(url::ParseError::RelativeUrlWithoutBase) => self.resolved(href),
            Err(_) => None,
        }
    }

    /// A relative `href` resolved against the first base, when that gives
    /// an http or https address; None for an absolute `href` (whatever its
    /// scheme) and when there is no base.
    fn resolved(&self, href: &str) -> Option<String> {
        let base = self.bases.first()?;
        let url = base.join(href).ok()?;
        is_web(&url).then(|| url.to_string())
    }

    /// `markdown` with the targets of its relative links and images (inline
    /// `[text](target)` and reference definitions `[1]: target`) resolved
    /// against the first base. Code spans, code blocks and every target
    /// that does not resolve to an http or https address are left as they
    /// are.
    pub fn in_markdown(&self, markdown: &str) -> String {
        if self.bases.is_empty() || !maybe_relative(markdown) {
            return markdown.to_string();
        }
        let mut edits: Vec<(Range<usize>, String)> = Vec::new();
        let parser = Parser::new_ext(markdown, Options::empty());
        for (_, definition) in parser.reference_definitions().iter() {
            if let Some(edit) = self.edit_in(markdown, definition.span.clone(), &definition.dest) {
                edits.push(edit);
            }
        }
        for (event, range) in parser.into_offset_iter() {
            if let Event::Start(
                Tag::Link {
                    link_type: LinkType::Inline,
                    dest_url,
                    ..
                }
                | Tag::Image {
                    link_type: LinkType::Inline,
                    dest_url,
                    ..
                },
            ) = event
                && let Some(edit) = self.inline_edit(markdown, range, &dest_url)
            {
                edits.push(edit);
            }
        }
        apply(markdown, edits)
    }

    /// The edit that makes the target of the inline link at `range` whole:
    /// the target is what follows the `](` after which `dest` is written.
    fn inline_edit(
        &self,
        markdown: &str,
        range: Range<usize>,
        dest: &str,
    ) -> Option<(Range<usize>, String)> {
        let source = markdown.get(range.clone())?;
        // The link text may itself hold `](` (an image in a link): the
        // target is after the last one that `dest` follows, looked for from
        // the end so that links nested in links are not read over again.
        let target = source
            .rmatch_indices("](")
            .find_map(|(at, _)| target_at(source, at + 2, dest))?;
        let absolute = range.start + target.start..range.start + target.end;
        self.replacement(dest).map(|new| (absolute, new))
    }

    /// The edit that makes a reference definition's target (`dest`, in
    /// `span`) whole.
    fn edit_in(
        &self,
        markdown: &str,
        span: Range<usize>,
        dest: &str,
    ) -> Option<(Range<usize>, String)> {
        let source = markdown.get(span.clone())?;
        let colon = source.find("]:")? + 2;
        let target = target_at(source, colon, dest)?;
        let absolute = span.start + target.start..span.start + target.end;
        self.replacement(dest).map(|new| (absolute, new))
    }

    /// What a relative target `dest` is written as once resolved: in angle
    /// brackets when it holds parentheses, which would end an inline
    /// target early. None when `dest` stays as it is.
    fn replacement(&self, dest: &str) -> Option<String> {
        if dest.is_empty()
            || !matches!(
                Url::parse(dest),
                Err(url::ParseError::RelativeUrlWithoutBase)
            )
        {
            return None;
        }
        let url = self.resolved(dest)?;
        Some(if url.contains(['(', ')']) {
            format!("<{url}>")
        } else {
            url
        })
    }
}

/// Whether `markdown` may hold a relative link target: whether any `](`
/// or `]:` (where every inline target and reference definition's target
/// is written) is followed by anything but an address with a scheme
/// (`https:`, `mailto:`), which stays as it is. Most items' links are
/// whole addresses, and this spares them a Markdown parse.
fn maybe_relative(markdown: &str) -> bool {
    let bytes = markdown.as_bytes();
    let mut at = 0;
    while let Some(found) = markdown[at..].find(']') {
        at += found + 1;
        if !matches!(bytes.get(at), Some(b'(' | b':')) {
            continue;
        }
        let target = markdown[at + 1..].trim_start();
        let target = target.strip_prefix('<').unwrap_or(target);
        if !has_scheme(target) {
            return true;
        }
    }
    false
}

/// Whether `text` starts with a URL scheme and its colon: a letter, then
/// letters, digits, `+`, `-` or `.`.
fn has_scheme(text: &str) -> bool {
    let Some(colon) = text.find(':') else {
        return false;
    };
    let scheme = &text[..colon];
    scheme.starts_with(|c: char| c.is_ascii_alphabetic())
        && scheme
            .bytes()
            .all(|b| b.is_ascii_alphanumeric() || matches!(b, b'+' | b'-' | b'.'))
}

/// Where, in `source`, the target `dest` is written when it follows
/// position `at` after white space, bare or in angle brackets (the
/// brackets included); None when it is written some other way (escaped),
/// which is then left alone.
fn target_at(source: &str, at: usize, dest: &str) -> Option<Range<usize>> {
    let rest = source.get(at..)?;
    let start = at + (rest.len() - rest.trim_start().len());
    let rest = source.get(start..)?;
    if let Some(inner) = rest.strip_prefix('<') {
        return inner
            .strip_prefix(dest)
            .filter(|after| after.starts_with('>'))
            .map(|_| start..start + dest.len() + 2);
    }
    let after = rest.strip_prefix(dest)?;
    // The whole target, not a prefix of a longer one.
    let ends = after.is_empty() || after.starts_with(|c: char| c.is_whitespace() || c == ')');
    ends.then_some(start..start + dest.len())
}

/// `text` with each of `edits` made; overlapping edits after the first are
/// skipped.
fn apply(text: &str, mut edits: Vec<(Range<usize>, String)>) -> String {
    edits.sort_by_key(|(range, _)| range.start);
    let mut out = String::with_capacity(text.len() + edits.len() * 32);
    let mut at = 0;
    for (range, new) in edits {
        if range.start < at {
            continue;
        }
        out.push_str(&text[at..range.start]);
        out.push_str(&new);
        at = range.end;
    }
    out.push_str(&text[at..]);
    out
}

/// Whether `url` is an http or https address with a host.
fn is_web(url: &Url) -> bool {
    matches!(url.scheme(), "http" | "https") && url.host().is_some()
}

#[cfg(test)]
mod tests {
    use super::*;

    fn bases(list: &[&str]) -> Bases {
        Bases::new(list.iter().map(|base| Some(*base)))
    }

    #[test]
    fn only_markdown_whose_targets_may_be_relative_is_parsed() {
        assert!(!maybe_relative("no links [at] all]"));
        assert!(!maybe_relative(
            "[a][1] [b](https://x.example/b) ![i]( <http://x.example/i.png> )\n\n[1]: mailto:a@x.example"
        ));
        for relative in [
            "[a](/b)",
            "[a](b.html)",
            "[1]: ../up",
            "[a](\\/b)",
            "[a](&#104;ttps://x)",
            "[a]()",
            "[1]:\n  /next-line",
            "[a](//cdn.example/x)",
        ] {
            assert!(maybe_relative(relative), "{relative}");
        }
    }

    #[test]
    fn a_relative_address_takes_the_first_base() {
        let b = bases(&["https://base.example/dir/", "https://item.example/post/1"]);
        assert_eq!(
            b.web_address("/odd/3").as_deref(),
            Some("https://base.example/odd/3")
        );
        assert_eq!(
            b.web_address("a b.mp3").as_deref(),
            Some("https://base.example/dir/a%20b.mp3")
        );
        assert_eq!(
            b.web_address("//cdn.example/x").as_deref(),
            Some("https://cdn.example/x")
        );
        assert_eq!(
            b.web_address("https://other.example").as_deref(),
            Some("https://other.example/")
        );
        for not_web in [
            "javascript:alert(1)",
            "mailto:a@b.example",
            "data:,x",
            "",
            "  ",
        ] {
            assert_eq!(b.web_address(not_web), None, "{not_web:?}");
        }
        // Bases that are not web addresses are no bases.
        let none = bases(&["file:///etc/", "relative/", "javascript:x"]);
        assert_eq!(none.web_address("/odd/3"), None);
        assert_eq!(
            bases(&["nope", "https://feed.example/rss"])
                .web_address("/odd/3")
                .as_deref(),
            Some("https://feed.example/odd/3")
        );
    }

    #[test]
    fn relative_targets_in_markdown_are_resolved_and_code_is_not() {
        let b = bases(&["https://site.example/blog/post/"]);
        let markdown = "See [one](../a) and ![pic](img/p.png \"t\"), [abs](https://x.example/y), \
[js](javascript:alert(1)) and [ref][1].\n\n\
`[code](/in/span)` stays.\n\n\
```\n[fenced](/in/fence)\n[2]: /in/fence/def\n```\n\n\
[1]: /ref/target\n";
        let out = b.in_markdown(markdown);
        assert!(out.contains("[one](https://site.example/blog/a)"), "{out}");
        assert!(
            out.contains("![pic](https://site.example/blog/post/img/p.png \"t\")"),
            "{out}"
        );
        assert!(out.contains("[abs](https://x.example/y)"), "{out}");
        assert!(out.contains("[js](javascript:alert(1))"), "{out}");
        assert!(out.contains("`[code](/in/span)`"), "{out}");
        assert!(
            out.contains("[fenced](/in/fence)\n[2]: /in/fence/def"),
            "{out}"
        );
        assert!(
            out.contains("[1]: https://site.example/ref/target"),
            "{out}"
        );
    }

    #[test]
    fn targets_in_angle_brackets_and_with_parentheses_stay_targets() {
        let b = bases(&["https://site.example/"]);
        assert_eq!(
            b.in_markdown("[a](<x y.html>) [b](/w_(1))"),
            "[a](https://site.example/x%20y.html) [b](<https://site.example/w_(1)>)"
        );
        // A link text holding brackets does not fool the target's place.
        assert_eq!(
            b.in_markdown("[a](b) [see [x]](/e)"),
            "[a](https://site.example/b) [see [x]](https://site.example/e)"
        );
    }

    #[test]
    fn images_in_links_keep_their_own_targets() {
        let b = bases(&["https://site.example/"]);
        assert_eq!(
            b.in_markdown("[![logo](a.png)](a.png) [![x](i.png)](/page)"),
            "[![logo](https://site.example/a.png)](https://site.example/a.png) \
[![x](https://site.example/i.png)](https://site.example/page)"
        );
    }

    #[test]
    fn without_a_base_markdown_is_unchanged() {
        let markdown = "[a](/b)\n\n[1]: /c\n";
        assert_eq!(Bases::default().in_markdown(markdown), markdown);
    }
}
