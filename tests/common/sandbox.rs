//! The sandbox: a temp folder with `articles/` and a `config.toml`, filled
//! with the sample articles or generated ones, and the binary run in it
//! with no user config or data around (headless commands here, the reader
//! in a pseudo-terminal through [`Sandbox::start`]).

use std::fs;
use std::path::{Path, PathBuf};
use std::process::Command;
use std::time::{Duration, Instant};

use tempfile::TempDir;

use super::Session;

pub const SAMPLES: [&str; 5] = [
    "000_b4046600ca63d592.txt",
    "001_900db8947a90b09e.txt",
    "002_3c2e4f83b2e5c3ed.txt",
    "003_97ddbb98e762d2b5.txt",
    "004_c084a17f8d89dc0e.txt",
];

/// The newest sample, first in the list.
pub const NEWEST: &str = "001_900db8947a90b09e.txt";
/// The second sample newest-first.
pub const SECOND: &str = "000_b4046600ca63d592.txt";
pub const NEWEST_TITLE: &str = "Heartstopper Season 4";
pub const NEWEST_DATE: &str = "2025-02-17";
pub const SECOND_DATE: &str = "2024-12-24";

/// A temp folder holding `articles/` and a `config.toml` pointing at it;
/// bookmarks and read state are saved beside the config.
pub struct Sandbox {
    /// The temp folder; removed when the sandbox is dropped.
    pub dir: TempDir,
}

impl Sandbox {
    /// The five sample articles.
    pub fn samples() -> Sandbox {
        let sandbox = Sandbox::empty();
        let samples = Path::new(env!("CARGO_MANIFEST_DIR")).join("articles");
        for name in SAMPLES {
            fs::copy(samples.join(name), sandbox.articles().join(name)).expect("copy sample");
        }
        sandbox
    }

    /// `count` small generated articles spread over a few subfolders.
    pub fn generated(count: usize) -> Sandbox {
        let sandbox = Sandbox::empty();
        for n in 0..count {
            let folder = sandbox.articles().join(format!("d{}", n % 7));
            fs::create_dir_all(&folder).expect("article folder");
            fs::write(
                folder.join(format!("a{n:05}.txt")),
                format!(
                    " date 2024-03-05 Posted in: News | Tagged: tests\n\n\
                     Generated Article Number {n}\n\n\
                     A first paragraph of the article, long enough to read like one.\n"
                ),
            )
            .expect("write article");
        }
        sandbox
    }

    pub fn empty() -> Sandbox {
        let dir = TempDir::new().expect("temp dir");
        fs::create_dir(dir.path().join("articles")).expect("articles dir");
        let sandbox = Sandbox { dir };
        sandbox.write_config("");
        sandbox
    }

    /// An empty sandbox whose feeds file (`feeds.toml`) and feed state are
    /// beside its config: what the feed tests fetch into.
    pub fn with_feeds() -> Sandbox {
        let sandbox = Sandbox::empty();
        sandbox.write_config("feeds = \"feeds.toml\"\n");
        sandbox
    }

    /// Writes `config.toml` with the articles folder and `extra` lines of
    /// the `[library]` table (from line 3 on); the bookmarks, state and
    /// feeds files are set beside it unless `extra` sets them (left out,
    /// they would be in the data folder under `xdg-data/`).
    pub fn write_config(&self, extra: &str) {
        let mut beside = String::new();
        for (setting, file) in [
            ("bookmarks", "bookmarks.toml"),
            ("state", "state.toml"),
            ("feeds", "feeds.toml"),
        ] {
            let given = extra
                .lines()
                .any(|line| line.split('=').next().map(str::trim) == Some(setting));
            if !given {
                beside.push_str(&format!("{setting} = \"{file}\"\n"));
            }
        }
        // After `extra` when it is all [library] lines, so that its line
        // numbers are the same as without these.
        let text = if extra.lines().any(|line| line.trim_start().starts_with('[')) {
            format!("[library]\narticles = \"articles\"\n{beside}{extra}")
        } else if extra.is_empty() || extra.ends_with('\n') {
            format!("[library]\narticles = \"articles\"\n{extra}{beside}")
        } else {
            format!("[library]\narticles = \"articles\"\n{extra}\n{beside}")
        };
        fs::write(self.path().join("config.toml"), text).expect("config");
    }

