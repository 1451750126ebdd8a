//! The walk of the articles folder: every article file in it, each listed
//! once, with what tells whether it changed since it was last seen.
//!
//! [`scan`] lists the files with an article's extension under a folder and
//! every folder walked, without reading a file. Each file comes with a
//! [`StatKey`] (device, inode, size, and modification and change times in
//! nanoseconds) and each folder with its modification time, all from one
//! metadata call per entry: what a cache needs to tell unchanged files
//! and folders from changed ones without reading them. [`scan_each`] hands
//! the files over as they are found, so that reading them can start while
//! the walk goes on. The load walks the same way without the metadata call
//! per file: it opens every file anyway and learns the same from the file
//! it opened.
//!
//! Hidden files and folders (names starting with a dot) are skipped.
//! Symbolic links are followed, and a link that leads back to a folder it
//! is in is a warning, not an endless walk; so is a link to `/` or to any
//! other folder the articles folder is in, which would take in the whole
//! machine around it. Following links stays bounded: each folder is walked
//! once (by device and inode, so links between folders outside cannot go
//! round for ever), and at most [`MAX_FOLDERS_THROUGH_LINKS`] folders are
//! walked through links. A file reached through several
//! paths (a hard link, a link to a file, a linked folder that leads back
//! into the tree) is listed once, by its device and inode: see
//! [`scan_each`] for which path names it. Every problem with an entry is a
//! [`LoadWarning`]; only an articles folder that cannot be read at all is a
//! [`LoadError`].

use std::collections::HashSet;
use std::ffi::OsStr;
use std::fmt;
use std::fs::{self, FileType, Metadata};
use std::io;
use std::os::unix::fs::{FileTypeExt, MetadataExt};
use std::path::{Path, PathBuf};
use std::rc::Rc;

use super::LoadWarning;
use crate::article::Format;
use crate::article::sanitize::sanitize_line;

/// What an article whose name is nothing but control characters is called.
const UNNAMED: &str = "(unnamed)";

/// Nanoseconds in a second.
const NANOS: i128 = 1_000_000_000;

/// The most folders one walk enters through symbolic links. Folders of
/// articles hold a few hundred subfolders at most; a link to a folder such
/// as `/usr` or a home folder would bring tens of thousands, most of them
/// no news, and a load that does not end. Past this, the rest of the
/// folders behind links are skipped with one warning.
pub const MAX_FOLDERS_THROUGH_LINKS: usize = 10_000;

/// A file's identity and state, from one metadata call.
///
/// Two keys are equal when the file is, as far as its metadata can tell,
/// the same file with the same content: a rewrite changes the modification
/// time, and even one that puts the old modification time back (`touch -d`)
/// changes the change time, which no program can set. Times move in the
/// ticks of the kernel's clock (a few milliseconds), so a key taken within a
/// tick of a write may still be equal after a second write in that tick: a
/// cache must check again what changed that recently.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash, Default)]
pub struct StatKey {
    /// The device the file is on.
    pub dev: u64,
    /// The file's inode number on that device.
    pub ino: u64,
    /// The size in bytes.
    pub size: u64,
    /// The last modification of the content, in nanoseconds since the Unix
    /// epoch (negative before it).
    pub mtime_ns: i128,
    /// The last change of the content or the inode (permissions, links,
    /// renames, timestamps set), in nanoseconds since the Unix epoch.
    pub ctime_ns: i128,
}

impl StatKey {
    /// The key of a file from its metadata (of the file a link leads to,
    /// when it was read through one).
    pub fn of(metadata: &Metadata) -> StatKey {
        StatKey {
            dev: metadata.dev(),
            ino: metadata.ino(),
            size: metadata.size(),
            mtime_ns: i128::from(metadata.mtime()) * NANOS + i128::from(metadata.mtime_nsec()),
            ctime_ns: i128::from(metadata.ctime()) * NANOS + i128::from(metadata.ctime_nsec()),
        }
    }

    /// The file itself, whatever path reaches it: its device and inode.
    pub fn file_id(&self) -> (u64, u64) {
        (self.dev, self.ino)
    }
}

/// An article file found by a scan.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct ScannedFile {
    /// The id the file is listed under: its path relative to the articles
    /// folder, `/` between components, each made terminal-safe. Two names
    /// can read the same once cleaned; the load tells such ids apart.
    pub id: String,
    /// The path it was found at: the articles folder joined with the
    /// relative path.
    pub path: PathBuf,
    /// Its format, by its name.
    pub format: Format,
    /// Its identity and state when it was found.
    pub key: StatKey,
}

/// A folder walked by a scan: every entry in it was looked at.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct ScannedFolder {
    /// The path it was walked at (the articles folder itself for the top).
    pub path: PathBuf,
    /// Its last modification, in nanoseconds since the Unix epoch: a name
    /// added, removed or renamed in it changes it, a file changed in place
    /// does not.
    pub mtime_ns: i128,
}

/// What a scan found.
#[derive(Debug, Clone, Default, PartialEq, Eq)]
pub struct Scan {
    /// Every article file, each once: first those reached through no
    /// symbolic link, in path order, then the others, in path order.
    /// Empty from [`scan_each`], which hands them over instead.
    pub files: Vec<ScannedFile>,
    /// Every folder walked whole, each once, in the order of `files`, the
    /// articles folder first. A folder that could not be listed whole is
    /// not here (its problem is a warning).
    pub folders: Vec<ScannedFolder>,
    /// Entries skipped with a reason (unreadable folders, broken links,
    /// loops, files that are not regular files), in path order.
    pub warnings: Vec<LoadWarning>,
}

