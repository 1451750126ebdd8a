//! coldsweat, a real Fever server (Flask and SQLite, from PyPI), run on
//! 127.0.0.1 for the tests, with its database in the test's folder and its
//! feeds served by [`TestServer`].
//!
//! `.ci/run` installs it in a virtual environment (reused from the target
//! folder) and names its `coldsweat` program in `BROADSHEET_COLDSWEAT`.
//! Without it, a test skips in the everyday run; under `--features
//! slow-tests` (what CI runs) it fails, so CI can never pass without them.
//!
//! Nothing leaves the machine: every test feed names its icon on
//! 127.0.0.1 (else coldsweat asks an outside icon service), and coldsweat
//! runs with `HTTP_PROXY`/`HTTPS_PROXY` on a closed port of 127.0.0.1 and
//! `NO_PROXY=127.0.0.1,localhost`, so any other address fails at once.

use std::fmt::Write as _;
use std::fs;
use std::net::{TcpListener, TcpStream};
use std::path::{Path, PathBuf};
use std::process::{Child, Command, Stdio};
use std::time::{Duration, Instant};

use super::{DEADLINE, TestServer, http_server::Reply};

/// The variable naming coldsweat's program.
pub const VARIABLE: &str = "BROADSHEET_COLDSWEAT";

/// The account every instance is set up with.
pub const EMAIL: &str = "reader@example.org";
/// Its password (coldsweat wants at least 8 characters).
pub const PASSWORD: &str = "correct-horse-battery";

/// One feed to serve and subscribe to: its name (file and title), its
/// group, and how many items it has.
#[derive(Debug, Clone)]
pub struct TestFeed {
    /// The feed's name: `/feeds/NAME.xml`, title `Feed NAME`.
    pub name: String,
    /// The coldsweat group (OPML folder) it is imported into.
    pub group: String,
    /// How many items it has.
    pub items: usize,
}

impl TestFeed {
    /// A feed `name` in `group` with `items` items.
    pub fn new(name: &str, group: &str, items: usize) -> TestFeed {
        TestFeed {
            name: name.to_string(),
            group: group.to_string(),
            items,
        }
    }
}

/// A running coldsweat, stopped (its own process, by id) when dropped.
pub struct Coldsweat {
    /// `coldsweat run`, once started.
    child: Option<Child>,
    program: PathBuf,
    port: u16,
    dir: tempfile::TempDir,
    /// The server of the feeds it was seeded from.
    pub feeds: TestServer,
}

/// The coldsweat program, or `None` when the test should skip (not set
/// and the slow tests are off). Panics when the slow tests are on and it
/// is missing, or when the variable names no file.
pub fn program() -> Option<PathBuf> {
    match std::env::var_os(VARIABLE) {
        Some(path) => {
            let path = PathBuf::from(path);
            assert!(
                path.is_file(),
                "{VARIABLE} names {}, which is not a file; run .ci/run, which installs coldsweat",
                path.display()
            );
            Some(path)
        }
        None if cfg!(feature = "slow-tests") => panic!(
            "{VARIABLE} is not set: the slow tests need coldsweat; run them through .ci/run, \
             which installs it and sets the variable"
        ),
        None => {
            eprintln!("skipped: {VARIABLE} not set (coldsweat is installed by .ci/run)");
            None
        }
    }
}

/// A port of 127.0.0.1 nothing listens on now.
fn free_port() -> u16 {
    let listener = TcpListener::bind("127.0.0.1:0").expect("bind 127.0.0.1:0");
    listener.local_addr().expect("a local address").port()
}

/// The RSS of `feed` as served at `base`, every address on 127.0.0.1.
fn rss(feed: &TestFeed, base: &str) -> String {
    let mut items = String::new();
    for n in 1..=feed.items {
        let _ = writeln!(
            items,
            "<item><title>{name} item {n}</title><link>{base}/{name}/{n}</link>\
             <guid>{base}/{name}/{n}</guid><author>writer@example.org (A. Writer)</author>\
             <description>&lt;p&gt;Body of {name} item {n}.&lt;/p&gt;</description>\
             <pubDate>Mon, 07 Dec 2026 {:02}:{:02}:00 GMT</pubDate></item>",
            (n / 60) % 24,
            n % 60,
            name = feed.name,
        );
    }
    format!(
        "<?xml version=\"1.0\" encoding=\"UTF-8\"?>\n<rss version=\"2.0\"><channel>\
         <title>Feed {name}</title><link>{base}/{name}/</link><description>Test feed</description>\
         <image><url>{base}/icon.png</url><title>Feed {name}</title><link>{base}/{name}/</link>\
         <width>16</width><height>16</height></image>\n{items}</channel></rss>\n",
        name = feed.name
    )
}

/// The OPML subscribing to `feeds` on `server`, one folder per group.
fn opml(feeds: &[TestFeed], server: &TestServer) -> String {
    let mut groups: Vec<&str> = feeds.iter().map(|f| f.group.as_str()).collect();
    groups.dedup();
    let mut body = String::new();
    for group in groups {
        let _ = write!(body, "<outline text=\"{group}\" title=\"{group}\">");
        for feed in feeds.iter().filter(|f| f.group == group) {
            let _ = write!(
                body,
                "<outline type=\"rss\" text=\"Feed {name}\" title=\"Feed {name}\" xmlUrl=\"{url}\"/>",
                name = feed.name,
                url = server.url(&format!("/feeds/{}.xml", feed.name))
            );
        }
        body.push_str("</outline>\n");
    }
    format!(
        "<?xml version=\"1.0\"?>\n<opml version=\"1.0\"><head><title>Test</title></head><body>\n{body}</body></opml>\n"
    )
}

