//! The feed fetcher's HTTP client against a real server on 127.0.0.1: what
//! a person notices when a feed is fetched. Feeds arrive whole or "not
//! modified"; moved feeds are reported; hostile or broken servers (redirect
//! loops, `file:` redirects, gzip bombs, hangs, trickles) end in an error
//! that names the feed instead of a hang, a crash or a full memory; and no
//! host gets more than its share of requests at once.
//!
//! Timeouts are short so the suite is quick; the only timing assertions are
//! generous upper bounds on how long a hang may hold a fetch.

mod common;

use std::io::Write;
use std::net::TcpListener;
use std::thread;
use std::time::{Duration, Instant};

use broadsheet::feeds::http::{Http, HttpError, HttpOptions, Response, Validators};
use chrono::Utc;
use common::{Reply, TestServer};
use flate2::Compression;
use flate2::write::GzEncoder;

const RSS: &str = "<rss version=\"2.0\"><channel><title>T</title></channel></rss>";

/// Settings with timeouts short enough for tests.
fn quick() -> HttpOptions {
    HttpOptions {
        connect_timeout: Duration::from_secs(2),
        timeout: Duration::from_secs(5),
        ..HttpOptions::default()
    }
}

/// A plain GET of `path` with the quick settings.
fn get(server: &TestServer, path: &str) -> Result<Response, HttpError> {
    Http::new(quick()).get(&server.url(path), &Validators::default())
}

/// The error a GET that must fail gave.
fn error(result: Result<Response, HttpError>) -> HttpError {
    match result {
        Ok(response) => panic!("expected an error, got {response:?}"),
        Err(err) => err,
    }
}

/// The response of a GET that must succeed.
fn answer(result: Result<Response, HttpError>) -> Response {
    result.unwrap_or_else(|err| panic!("expected an answer: {err}"))
}

#[test]
fn a_feed_comes_with_its_body_validators_and_type() {
    let server = TestServer::start();
    server.route(
        "/feed",
        Reply::ok(RSS)
            .etag("\"v1\"")
            .last_modified("Wed, 21 Oct 2015 07:28:00 GMT")
            .content_type("application/rss+xml"),
    );
    let response = answer(get(&server, "/feed"));
    assert_eq!(response.body.as_deref(), Some(RSS.as_bytes()));
    assert_eq!(response.url, server.url("/feed"));
    assert_eq!(response.moved_to, None);
    assert_eq!(response.validators.etag.as_deref(), Some("\"v1\""));
    assert_eq!(
        response.validators.last_modified.as_deref(),
        Some("Wed, 21 Oct 2015 07:28:00 GMT")
    );
    assert_eq!(
        response.content_type.as_deref(),
        Some("application/rss+xml")
    );
}

#[test]
fn an_unchanged_feed_is_not_downloaded_again_and_a_changed_one_is() {
    let server = TestServer::start();
    let date = "Wed, 21 Oct 2015 07:28:00 GMT";
    server.route("/feed", Reply::ok(RSS).etag("\"v1\"").last_modified(date));
    let http = Http::new(quick());
    let first = answer(http.get(&server.url("/feed"), &Validators::default()));

    let second = answer(http.get(&server.url("/feed"), &first.validators));
    assert_eq!(second.body, None, "304 Not Modified has no body");
    assert_eq!(second.validators, first.validators, "kept for next time");
    let asked = server.requests().pop().expect("the second request");
    assert_eq!(asked.header("if-none-match"), Some("\"v1\""));
    assert_eq!(asked.header("if-modified-since"), Some(date));

    // The feed changes between two fetches.
    server.route("/feed", Reply::ok("new").etag("\"v2\""));
    let third = answer(http.get(&server.url("/feed"), &first.validators));
    assert_eq!(third.body.as_deref(), Some(&b"new"[..]));
    assert_eq!(third.validators.etag.as_deref(), Some("\"v2\""));
}

#[test]
fn last_modified_alone_makes_a_conditional_get() {
    let server = TestServer::start();
    let date = "Tue, 01 Jul 2025 10:00:00 GMT";
    server.route("/feed", Reply::ok(RSS).last_modified(date));
    let sent = Validators {
        etag: None,
        last_modified: Some(date.to_string()),
    };
    let response = answer(Http::new(quick()).get(&server.url("/feed"), &sent));
    assert_eq!(response.body, None);
    assert_eq!(response.validators, sent);
}

