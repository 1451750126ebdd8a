//! The ground floor: how broadsheet reads and writes its own files, used by
//! every layer above (the store's TOML files, the cache, feed articles).
//!
//! - **Replacing** ([`replace_file`], [`write_atomic`]): a temporary file
//!   `.<name>.tmp-<pid>-*` in the same folder, written, optionally fsynced,
//!   renamed over the target; a crash leaves the old file or the new one,
//!   and a file another process has mapped is never changed in place.
//! - **Locking** ([`FileLock`]): a sidecar `<name>.lock` locked with
//!   `flock`, exclusive for writers, shared for readers that wait for a
//!   write under way.
//! - **Reading** ([`read_regular`]): regular files only (a FIFO or a device
//!   could hang or never end), opened without blocking, up to a size cap.
//! - **Sweeping** ([`sweep_stale_temps`]): temporary files of writers that
//!   were killed are removed by the next writer.
//! - **The link rule** ([`Links`]): a person's own files may be symbolic
//!   links (bookmarks kept in a dotfiles repository), and writing them keeps
//!   the link and changes the file it leads to. Files broadsheet keeps for
//!   itself (the cache, fetched articles) are never followed: a link planted
//!   there is replaced as a file, so it cannot lead a write elsewhere.
//!
//! Errors are [`FileError`]s that name the file and say what to do.

pub mod error;
pub mod lock;
pub mod paths;
pub mod read;
pub mod replace;
pub mod temps;

pub use error::{FileError, io_error};
pub use lock::FileLock;
pub use paths::{Links, create_folder, create_private_folder};
pub use read::{open_nonblocking, read_regular};
pub use replace::{Durability, replace_file, write_atomic, write_new};
pub use temps::{sweep_stale_temps, sweep_stale_temps_in, temp_name_rest};
