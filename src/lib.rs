//! ospolint: a policy-as-code linter for open source governance.
//!
//! Data flow: configuration → scan (one walk per repository) → artifact roles → rules → findings →
//! reports. See `DESIGN.md` in the repository for the architecture.

// `SourceError` carries the offending file's text so miette can point into it; it is returned only
// on the cold path of a bad configuration or rule pack, where its size does not matter.
#![allow(clippy::result_large_err)]

pub mod artifact;
pub mod cli;
pub mod command;
pub mod config;
pub mod diagnostic;
pub mod doc;
pub mod engine;
pub mod finding;
pub mod maturity;
pub mod report;
pub mod rule;
pub mod scan;