#[test]
fn a_chain_of_permanent_redirects_says_the_feed_moved() {
    let server = TestServer::start();
    server.route("/a", Reply::default().redirect(301, "/b"));
    // An absolute Location as well as relative ones.
    server.route("/b", Reply::default().redirect(308, &server.url("/feed")));
    server.route("/feed", Reply::ok(RSS));
    let response = answer(get(&server, "/a"));
    assert_eq!(response.body.as_deref(), Some(RSS.as_bytes()));
    assert_eq!(response.url, server.url("/feed"));
    assert_eq!(response.moved_to, Some(server.url("/feed")));
}

#[test]
fn a_temporary_redirect_in_the_chain_is_no_move() {
    let server = TestServer::start();
    server.route("/a", Reply::default().redirect(301, "/b"));
    server.route("/b", Reply::default().redirect(302, "feed"));
    server.route("/feed", Reply::ok(RSS));
    let response = answer(get(&server, "/a"));
    assert_eq!(response.url, server.url("/feed"));
    assert_eq!(response.moved_to, None);
    for code in [303, 307] {
        server.route("/b", Reply::default().redirect(code, "/feed"));
        let response = answer(get(&server, "/a"));
        assert_eq!(response.moved_to, None, "{code}");
        assert_eq!(response.body.as_deref(), Some(RSS.as_bytes()), "{code}");
    }
}

#[test]
fn more_than_five_redirects_is_an_error_and_five_are_fine() {
    let server = TestServer::start();
    for hop in 0..6 {
        let next = format!("/r{}", hop + 1);
        server.route(&format!("/r{hop}"), Reply::default().redirect(302, &next));
    }
    server.route("/r6", Reply::ok(RSS));
    assert!(get(&server, "/r1").is_ok(), "five redirects are followed");

    let err = error(get(&server, "/r0"));
    assert!(
        matches!(
            err,
            HttpError::TooManyRedirects {
                limit: 5,
                looped: false,
                ..
            }
        ),
        "{err:?}"
    );
    let message = err.to_string();
    assert!(message.starts_with(&server.url("/r0")), "{message}");
    assert!(message.contains("more than 5 redirects"), "{message}");
}

#[test]
fn a_redirect_loop_is_caught_and_called_a_loop() {
    let server = TestServer::start();
    server.route("/x", Reply::default().redirect(301, "/y"));
    server.route("/y", Reply::default().redirect(302, "/x"));
    let err = error(get(&server, "/x"));
    assert!(
        matches!(err, HttpError::TooManyRedirects { looped: true, .. }),
        "{err:?}"
    );
    assert!(err.to_string().contains("loop"), "{err}");
    assert_eq!(server.count("/x"), 1, "caught before asking again");
}

#[test]
fn a_redirect_to_a_local_file_is_refused() {
    let server = TestServer::start();
    server.route(
        "/feed",
        Reply::default().redirect(302, "file:///etc/passwd"),
    );
    let err = error(get(&server, "/feed"));
    assert!(matches!(err, HttpError::BadUrl { .. }), "{err:?}");
    assert_eq!(err.url(), server.url("/feed"));
    let message = err.to_string();
    assert!(message.contains("file:///etc/passwd"), "{message}");
    assert!(message.contains("only http and https"), "{message}");
}

#[test]
fn only_http_and_https_addresses_are_fetched() {
    let http = Http::new(quick());
    for url in ["ftp://127.0.0.1/feed", "file:///etc/passwd", "not a url"] {
        let err = error(http.get(url, &Validators::default()));
        assert!(matches!(err, HttpError::BadUrl { .. }), "{url}: {err:?}");
        assert_eq!(err.url(), url);
    }
}

#[test]
fn a_vanished_feed_is_gone_and_a_broken_server_is_not() {
    let server = TestServer::start();
    server.route("/gone", Reply::ok("bye").status(410));
    for path in ["/missing", "/gone"] {
        let err = error(get(&server, path));
        assert!(err.is_gone(), "{path}: {err:?}");
        assert!(err.to_string().contains("broadsheet feed remove"), "{err}");
    }
    server.route("/broken", Reply::ok("oops").status(500));
    let err = error(get(&server, "/broken"));
    assert!(
        matches!(
            err,
            HttpError::Status {
                code: 500,
                retry_after: None,
                ..
            }
        ),
        "{err:?}"
    );
    assert!(!err.is_gone());
    assert!(err.to_string().contains("try again later"), "{err}");
}