/// The articles folder itself could not be read (a single file's problem
/// is a [`LoadWarning`], never this).
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct LoadError {
    /// The folder.
    pub path: PathBuf,
    /// What went wrong and what to do.
    pub message: String,
}

impl fmt::Display for LoadError {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        // The folder name comes from a config file or the command line and is
        // printed to a terminal, so it is made safe like every other name.
        let path = sanitize_line(&self.path.to_string_lossy());
        write!(f, "{path}: {}", self.message)
    }
}

impl std::error::Error for LoadError {}

/// Lists every article file under `root` and every folder walked; see
/// [`scan_each`]. Fails only when `root` is missing, not a folder, or
/// cannot be read.
pub fn scan(root: &Path) -> Result<Scan, LoadError> {
    let mut files = Vec::new();
    let mut found = scan_each(root, &mut |file| files.push(file))?;
    found.files = files;
    Ok(found)
}

/// Walks `root`, handing each article file to `on_file` as it is found;
/// the returned [`Scan`] holds the folders and warnings, and no files.
///
/// A file reached through several paths is handed over once, under one
/// path: one that goes through no symbolic link if there is one, else the
/// first in path order (component by component, as [`Path`]s compare). So
/// a link to a file in the tree, or a linked folder that leads back into
/// it, adds nothing, and of hard links the first in path order names the
/// file. To make the first path found the one chosen, the walk goes in
/// path order and follows links only after everything reached without
/// one. A folder is walked once in the same way, so a linked folder that
/// leads back into the tree costs no second walk.
///
/// Each file and folder is looked at with one metadata call; no file is
/// opened. Fails only when `root` is missing, not a folder, or cannot be
/// read.
pub fn scan_each(root: &Path, on_file: &mut dyn FnMut(ScannedFile)) -> Result<Scan, LoadError> {
    walk(root, true, &mut |file| {
        // Asked for, a key comes with every file.
        if let Some(key) = file.key {
            on_file(ScannedFile {
                id: file.id,
                path: file.path,
                format: file.format,
                key,
            });
        }
    })
}

/// A file as the walk hands it over.
pub(super) struct FoundFile {
    /// As [`ScannedFile::id`].
    pub(super) id: String,
    /// As [`ScannedFile::path`].
    pub(super) path: PathBuf,
    /// As [`ScannedFile::format`].
    pub(super) format: Format,
    /// Its key, when the walk looked at the file's metadata.
    pub(super) key: Option<StatKey>,
}

/// The walk of [`scan_each`], for the load: no metadata call per file, so
/// files come without a key, and a file reached through several paths is
/// handed over under each, in the same order, the path [`scan_each`] would
/// name it by first. The load opens every file anyway, and tells such
/// paths apart by the file it opened. Folders are looked at (their
/// identity finds loops and folders reached twice) and walked once, as in
/// [`scan_each`].
pub(super) fn scan_paths(
    root: &Path,
    on_file: &mut dyn FnMut(FoundFile),
) -> Result<Scan, LoadError> {
    walk(root, false, on_file)
}

/// Walks `root`, handing files to `on_file`; with `stat_files`, with a key
/// each and each file once.
fn walk(
    root: &Path,
    stat_files: bool,
    on_file: &mut dyn FnMut(FoundFile),
) -> Result<Scan, LoadError> {
    walk_bounded(root, stat_files, MAX_FOLDERS_THROUGH_LINKS, on_file)
}

/// [`walk`] with at most `link_bound` folders entered through links (tests
/// try the bound on small trees).
fn walk_bounded(
    root: &Path,
    stat_files: bool,
    link_bound: usize,
    on_file: &mut dyn FnMut(FoundFile),
) -> Result<Scan, LoadError> {
    let metadata = check_root(root)?;
    let mut walker = Walker {
        root,
        stat_files,
        on_file,
        around: folders_around(root),
        through_links: 0,
        link_bound,
        files_seen: HashSet::new(),
        folders_seen: HashSet::new(),
        links: Vec::new(),
        folders: Vec::new(),
        warnings: Vec::new(),
    };
    walker.run(StatKey::of(&metadata));
    let mut warnings = walker.warnings;
    warnings.sort_by(|a, b| a.path.cmp(&b.path));
    Ok(Scan {
        files: Vec::new(),
        folders: walker.folders,
        warnings,
    })
}

/// The folders `root` is in, up to `/`, each by device and inode with its
/// path: a link to one of them would walk everything around the articles
/// folder. Both the folders of its canonical path and those of the path it
/// was named by (which may go through links of its own) are in it. A path
/// that cannot be resolved adds nothing; the bound on folders behind links
/// still holds such a walk in.
pub(super) fn folders_around(root: &Path) -> Vec<((u64, u64), PathBuf)> {
    let named = std::path::absolute(root).ok();
    let canonical = fs::canonicalize(root).ok();
    let mut around: Vec<((u64, u64), PathBuf)> = Vec::new();
    for path in [canonical, named].into_iter().flatten() {
        for folder in path.ancestors().skip(1) {
            let Ok(metadata) = fs::metadata(folder) else {
                continue;
            };
            let id = (metadata.dev(), metadata.ino());
            if around.iter().all(|(known, _)| *known != id) {
                around.push((id, folder.to_path_buf()));
            }
        }
    }
    around
}

