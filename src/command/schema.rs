//! `ospolint schema`: the JSON Schema of `ospolint.toml`, generated from the configuration types.
//! `schema/ospolint.schema.json` in the repository is this output; a test fails when they differ.

use std::io::Write;

use miette::Report;

use super::{write_result, Outcome};
use crate::config::ConfigFile;

/// The project's home, used for links printed by `init` and for the schema's address. Cargo's
/// `repository` wins when it is set.
pub const PROJECT_URL: &str = match env!("CARGO_PKG_REPOSITORY").as_bytes() {
    [] => "https://github.com/ospolint/ospolint",
    _ => env!("CARGO_PKG_REPOSITORY"),
};

/// Where editors fetch the schema from: the copy in the repository at this version's tag, so the
/// schema matches the binary that wrote the `#:schema` line.
pub fn schema_url() -> String {
    format!(
        "{PROJECT_URL}/raw/v{}/schema/ospolint.schema.json",
        env!("CARGO_PKG_VERSION")
    )
}

/// The schema as pretty JSON with a final newline.
pub fn config_schema() -> String {
    let mut schema = schemars::schema_for!(ConfigFile);
    schema.insert("$id".to_string(), serde_json::Value::String(schema_url()));
    let mut text = serde_json::to_string_pretty(&schema).unwrap_or_default();
    text.push('\n');
    text
}

pub fn run(out: &mut dyn Write) -> Result<Outcome, Report> {
    write_result(out.write_all(config_schema().as_bytes()))?;
    Ok(Outcome::Passed)
}
