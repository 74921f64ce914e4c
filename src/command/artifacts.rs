//! `ospolint artifacts`: which file plays each governance role, as the rules see it. Useful when a
//! finding says something is missing that the user believes is there.

use std::io::Write;

use miette::Report;
use serde::Serialize;

use super::{write_result, Outcome};
use crate::artifact::{Artifacts, Candidate};
use crate::cli::{ArtifactsArgs, ListFormat};
use crate::doc::{Document, Lifecycle};
use crate::engine::Target;
use crate::scan::{FileId, Repository};

#[derive(Serialize)]
struct ArtifactList {
    version: u32,
    repositories: Vec<RepoArtifacts>,
}

#[derive(Serialize)]
struct RepoArtifacts {
    path: String,
    roles: Vec<RoleArtifacts>,
    /// Every Markdown, reStructuredText and AsciiDoc document with its lifecycle, in path order.
    documents: Vec<DocumentEntry>,
}

#[derive(Serialize)]
struct DocumentEntry {
    path: String,
    lifecycle: Lifecycle,
    /// The evidence; empty for a live document nothing set apart.
    reason: String,
}

#[derive(Serialize)]
struct RoleArtifacts {
    role: String,
    title: String,
    /// Files playing the role, the one rules read first at the top.
    files: Vec<String>,
    /// Sections and links that stand in for a file (or complement it).
    stand_ins: Vec<StandIn>,
    /// Pointer stubs read through the document they point at.
    #[serde(skip_serializing_if = "Vec::is_empty")]
    via: Vec<Via>,
    pinned: bool,
    /// The primary file's score and evidence.
    #[serde(skip_serializing_if = "Option::is_none")]
    chosen: Option<Scored>,
    /// The best other candidate, whether it plays the role too or not.
    #[serde(skip_serializing_if = "Option::is_none")]
    runner_up: Option<Scored>,
    /// Documents with some evidence that did not play the role, best first (at most three).
    #[serde(skip_serializing_if = "Vec::is_empty")]
    considered: Vec<Scored>,
}

/// A document weighed for a role.
#[derive(Serialize)]
struct Scored {
    path: String,
    score: i32,
    /// Whether it plays the role.
    plays: bool,
    /// The evidence for and against, in words.
    evidence: Vec<String>,
}

/// Near-candidates listed per role.
const CONSIDERED: usize = 3;

#[derive(Serialize)]
struct Via {
    /// The stub, as found by its name.
    stub: String,
    /// The document it points at, which plays the role.
    target: String,
}

#[derive(Serialize)]
struct StandIn {
    path: String,
    line: u32,
    /// `section`, `mention` (a line with a link), `link`, `declared` (a machine-readable file's
    /// field) or `org-default` (the organization's `.github` file, outside the repository).
    kind: &'static str,
    text: String,
}

pub fn run(args: ArtifactsArgs, out: &mut dyn Write) -> Result<Outcome, Report> {
    let targets = super::targets::resolve(&super::targets::TargetSpec {
        paths: &args.paths,
        org: args.org.as_deref(),
        profile: None,
        config: args.config.as_deref(),
        plugins: &[],
        all_documents: false,
    })?;
    let repositories: Vec<RepoArtifacts> = targets.iter().map(list).collect();
    let result = match args.format {
        ListFormat::Json => serde_json::to_writer_pretty(
            &mut *out,
            &ArtifactList {
                version: 1,
                repositories,
            },
        )
        .map_err(std::io::Error::from)
        .and_then(|()| writeln!(out)),
        // The role table reads the same in a terminal and in Markdown.
        ListFormat::Human | ListFormat::Markdown => write_human(&repositories, out),
    };
    write_result(result)?;
    Ok(Outcome::Passed)
}

fn list(target: &Target) -> RepoArtifacts {
    let settings = &target.settings;
    let repo = Repository::open(&target.root, &settings.scan);
    let artifacts = Artifacts::new(&repo, &settings.catalog.artifacts, &settings.pins)
        .with_org_defaults(target.org_defaults());
    let roles = settings
        .catalog
        .artifacts
        .roles()
        .map(|role| {
            let resolved = artifacts.resolve(&role.def.role);
            let mut stand_ins = Vec::new();
            if let Some((file, h)) = resolved.readme_section {
                stand_ins.extend(section(&repo, file, h));
            }
            for &(file, h) in &resolved.sections {
                stand_ins.extend(section(&repo, file, h));
            }
            for &(file, line) in &resolved.mentions {
                if let Some(doc) = repo.document(file) {
                    stand_ins.push(StandIn {
                        path: doc.path.clone(),
                        line,
                        kind: "mention",
                        text: doc.line_text(line).trim().to_string(),
                    });
                }
            }
            if let Some((file, l)) = resolved.readme_link {
                if let Some(doc) = repo.document(file) {
                    let link = &doc.links[l];
                    stand_ins.push(StandIn {
                        path: doc.path.clone(),
                        line: link.line,
                        kind: "link",
                        text: link.target.clone(),
                    });
                }
            }
            for declared in &resolved.declared {
                stand_ins.push(StandIn {
                    path: repo.index().path(declared.file).to_string(),
                    line: declared.line,
                    kind: "declared",
                    text: declared.value.clone(),
                });
            }
            if let Some(path) = &resolved.org_default {
                stand_ins.push(StandIn {
                    path: path.clone(),
                    line: 0,
                    kind: "org-default",
                    text: "from the organization's .github".to_string(),
                });
            }
            let path = |id: FileId| repo.index().path(id).to_string();
            RoleArtifacts {
                via: resolved
                    .via
                    .iter()
                    .map(|&(stub, target)| Via {
                        stub: path(stub),
                        target: path(target),
                    })
                    .collect(),
                role: role.def.role.clone(),
                title: role.def.title.clone(),
                files: resolved
                    .files
                    .iter()
                    .map(|id| repo.index().path(*id).to_string())
                    .collect(),
                stand_ins,
                pinned: resolved.pinned,
                chosen: resolved.chosen().map(|c| scored(&repo, c)),
                runner_up: resolved.runner_up().map(|c| scored(&repo, c)),
                considered: resolved
                    .near_candidates()
                    .filter(|c| Some(c.file) != resolved.runner_up().map(|r| r.file))
                    .take(CONSIDERED)
                    .map(|c| scored(&repo, c))
                    .collect(),
            }
        })
        .collect();
    let index = repo.index();
    let documents = index
        .ids()
        .filter(|&id| index.kind(id).is_markup())
        .map(|id| {
            // Reading the document lets a tool's notice in it count.
            let lifecycle = match repo.document(id) {
                Some(doc) => doc.lifecycle.clone(),
                None => repo.lifecycle(id),
            };
            DocumentEntry {
                path: index.path(id).to_string(),
                lifecycle: lifecycle.lifecycle,
                reason: lifecycle.reason,
            }
        })
        .collect();
    RepoArtifacts {
        path: target.display.clone(),
        roles,
        documents,
    }
}

