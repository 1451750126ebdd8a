//! The `broadsheet` binary: parse the arguments, hand over to the command
//! line or the reader.

use std::process::ExitCode;

use broadsheet::{cli, tui};

fn main() -> ExitCode {
    let args = cli::Args::from_env();
    match args.command {
        Some(_) => cli::run(args),
        None => tui::run(args),
    }
}
