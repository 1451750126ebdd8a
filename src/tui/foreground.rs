//! Programs that run in the terminal (a text-mode browser: w3m, lynx): the
//! reader hands them the terminal. It stops reading keys, leaves the
//! alternate screen, raw mode and mouse reporting, starts the program in
//! the foreground with the terminal as its input and output, waits for it
//! to exit, then takes the terminal back and draws the whole screen again.
//! Programs with windows of their own are started in the background, as
//! before ([`Workers::start_program`]).

use std::process::{Command, ExitStatus};

use super::links::{self, Launch};
use super::terminal::TerminalGuard;
use super::workers::Workers;

/// Starts the first of `launches` that starts, for `url` (already checked
/// as any link is): those that run in the terminal here, in turn, each
/// handed the terminal until it exits; from the first that does not, the
/// rest in the background. When none starts, the reader says so with
/// `hint`.
pub(super) fn launch(
    launches: Vec<Launch>,
    url: String,
    hint: &'static str,
    workers: &Workers,
    guard: &mut TerminalGuard,
) -> std::io::Result<()> {
    let mut tried = Vec::new();
    let mut rest = launches.into_iter();
    while let Some(next) = rest.next() {
        if !next.in_terminal {
            let commands = std::iter::once(next.argv)
                .chain(rest.map(|l| l.argv))
                .collect();
            workers.start_program(commands, url, tried, hint);
            return Ok(());
        }
        let Some((program, args)) = next.argv.split_first() else {
            continue;
        };
        if let Err(why) = links::check_for_terminal(&url) {
            workers.notice(why);
            return Ok(());
        }
        let ran = guard.hand_over(|| workers.with_input_paused(|| run(program, args)))?;
        // The program's name, as a person would type it.
        let name = std::path::Path::new(program)
            .file_name()
            .map_or_else(|| program.clone(), |n| n.to_string_lossy().into_owned());
        match ran {
            Ok(status) => {
                if !status.success() {
                    workers.notice(format!("{name} ended with {status}"));
                }
                return Ok(());
            }
            Err(error) => tried.push(format!("{name}: {error}")),
        }
    }
    workers.notice(format!(
        "could not open {url} ({}); {hint}",
        tried.join("; ")
    ));
    Ok(())
}

/// Runs `program` with `args` (an argument vector, never a shell) in the
/// foreground, its input, output and errors the reader's terminal, in the
/// reader's process group so the terminal's Ctrl-C and Ctrl-Z reach it;
/// waits for it to exit.
fn run(program: &str, args: &[String]) -> std::io::Result<ExitStatus> {
    Command::new(program).args(args).spawn()?.wait()
}
