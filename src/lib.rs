//! ospolint: a policy-as-code linter for open source governance.
//!
//! Data flow: configuration → scan (one walk per repository) → artifact roles → rules → findings →
//! reports. See `DESIGN.md` in the repository for the architecture.

// `SourceError` carries the file's text so the diagnostic can show it; errors are rare and leave the
// program, so their size costs nothing worth boxing for.
#![allow(clippy::result_large_err)]

pub mod artifact;
pub mod cli;
pub mod command;
pub mod config;
pub mod diagnostic;
pub mod doc;
pub mod engine;
pub mod finding;
pub mod lua;
pub mod maturity;
pub mod output_file;
pub mod pattern;
pub mod printable;
pub mod profile;
pub mod report;
pub mod rule;
pub mod scan;
pub mod site;
pub mod suppress;
