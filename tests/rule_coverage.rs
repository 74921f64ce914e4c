//! Every rule has a fixture where it fires and one where it stays quiet: a rule that can't fail or
//! can't pass is a bug.

mod common;

use std::collections::BTreeMap;

use common::*;

#[test]
fn every_rule_fires_somewhere_and_passes_somewhere() {
    let list = ospolint(&["rules", "--format", "json"]);
    let list: serde_json::Value = serde_json::from_slice(&list.stdout).unwrap();
    // Under the ospo profile every rule runs on every fixture.
    let report = check_json(&[
        "--org",
        "fixtures",
        "--profile",
        "ospo",
        "--fail-on",
        "never",
    ]);
    let repos = report["repositories"].as_array().unwrap();
    let mut fired: BTreeMap<String, Vec<String>> = BTreeMap::new();
    for repo in repos {
        let name = repo["name"].as_str().unwrap().to_string();
        for f in repo["findings"].as_array().unwrap() {
            fired
                .entry(f["rule"].as_str().unwrap().to_string())
                .or_default()
                .push(name.clone());
        }
    }
    let mut problems = Vec::new();
    for rule in list["rules"].as_array().unwrap() {
        let id = rule["id"].as_str().unwrap();
        let failing = fired.get(id).map(|v| {
            let mut v = v.clone();
            v.dedup();
            v
        });
        match failing {
            None => problems.push(format!("{id}: no fixture makes it fire")),
            Some(v) if v.len() == repos.len() => {
                problems.push(format!("{id}: fires on every fixture"))
            }
            Some(_) => {}
        }
    }
    assert!(problems.is_empty(), "{}", problems.join("\n"));
}