/// Checks that `root` is a folder this process can list; its metadata.
fn check_root(root: &Path) -> Result<Metadata, LoadError> {
    const WHAT_TO_DO: &str = "check library.articles in the config or pass --articles DIR";
    let error = |message: String| LoadError {
        path: root.to_path_buf(),
        message,
    };
    let metadata = fs::metadata(root).map_err(|err| {
        error(match err.kind() {
            io::ErrorKind::NotFound => format!("the articles folder does not exist; {WHAT_TO_DO}"),
            _ => format!(
                "the articles folder cannot be read ({}); {WHAT_TO_DO}",
                io_reason(&err)
            ),
        })
    })?;
    if !metadata.is_dir() {
        return Err(error(format!(
            "the articles folder is a file, not a folder; {WHAT_TO_DO}"
        )));
    }
    fs::read_dir(root).map_err(|err| {
        error(format!(
            "the articles folder cannot be read ({}); check its permissions, or {WHAT_TO_DO}",
            io_reason(&err)
        ))
    })?;
    Ok(metadata)
}

/// An entry of a folder, looked at and ready to visit.
enum Entry {
    /// A regular file with an article's name (and its key, when files
    /// are looked at).
    File {
        path: PathBuf,
        format: Format,
        key: Option<StatKey>,
    },
    /// A folder (or a link to one, once followed).
    Folder { path: PathBuf, key: StatKey },
    /// A symbolic link, to follow once everything reached without one has
    /// been walked.
    Link { path: PathBuf },
}

impl Entry {
    fn path(&self) -> &Path {
        match self {
            Entry::File { path, .. } | Entry::Folder { path, .. } | Entry::Link { path } => path,
        }
    }
}

/// A folder being walked, and the folders it is in: what a link to a
/// folder is checked against for loops.
struct Folder {
    path: PathBuf,
    id: (u64, u64),
    parent: Option<Rc<Folder>>,
}

impl Folder {
    /// This folder and the folders it is in, innermost first.
    fn and_ancestors(&self) -> impl Iterator<Item = &Folder> {
        std::iter::successors(Some(self), |folder| folder.parent.as_deref())
    }
}

/// A folder whose entries are being visited: the walk's stack holds one
/// per folder between the top and the entry being visited.
struct Frame {
    folder: Rc<Folder>,
    /// The entries not visited yet, in path order.
    entries: std::vec::IntoIter<Entry>,
}

/// The state of one scan.
struct Walker<'a> {
    root: &'a Path,
    /// Whether each file's metadata is looked at.
    stat_files: bool,
    on_file: &'a mut dyn FnMut(FoundFile),
    /// The folders the articles folder is in (see [`folders_around`]).
    around: Vec<((u64, u64), PathBuf)>,
    /// Folders entered through links so far; past
    /// [`MAX_FOLDERS_THROUGH_LINKS`], no more are.
    through_links: usize,
    /// [`MAX_FOLDERS_THROUGH_LINKS`], but for tests.
    link_bound: usize,
    /// The files handed over, by device and inode (known only when files
    /// are looked at).
    files_seen: HashSet<(u64, u64)>,
    /// The folders walked or being walked, by device and inode.
    folders_seen: HashSet<(u64, u64)>,
    /// Links met while walking without following them, in path order, with
    /// the folder each is in.
    links: Vec<(PathBuf, Rc<Folder>)>,
    folders: Vec<ScannedFolder>,
    warnings: Vec<LoadWarning>,
}

