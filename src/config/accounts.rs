//! The `[[account]]` tables: the aggregators `broadsheet sync` syncs with.
//!
//! ```toml
//! [[account]]
//! name = "home"                     # what `sync --account` and messages call it
//! kind = "miniflux"                 # fever, greader or miniflux
//! url = "https://news.example.org/"
//! user = "me"
//! password_command = ["pass", "show", "news"]   # or: password_env = "NEWS_PASSWORD"
//! ```
//!
//! The password itself is never in this file: it comes from a command (an
//! argument vector, run without a shell, its first line of output) or from
//! an environment variable, when a sync needs it (`crate::sync::account`).

use toml::de::DeValue;

use super::error::ConfigError;
use super::reader::{Section, Value};
use crate::article::sanitize::{is_invisible, quoted};
use crate::store::feeds::check_url;

/// The protocol an account speaks.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum AccountKind {
    /// The Fever API (coldsweat, FreshRSS, Miniflux, Tiny Tiny RSS).
    Fever,
    /// The Google Reader API (FreshRSS, Miniflux, Inoreader, The Old Reader).
    GoogleReader,
    /// Miniflux's own API (`/v1/`).
    Miniflux,
}

impl AccountKind {
    /// The kinds as the file writes them.
    pub const NAMES: [&'static str; 3] = ["fever", "greader", "miniflux"];

    /// The kind as the file writes it (`fever`, `greader`, `miniflux`).
    pub fn name(self) -> &'static str {
        match self {
            AccountKind::Fever => "fever",
            AccountKind::GoogleReader => "greader",
            AccountKind::Miniflux => "miniflux",
        }
    }

    /// The kind of a name as the file writes it.
    pub fn from_name(name: &str) -> Option<AccountKind> {
        match name {
            "fever" => Some(AccountKind::Fever),
            "greader" => Some(AccountKind::GoogleReader),
            "miniflux" => Some(AccountKind::Miniflux),
            _ => None,
        }
    }
}

/// Where an account's password comes from (never the file itself).
#[derive(Debug, Clone, PartialEq, Eq)]
pub enum PasswordSource {
    /// A program and its arguments, run without a shell; the first line of
    /// what it prints is the password (`["pass", "show", "news"]`).
    Command(Vec<String>),
    /// An environment variable's name.
    Env(String),
}

/// One `[[account]]` table.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Account {
    /// Its name, unique in the file.
    pub name: String,
    /// The protocol.
    pub kind: AccountKind,
    /// The server's address (http or https).
    pub url: String,
    /// The user name.
    pub user: String,
    /// Where the password comes from.
    pub password: PasswordSource,
}

/// The settings of an `[[account]]` table.
const SETTINGS: [&str; 6] = [
    "name",
    "kind",
    "url",
    "user",
    "password_command",
    "password_env",
];

/// Reads the `account` entry: an array of tables, each checked whole.
pub(super) fn read(reader: &Section, value: &Value) -> Result<Vec<Account>, ConfigError> {
    let DeValue::Array(tables) = value.get_ref() else {
        return Err(reader.error(
            value,
            "`account` must be written [[account]] (two brackets), one table per account",
        ));
    };
    let mut accounts: Vec<Account> = Vec::new();
    for table in tables {
        let account = read_one(reader, table)?;
        if accounts.iter().any(|other| other.name == account.name) {
            return Err(reader.error(
                table,
                format!(
                    "a second account named `{}`; give each [[account]] its own name",
                    quoted(&account.name)
                ),
            ));
        }
        accounts.push(account);
    }
    Ok(accounts)
}

/// One account's table.
fn read_one(reader: &Section, table: &Value) -> Result<Account, ConfigError> {
    let mut name = None;
    let mut kind = None;
    let mut url = None;
    let mut user = None;
    let mut password = None;
    for (key, value) in reader.settings(table, Some(&SETTINGS))? {
        let setting: &str = key.get_ref();
        match setting {
            "name" => {
                let text = reader.string(setting, value, "a name in quotes")?;
                if text.trim().is_empty()
                    || text.chars().count() > 60
                    || text.chars().any(is_invisible)
                {
                    return Err(
                        reader.error(value, "an account name must be 1 to 60 visible characters")
                    );
                }
                name = Some(text.to_string());
            }
            "kind" => {
                let text = reader.string(setting, value, "a protocol in quotes")?;
                kind = Some(AccountKind::from_name(text).ok_or_else(|| {
                    reader.error(
                        value,
                        format!(
                            "unknown kind `{}`; the kinds are {}",
                            quoted(text),
                            AccountKind::NAMES.join(", ")
                        ),
                    )
                })?);
            }
            "url" => {
                let text = reader.string(setting, value, "an address in quotes")?;
                check_url(text)
                    .map_err(|why| reader.error(value, format!("`url` of the account: {why}")))?;
                url = Some(text.to_string());
            }
            "user" => {
                let text = reader.string(setting, value, "a user name in quotes")?;
                if text.chars().any(is_invisible) {
                    return Err(
                        reader.error(value, "the user name has a control character; remove it")
                    );
                }
                user = Some(text.to_string());
            }
            "password_command" => {
                let argv = command(reader, value)?;
                password = one_password(reader, key.span().start, password, argv)?;
            }
            "password_env" => {
                let text = reader.string(setting, value, "a variable's name in quotes")?;
                if text.is_empty() || text.contains(['=', '\0']) {
                    return Err(reader.error(
                        value,
                        "`password_env` must name an environment variable, like \"NEWS_PASSWORD\"",
                    ));
                }
                let source = PasswordSource::Env(text.to_string());
                password = one_password(reader, key.span().start, password, source)?;
            }
            _ => {}
        }
    }
    let missing = |what: &str| {
        reader.error(
            table,
            format!("this [[account]] has no `{what}`; every account needs name, kind, url, user and a password_command or password_env"),
        )
    };
    Ok(Account {
        name: name.ok_or_else(|| missing("name"))?,
        kind: kind.ok_or_else(|| missing("kind"))?,
        url: url.ok_or_else(|| missing("url"))?,
        user: user.ok_or_else(|| missing("user"))?,
        password: password.ok_or_else(|| missing("password_command"))?,
    })
}