fn scored(repo: &Repository, candidate: &Candidate) -> Scored {
    Scored {
        path: repo.index().path(candidate.file).to_string(),
        score: candidate.score,
        plays: candidate.accepted,
        evidence: candidate.evidence(),
    }
}

fn section(repo: &Repository, file: FileId, heading: usize) -> Option<StandIn> {
    let doc: std::sync::Arc<Document> = repo.document(file)?;
    let h = doc.headings.get(heading)?;
    Some(StandIn {
        path: doc.path.clone(),
        line: h.line,
        kind: "section",
        text: h.text.clone(),
    })
}

fn write_human(repositories: &[RepoArtifacts], out: &mut dyn Write) -> std::io::Result<()> {
    for repo in repositories {
        writeln!(out, "{}", repo.path)?;
        let width = repo.roles.iter().map(|r| r.role.len()).max().unwrap_or(4);
        for role in &repo.roles {
            let mut places: Vec<String> = role
                .files
                .iter()
                .map(|f| match role.via.iter().find(|v| v.target == *f) {
                    Some(via) => format!("{f} (via {})", via.stub),
                    None => f.clone(),
                })
                .collect();
            places.extend(role.stand_ins.iter().map(|s| match s.kind {
                "org-default" => format!("{} ({})", s.path, s.text),
                _ => format!("{}:{} ({} \"{}\")", s.path, s.line, s.kind, s.text),
            }));
            let shown = if places.is_empty() {
                "-".to_string()
            } else {
                places.join(", ")
            };
            let pinned = if role.pinned { " [pinned]" } else { "" };
            writeln!(out, "  {:<width$}  {shown}{pinned}", role.role)?;
            let indent = " ".repeat(width + 4);
            if let Some(chosen) = &role.chosen {
                writeln!(
                    out,
                    "{indent}chosen ({}): {}",
                    chosen.score,
                    chosen.evidence.join("; ")
                )?;
            }
            for (label, other) in role
                .runner_up
                .iter()
                .map(|r| ("runner-up", r))
                .chain(role.considered.iter().map(|c| ("considered", c)))
            {
                let plays = if other.plays {
                    ", plays the role too"
                } else {
                    ""
                };
                writeln!(
                    out,
                    "{indent}{label} {} ({}{plays}): {}",
                    other.path,
                    other.score,
                    other.evidence.join("; ")
                )?;
            }
        }
        write_documents(&repo.documents, out)?;
        writeln!(out)?;
    }
    Ok(())
}

/// Paths shown for one reason before the rest are counted.
const SHOWN_PER_REASON: usize = 3;

/// The documents' lifecycles: how many are live, then each reason that set documents apart with
/// the documents it covers.
fn write_documents(documents: &[DocumentEntry], out: &mut dyn Write) -> std::io::Result<()> {
    let live = documents.iter().filter(|d| d.lifecycle.is_live()).count();
    let apart: Vec<&DocumentEntry> = documents
        .iter()
        .filter(|d| !d.lifecycle.is_live())
        .collect();
    if apart.is_empty() {
        return writeln!(out, "  documents: {live} live");
    }
    writeln!(
        out,
        "  documents: {live} live, {} left out of per-document rules (--all-documents includes them):",
        apart.len()
    )?;
    let mut groups: Vec<(Lifecycle, &str, Vec<&str>)> = Vec::new();
    for doc in apart {
        match groups
            .iter_mut()
            .find(|(l, reason, _)| *l == doc.lifecycle && *reason == doc.reason)
        {
            Some((_, _, paths)) => paths.push(&doc.path),
            None => groups.push((doc.lifecycle, &doc.reason, vec![&doc.path])),
        }
    }
    groups.sort_by_key(|(lifecycle, _, paths)| (*lifecycle, paths[0]));
    for (lifecycle, reason, paths) in groups {
        let mut shown = paths[..paths.len().min(SHOWN_PER_REASON)].join(", ");
        if paths.len() > SHOWN_PER_REASON {
            shown.push_str(&format!(" (+{} more)", paths.len() - SHOWN_PER_REASON));
        }
        writeln!(out, "    {:<11}  {shown}: {reason}", lifecycle.as_str())?;
    }
    Ok(())
}
