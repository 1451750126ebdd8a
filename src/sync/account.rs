//! An account of the config made ready to sync: its password read from its
//! command or variable (never from a file broadsheet writes, never shown),
//! and the protocol its `kind` names ([`connect`]).

use std::io::Read as _;
use std::process::{Command, Stdio};
use std::time::Duration;

use super::http::Client;
use super::service::{Credentials, Secret, Service, SyncError};
use crate::article::sanitize::sanitize_line;
use crate::config::{Account, AccountKind, PasswordSource};

/// The most of a password command's output read: a password is a line.
const MAX_OUTPUT: u64 = 64 * 1024;

/// The longest part of a password command's error output a message quotes.
const MAX_STDERR_CHARS: usize = 300;

/// How long a request to an account's server may take.
pub const REQUEST_TIMEOUT: Duration = Duration::from_secs(60);

/// The account's credentials: its address, user and password, the password
/// read now from its command or variable. The error names the command or
/// the variable and never holds the password.
pub fn credentials(account: &Account) -> Result<Credentials, String> {
    let password = match &account.password {
        PasswordSource::Command(argv) => run_password_command(&account.name, argv)?,
        PasswordSource::Env(name) => match std::env::var(name) {
            Ok(value) if !value.is_empty() => value,
            Ok(_) | Err(std::env::VarError::NotPresent) => {
                return Err(format!(
                    "account `{}`: the environment variable {} that holds its password is not set; set it or use password_command",
                    sanitize_line(&account.name),
                    sanitize_line(name)
                ));
            }
            Err(std::env::VarError::NotUnicode(_)) => {
                return Err(format!(
                    "account `{}`: the environment variable {} is not UTF-8 text",
                    sanitize_line(&account.name),
                    sanitize_line(name)
                ));
            }
        },
    };
    Ok(Credentials {
        url: account.url.clone(),
        user: account.user.clone(),
        password: Secret::new(password),
    })
}

/// Runs a password command without a shell and gives the first line of its
/// output. A failure names the command and quotes its error output, never
/// its standard output (which may hold the password).
fn run_password_command(account: &str, argv: &[String]) -> Result<String, String> {
    let shown = sanitize_line(&argv.join(" "));
    let fail = |what: String| {
        format!(
            "account `{}`: the password command `{shown}` {what}",
            sanitize_line(account)
        )
    };
    let Some((program, args)) = argv.split_first() else {
        return Err(fail("is empty".to_string()));
    };
    let mut child = Command::new(program)
        .args(args)
        .stdin(Stdio::null())
        .stdout(Stdio::piped())
        .stderr(Stdio::piped())
        .spawn()
        .map_err(|e| fail(format!("cannot be started: {e}; check password_command")))?;
    // Error output is read on its own thread so that neither pipe, filling
    // up, holds the command.
    let stderr = child.stderr.take();
    let reader = std::thread::spawn(move || {
        let mut text = Vec::new();
        if let Some(stderr) = stderr {
            let _ = stderr.take(MAX_OUTPUT).read_to_end(&mut text);
        }
        text
    });
    let mut out = Vec::new();
    if let Some(stdout) = child.stdout.take() {
        let _ = stdout.take(MAX_OUTPUT).read_to_end(&mut out);
    }
    let status = child
        .wait()
        .map_err(|e| fail(format!("did not finish: {e}")))?;
    let errors = reader.join().unwrap_or_default();
    let errors: String = sanitize_line(&String::from_utf8_lossy(&errors))
        .chars()
        .take(MAX_STDERR_CHARS)
        .collect();
    if !status.success() {
        let said = if errors.trim().is_empty() {
            String::new()
        } else {
            format!(": {}", errors.trim())
        };
        return Err(fail(format!("failed ({status}){said}")));
    }
    let text = String::from_utf8(out).map_err(|_| fail("printed no UTF-8 text".to_string()))?;
    let line = text
        .lines()
        .next()
        .unwrap_or_default()
        .trim_end_matches('\r');
    if line.is_empty() {
        return Err(fail("printed no password on its first line".to_string()));
    }
    Ok(line.to_string())
}

/// The protocol the account's `kind` names, ready to call its server.
pub fn connect(
    kind: AccountKind,
    credentials: Credentials,
    client: Client,
) -> Result<Box<dyn Service>, SyncError> {
    Ok(match kind {
        AccountKind::Fever => Box::new(super::fever::Fever::new(credentials, client)),
        AccountKind::GoogleReader => {
            Box::new(super::greader::GoogleReader::new(credentials, client))
        }
        AccountKind::Miniflux => Box::new(super::miniflux::Miniflux::new(credentials, client)),
    })
}

#[cfg(test)]
mod tests {
    use super::*;

    fn account(password: PasswordSource) -> Account {
        Account {
            name: "home".into(),
            kind: AccountKind::Fever,
            url: "http://127.0.0.1:1/".into(),
            user: "me".into(),
            password,
        }
    }

    #[test]
    fn the_first_line_of_the_command_is_the_password() {
        let argv = ["sh", "-c", "printf 'hunter2\\nsecond line\\n'"];
        let source = PasswordSource::Command(argv.iter().map(|s| s.to_string()).collect());
        let credentials = credentials(&account(source));
        assert_eq!(
            credentials.map(|c| c.password.expose().to_string()),
            Ok("hunter2".to_string())
        );
    }

    #[test]
    fn a_failing_command_is_named_with_its_errors_and_never_its_output() {
        // The output is made so that the password is not in the command's text.
        let argv = [
            "sh",
            "-c",
            "printf 'hunter%s\\n' 2; echo 'gpg: decryption failed' >&2; exit 2",
        ];
        let source = PasswordSource::Command(argv.iter().map(|s| s.to_string()).collect());
        let error = credentials(&account(source)).map(|_| ()).unwrap_err();
        assert!(error.contains("gpg: decryption failed"), "{error}");
        assert!(error.contains("account `home`"), "{error}");
        assert!(!error.contains("hunter2"), "{error}");
        let missing = PasswordSource::Command(vec!["/nonexistent/pass".into()]);
        let error = credentials(&account(missing)).map(|_| ()).unwrap_err();
        assert!(error.contains("cannot be started"), "{error}");
    }

    #[test]
    fn an_unset_variable_is_named() {
        let source = PasswordSource::Env("BROADSHEET_TEST_SURELY_UNSET_VAR".into());
        let error = credentials(&account(source)).map(|_| ()).unwrap_err();
        assert!(
            error.contains("BROADSHEET_TEST_SURELY_UNSET_VAR") && error.contains("not set"),
            "{error}"
        );
    }
}
