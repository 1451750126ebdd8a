//! Changing the marks in the reader, without a terminal: notes, the
//! person's own tags (and `tag:` finding them), picking several articles,
//! mark all read, and undo many steps back — a bookmark with a note is
//! never lost to one stray `b`.

mod reader;

use ratatui::crossterm::event::KeyCode;
use reader::*;

use broadsheet::store::MarkChange;
use broadsheet::tui::app::{App, Effect};

/// The saves among `effects`.
fn saves(effects: &[Effect]) -> Vec<MarkChange> {
    effects
        .iter()
        .filter_map(|e| match e {
            Effect::Save(change) => Some(change.clone()),
            _ => None,
        })
        .collect()
}

fn status(app: &App) -> String {
    let buf = draw(app);
    row_text(&buf, buf.area.height - 2)
}

#[test]
fn a_note_survives_a_stray_b_through_undo() {
    let mut app = samples_reader(120, 40);
    let id = selected_id(&app);
    press(&mut app, KeyCode::Char('e'));
    type_text(&mut app, "read with tea");
    let effects = press(&mut app, KeyCode::Enter);
    match saves(&effects).as_slice() {
        [MarkChange::AddBookmark(bookmark)] => {
            assert_eq!(bookmark.id, id);
            assert_eq!(bookmark.note.as_deref(), Some("read with tea"));
        }
        other => panic!("one bookmark with its note: {other:?}"),
    }
    assert!(app.marks().bookmarked.contains(&id));
    let screen = screen_text(&draw(&app));
    assert!(
        screen.contains("note: read with tea"),
        "the reader shows the note:\n{screen}"
    );

    // The stray b.
    let effects = press(&mut app, KeyCode::Char('b'));
    assert_eq!(saves(&effects), [MarkChange::RemoveBookmark(id.clone())]);
    assert!(
        status(&app).contains("note kept, Z brings it back"),
        "{}",
        status(&app)
    );

    // Undo brings it back, note and all.
    let effects = press(&mut app, KeyCode::Char('Z'));
    match saves(&effects).as_slice() {
        [MarkChange::AddBookmark(bookmark)] => {
            assert_eq!(bookmark.note.as_deref(), Some("read with tea"));
        }
        other => panic!("the bookmark restored: {other:?}"),
    }
    assert!(app.marks().bookmarked.contains(&id));
    assert_eq!(
        app.marks().notes.get(&id).map(String::as_str),
        Some("read with tea")
    );

    // And once more: the bookmark made by the note goes.
    let effects = press(&mut app, KeyCode::Char('Z'));
    assert_eq!(saves(&effects), [MarkChange::RemoveBookmark(id.clone())]);
    assert!(!app.marks().bookmarked.contains(&id));
    press(&mut app, KeyCode::Char('Z'));
    assert!(status(&app).contains("nothing to undo"), "{}", status(&app));
}

#[test]
fn own_tags_are_found_by_tag_and_taken_back_by_undo() {
    let mut app = samples_reader(120, 40);
    let id = selected_id(&app);
    press(&mut app, KeyCode::Char('+'));
    type_text(&mut app, "To Share, later");
    let effects = press(&mut app, KeyCode::Enter);
    assert_eq!(
        saves(&effects),
        [
            MarkChange::SetTag(vec![id.clone()], "To Share".into(), true),
            MarkChange::SetTag(vec![id.clone()], "later".into(), true),
        ]
    );
    let screen = screen_text(&draw(&app));
    assert!(
        screen.contains("your tags: +later, +To Share"),
        "the reader sets them apart from the article's:\n{screen}"
    );
    assert!(screen.contains("+later, +To Share"), "{screen}");
    press(&mut app, KeyCode::Char('/'));
    type_text(&mut app, "tag:\"to share\"");
    press(&mut app, KeyCode::Enter);
    assert_eq!(app.visible().len(), 1);
    assert_eq!(selected_id(&app), id);

    // Taken away again: the search finds nothing.
    press(&mut app, KeyCode::Char('+'));
    type_text(&mut app, "-to share");
    let effects = press(&mut app, KeyCode::Enter);
    assert_eq!(
        saves(&effects),
        [MarkChange::SetTag(
            vec![id.clone()],
            "to share".into(),
            false
        )]
    );
    assert!(app.visible().is_empty());
    // Undone: found again.
    press(&mut app, KeyCode::Char('Z'));
    assert_eq!(app.visible().len(), 1);
}

#[test]
fn picked_articles_are_acted_on_together_and_undone_together() {
    let mut app = samples_reader(120, 40);
    let first = selected_id(&app);
    press(&mut app, KeyCode::Char('x'));
    let second = selected_id(&app);
    press(&mut app, KeyCode::Char('x'));
    assert_eq!(app.picked_ids().len(), 2);
    let buf = draw(&app);
    let marked: Vec<String> = (1..6)
        .map(|y| row_text(&buf, y))
        .filter(|r| r.starts_with('▸'))
        .collect();
    assert_eq!(marked.len(), 2, "a mark on each picked row: {marked:?}");
    let effects = press(&mut app, KeyCode::Char('b'));
    assert_eq!(saves(&effects).len(), 2);
    assert!(app.marks().bookmarked.contains(&first));
    assert!(app.marks().bookmarked.contains(&second));
    let effects = press(&mut app, KeyCode::Char('u'));
    match saves(&effects).as_slice() {
        [MarkChange::SetRead(ids, true)] => assert_eq!(ids.len(), 2),
        other => panic!("both marked read at once: {other:?}"),
    }
    press(&mut app, KeyCode::Char('Z'));
    press(&mut app, KeyCode::Char('Z'));
    assert!(app.marks().bookmarked.is_empty());
    assert!(app.marks().read.is_empty());
    // Esc unpicks; X picks every article shown, X again none.
    press(&mut app, KeyCode::Esc);
    assert!(app.picked_ids().is_empty());
    press(&mut app, KeyCode::Char('X'));
    assert_eq!(app.picked_ids().len(), 5);
    press(&mut app, KeyCode::Char('*'));
    assert!(app.picked_ids().is_empty());
    press(&mut app, KeyCode::Char('X'));
    press(&mut app, KeyCode::Char('X'));
    assert!(app.picked_ids().is_empty());
}

#[test]
fn mark_all_read_is_one_step_back() {
    let mut app = samples_reader(120, 40);
    let effects = press(&mut app, KeyCode::Char('A'));
    match saves(&effects).as_slice() {
        [MarkChange::SetRead(ids, true)] => assert_eq!(ids.len(), 5),
        other => panic!("all five in one save: {other:?}"),
    }
    assert_eq!(app.marks().read.len(), 5);
    let effects = press(&mut app, KeyCode::Char('Z'));
    match saves(&effects).as_slice() {
        [MarkChange::SetRead(ids, false)] => assert_eq!(ids.len(), 5),
        other => panic!("all five unread again: {other:?}"),
    }
    assert!(app.marks().read.is_empty());
}
