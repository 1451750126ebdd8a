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
        config.use_articles(&dir);
    }
    // Data kept where earlier versions kept it moves into the data folder,
    // said once (before the reader takes the screen, so it shows on quit).
    if let Ok(cwd) = config::working_dir() {
        for settled in config::settle(&config, &cwd) {
            eprintln!("broadsheet: note: {settled}");
        }
    }
    if args.no_cache {
        config.library.cache = None;
    }
    match args.command {
        Some(command) => cli::run(&command, &config),
        None => tui::run(config),
    }
}