impl Walker<'_> {
    /// Walks the tree: first without following a link (setting the links
    /// aside), then from each link set aside, in path order, following
    /// every link. Every path of the first part comes before every path of
    /// the second, and each part goes in path order, so the first path a
    /// file or folder is found at is the one [`scan_each`] names it by.
    fn run(&mut self, root_key: StatKey) {
        let top = Rc::new(Folder {
            path: self.root.to_path_buf(),
            id: root_key.file_id(),
            parent: None,
        });
        self.folders_seen.insert(top.id);
        let mut stack = Vec::new();
        self.enter(top, root_key.mtime_ns, false, &mut stack);
        self.walk(&mut stack, false);
        for (path, parent) in std::mem::take(&mut self.links) {
            if self.through_links > self.link_bound {
                break;
            }
            if let Some(entry) = self.follow(path) {
                self.visit(entry, &parent, true, &mut stack);
                self.walk(&mut stack, true);
            }
        }
    }

    /// Visits entries until the stack is empty, depth first.
    fn walk(&mut self, stack: &mut Vec<Frame>, follow_links: bool) {
        while let Some(frame) = stack.last_mut() {
            match frame.entries.next() {
                Some(entry) => {
                    let parent = Rc::clone(&frame.folder);
                    self.visit(entry, &parent, follow_links, stack);
                }
                None => {
                    stack.pop();
                }
            }
        }
    }

    /// Hands over a file not seen before, sets a link aside, or enters a
    /// folder not seen before (pushing it on the stack).
    fn visit(
        &mut self,
        entry: Entry,
        parent: &Rc<Folder>,
        follow_links: bool,
        stack: &mut Vec<Frame>,
    ) {
        match entry {
            Entry::File { path, format, key } => {
                let first = match key {
                    Some(key) if self.stat_files => self.files_seen.insert(key.file_id()),
                    // Without a key for every file, every path is handed
                    // over: a key for some would tell nothing about others.
                    _ => true,
                };
                if first {
                    (self.on_file)(FoundFile {
                        id: display_path(self.root, &path),
                        path,
                        format,
                        key,
                    });
                }
            }
            Entry::Link { path } => self.links.push((path, Rc::clone(parent))),
            Entry::Folder { path, key } => {
                let id = key.file_id();
                if let Some(ancestor) = parent.and_ancestors().find(|folder| folder.id == id) {
                    let ancestor = match display_path(self.root, &ancestor.path) {
                        top if top == "." => "the articles folder".to_string(),
                        folder => folder,
                    };
                    let message = format!("symbolic link loop (leads back to {ancestor})");
                    self.warnings.push(warning(self.root, &path, &message));
                    return;
                }
                if let Some((_, around)) = self.around.iter().find(|(folder, _)| *folder == id) {
                    let message = around_message(around);
                    self.warnings.push(warning(self.root, &path, &message));
                    return;
                }
                // Already walked under a path that comes first.
                if !self.folders_seen.insert(id) {
                    return;
                }
                if follow_links {
                    // Every folder of this part of the walk is reached
                    // through a link.
                    self.through_links += 1;
                    if self.through_links > self.link_bound {
                        if self.through_links == self.link_bound + 1 {
                            let message = format!(
                                "more than {} folders reached through \
                                 symbolic links: this one and the rest behind links are \
                                 skipped; link the folders of news only, not a whole tree",
                                self.link_bound
                            );
                            self.warnings.push(warning(self.root, &path, &message));
                        }
                        return;
                    }
                }
                let folder = Rc::new(Folder {
                    path,
                    id,
                    parent: Some(Rc::clone(parent)),
                });
                self.enter(folder, key.mtime_ns, follow_links, stack);
            }
        }
    }

    /// Reads `folder`'s entries and pushes them on the stack to visit.
    fn enter(
        &mut self,
        folder: Rc<Folder>,
        mtime_ns: i128,
        follow_links: bool,
        stack: &mut Vec<Frame>,
    ) {
        let (entries, whole) = self.read_folder(&folder.path, follow_links);
        // A folder listed in part must not look walked: a cache would skip
        // it by its unchanged time and never see what the listing missed.
        if whole {
            self.folders.push(ScannedFolder {
                path: folder.path.clone(),
                mtime_ns,
            });
        }
        stack.push(Frame {
            folder,
            entries: entries.into_iter(),
        });
    }

    /// The entries of a folder worth visiting, in path order, and whether
    /// it was listed whole. Every entry but a link is looked at here, so
    /// that the folder is closed before the walk goes deeper (a deep tree
    /// would otherwise hold a descriptor per level).
    fn read_folder(&mut self, folder: &Path, follow_links: bool) -> (Vec<Entry>, bool) {
        let listing = match fs::read_dir(folder) {
            Ok(listing) => listing,
            Err(err) => {
                self.problem(folder, &err);
                return (Vec::new(), false);
            }
        };
        let mut entries = Vec::new();
        let mut whole = true;
        for dir_entry in listing {
            let dir_entry = match dir_entry {
                Ok(dir_entry) => dir_entry,
                Err(err) => {
                    // A listing that failed once is not trusted to go on.
                    self.problem(folder, &err);
                    whole = false;
                    break;
                }
            };
            let name = dir_entry.file_name();
            if is_hidden(&name) {
                continue;
            }
            // The type comes with the listing on most filesystems: files
            // that are not articles by their name cost no metadata call.
            let file_type = match dir_entry.file_type() {
                Ok(file_type) => file_type,
                Err(err) => {
                    self.problem(&folder.join(&name), &err);
                    continue;
                }
            };
            let format = Format::for_path(Path::new(&name));
            if !(file_type.is_dir() || file_type.is_symlink() || format.is_some()) {
                continue;
            }
            let path = folder.join(&name);
            let entry = if file_type.is_symlink() {
                if follow_links {
                    self.follow(path)
                } else {
                    Some(Entry::Link { path })
                }
            } else if let Some(format) = format.filter(|_| file_type.is_file() && !self.stat_files)
            {
                // The listing says what it is; the reader checks it again
                // on the file it opens.
                Some(Entry::File {
                    path,
                    format,
                    key: None,
                })
            } else if !(file_type.is_dir() || file_type.is_file()) {
                // Never opened: opening a FIFO or a device can block or act
                // on it, and a metadata call would tell nothing more.
                let message = not_regular_message(file_type);
                self.warnings.push(warning(self.root, &path, &message));
                None
            } else {
                // Without following a link: the entry was no link when
                // listed; if it is one now, it is taken as one.
                match dir_entry.metadata() {
                    Ok(metadata) => self.entry(path, &metadata, follow_links),
                    Err(err) => {
                        self.problem(&path, &err);
                        None
                    }
                }
            };
            entries.extend(entry);
        }
        // Names in a folder differ, and the folder's path is the same
        // prefix of each: byte order of the paths is the names' order, the
        // order `Path`s compare in.
        entries.sort_unstable_by(|a, b| {
            let a = a.path().as_os_str().as_encoded_bytes();
            a.cmp(b.path().as_os_str().as_encoded_bytes())
        });
        (entries, whole)
    }

    /// The entry a link leads to, looked at through the link.
    fn follow(&mut self, path: PathBuf) -> Option<Entry> {
        match fs::metadata(&path) {
            Ok(metadata) => self.entry(path, &metadata, true),
            Err(err) => {
                self.problem(&path, &err);
                None
            }
        }
    }

    /// What an entry is by its metadata: a folder, an article file, a link
    /// (when its metadata was read without following it), or nothing to
    /// visit (with a warning when it has an article's name but is no
    /// regular file).
    fn entry(&mut self, path: PathBuf, metadata: &Metadata, follow_links: bool) -> Option<Entry> {
        let file_type = metadata.file_type();
        if file_type.is_dir() {
            return Some(Entry::Folder {
                path,
                key: StatKey::of(metadata),
            });
        }
        if file_type.is_symlink() {
            return if follow_links {
                self.follow(path)
            } else {
                Some(Entry::Link { path })
            };
        }
        let format = Format::for_path(&path)?;
        if file_type.is_file() {
            Some(Entry::File {
                path,
                format,
                key: Some(StatKey::of(metadata)),
            })
        } else {
            let message = not_regular_message(file_type);
            self.warnings.push(warning(self.root, &path, &message));
            None
        }
    }

    /// Records the warning for an entry that could not be looked at, if it
    /// is one that would not have been skipped silently anyway.
    fn problem(&mut self, path: &Path, err: &io::Error) {
        self.warnings.extend(entry_problem(self.root, path, err));
    }
}

