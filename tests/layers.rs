//! The import graph of `src/`, read from the source: every dependency points
//! one way. Between layers, a module imports only from the layers above it
//! (ARCHITECTURE.md and the README's module map); between files, no two
//! import each other, not even through a chain.
//!
//! A file's imports are the module paths it names: `use` trees (braces
//! expanded), and paths written in the code (`crate::files::write_atomic`,
//! `super::Effect`, a child module's `feeds::run`). Each is resolved to the
//! deepest module that has a file of its own. Comments, strings and unit-test
//! modules kept inside a file (`#[cfg(test)] mod tests { .. }`) are left out:
//! tests may look anywhere.

use std::collections::{BTreeMap, BTreeSet};
use std::fs;
use std::path::{Path, PathBuf};

/// The layers, from the ground floor up: a module may import from its own
/// layer and the ones before it. `cli` and `tui` share a rank but never
/// import each other (checked apart).
const LAYERS: &[&[&str]] = &[
    &["files", "position"],
    &["article"],
    &["library"],
    &["store"],
    &["keys"],
    &["config"],
    &["feeds"],
    &["sync"],
    &["cli", "tui"],
    &["main"],
];

/// A module path from the crate root (`["library", "cache", "write"]`).
type ModPath = Vec<String>;

/// One source file: its module path and its text without comments, strings
/// or inline test modules.
struct SourceFile {
    module: ModPath,
    path: PathBuf,
    code: String,
}

fn src_dir() -> PathBuf {
    Path::new(env!("CARGO_MANIFEST_DIR")).join("src")
}

/// Every `.rs` file under `src/` with its module path.
fn source_files() -> Vec<SourceFile> {
    let mut files = Vec::new();
    let mut stack = vec![src_dir()];
    while let Some(dir) = stack.pop() {
        for entry in fs::read_dir(&dir).unwrap() {
            let path = entry.unwrap().path();
            if path.is_dir() {
                stack.push(path);
            } else if path.extension().is_some_and(|e| e == "rs") {
                let text = fs::read_to_string(&path).unwrap();
                files.push(SourceFile {
                    module: module_of(&path),
                    code: without_test_modules(&strip_comments_and_strings(&text)),
                    path,
                });
            }
        }
    }
    files.sort_by(|a, b| a.module.cmp(&b.module));
    files
}

/// `src/library/cache/mod.rs` → `library::cache`; `src/lib.rs` → the root;
/// `src/main.rs` → `main`.
fn module_of(path: &Path) -> ModPath {
    let relative = path.strip_prefix(src_dir()).unwrap().with_extension("");
    let mut parts: ModPath = relative
        .components()
        .map(|c| c.as_os_str().to_string_lossy().into_owned())
        .collect();
    if matches!(parts.last().map(String::as_str), Some("mod" | "lib")) {
        parts.pop();
    }
    parts
}

/// The text with comments, string and char literals blanked out, so a path
/// in a doc comment or a message is not taken for an import.
fn strip_comments_and_strings(text: &str) -> String {
    let bytes = text.as_bytes();
    let mut out = String::with_capacity(text.len());
    let mut i = 0;
    while i < bytes.len() {
        let rest = &text[i..];
        if rest.starts_with("//") {
            let end = rest.find('\n').map_or(text.len(), |n| i + n);
            i = end;
        } else if rest.starts_with("/*") {
            let end = rest.find("*/").map_or(text.len(), |n| i + n + 2);
            i = end;
        } else if let Some(len) = raw_string_len(rest) {
            out.push_str("\"\"");
            i += len;
        } else if bytes[i] == b'"' {
            let mut j = i + 1;
            while j < bytes.len() && bytes[j] != b'"' {
                j += if bytes[j] == b'\\' { 2 } else { 1 };
            }
            out.push_str("\"\"");
            i = j + 1;
        } else if let Some(len) = char_literal_len(rest) {
            out.push_str("' '");
            i += len;
        } else {
            let c = rest.chars().next().unwrap();
            out.push(c);
            i += c.len_utf8();
        }
    }
    out
}

/// The length of a raw string literal (`r"…"`, `r#"…"#`, `br"…"`) at the
/// start of `rest`.
fn raw_string_len(rest: &str) -> Option<usize> {
    let after_b = rest.strip_prefix('b').unwrap_or(rest);
    let after_r = after_b.strip_prefix('r')?;
    let hashes = after_r.len() - after_r.trim_start_matches('#').len();
    let body = after_r[hashes..].strip_prefix('"')?;
    let close = format!("\"{}", "#".repeat(hashes));
    let end = body.find(&close)?;
    Some(rest.len() - body.len() + end + close.len())
}

