//! Command-line interface definitions (clap). Parsing only; the commands live in `command/`.

use std::path::PathBuf;

use clap::{Args, Parser, Subcommand, ValueEnum};

use crate::config::ProfileChoice;
use crate::maturity::Stage;
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
    /// Where each repository stands on the OSPO maturity model, and what to do next.
    Maturity(MaturityArgs),
    /// Show which file plays each governance role (contributing guide, security policy, …) in
    /// each repository: what the rules read.
    Artifacts(ArtifactsArgs),
    /// Run the test cases declared by Lua plugins; exit 1 when a case fails, 2 when a plugin
    /// does not load.
    Test(TestArgs),
    /// Write a commented ospolint.toml for a repository and print pre-commit and CI snippets.
    Init(InitArgs),
    /// Print the JSON Schema of ospolint.toml (editors use it to validate and complete).
    Schema,
}

#[derive(Debug, Args)]
pub struct CheckArgs {
    /// Repositories to check (directories), or files. Given files, ospolint finds each one's
    /// repository (the nearest folder above with .git or ospolint.toml) and runs the
    /// repository-level rules plus the per-document rules on those files only: the pre-commit mode.
    /// Defaults to the current directory.
    pub paths: Vec<PathBuf>,

    /// Check every repository directly under this directory (an organization's clones).
    #[arg(long, value_name = "DIR")]
    pub org: Option<PathBuf>,

    /// Output format on standard output.
    #[arg(long, value_enum, default_value_t = CheckFormat::Human)]
    pub format: CheckFormat,

    /// Also write the report in FORMAT to PATH, e.g. `--output sarif=ospolint.sarif`. Repeatable.
    #[arg(long, value_name = "FORMAT=PATH", value_parser = parse_output)]
    pub output: Vec<OutputSpec>,

    /// Accept the findings recorded in this baseline file: only new findings are reported.
    #[arg(long, value_name = "FILE")]
    pub baseline: Option<PathBuf>,

    /// Record every current finding in this baseline file and exit 0 (adopting ospolint on an
    /// existing repository).
    #[arg(long, value_name = "FILE", conflicts_with = "baseline")]
    pub write_baseline: Option<PathBuf>,

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

    /// Load this Lua plugin in addition to the configuration's (repeatable).
    #[arg(long = "plugin", value_name = "FILE")]
    pub plugins: Vec<PathBuf>,

    /// Print Lua host statistics (states created) to standard error.
    #[arg(long, hide = true)]
    pub lua_stats: bool,

    /// Also fail (exit code 1) when a repository is below this maturity stage
    /// (awareness, ad-hoc, strategy, community, leader).
    #[arg(long, value_name = "STAGE", value_parser = parse_stage)]
    pub min_stage: Option<Stage>,

    /// Also lint archives, meeting minutes, changelogs, translations, vendored and generated
    /// documents, which per-document rules leave out by default (`ospolint artifacts` lists them).
    #[arg(long)]
    pub all_documents: bool,
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
pub struct MaturityArgs {
    /// Repositories to assess (directories). Defaults to the current directory.
    pub paths: Vec<PathBuf>,

    /// Assess every repository directly under this directory and add the organization roll-up.
    #[arg(long, value_name = "DIR")]
    pub org: Option<PathBuf>,

    /// Output format.
    #[arg(long, value_enum, default_value_t = MaturityFormat::Human)]
    pub format: MaturityFormat,

    /// Show which rules decided each stage, and every finding behind the petal lists.
    #[arg(short, long)]
    pub verbose: bool,

    /// Fail (exit code 1) when a repository is below this stage
    /// (awareness, ad-hoc, strategy, community, leader).
    #[arg(long, value_name = "STAGE", value_parser = parse_stage)]
    pub min_stage: Option<Stage>,

    /// Number of repositories checked in parallel (default: one per core).
    #[arg(short, long, value_name = "N")]
    pub jobs: Option<usize>,

    /// Which rules apply: `project`, `ospo` or `auto` (see `check --help`).
    #[arg(long, value_enum)]
    pub profile: Option<ProfileChoice>,

    /// Use this configuration file instead of the nearest ospolint.toml.
    #[arg(long, value_name = "FILE")]
    pub config: Option<PathBuf>,

    /// Load this Lua plugin in addition to the configuration's (repeatable).
    #[arg(long = "plugin", value_name = "FILE")]
    pub plugins: Vec<PathBuf>,

    /// Also lint archives, meeting minutes, changelogs, translations, vendored and generated
    /// documents (see `check --help`).
    #[arg(long)]
    pub all_documents: bool,
}

#[derive(Debug, Clone, Copy, PartialEq, Eq, ValueEnum)]
pub enum MaturityFormat {
    Human,
    Json,
    /// For CI job pages and pull request comments.
    Markdown,
}

/// Stage names with their aliases; an unknown name lists the valid ones.
fn parse_stage(name: &str) -> Result<Stage, String> {
    name.parse::<Stage>().map_err(|err| {
        format!(
            "unknown stage `{}`; valid stages: {}",
            err.given,
            err.valid.join(", ")
        )
    })
}

#[derive(Debug, Args)]
pub struct TestArgs {
    /// Plugin files to test. Defaults to the plugins of the configuration.
    pub plugins: Vec<PathBuf>,

    /// Also test this plugin file (repeatable; same as a positional argument).
    #[arg(long = "plugin", value_name = "FILE")]
    pub plugin: Vec<PathBuf>,

    /// Use this configuration file instead of the nearest ospolint.toml.
    #[arg(long, value_name = "FILE")]
    pub config: Option<PathBuf>,
}

#[derive(Debug, Clone, Copy, PartialEq, Eq, ValueEnum)]
pub enum CheckFormat {
    /// Findings with their source lines, for people.
    Human,
    /// Versioned JSON (docs/json-format.md).
    Json,
    /// SARIF 2.1.0, for GitHub code scanning and other SARIF viewers.
    Sarif,
    /// GitHub Actions workflow commands (annotations), plus a job summary when
    /// GITHUB_STEP_SUMMARY is set.
    Github,
    /// A Markdown summary for a job page or a pull-request comment.
    Markdown,
    /// JUnit XML: a test suite per repository, a test case per rule.
    Junit,
}

/// `--output FORMAT=PATH`.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct OutputSpec {
    pub format: CheckFormat,
    pub path: PathBuf,
}

fn parse_output(value: &str) -> Result<OutputSpec, String> {
    let (format, path) = value.split_once('=').ok_or_else(|| {
        format!("expected FORMAT=PATH, e.g. sarif=ospolint.sarif (got `{value}`)")
    })?;
    let format = CheckFormat::from_str(format, true).map_err(|_| {
        let names: Vec<String> = CheckFormat::value_variants()
            .iter()
            .filter_map(|v| v.to_possible_value().map(|p| p.get_name().to_string()))
            .collect();
        format!("unknown format `{format}`; one of: {}", names.join(", "))
    })?;
    if path.is_empty() {
        return Err("the PATH after `=` is empty".to_string());
    }
    Ok(OutputSpec {
        format,
        path: PathBuf::from(path),
    })
}

#[derive(Debug, Args)]
pub struct InitArgs {
    /// The repository to write ospolint.toml into. Defaults to the current directory.
    pub dir: Option<PathBuf>,

    /// Overwrite an existing ospolint.toml.
    #[arg(long)]
    pub force: bool,
}

#[derive(Debug, Clone, Copy, PartialEq, Eq, ValueEnum)]
pub enum ListFormat {
    Human,
    Json,
    /// The rules reference (docs/rules.md is this output).
    Markdown,
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
