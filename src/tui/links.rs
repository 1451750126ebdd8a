//! Acting on an article's links, the pure part: which addresses may leave
//! the program, the argument vector that opens one (from `$BROWSER` or the
//! platform's opener, never through a shell), and the OSC 52 sequence that
//! puts one on the clipboard; and which of those programs run in the
//! terminal and must be handed it. The run loop carries these out.

use base64::Engine as _;

/// The schemes a link may have to be opened or copied: the web and mail.
const OPENABLE: &[&str] = &["http", "https", "mailto"];

/// The longest address opened or copied, in bytes: longer ones are not
/// links a person means to follow.
const MAX_URL: usize = 8 * 1024;

/// Whether `url` may be handed to a browser or the clipboard: an http,
/// https or mailto address with no spaces or control characters (which
/// could smuggle arguments or terminal sequences). The error says why not.
pub fn check_openable(url: &str) -> Result<(), String> {
    if url.len() > MAX_URL {
        return Err("the address is too long to open".to_string());
    }
    if url.chars().any(|c| c.is_whitespace() || c.is_control()) {
        return Err("the address holds spaces or control characters; not opened".to_string());
    }
    let scheme = url
        .split_once(':')
        .map(|(scheme, _)| scheme.to_ascii_lowercase());
    match scheme {
        Some(scheme) if OPENABLE.contains(&scheme.as_str()) => {
            if scheme != "mailto" && !url[scheme.len() + 1..].starts_with("//") {
                return Err(format!("`{url}` is not a whole web address; not opened"));
            }
            Ok(())
        }
        Some(scheme) => Err(format!(
            "only http, https and mailto links are opened, not `{scheme}:`"
        )),
        None => Err(format!("`{url}` is not an address; not opened")),
    }
}

/// Whether `url` may be handed to the player: what may be opened
/// ([`check_openable`]), and an http or https address (a player has
/// nothing to do with `mailto:`).
pub fn check_playable(url: &str) -> Result<(), String> {
    check_openable(url)?;
    if url
        .get(..7)
        .is_some_and(|s| s.eq_ignore_ascii_case("mailto:"))
    {
        return Err("only http and https addresses are played, not `mailto:`".to_string());
    }
    Ok(())
}

/// The commands to try to play `url`: the `player` argument vector
/// (`[reader] player`; `%s` in an argument stands for the address, which is
/// added at the end when no argument holds one; `%%` is a `%`), else what
/// opens links ([`open_commands`] with `browser`). Never through a shell:
/// the address is one argument whatever it holds.
pub fn player_commands(
    player: Option<&[String]>,
    browser: Option<&str>,
    url: &str,
) -> Vec<Vec<String>> {
    let Some((program, args)) = player.and_then(<[String]>::split_first) else {
        return open_commands(browser, url);
    };
    let mut argv = vec![program.clone()];
    argv.extend(args.iter().map(|arg| substitute(arg, url)));
    if !args.iter().any(|arg| arg.contains("%s")) {
        argv.push(url.to_string());
    }
    vec![argv]
}

/// The commands to try, in order, to open `url`: each entry of `browser`
/// (`$BROWSER`: commands separated by `:`, `%s` standing for the address,
/// which is added at the end when no `%s` is given; `%%` is a `%`), else
/// the platform's opener. Each command is an argument vector, split on
/// whitespace, never given to a shell: the address is one argument
/// whatever it holds.
pub fn open_commands(browser: Option<&str>, url: &str) -> Vec<Vec<String>> {
    let from_env: Vec<Vec<String>> = browser
        .unwrap_or("")
        .split(':')
        .filter_map(|entry| command_of(entry, url))
        .collect();
    if !from_env.is_empty() {
        return from_env;
    }
    vec![vec![platform_opener().to_string(), url.to_string()]]
}

/// One `$BROWSER` entry as an argument vector for `url`.
fn command_of(entry: &str, url: &str) -> Option<Vec<String>> {
    let words: Vec<&str> = entry.split_whitespace().collect();
    if words.is_empty() {
        return None;
    }
    let mut placed = false;
    let mut argv: Vec<String> = words
        .iter()
        .map(|word| {
            if word.contains("%s") {
                placed = true;
            }
            substitute(word, url)
        })
        .collect();
    if !placed {
        argv.push(url.to_string());
    }
    Some(argv)
}