/// The length of a char literal (`'a'`, `'\n'`, `'\u{1b}'`) at the start of
/// `rest`; lifetimes (`'a`) are not literals.
fn char_literal_len(rest: &str) -> Option<usize> {
    let body = rest.strip_prefix('\'')?;
    if let Some(escaped) = body.strip_prefix('\\') {
        let close = escaped.find('\'')?;
        return Some(2 + close + 1);
    }
    let c = body.chars().next()?;
    body[c.len_utf8()..]
        .starts_with('\'')
        .then_some(1 + c.len_utf8() + 1)
}

/// The code without `#[cfg(test)]` items (unit-test modules and helpers).
fn without_test_modules(code: &str) -> String {
    let mut out = String::with_capacity(code.len());
    let mut rest = code;
    while let Some(at) = rest.find("#[cfg(test)]") {
        out.push_str(&rest[..at]);
        let item = &rest[at..];
        // The item ends at the `;` or the brace that closes its block.
        let mut depth = 0usize;
        let mut end = item.len();
        for (i, c) in item.char_indices() {
            match c {
                '{' => depth += 1,
                '}' => {
                    depth -= 1;
                    if depth == 0 {
                        end = i + 1;
                        break;
                    }
                }
                ';' if depth == 0 => {
                    end = i + 1;
                    break;
                }
                _ => {}
            }
        }
        rest = &item[end..];
    }
    out.push_str(rest);
    out
}

/// The child modules a file declares (`mod feeds;`, `pub mod cache;`).
fn declared_children(code: &str) -> BTreeSet<String> {
    let mut children = BTreeSet::new();
    for line in code.lines() {
        let line = line.trim();
        let line = line
            .strip_prefix("pub(crate) ")
            .or_else(|| line.strip_prefix("pub(super) "))
            .or_else(|| line.strip_prefix("pub "))
            .unwrap_or(line);
        if let Some(name) = line.strip_prefix("mod ").and_then(|l| l.strip_suffix(';')) {
            children.insert(name.trim().to_string());
        }
    }
    children
}

/// Every `use` tree of the code, braces expanded into whole paths, and the
/// code without them. A `pub use` of a child module's item is the parent's
/// interface (what `mod.rs` shows of its files), not a use of it, so it is
/// left out; any other `use` counts.
fn use_paths(code: &str, children: &BTreeSet<String>) -> (Vec<String>, String) {
    let mut paths = Vec::new();
    let mut rest_of_code = String::new();
    let mut rest = code;
    while let Some(at) = find_word(rest, "use") {
        let before = &rest[..at];
        let tree = &rest[at + 3..];
        let end = tree.find(';').unwrap_or(tree.len());
        let mut expanded = Vec::new();
        expand_tree("", tree[..end].trim(), &mut expanded);
        let public = before.trim_end().ends_with("pub") || before.trim_end().ends_with(')');
        for path in expanded {
            let first = path.split("::").next().unwrap_or("");
            let reexport = public && (children.contains(first) || first == "self");
            if !reexport {
                paths.push(path);
            }
        }
        rest_of_code.push_str(before);
        rest = &tree[end..];
    }
    rest_of_code.push_str(rest);
    (paths, rest_of_code)
}

/// Expands `a::{b, c::{d, e}}` after `prefix` into `a::b`, `a::c::d`, `a::c::e`.
fn expand_tree(prefix: &str, tree: &str, out: &mut Vec<String>) {
    let tree: String = tree.split_whitespace().collect();
    match tree.find('{') {
        None => out.push(format!("{prefix}{tree}")),
        Some(open) => {
            let head = &tree[..open];
            let inner = &tree[open + 1..tree.len() - 1];
            for part in split_top_level(inner) {
                if part == "self" {
                    out.push(format!("{prefix}{}", head.trim_end_matches("::")));
                } else if !part.is_empty() {
                    expand_tree(&format!("{prefix}{head}"), part, out);
                }
            }
        }
    }
}

/// Splits at the commas outside braces.
fn split_top_level(inner: &str) -> Vec<&str> {
    let mut parts = Vec::new();
    let (mut depth, mut start) = (0, 0);
    for (i, c) in inner.char_indices() {
        match c {
            '{' => depth += 1,
            '}' => depth -= 1,
            ',' if depth == 0 => {
                parts.push(&inner[start..i]);
                start = i + 1;
            }
            _ => {}
        }
    }
    parts.push(&inner[start..]);
    parts
}