/// Why a link to `folder`, a folder the articles folder is in, is skipped.
fn around_message(folder: &Path) -> String {
    let whole = if folder.parent().is_none() {
        " (the whole machine)"
    } else {
        ""
    };
    format!(
        "symbolic link to {}, a folder the articles folder is in: skipped, following it \
         would take in everything under it{whole}",
        folder.display()
    )
}

/// The warning for an entry the walk could not look at, or `None` when the
/// entry would have been skipped silently anyway (not an article by its
/// name, and no folder).
fn entry_problem(root: &Path, path: &Path, err: &io::Error) -> Option<LoadWarning> {
    // Only on this rare path: a second look tells what the entry is.
    if fs::metadata(path).is_ok_and(|m| m.is_dir()) {
        let message = format!(
            "folder cannot be read ({}); the articles in it are skipped",
            io_reason(err)
        );
        return Some(warning(root, path, &message));
    }
    Format::for_path(path)?;
    let is_link = fs::symlink_metadata(path).is_ok_and(|m| m.file_type().is_symlink());
    let message = match err.kind() {
        io::ErrorKind::NotFound if is_link => {
            "dangling symbolic link (its target does not exist)".to_string()
        }
        io::ErrorKind::NotFound => "vanished while the folder was read".to_string(),
        _ if is_symlink_loop(err) => "symbolic link loop (the link leads to itself)".into(),
        _ => format!("cannot be read ({})", io_reason(err)),
    };
    Some(warning(root, path, &message))
}

/// Whether a file or folder name is hidden (starts with a dot): editors' swap
/// and lock files, `.git` and the like.
pub(super) fn is_hidden(name: &OsStr) -> bool {
    name.as_encoded_bytes().first() == Some(&b'.')
}

/// Hands `visit` every entry below `folder` that is not a folder (links
/// included, not followed), hidden names skipped, descending into the
/// folders: for the watch's quick looks at a part of the tree, which need
/// neither the scan's stat keys nor its order. Unreadable folders and
/// entries are passed over. Stops at the first `Break` and returns it.
pub(super) fn walk_visible<B>(
    folder: &Path,
    visit: &mut dyn FnMut(PathBuf, FileType) -> std::ops::ControlFlow<B>,
) -> std::ops::ControlFlow<B> {
    let mut folders = vec![folder.to_path_buf()];
    while let Some(folder) = folders.pop() {
        let Ok(listing) = fs::read_dir(&folder) else {
            continue;
        };
        for entry in listing.flatten() {
            if is_hidden(&entry.file_name()) {
                continue;
            }
            let Ok(file_type) = entry.file_type() else {
                continue;
            };
            if file_type.is_dir() {
                folders.push(entry.path());
            } else {
                visit(entry.path(), file_type)?;
            }
        }
    }
    std::ops::ControlFlow::Continue(())
}

/// "not a regular file (fifo)" and the like.
pub(super) fn not_regular_message(file_type: FileType) -> String {
    let kind = if file_type.is_fifo() {
        "fifo"
    } else if file_type.is_socket() {
        "socket"
    } else if file_type.is_char_device() {
        "character device"
    } else if file_type.is_block_device() {
        "block device"
    } else {
        "unknown kind"
    };
    format!("not a regular file ({kind})")
}

/// Whether an error is the system's "too many levels of symbolic links".
pub(super) fn is_symlink_loop(err: &io::Error) -> bool {
    err.raw_os_error() == Some(libc::ELOOP)
}

/// A short reason for an I/O error, without the "(os error N)" noise for
/// the usual cases.
pub(super) fn io_reason(err: &io::Error) -> String {
    match err.kind() {
        io::ErrorKind::PermissionDenied => "permission denied".to_string(),
        io::ErrorKind::NotFound => "not found".to_string(),
        _ => err.to_string(),
    }
}