#[test]
fn a_server_that_asks_to_wait_is_heard() {
    let server = TestServer::start();
    server.route(
        "/seconds",
        Reply::ok("slow down")
            .status(429)
            .header("Retry-After", "120"),
    );
    let err = error(get(&server, "/seconds"));
    assert_eq!(err.retry_after(), Some(Duration::from_secs(120)));
    assert!(err.to_string().contains("120 s"), "{err}");

    let in_a_minute = (Utc::now() + chrono::Duration::seconds(60))
        .format("%a, %d %b %Y %H:%M:%S GMT")
        .to_string();
    server.route(
        "/date",
        Reply::ok("busy")
            .status(503)
            .header("Retry-After", &in_a_minute),
    );
    let wait = error(get(&server, "/date")).retry_after();
    assert!(
        wait.is_some_and(|wait| wait > Duration::from_secs(30) && wait <= Duration::from_secs(60)),
        "{wait:?}"
    );
}

#[test]
fn a_gzipped_feed_is_decoded() {
    let server = TestServer::start();
    server.route("/feed", Reply::ok(RSS.repeat(50)).gzip());
    let response = answer(get(&server, "/feed"));
    assert_eq!(response.body.as_deref(), Some(RSS.repeat(50).as_bytes()));
    let asked = server.requests().pop().expect("the request");
    assert!(
        asked
            .header("accept-encoding")
            .is_some_and(|accepted| accepted.contains("gzip")),
        "{:?}",
        asked.headers
    );
}

/// Gzip of `megabytes` MiB of zeros, as that many concatenated gzip
/// members of one MiB each (a valid gzip stream), so it is built quickly.
fn gzip_bomb(megabytes: usize) -> Vec<u8> {
    let mut encoder = GzEncoder::new(Vec::new(), Compression::best());
    encoder
        .write_all(&vec![0; 1024 * 1024])
        .expect("gzip into memory");
    let member = encoder.finish().expect("gzip into memory");
    member.repeat(megabytes)
}

#[test]
fn a_gzip_bomb_is_too_large_not_a_full_memory() {
    let server = TestServer::start();
    let bomb = gzip_bomb(50);
    assert!(bomb.len() < 1024 * 1024, "small on the wire");
    server.route("/bomb", Reply::ok(bomb).header("Content-Encoding", "gzip"));
    let options = HttpOptions {
        max_bytes: 1024 * 1024,
        ..quick()
    };
    let err = error(Http::new(options).get(&server.url("/bomb"), &Validators::default()));
    assert_eq!(
        err,
        HttpError::TooLarge {
            url: server.url("/bomb"),
            limit: 1024 * 1024
        }
    );
    assert!(err.to_string().contains("1 MiB"), "{err}");
}

#[test]
fn a_body_over_the_cap_is_too_large_never_cut_short() {
    let server = TestServer::start();
    let options = HttpOptions {
        max_bytes: 1000,
        ..quick()
    };
    let http = Http::new(options);
    let fetch = |path: &str| http.get(&server.url(path), &Validators::default());

    server.route("/exact", Reply::ok(vec![b'x'; 1000]).without_length());
    assert_eq!(answer(fetch("/exact")).body.map(|b| b.len()), Some(1000));

    // Found out while reading: no Content-Length to go by.
    server.route("/unsized", Reply::ok(vec![b'x'; 5000]).without_length());
    let err = error(fetch("/unsized"));
    assert!(
        matches!(err, HttpError::TooLarge { limit: 1000, .. }),
        "{err:?}"
    );

    server.route("/sized", Reply::ok(vec![b'x'; 5000]));
    let err = error(fetch("/sized"));
    assert!(
        matches!(err, HttpError::TooLarge { limit: 1000, .. }),
        "{err:?}"
    );
}