    pub fn path(&self) -> &Path {
        self.dir.path()
    }

    pub fn articles(&self) -> PathBuf {
        self.path().join("articles")
    }

    /// A state file's text, or "" when it was never written.
    pub fn file(&self, name: &str) -> String {
        fs::read_to_string(self.path().join(name)).unwrap_or_default()
    }

    /// The environment of every run: no user config or data around.
    pub fn environment(&self) -> Vec<(&'static str, PathBuf)> {
        vec![
            ("HOME", self.path().to_path_buf()),
            ("XDG_CONFIG_HOME", self.path().join("xdg-config")),
            ("XDG_DATA_HOME", self.path().join("xdg-data")),
            ("XDG_CACHE_HOME", self.path().join("xdg-cache")),
            ("TERM", PathBuf::from("xterm-256color")),
            ("NO_COLOR", PathBuf::from("1")),
        ]
    }

    /// A headless subcommand, ready to run, in the sandbox's environment.
    pub fn command(&self, args: &[&str]) -> Command {
        let mut command = Command::new(env!("CARGO_BIN_EXE_broadsheet"));
        command.current_dir(self.path()).env_clear().args(args);
        for (key, value) in self.environment() {
            command.env(key, value);
        }
        command
    }

    /// Runs a headless subcommand to its end, whatever its exit status.
    pub fn run(&self, args: &[&str]) -> std::process::Output {
        self.command(args).output().expect("run broadsheet")
    }

    /// Runs a headless subcommand that must fail with exit status 1 and
    /// returns its stderr.
    pub fn fails(&self, args: &[&str]) -> String {
        let output = self.run(args);
        assert_eq!(
            output.status.code(),
            Some(1),
            "broadsheet {args:?} should fail; stdout: {}",
            String::from_utf8_lossy(&output.stdout)
        );
        String::from_utf8_lossy(&output.stderr).into_owned()
    }

    /// Runs a headless subcommand that must succeed and returns its stdout.
    pub fn cli(&self, args: &[&str]) -> String {
        let output = self.run(args);
        assert!(
            output.status.success(),
            "broadsheet {args:?} failed: {}",
            String::from_utf8_lossy(&output.stderr)
        );
        String::from_utf8(output.stdout).expect("stdout is UTF-8")
    }

    /// Subscribes to the feed at `url` without fetching it (`feed add URL
    /// --no-fetch`), with `flags` (`--full-text`, `--name N`), as most feed
    /// tests begin.
    pub fn subscribe(&self, url: &str, flags: &[&str]) {
        let mut args = vec!["feed", "add", url];
        args.extend_from_slice(flags);
        args.push("--no-fetch");
        self.cli(&args);
    }

    /// Starts the reader in a pseudo-terminal of `cols` x `rows`.
    pub fn start(&self, cols: u16, rows: u16) -> Session {
        Session::start(self, cols, rows)
    }
}

impl Sandbox {
    /// The lines of the log file `name` in the sandbox (a fake browser's or
    /// player's, which runs on its own) once it holds `lines` lines, or as
    /// it is after `wait`.
    pub fn logged_within(&self, name: &str, lines: usize, wait: Duration) -> Vec<String> {
        let log = self.path().join(name);
        let deadline = Instant::now() + wait;
        loop {
            let text = fs::read_to_string(&log).unwrap_or_default();
            let found: Vec<String> = text.lines().map(str::to_string).collect();
            if found.len() >= lines || Instant::now() > deadline {
                return found;
            }
            std::thread::sleep(Duration::from_millis(20));
        }
    }
}

/// `text` as a TOML string, quoted and escaped, for a config a test writes.
pub fn toml_string(text: &str) -> String {
    toml::Value::String(text.to_string()).to_string()
}