/// How a file under `root` is named to the user and in ids: its relative
/// path with `/` between components, each component made terminal-safe.
///
/// Components are sanitized one by one so that an escape sequence at the end
/// of a folder name cannot swallow the `/` after it.
pub(super) fn display_path(root: &Path, path: &Path) -> String {
    let relative = path.strip_prefix(root).unwrap_or(path);
    let mut name = String::new();
    for component in relative.components() {
        if !name.is_empty() {
            name.push('/');
        }
        let clean = sanitize_line(&component.as_os_str().to_string_lossy());
        name.push_str(if clean.is_empty() { UNNAMED } else { &clean });
    }
    if name.is_empty() {
        name.push('.');
    }
    name
}

/// A warning about `path`, named relative to `root`.
pub(super) fn warning(root: &Path, path: &Path, message: &str) -> LoadWarning {
    warning_for(display_path(root, path), message)
}

/// A warning about an already sanitized name.
pub(super) fn warning_for(path: String, message: &str) -> LoadWarning {
    LoadWarning {
        path,
        message: sanitize_line(message),
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use std::os::unix::fs::symlink;
    use std::thread;
    use std::time::Duration;

    /// Longer than a tick of the clock file times are taken from, so that
    /// a write after it gets a later time than a write before it.
    const PAST_A_TICK: Duration = Duration::from_millis(50);

    fn scanned(root: &Path) -> Scan {
        scan(root).unwrap()
    }

    fn file<'a>(scan: &'a Scan, id: &str) -> &'a ScannedFile {
        scan.files
            .iter()
            .find(|f| f.id == id)
            .unwrap_or_else(|| panic!("{id} not in {:?}", scan.files))
    }

    fn ids(scan: &Scan) -> Vec<&str> {
        scan.files.iter().map(|f| f.id.as_str()).collect()
    }

    fn folder_mtime(scan: &Scan, path: &Path) -> i128 {
        scan.folders
            .iter()
            .find(|f| f.path == path)
            .unwrap_or_else(|| panic!("{path:?} not in {:?}", scan.folders))
            .mtime_ns
    }

    #[test]
    fn hidden_names_start_with_a_dot() {
        assert!(is_hidden(".git".as_ref()));
        assert!(is_hidden(".#draft.txt".as_ref()));
        assert!(!is_hidden("a.txt".as_ref()));
        assert!(!is_hidden("".as_ref()));
    }

    #[test]
    fn the_key_is_the_files_metadata() {
        let dir = tempfile::tempdir().unwrap();
        let path = dir.path().join("a.txt");
        fs::write(&path, "twelve bytes").unwrap();
        let key = file(&scanned(dir.path()), "a.txt").key;
        let metadata = fs::metadata(&path).unwrap();
        assert_eq!(key, StatKey::of(&metadata));
        assert_eq!(key.file_id(), (metadata.dev(), metadata.ino()));
        assert_eq!(key.size, 12);
        let modified = metadata.modified().unwrap();
        let since_epoch = modified.duration_since(std::time::UNIX_EPOCH).unwrap();
        assert_eq!(
            key.mtime_ns,
            i128::try_from(since_epoch.as_nanos()).unwrap()
        );
    }

    #[test]
    fn a_rewrite_of_the_same_size_changes_the_key_but_not_the_file() {
        let dir = tempfile::tempdir().unwrap();
        let path = dir.path().join("a.txt");
        fs::write(&path, "first text").unwrap();
        let before = file(&scanned(dir.path()), "a.txt").key;
        thread::sleep(PAST_A_TICK);
        fs::write(&path, "other text").unwrap();
        let after = file(&scanned(dir.path()), "a.txt").key;
        assert_eq!(after.size, before.size);
        assert_eq!(after.file_id(), before.file_id(), "rewritten in place");
        assert!(
            after.mtime_ns != before.mtime_ns || after.ctime_ns != before.ctime_ns,
            "{before:?} {after:?}"
        );
        assert_ne!(after, before);
    }

    #[test]
    fn a_rewrite_with_the_old_modification_time_put_back_changes_the_change_time() {
        let dir = tempfile::tempdir().unwrap();
        let path = dir.path().join("a.txt");
        fs::write(&path, "first text").unwrap();
        let before = file(&scanned(dir.path()), "a.txt").key;
        let modified = fs::metadata(&path).unwrap().modified().unwrap();
        thread::sleep(PAST_A_TICK);
        fs::write(&path, "other text").unwrap();
        fs::File::options()
            .write(true)
            .open(&path)
            .unwrap()
            .set_modified(modified)
            .unwrap();
        let after = file(&scanned(dir.path()), "a.txt").key;
        assert_eq!(after.mtime_ns, before.mtime_ns, "the old time is back");
        assert_ne!(after.ctime_ns, before.ctime_ns);
    }

    #[test]
    fn a_rename_keeps_the_inode() {
        let dir = tempfile::tempdir().unwrap();
        fs::write(dir.path().join("old.txt"), "text").unwrap();
        let before = file(&scanned(dir.path()), "old.txt").key;
        fs::rename(dir.path().join("old.txt"), dir.path().join("new.txt")).unwrap();
        let after = scanned(dir.path());
        assert_eq!(ids(&after), ["new.txt"]);
        let after = file(&after, "new.txt").key;
        assert_eq!(after.file_id(), before.file_id());
        assert_eq!(after.size, before.size);
        assert_eq!(after.mtime_ns, before.mtime_ns, "the content is untouched");
    }

    #[test]
    fn adding_a_file_changes_its_folders_time_and_only_its_folders() {
        let dir = tempfile::tempdir().unwrap();
        let sub = dir.path().join("sub");
        let other = dir.path().join("other");
        fs::create_dir_all(&sub).unwrap();
        fs::create_dir_all(&other).unwrap();
        fs::write(sub.join("a.txt"), "a").unwrap();
        let before = scanned(dir.path());
        thread::sleep(PAST_A_TICK);
        fs::write(sub.join("b.txt"), "b").unwrap();
        let after = scanned(dir.path());
        assert!(folder_mtime(&after, &sub) > folder_mtime(&before, &sub));
        assert_eq!(folder_mtime(&after, &other), folder_mtime(&before, &other));
        assert_eq!(
            folder_mtime(&after, dir.path()),
            folder_mtime(&before, dir.path()),
            "a change deeper down leaves the top's time alone"
        );
        // Changing a file in place leaves its folder's time alone too.
        thread::sleep(PAST_A_TICK);
        fs::write(sub.join("a.txt"), "changed").unwrap();
        assert_eq!(
            folder_mtime(&scanned(dir.path()), &sub),
            folder_mtime(&after, &sub)
        );
    }

    #[test]
    fn every_folder_walked_is_listed_once_and_hidden_ones_are_not() {
        let dir = tempfile::tempdir().unwrap();
        for folder in ["b/c", "a", ".git/objects", "b/.hidden"] {
            fs::create_dir_all(dir.path().join(folder)).unwrap();
        }
        symlink("b", dir.path().join("link")).unwrap();
        let found = scanned(dir.path());
        let folders: Vec<&Path> = found.folders.iter().map(|f| f.path.as_path()).collect();
        let root = dir.path();
        assert_eq!(
            folders,
            [root, &root.join("a"), &root.join("b"), &root.join("b/c")]
        );
        assert!(found.files.is_empty());
        assert_eq!(found.warnings, []);
    }

    #[test]
    fn files_come_in_path_order_and_those_through_links_after() {
        let outside = tempfile::tempdir().unwrap();
        fs::write(outside.path().join("far.txt"), "far").unwrap();
        let dir = tempfile::tempdir().unwrap();
        for name in ["b.txt", "a/z.txt", "a.txt", "a-b.txt", "c/d.md", "skip.jpg"] {
            let path = dir.path().join(name);
            fs::create_dir_all(path.parent().unwrap()).unwrap();
            fs::write(path, name).unwrap();
        }
        symlink(outside.path(), dir.path().join("0linked")).unwrap();
        let found = scanned(dir.path());
        assert_eq!(
            ids(&found),
            [
                "a/z.txt",
                "a-b.txt",
                "a.txt",
                "b.txt",
                "c/d.md",
                "0linked/far.txt"
            ]
        );
        let far = file(&found, "0linked/far.txt");
        assert_eq!(far.path, dir.path().join("0linked/far.txt"));
        assert_eq!(far.format, Format::Plain);
        assert_eq!(file(&found, "c/d.md").format, Format::Markdown);
    }

    #[test]
    fn a_file_reached_through_several_paths_is_listed_once_under_the_path_without_a_link() {
        let dir = tempfile::tempdir().unwrap();
        let root = dir.path();
        fs::create_dir_all(root.join("real/deep")).unwrap();
        fs::write(root.join("real/deep/x.txt"), "x").unwrap();
        fs::write(root.join("z.txt"), "z").unwrap();
        // Links that come first in path order, to the folder and the files.
        symlink("real", root.join("a_linked_folder")).unwrap();
        symlink("real/deep/x.txt", root.join("a_link.txt")).unwrap();
        // Hard links: the first in path order names the file.
        fs::hard_link(root.join("z.txt"), root.join("y.txt")).unwrap();
        fs::hard_link(root.join("real/deep/x.txt"), root.join("w.txt")).unwrap();
        let found = scanned(root);
        assert_eq!(ids(&found), ["real/deep/x.txt", "y.txt"]);
        assert_eq!(found.warnings, []);
        let folders: Vec<&Path> = found.folders.iter().map(|f| f.path.as_path()).collect();
        assert_eq!(folders, [root, &root.join("real"), &root.join("real/deep")]);
    }

    #[test]
    fn of_paths_that_all_go_through_links_the_first_in_path_order_names_the_file() {
        let outside = tempfile::tempdir().unwrap();
        fs::write(outside.path().join("x.txt"), "x").unwrap();
        let dir = tempfile::tempdir().unwrap();
        fs::create_dir_all(dir.path().join("b")).unwrap();
        symlink(outside.path(), dir.path().join("b/link")).unwrap();
        symlink(outside.path(), dir.path().join("c")).unwrap();
        symlink(outside.path().join("x.txt"), dir.path().join("a.txt")).unwrap();
        assert_eq!(ids(&scanned(dir.path())), ["a.txt"]);
        fs::remove_file(dir.path().join("a.txt")).unwrap();
        assert_eq!(ids(&scanned(dir.path())), ["b/link/x.txt"]);
    }

    #[test]
    fn a_link_back_to_a_folder_it_is_in_is_a_loop_warning() {
        let dir = tempfile::tempdir().unwrap();
        fs::create_dir_all(dir.path().join("a/b")).unwrap();
        fs::write(dir.path().join("a/b/x.txt"), "x").unwrap();
        symlink("..", dir.path().join("a/b/up")).unwrap();
        symlink("../..", dir.path().join("a/b/top")).unwrap();
        let found = scanned(dir.path());
        assert_eq!(ids(&found), ["a/b/x.txt"]);
        let warnings: Vec<String> = found.warnings.iter().map(ToString::to_string).collect();
        assert_eq!(
            warnings,
            [
                "a/b/top: symbolic link loop (leads back to the articles folder)",
                "a/b/up: symbolic link loop (leads back to a)",
            ]
        );
    }

    /// A link to the folder the articles folder is in, or to one further
    /// up, would take in everything beside it: skipped, each named.
    #[test]
    fn links_to_the_folders_around_the_articles_folder_are_skipped_with_a_warning() {
        let outer = tempfile::tempdir().unwrap();
        let mid = outer.path().join("mid");
        let root = mid.join("articles");
        fs::create_dir_all(root.join("sub")).unwrap();
        fs::write(outer.path().join("marker.txt"), "far above").unwrap();
        fs::write(mid.join("beside.txt"), "just above").unwrap();
        fs::write(root.join("own.txt"), "own").unwrap();
        fs::write(root.join("sub/deep.txt"), "own, deeper").unwrap();
        symlink("..", root.join("parent")).unwrap();
        symlink("../../..", root.join("sub/grandparent")).unwrap();
        symlink(fs::canonicalize(&mid).unwrap(), root.join("absolute")).unwrap();
        // A link to a link to the parent leads there all the same.
        symlink("parent", root.join("chain")).unwrap();
        symlink(".", root.join("itself")).unwrap();
        let found = scanned(&root);
        assert_eq!(ids(&found), ["own.txt", "sub/deep.txt"]);
        let around = |folder: &Path| {
            format!(
                "symbolic link to {}, a folder the articles folder is in: skipped, following \
                 it would take in everything under it",
                fs::canonicalize(folder).unwrap().display()
            )
        };
        let warnings: Vec<String> = found.warnings.iter().map(ToString::to_string).collect();
        assert_eq!(
            warnings,
            [
                format!("absolute: {}", around(&mid)),
                format!("chain: {}", around(&mid)),
                "itself: symbolic link loop (leads back to the articles folder)".to_string(),
                format!("parent: {}", around(&mid)),
                format!("sub/grandparent: {}", around(outer.path())),
            ]
        );
    }

    #[test]
    fn a_link_to_the_root_of_the_machine_is_skipped_as_the_whole_machine() {
        let dir = tempfile::tempdir().unwrap();
        fs::write(dir.path().join("own.txt"), "own").unwrap();
        symlink("/", dir.path().join("everything")).unwrap();
        let found = scanned(dir.path());
        assert_eq!(ids(&found), ["own.txt"]);
        let warnings: Vec<String> = found.warnings.iter().map(ToString::to_string).collect();
        assert_eq!(
            warnings,
            [
                "everything: symbolic link to /, a folder the articles folder is in: skipped, \
                 following it would take in everything under it (the whole machine)"
            ]
        );
    }

    /// A link to a huge tree outside is walked only so far: the folders
    /// behind links are bounded, with one warning where the walk stopped.
    #[test]
    fn folders_behind_links_are_bounded() {
        const BOUND: usize = 20;
        let outside = tempfile::tempdir().unwrap();
        for n in 0..BOUND + 5 {
            fs::create_dir(outside.path().join(format!("d{n:05}"))).unwrap();
        }
        let other = tempfile::tempdir().unwrap();
        fs::write(other.path().join("later.txt"), "behind a later link").unwrap();
        let dir = tempfile::tempdir().unwrap();
        fs::write(dir.path().join("own.txt"), "own").unwrap();
        symlink(outside.path(), dir.path().join("a_huge")).unwrap();
        symlink(other.path(), dir.path().join("b_later")).unwrap();
        let mut handed = Vec::new();
        let found =
            walk_bounded(dir.path(), true, BOUND, &mut |file| handed.push(file.id)).unwrap();
        assert_eq!(handed, ["own.txt"]);
        // The articles folder, then the linked folder and its subfolders
        // up to the bound; nothing behind the later link.
        assert_eq!(found.folders.len(), 1 + BOUND);
        assert!(
            found
                .folders
                .iter()
                .all(|f| !f.path.starts_with(other.path()))
        );
        let warnings: Vec<String> = found.warnings.iter().map(ToString::to_string).collect();
        let first_skipped = format!("a_huge/d{:05}", BOUND - 1);
        assert_eq!(warnings.len(), 1, "{warnings:?}");
        assert!(
            warnings[0].starts_with(&format!(
                "{first_skipped}: more than {BOUND} folders reached through \
                 symbolic links"
            )),
            "{warnings:?}"
        );
    }

    #[test]
    fn files_are_handed_over_as_they_are_found() {
        let dir = tempfile::tempdir().unwrap();
        fs::write(dir.path().join("a.txt"), "a").unwrap();
        fs::write(dir.path().join("b.md"), "b").unwrap();
        let mut handed = Vec::new();
        let rest = scan_each(dir.path(), &mut |file| handed.push(file.id)).unwrap();
        assert_eq!(handed, ["a.txt", "b.md"]);
        assert!(rest.files.is_empty());
        assert_eq!(rest.folders.len(), 1);
    }

    #[test]
    fn a_missing_folder_is_an_error() {
        let dir = tempfile::tempdir().unwrap();
        let err = scan(&dir.path().join("missing")).unwrap_err();
        assert!(err.message.contains("does not exist"), "{err}");
    }
}
