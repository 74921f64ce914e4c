//! `ospolint test [PLUGIN...]`: run the test cases Lua plugins declare.

use std::io::Write;
use std::path::PathBuf;

use miette::{miette, Report};

use super::Outcome;
use crate::cli::TestArgs;
use crate::config;
use crate::lua::is_definition_file;

pub fn run(args: TestArgs, out: &mut dyn Write) -> Result<Outcome, Report> {
    let mut files = args.plugins;
    files.extend(args.plugin);
    for file in &files {
        if !file.is_file() {
            return Err(miette!(
                code = "ospolint::usage",
                help = "give the path of a Lua plugin file",
                "{}: no such plugin file",
                file.display()
            ));
        }
    }
    // Loading skips definition files; given nothing else, there would be nothing of theirs to test.
    let definition =
        |file: &PathBuf| std::fs::read_to_string(file).is_ok_and(|text| is_definition_file(&text));
    if !files.is_empty() && files.iter().all(definition) {
        let names: Vec<String> = files.iter().map(|f| f.display().to_string()).collect();
        return Err(miette!(
            code = "ospolint::usage",
            help = "give the plugin files; a definition file only describes the API for the editor",
            "no plugins to test: {} {} lua-language-server definition file (`---@meta`), never run",
            names.join(", "),
            if names.len() == 1 {
                "is a"
            } else {
                "are each a"
            }
        ));
    }
    let config_path = match &args.config {
        Some(path) => {
            config::input::expect_file(path, config::input::InputKind::Config)
                .map_err(|err| miette!(code = "ospolint::usage", "{err}"))?;
            Some(path.clone())
        }
        None => config::discover(std::path::Path::new(".")),
    };
    let settings = config::load_with_plugins(config_path.as_deref(), &files)?;
    let Some(set) = settings.plugins.clone() else {
        return Err(miette!(
            code = "ospolint::usage",
            help = "pass plugin files (`ospolint test plugins/my-rule.lua`) or list them in ospolint.toml (`plugins = [\"plugins/*.lua\"]`)",
            "no plugins to test"
        ));
    };
    let passed = crate::lua::test_runner::run(&set, &files, out)?;
    Ok(if passed {
        Outcome::Passed
    } else {
        Outcome::Failed
    })
}