/// The byte offset of `word` in `text` standing as a whole word.
fn find_word(text: &str, word: &str) -> Option<usize> {
    let is_ident = |c: char| c.is_alphanumeric() || c == '_';
    let mut from = 0;
    while let Some(found) = text[from..].find(word) {
        let at = from + found;
        let before = text[..at].chars().next_back();
        let after = text[at + word.len()..].chars().next();
        if !before.is_some_and(is_ident) && !after.is_some_and(is_ident) {
            return Some(at);
        }
        from = at + word.len();
    }
    None
}

/// Every path written in the code that starts with `start` and `::`
/// (`crate::store::write_atomic(…)` gives `crate::files::write_atomic`).
fn written_paths(code: &str, start: &str) -> Vec<String> {
    let mut paths = Vec::new();
    let mut from = 0;
    let needle = format!("{start}::");
    while let Some(found) = code[from..].find(&needle) {
        let at = from + found;
        from = at + needle.len();
        let before = code[..at].chars().next_back();
        if before.is_some_and(|c| c.is_alphanumeric() || c == '_' || c == ':') {
            continue;
        }
        let path: String = code[at..]
            .chars()
            .take_while(|&c| c.is_alphanumeric() || c == '_' || c == ':')
            .collect();
        paths.push(path);
    }
    paths
}

/// A written path as a module path from the root, for a file of `module`
/// (`super::x` from `library::cache::write` is `library::cache::x`).
fn absolute(path: &str, module: &ModPath, is_mod_file: bool) -> Option<ModPath> {
    let mut parts = path.split("::").filter(|p| !p.is_empty());
    let first = parts.next()?;
    // A file that is not a mod.rs is a module whose parent is its folder.
    let mut base: ModPath = module.clone();
    let rest: Vec<String> = match first {
        "crate" => {
            base.clear();
            parts.map(str::to_string).collect()
        }
        "super" => {
            base.pop();
            let mut rest = Vec::new();
            for part in parts {
                if part == "super" && rest.is_empty() {
                    base.pop();
                } else {
                    rest.push(part.to_string());
                }
            }
            rest
        }
        "self" => parts.map(str::to_string).collect(),
        child => {
            let _ = is_mod_file;
            std::iter::once(child.to_string())
                .chain(parts.map(str::to_string))
                .collect()
        }
    };
    base.extend(rest);
    Some(base)
}

/// The deepest module of `path` that has a file.
fn resolve(path: &ModPath, modules: &BTreeSet<ModPath>) -> Option<ModPath> {
    (1..=path.len())
        .rev()
        .map(|n| path[..n].to_vec())
        .find(|prefix| modules.contains(prefix))
}

/// The import graph: each file's module → the file modules it imports.
fn import_graph() -> BTreeMap<ModPath, BTreeSet<ModPath>> {
    let files = source_files();
    let modules: BTreeSet<ModPath> = files.iter().map(|f| f.module.clone()).collect();
    let mut graph = BTreeMap::new();
    for file in &files {
        let is_mod_file = file.path.ends_with("mod.rs") || file.path.ends_with("lib.rs");
        let children = declared_children(&file.code);
        let (mut written, code) = use_paths(&file.code, &children);
        written.extend(written_paths(&code, "crate"));
        written.extend(written_paths(&code, "super"));
        for child in &children {
            written.extend(
                written_paths(&code, child)
                    .into_iter()
                    .map(|p| format!("self::{p}")),
            );
        }
        let mut imports = BTreeSet::new();
        for path in written {
            let first = path.split("::").next().unwrap_or("");
            let relative_to_self = matches!(first, "crate" | "super" | "self");
            let path = if relative_to_self {
                path
            } else if children.contains(first) {
                format!("self::{path}")
            } else {
                continue; // std, other crates, or a name in scope
            };
            let Some(absolute) = absolute(&path, &file.module, is_mod_file) else {
                continue;
            };
            if let Some(target) = resolve(&absolute, &modules)
                && target != file.module
                && !target.is_empty()
            {
                imports.insert(target);
            }
        }
        graph.insert(file.module.clone(), imports);
    }
    graph
}

fn show(module: &ModPath) -> String {
    if module.is_empty() {
        "crate".into()
    } else {
        module.join("::")
    }
}

