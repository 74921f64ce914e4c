//! ospolint: a policy-as-code linter for open source governance.
//!
//! Data flow: configuration → scan (one walk per repository) → artifact roles → rules → findings →
//! reports. See `DESIGN.md` in the repository for the architecture.

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
pub mod report;
pub mod rule;
pub mod scan;
pub mod suppress;
