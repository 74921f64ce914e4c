//! Command-line interface definitions (clap). Parsing only; the commands live in `command/`.

use std::path::PathBuf;

use clap::{Args, Parser, Subcommand, ValueEnum};

use crate::config::ProfileChoice;
use crate::report::FailOn;

#[derive(Debug, Parser)]
#[command(
    name = "ospolint",
    version,
    about = "Lint open source governance: community health files, OSPO strategy and policies, mentoring programs.",
    long_about = "ospolint checks the governance documents of one repository, many, or a directory of clones \
                  (contributing guide, code of conduct, security policy, governance, open source strategy, OSPO \
                  charter, mentoring program) against built-in and organization rules, and says where each \
                  repository stands on the OSPO maturity model.",
    after_help = "Examples:\n  ospolint check                 check the repository in the current directory\n  ospolint check --org ./clones  check every repository under ./clones\n  ospolint rules                 list every rule\n  ospolint explain security/policy"
)]
pub struct Cli {
    #[command(subcommand)]
    pub command: Command,

    /// When to use colors in output (NO_COLOR is honoured in `auto`).
    #[arg(long, global = true, value_enum, default_value_t = ColorChoice::Auto)]
    pub color: ColorChoice,

    /// Print only findings and the final summary.
    #[arg(short, long, global = true)]
    pub quiet: bool,
}

#[derive(Debug, Subcommand)]
pub enum Command {
    /// Check repositories against the rules; exit 1 when the gate fails.
    Check(CheckArgs),
    /// List every rule with its id, petal, stage, severity and profiles.
    Rules(RulesArgs),
    /// Explain a rule: why it exists, how to fix a finding, an example.
    Explain(ExplainArgs),
    /// Show which file plays each governance role (contributing guide, security policy, …) in
    /// each repository: what the rules read.
    Artifacts(ArtifactsArgs),
}

#[derive(Debug, Args)]
pub struct ArtifactsArgs {
    /// Repositories to look at (directories). Defaults to the current directory.
    pub paths: Vec<PathBuf>,

    /// Every repository directly under this directory.
    #[arg(long, value_name = "DIR")]
    pub org: Option<PathBuf>,

    /// Output format.
    #[arg(long, value_enum, default_value_t = ListFormat::Human)]
    pub format: ListFormat,

    /// Use this configuration file (for `[artifacts]` pins) instead of the nearest ospolint.toml.
    #[arg(long, value_name = "FILE")]
    pub config: Option<PathBuf>,
}

#[derive(Debug, Args)]
pub struct CheckArgs {
    /// Repositories to check (directories). Defaults to the current directory.
    pub paths: Vec<PathBuf>,

    /// Check every repository directly under this directory (an organization's clones).
    #[arg(long, value_name = "DIR")]
    pub org: Option<PathBuf>,

    /// Output format.
    #[arg(long, value_enum, default_value_t = CheckFormat::Human)]
    pub format: CheckFormat,

    /// Number of repositories checked in parallel (default: one per core).
    #[arg(short, long, value_name = "N")]
    pub jobs: Option<usize>,

    /// Which rules apply: `project` (community health files), `ospo` (also strategy, charter and
    /// policies) or `auto` (ospo when the repository holds OSPO material).
    #[arg(long, value_enum)]
    pub profile: Option<ProfileChoice>,

    /// Use this configuration file instead of the nearest ospolint.toml.
    #[arg(long, value_name = "FILE")]
    pub config: Option<PathBuf>,

    /// Lowest severity that fails the run (exit code 1).
    #[arg(long, value_enum, default_value_t = FailOn::Error)]
    pub fail_on: FailOn,
}

#[derive(Debug, Clone, Copy, PartialEq, Eq, ValueEnum)]
pub enum CheckFormat {
    Human,
    Json,
}

#[derive(Debug, Clone, Copy, PartialEq, Eq, ValueEnum)]
pub enum ListFormat {
    Human,
    Json,
}

#[derive(Debug, Args)]
pub struct RulesArgs {
    /// Output format.
    #[arg(long, value_enum, default_value_t = ListFormat::Human)]
    pub format: ListFormat,

    /// Include the rules of this configuration's packs.
    #[arg(long, value_name = "FILE")]
    pub config: Option<PathBuf>,
}

#[derive(Debug, Args)]
pub struct ExplainArgs {
    /// The rule id, e.g. `security/policy`.
    pub rule: String,

    /// Include the rules of this configuration's packs.
    #[arg(long, value_name = "FILE")]
    pub config: Option<PathBuf>,
}

#[derive(Debug, Clone, Copy, PartialEq, Eq, ValueEnum)]
pub enum ColorChoice {
    Auto,
    Always,
    Never,
}

impl ColorChoice {
    /// Whether to color output going to a stream that is (or is not) a terminal.
    pub fn enabled(self, is_terminal: bool) -> bool {
        match self {
            ColorChoice::Always => true,
            ColorChoice::Never => false,
            ColorChoice::Auto => {
                is_terminal && std::env::var_os("NO_COLOR").is_none_or(|v| v.is_empty())
            }
        }
    }
}