impl Coldsweat {
    /// A coldsweat on a free port of 127.0.0.1, its account [`EMAIL`] set
    /// up, subscribed to `feeds` (served here) and fetched; `None` when the
    /// test should skip (see [`program`]).
    pub fn start(feeds: &[TestFeed]) -> Option<Coldsweat> {
        let program = program()?;
        let dir = tempfile::tempdir().expect("a temp folder for coldsweat");
        let server = TestServer::start();
        let base = server.url("");
        let base = base.trim_end_matches('/');
        for feed in feeds {
            server.route(
                &format!("/feeds/{}.xml", feed.name),
                Reply::ok(rss(feed, base)).content_type("application/rss+xml"),
            );
        }
        // A 16×16 "icon" (coldsweat stores what it gets; any bytes do).
        server.route(
            "/icon.png",
            Reply::ok(vec![0u8; 64]).content_type("image/png"),
        );
        let opml_path = dir.path().join("subscriptions.opml");
        fs::write(&opml_path, opml(feeds, &server)).expect("write the OPML file");
        let port = free_port();
        let mut coldsweat = Coldsweat {
            child: None,
            program: program.clone(),
            port,
            dir,
            feeds: server,
        };
        coldsweat.run(&program, &["setup", EMAIL, "-p", PASSWORD]);
        let opml_arg = opml_path.to_string_lossy().into_owned();
        coldsweat.run(&program, &["import", &opml_arg, EMAIL]);
        coldsweat.run(&program, &["fetch"]);
        let log = fs::File::create(coldsweat.dir.path().join("server.log")).expect("a log file");
        let port_arg = port.to_string();
        let child = coldsweat
            .command(&program)
            .args(["run", "--host", "127.0.0.1", "--port", &port_arg])
            .stdout(Stdio::from(log.try_clone().expect("the log file")))
            .stderr(Stdio::from(log))
            .spawn()
            .expect("start coldsweat run");
        let child = coldsweat.child.insert(child);
        let deadline = Instant::now() + DEADLINE;
        while TcpStream::connect(("127.0.0.1", port)).is_err() {
            if let Ok(Some(status)) = child.try_wait() {
                panic!(
                    "coldsweat run ended ({status}):\n{}",
                    read_log(coldsweat.dir.path())
                );
            }
            assert!(
                Instant::now() < deadline,
                "coldsweat did not listen on 127.0.0.1:{port}:\n{}",
                read_log(coldsweat.dir.path())
            );
            std::thread::sleep(Duration::from_millis(50));
        }
        Some(coldsweat)
    }

    /// coldsweat's command with the environment that keeps it local.
    fn command(&self, program: &Path) -> Command {
        let closed = format!("http://127.0.0.1:{}", free_port());
        let mut command = Command::new(program);
        command
            .current_dir(self.dir.path())
            .env(
                "FLASK_DATABASE_URL",
                format!("sqlite:///{}", self.dir.path().join("db.sqlite").display()),
            )
            .env("FLASK_SECRET_KEY", "test-only-secret")
            .env("HTTP_PROXY", &closed)
            .env("HTTPS_PROXY", &closed)
            .env("http_proxy", &closed)
            .env("https_proxy", &closed)
            .env("NO_PROXY", "127.0.0.1,localhost")
            .env("no_proxy", "127.0.0.1,localhost")
            .stdin(Stdio::null());
        command
    }

    /// Runs one coldsweat command to its end; panics with its output if it
    /// fails.
    fn run(&self, program: &Path, args: &[&str]) {
        let output = self
            .command(program)
            .args(args)
            .output()
            .unwrap_or_else(|err| panic!("cannot run {}: {err}", program.display()));
        assert!(
            output.status.success(),
            "coldsweat {args:?} failed ({}):\n{}{}",
            output.status,
            String::from_utf8_lossy(&output.stdout),
            String::from_utf8_lossy(&output.stderr)
        );
    }

    /// Subscribes the account to one more feed (served from now on) and
    /// has coldsweat fetch it, while it runs: new items on the server for
    /// an incremental sync. (coldsweat fetches a feed at most every three
    /// minutes, so new items come in a new feed rather than an old one.)
    pub fn add_feed(&self, feed: &TestFeed) {
        let base = self.feeds.url("");
        self.feeds.route(
            &format!("/feeds/{}.xml", feed.name),
            Reply::ok(rss(feed, base.trim_end_matches('/'))).content_type("application/rss+xml"),
        );
        let opml_path = self.dir.path().join(format!("{}.opml", feed.name));
        fs::write(&opml_path, opml(std::slice::from_ref(feed), &self.feeds))
            .expect("write the OPML file");
        let opml_arg = opml_path.to_string_lossy().into_owned();
        self.run(&self.program, &["import", &opml_arg, EMAIL]);
        self.run(&self.program, &["fetch"]);
    }

    /// The server's address, as an account names it.
    pub fn url(&self) -> String {
        format!("http://127.0.0.1:{}/", self.port)
    }

    /// What `coldsweat run` printed so far.
    pub fn log(&self) -> String {
        read_log(self.dir.path())
    }
}

/// What `coldsweat run` printed in `dir`.
fn read_log(dir: &Path) -> String {
    fs::read_to_string(dir.join("server.log")).unwrap_or_default()
}

impl Drop for Coldsweat {
    fn drop(&mut self) {
        if let Some(child) = &mut self.child {
            let _ = child.kill();
            let _ = child.wait();
        }
    }
}
