//! A library as comparable text, shared by the cache's tests (cache.rs,
//! cache_model.rs, cache_concurrency.rs): what must be the same whichever
//! way a library was made.

use broadsheet::library::{Library, SortOrder};

/// Every article of a library as comparable text: id, title, date, tags,
/// categories, credits, path, word count and search text, in list order.
pub fn listing(library: &Library) -> Vec<String> {
    library
        .order(SortOrder::Date)
        .into_iter()
        .map(|position| {
            let row = library.get(position).expect("a live position");
            format!(
                "{} | {} | {:?} | {:?} | {:?} | {:?} {:?} {:?} | {:?} | {} | {}",
                row.id(),
                row.title(),
                row.date(),
                row.tags().collect::<Vec<_>>(),
                row.categories().collect::<Vec<_>>(),
                row.author(),
                row.source(),
                row.url(),
                library.path(position),
                library.words(position),
                library.text(position),
            )
        })
        .collect()
}