/// `word` with `%s` replaced by `url` and `%%` by `%`.
fn substitute(word: &str, url: &str) -> String {
    let mut out = String::new();
    let mut chars = word.chars().peekable();
    while let Some(c) = chars.next() {
        match (c, chars.peek()) {
            ('%', Some('s')) => {
                chars.next();
                out.push_str(url);
            }
            ('%', Some('%')) => {
                chars.next();
                out.push('%');
            }
            _ => out.push(c),
        }
    }
    out
}

/// Browsers that run in the terminal, known by their program's name: the
/// reader hands them the terminal instead of starting them without one.
pub const TERMINAL_BROWSERS: &[&str] = &[
    "w3m", "lynx", "elinks", "links", "links2", "browsh", "carbonyl",
];

/// One command to try: the argument vector, and whether the program runs
/// in the terminal (the reader then leaves the screen to it and waits).
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Launch {
    /// The program and its arguments, the address among them.
    pub argv: Vec<String>,
    /// Whether the program is handed the terminal.
    pub in_terminal: bool,
}

/// Whether the browser command `argv` runs in the terminal: as
/// `browser_in_terminal` (`[reader]`) says, else by its program's name
/// ([`TERMINAL_BROWSERS`], whatever folder it is in).
pub fn runs_in_terminal(argv: &[String], browser_in_terminal: Option<bool>) -> bool {
    if let Some(setting) = browser_in_terminal {
        return setting;
    }
    argv.first()
        .and_then(|program| std::path::Path::new(program).file_name())
        .and_then(|name| name.to_str())
        .is_some_and(|name| TERMINAL_BROWSERS.contains(&name))
}

/// The browser commands for `url` ([`open_commands`]), each marked with
/// whether it runs in the terminal ([`runs_in_terminal`]). The platform's
/// opener never does.
pub fn open_launches(
    browser: Option<&str>,
    browser_in_terminal: Option<bool>,
    url: &str,
) -> Vec<Launch> {
    let from_browser = browser.is_some_and(|b| b.split(':').any(|e| !e.trim().is_empty()));
    open_commands(browser, url)
        .into_iter()
        .map(|argv| Launch {
            in_terminal: from_browser && runs_in_terminal(&argv, browser_in_terminal),
            argv,
        })
        .collect()
}

/// The player commands for `url` ([`player_commands`]): the player runs
/// without the terminal, as before; without one, the browser's commands
/// as [`open_launches`] marks them.
pub fn play_launches(
    player: Option<&[String]>,
    browser: Option<&str>,
    browser_in_terminal: Option<bool>,
    url: &str,
) -> Vec<Launch> {
    if player.is_some_and(|argv| !argv.is_empty()) {
        return player_commands(player, browser, url)
            .into_iter()
            .map(|argv| Launch {
                argv,
                in_terminal: false,
            })
            .collect();
    }
    open_launches(browser, browser_in_terminal, url)
}

/// Whether `url` may be handed to a browser in the terminal: an address
/// that may be opened ([`check_openable`]), and only http or https (a
/// text-mode browser has nothing to do with `mailto:`).
pub fn check_for_terminal(url: &str) -> Result<(), String> {
    check_openable(url)?;
    let web = ["http://", "https://"].iter().any(|scheme| {
        url.get(..scheme.len())
            .is_some_and(|s| s.eq_ignore_ascii_case(scheme))
    });
    if web {
        Ok(())
    } else {
        Err("a browser in the terminal opens only http and https addresses".to_string())
    }
}

/// The program that opens an address with the desktop's default handler.
fn platform_opener() -> &'static str {
    if cfg!(target_os = "macos") {
        "open"
    } else {
        "xdg-open"
    }
}

