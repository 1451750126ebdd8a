//! The `broadsheet` binary: parse the arguments, load the configuration and
//! hand it to the command line or the reader.

use std::process::ExitCode;

use broadsheet::{cli, config, tui};

fn main() -> ExitCode {
    let args = cli::Args::from_env();
    // `config init`, `completions` and `man` work whatever the configuration.
    if let Some(command) = &args.command
        && let Some(code) = cli::run_standalone(command)
    {
        return code;
    }
    let mut config = match config::discover(args.config.as_deref()) {
        Ok(config) => config,
        Err(error) => {
            eprintln!("broadsheet: error: {error}");
            return ExitCode::FAILURE;
        }
    };
    if let Some(dir) = &args.articles {
        // Absolute, so that messages name the folder in full; another
        // folder's marks are its own.
        let dir = std::path::absolute(dir).unwrap_or_else(|_| dir.clone());
        config.library = config.library.with_articles(&dir);
    }
    if args.no_cache {
        config.library.cache = None;
    }
    match args.command {
        Some(command) => cli::run(&command, &config),
        None => tui::run(config),
    }
}