#[test]
fn a_declared_length_over_the_cap_fails_before_reading() {
    let server = TestServer::start();
    // Reading this body would take minutes: only failing on the header
    // alone ends it at once rather than at the timeout.
    server.route(
        "/huge",
        Reply::ok(vec![b'x'; 500])
            .header("Content-Length", "100000000000")
            .trickle(Duration::from_secs(1)),
    );
    let err = error(get(&server, "/huge"));
    assert!(
        matches!(err, HttpError::TooLarge { limit, .. } if limit == 16 * 1024 * 1024),
        "{err:?}"
    );
}

/// Settings where a GET may take one second in all.
fn one_second() -> HttpOptions {
    HttpOptions {
        timeout: Duration::from_secs(1),
        ..quick()
    }
}

#[test]
fn a_server_that_hangs_before_answering_times_out() {
    let server = TestServer::start();
    server.route("/hang", Reply::ok(RSS).delay(Duration::from_secs(30)));
    let started = Instant::now();
    let err = error(Http::new(one_second()).get(&server.url("/hang"), &Validators::default()));
    assert_eq!(
        err,
        HttpError::TimedOut {
            url: server.url("/hang")
        }
    );
    assert!(
        started.elapsed() < Duration::from_secs(10),
        "{:?}",
        started.elapsed()
    );
    let message = err.to_string();
    assert!(message.starts_with(&server.url("/hang")), "{message}");
    assert!(message.contains("try again later"), "{message}");
}

#[test]
fn a_server_that_trickles_the_body_times_out() {
    let server = TestServer::start();
    // Headers at once, then a byte every 200 ms: each read succeeds, the
    // whole body would take 40 s.
    server.route(
        "/trickle",
        Reply::ok(vec![b'x'; 200]).trickle(Duration::from_millis(200)),
    );
    let started = Instant::now();
    let err = error(Http::new(one_second()).get(&server.url("/trickle"), &Validators::default()));
    assert!(matches!(err, HttpError::TimedOut { .. }), "{err:?}");
    assert!(
        started.elapsed() < Duration::from_secs(10),
        "{:?}",
        started.elapsed()
    );
}

#[test]
fn the_user_agent_names_broadsheet_and_its_version() {
    let server = TestServer::start();
    server.route("/feed", Reply::ok(RSS));
    answer(get(&server, "/feed"));
    let asked = server.requests().pop().expect("the request");
    let agent = asked.header("user-agent").unwrap_or_default();
    let expected = format!("broadsheet/{}", env!("CARGO_PKG_VERSION"));
    assert!(agent.starts_with(&expected), "{agent}");
}

/// The most requests the server answered at once while six threads each
/// fetched their own slow feed from it, with `per_host` allowed.
fn most_at_once(per_host: usize) -> usize {
    let server = TestServer::start();
    server.fallback(|path| {
        path.starts_with("/slow")
            .then(|| Reply::ok(RSS).delay(Duration::from_millis(300)))
    });
    let http = Http::new(HttpOptions {
        per_host,
        ..quick()
    });
    let workers: Vec<_> = (0..6)
        .map(|n| {
            let (http, url) = (http.clone(), server.url(&format!("/slow{n}")));
            thread::spawn(move || http.get(&url, &Validators::default()).map(|_| ()))
        })
        .collect();
    for worker in workers {
        let fetched = worker.join().expect("a fetching thread");
        assert_eq!(fetched, Ok(()));
    }
    assert_eq!(server.requests().len(), 6);
    server.max_in_flight()
}

#[test]
fn no_host_gets_more_than_its_share_of_requests_at_once() {
    let limited = most_at_once(2);
    assert!(
        (1..=2).contains(&limited),
        "{limited} at once with per_host 2"
    );
    // The same fetch with the limit raised goes wider, so the check above
    // can fail.
    let free = most_at_once(6);
    assert!(free > 2, "{free} at once with per_host 6");
}

#[test]
fn a_refused_connection_names_the_feed() {
    let listener = TcpListener::bind("127.0.0.1:0").expect("bind 127.0.0.1:0");
    let addr = listener.local_addr().expect("its address");
    drop(listener);
    let url = format!("http://{addr}/feed");
    let err = error(Http::new(quick()).get(&url, &Validators::default()));
    assert!(matches!(err, HttpError::Connect { .. }), "{err:?}");
    assert_eq!(err.url(), url);
    let message = err.to_string();
    assert!(message.starts_with(&url), "{message}");
    assert!(message.contains("could not connect"), "{message}");
}