/// The OSC 52 sequence that asks the terminal to put `text` on the
/// clipboard (terminals that do not support it ignore it).
pub fn osc52(text: &str) -> String {
    let encoded = base64::engine::general_purpose::STANDARD.encode(text.as_bytes());
    format!("\x1b]52;c;{encoded}\x07")
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn only_web_and_mail_addresses_may_be_opened() {
        assert!(check_openable("https://example.com/a?b=c#d").is_ok());
        assert!(check_openable("HTTP://example.com").is_ok());
        assert!(check_openable("mailto:ed@example.com").is_ok());
        for refused in [
            "file:///etc/passwd",
            "javascript:alert(1)",
            "ftp://example.com/x",
            "https:example.com",
            "https://example.com/a b",
            "https://example.com/\u{1b}]52;c;x\u{7}",
            "example.com",
            "",
        ] {
            assert!(check_openable(refused).is_err(), "{refused:?}");
        }
        let error = check_openable("javascript:alert(1)").unwrap_err();
        assert!(error.contains("`javascript:`"), "{error}");
    }

    #[test]
    fn the_address_is_one_argument_whatever_it_holds() {
        let url = "https://x.example/a';touch /tmp/p;'$(id)`id`";
        assert_eq!(
            open_commands(Some("firefox --new-tab"), url),
            vec![vec!["firefox".to_string(), "--new-tab".into(), url.into()]]
        );
        assert_eq!(
            open_commands(Some("w3m %s -dump:lynx"), url),
            vec![
                vec!["w3m".to_string(), url.into(), "-dump".into()],
                vec!["lynx".to_string(), url.into()],
            ]
        );
        assert_eq!(
            open_commands(Some("run --arg=%s%%"), "https://e.x"),
            vec![vec!["run".to_string(), "--arg=https://e.x%".into()]]
        );
    }

    #[test]
    fn the_player_gets_the_address_as_one_argument_and_only_web_ones() {
        let url = "https://x.example/a b';$(id)";
        let player = ["mpv".to_string(), "--title=%s".into(), "--".into()];
        assert_eq!(
            player_commands(Some(&player), Some("firefox"), url),
            vec![vec![
                "mpv".to_string(),
                format!("--title={url}"),
                "--".into()
            ]]
        );
        let player = ["mpv".to_string(), "--".into()];
        assert_eq!(
            player_commands(Some(&player), None, url),
            vec![vec!["mpv".to_string(), "--".into(), url.into()]]
        );
        assert_eq!(
            player_commands(None, Some("firefox --new-tab"), url),
            vec![vec!["firefox".to_string(), "--new-tab".into(), url.into()]]
        );
        assert!(check_playable("https://cdn.example/e.mp3").is_ok());
        for refused in [
            "mailto:a@b.example",
            "file:///x.mp3",
            "ftp://a.example/e.mp3",
            "e.mp3",
        ] {
            assert!(check_playable(refused).is_err(), "{refused}");
        }
    }

    #[test]
    fn without_browser_the_platform_opener_opens() {
        for browser in [None, Some(""), Some(" : ")] {
            let commands = open_commands(browser, "https://e.x");
            assert_eq!(commands.len(), 1);
            assert_eq!(commands[0][1], "https://e.x");
        }
    }

    #[test]
    fn text_mode_browsers_are_known_by_name_or_by_the_setting() {
        let url = "https://e.x/a";
        let launches = open_launches(Some("/usr/bin/w3m:lynx -dump:firefox"), None, url);
        let in_terminal: Vec<bool> = launches.iter().map(|l| l.in_terminal).collect();
        assert_eq!(in_terminal, [true, true, false]);
        assert_eq!(launches[0].argv, ["/usr/bin/w3m", url]);
        for name in TERMINAL_BROWSERS {
            assert!(runs_in_terminal(&[name.to_string()], None), "{name}");
        }
        // A name that only starts like one is not one.
        assert!(!runs_in_terminal(&["w3mman".to_string()], None));
        assert!(!runs_in_terminal(&["/opt/lynx/firefox".to_string()], None));
        // The setting wins over the name, both ways.
        let mine = open_launches(Some("my-browser --text"), Some(true), url);
        assert_eq!(
            mine,
            [Launch {
                argv: vec!["my-browser".to_string(), "--text".into(), url.into()],
                in_terminal: true
            }]
        );
        assert!(!open_launches(Some("w3m"), Some(false), url)[0].in_terminal);
        // The platform's opener is never handed the terminal.
        assert!(!open_launches(None, Some(true), url)[0].in_terminal);
        // A player runs as before; without one, the browser's rule holds.
        let player = ["mpv".to_string(), "--".into()];
        assert!(!play_launches(Some(&player), Some("w3m"), None, url)[0].in_terminal);
        assert!(play_launches(None, Some("w3m"), None, url)[0].in_terminal);
    }

    #[test]
    fn a_browser_in_the_terminal_gets_only_web_addresses() {
        assert!(check_for_terminal("https://e.x/a").is_ok());
        assert!(check_for_terminal("HTTP://e.x/a").is_ok());
        for refused in [
            "mailto:a@b.example",
            "file:///etc/passwd",
            "https://e.x/a b",
        ] {
            assert!(check_for_terminal(refused).is_err(), "{refused}");
        }
    }

    #[test]
    fn the_clipboard_sequence_carries_the_text_in_base64() {
        assert_eq!(osc52("https://e.x"), "\x1b]52;c;aHR0cHM6Ly9lLng=\x07");
    }
}
