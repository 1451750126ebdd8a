//! The `broadsheet` binary: parse the arguments, load the configuration and
//! hand it to the command line or the reader.

use std::process::ExitCode;

use broadsheet::{cli, config, tui};

fn main() -> ExitCode {
    let args = cli::Args::from_env();
    let mut config = match config::discover(args.config.as_deref()) {
        Ok(config) => config,
        Err(error) => {
            eprintln!("broadsheet: error: {error}");
            return ExitCode::FAILURE;
        }
    };
    if let Some(dir) = &args.articles {
        // Another folder's marks are its own.
        config.library = config.library.with_articles(dir);
    }
    if args.no_cache {
        config.library.cache = None;
    }
    match args.command {
        Some(command) => cli::run(&command, &config),
        None => tui::run(config),
    }
}