/// `password_command`: a non-empty array of strings.
fn command(reader: &Section, value: &Value) -> Result<PasswordSource, ConfigError> {
    const SHAPE: &str = "an argument vector like [\"pass\", \"show\", \"news\"]";
    let DeValue::Array(items) = value.get_ref() else {
        return Err(reader.wrong_type("password_command", value, SHAPE));
    };
    let mut argv = Vec::new();
    for item in items {
        let text = reader.string("password_command", item, SHAPE)?;
        if text.contains('\0') {
            return Err(reader.error(item, "an argument cannot hold a NUL character"));
        }
        argv.push(text.to_string());
    }
    if argv.first().is_none_or(|program| program.is_empty()) {
        return Err(reader.error(value, format!("`password_command` is empty; give {SHAPE}")));
    }
    Ok(PasswordSource::Command(argv))
}

/// Takes `new` as the password's source unless one was given already.
fn one_password(
    reader: &Section,
    offset: usize,
    old: Option<PasswordSource>,
    new: PasswordSource,
) -> Result<Option<PasswordSource>, ConfigError> {
    if old.is_some() {
        return Err(reader.doc.error(
            offset,
            "give either `password_command` or `password_env`, not both",
        ));
    }
    Ok(Some(new))
}

#[cfg(test)]
mod tests {
    use std::path::Path;

    use super::*;
    use crate::config::parse;

    fn accounts(text: &str) -> Result<Vec<Account>, String> {
        parse(text, Some(Path::new("config.toml")), Path::new("/tmp"))
            .map(|config| config.accounts)
            .map_err(|e| e.to_string())
    }

    #[test]
    fn accounts_are_read_with_their_password_source() {
        let read = accounts(
            "[[account]]\nname = \"home\"\nkind = \"miniflux\"\nurl = \"https://news.example/\"\n\
             user = \"me\"\npassword_command = [\"pass\", \"show\", \"news\"]\n\n\
             [[account]]\nname = \"work\"\nkind = \"fever\"\nurl = \"http://127.0.0.1:9/\"\n\
             user = \"me@example\"\npassword_env = \"WORK_NEWS\"\n",
        );
        let read = read.unwrap_or_default();
        assert_eq!(read.len(), 2);
        assert_eq!(read[0].kind, AccountKind::Miniflux);
        assert_eq!(
            read[0].password,
            PasswordSource::Command(vec!["pass".into(), "show".into(), "news".into()])
        );
        assert_eq!(read[1].password, PasswordSource::Env("WORK_NEWS".into()));
    }

    #[test]
    fn mistakes_are_named_at_their_place() {
        let base = "[[account]]\nname = \"home\"\nkind = \"fever\"\nurl = \"https://a.example/\"\nuser = \"me\"\n";
        let both = format!("{base}password_env = \"A\"\npassword_command = [\"x\"]\n");
        assert_eq!(
            accounts(&both).unwrap_err(),
            "config.toml:7:1: give either `password_command` or `password_env`, not both"
        );
        let kind = base.replace("\"fever\"", "\"feverr\"") + "password_env = \"A\"\n";
        assert!(
            accounts(&kind)
                .unwrap_err()
                .starts_with("config.toml:3:8: unknown kind `feverr`"),
        );
        let none = base.to_string();
        assert!(
            accounts(&none)
                .unwrap_err()
                .contains("has no `password_command`")
        );
        let typo = format!("{base}pasword_command = [\"x\"]\n");
        assert!(
            accounts(&typo)
                .unwrap_err()
                .contains("did you mean `password_command`?")
        );
        let empty = format!("{base}password_command = []\n");
        assert!(
            accounts(&empty)
                .unwrap_err()
                .starts_with("config.toml:6:20:")
        );
        let scheme = base.replace("https://a.example/", "file:///etc") + "password_env = \"A\"\n";
        assert!(
            accounts(&scheme)
                .unwrap_err()
                .starts_with("config.toml:4:7:")
        );
        let single = "[account]\nname = \"x\"\n";
        assert!(accounts(single).unwrap_err().contains("[[account]]"));
        let twice = format!("{base}password_env = \"A\"\n{base}password_env = \"B\"\n");
        assert!(
            accounts(&twice)
                .unwrap_err()
                .contains("a second account named `home`")
        );
    }
}