fn layer_of(module: &ModPath) -> Option<usize> {
    let top = module.first()?;
    LAYERS
        .iter()
        .position(|layer| layer.contains(&top.as_str()))
}

#[test]
fn every_top_level_module_has_a_layer() {
    let graph = import_graph();
    let unplaced: BTreeSet<String> = graph
        .keys()
        .filter(|m| !m.is_empty() && layer_of(m).is_none())
        .map(|m| m[0].clone())
        .collect();
    assert!(
        unplaced.is_empty(),
        "modules without a layer (add them to LAYERS, ARCHITECTURE.md and the README's map): {unplaced:?}"
    );
}

#[test]
fn layers_import_only_from_the_layers_below_them() {
    let graph = import_graph();
    let mut wrong = Vec::new();
    for (from, imports) in &graph {
        let Some(from_layer) = layer_of(from) else {
            continue;
        };
        for to in imports {
            let Some(to_layer) = layer_of(to) else {
                continue;
            };
            let across = from_layer == to_layer && from[0] != to[0];
            if to_layer > from_layer || across {
                wrong.push(format!("{} imports {}", show(from), show(to)));
            }
        }
    }
    assert!(
        wrong.is_empty(),
        "imports against the layers:\n{}",
        wrong.join("\n")
    );
}

/// Every module `from` reaches by its imports, directly or through others.
fn reachable(graph: &BTreeMap<ModPath, BTreeSet<ModPath>>, from: &ModPath) -> BTreeSet<ModPath> {
    let mut seen = BTreeSet::new();
    let mut stack: Vec<&ModPath> = graph.get(from).into_iter().flatten().collect();
    while let Some(at) = stack.pop() {
        if seen.insert(at.clone()) {
            stack.extend(graph.get(at).into_iter().flatten());
        }
    }
    seen
}

/// The groups of files that import each other (through a chain or not):
/// each group the files of one cycle, shown as `a, b, c`.
fn cycles(graph: &BTreeMap<ModPath, BTreeSet<ModPath>>) -> BTreeSet<String> {
    let reach: BTreeMap<&ModPath, BTreeSet<ModPath>> =
        graph.keys().map(|m| (m, reachable(graph, m))).collect();
    let mut groups = BTreeSet::new();
    for (module, reached) in &reach {
        let group: Vec<String> = reached
            .iter()
            .filter(|other| reach.get(other).is_some_and(|back| back.contains(*module)))
            .chain(reached.contains(*module).then_some(*module))
            .map(show)
            .collect::<BTreeSet<_>>()
            .into_iter()
            .collect();
        if group.len() > 1 {
            groups.insert(group.join(", "));
        }
    }
    groups
}

#[test]
fn no_two_files_import_each_other_even_through_others() {
    let found = cycles(&import_graph());
    assert!(
        found.is_empty(),
        "files that import each other (move what both need into a file of its own):\n{}",
        found
            .iter()
            .map(String::as_str)
            .collect::<Vec<_>>()
            .join("\n")
    );
}

#[test]
fn the_reader_of_imports_sees_what_it_must() {
    // The checks above are only as good as the reading of the source: these
    // are imports the code has, in each form the reader must understand.
    let graph = import_graph();
    let imports = |from: &str, to: &str| {
        let from: ModPath = from.split("::").map(str::to_string).collect();
        let to: ModPath = to.split("::").map(str::to_string).collect();
        graph.get(&from).is_some_and(|set| set.contains(&to))
    };
    // A `use crate::…` with braces.
    assert!(imports("cli::fetch", "feeds::fetch"));
    // `use super::…` from a file beside mod.rs.
    assert!(imports("library::cache::write", "library::cache::format"));
    // The main binary through the library's name is not seen (it is another
    // crate), so `main` imports nothing the check can see; the library root
    // declares every top-level module without importing them.
    assert!(graph.contains_key(&Vec::new()));
}

#[test]
fn a_cycle_is_found_through_a_chain_and_named_once() {
    let module = |name: &str| -> ModPath { name.split("::").map(str::to_string).collect() };
    let mut graph: BTreeMap<ModPath, BTreeSet<ModPath>> = BTreeMap::new();
    let mut edge = |from: &str, to: &str| {
        graph.entry(module(from)).or_default().insert(module(to));
        graph.entry(module(to)).or_default();
    };
    edge("a", "b");
    edge("b", "c");
    edge("c", "a");
    edge("d", "a");
    edge("e", "f");
    let found = cycles(&graph);
    assert_eq!(found, BTreeSet::from(["a, b, c".to_string()]));
}
