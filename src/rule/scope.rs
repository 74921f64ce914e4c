//! Where the OSPO check kinds look, and what they look at.
//!
//! A *scope* is a list of places built from artifact roles (whole documents, or the README section
//! standing in for them), the documents those link to, and sections whose heading matches a pattern.
//! Inside a scope, *blocks* are the labelled pieces of text a reader would call "the answer to X":
//! headings with their sections, the lead under a document's title, question lines (`Which
//! projects matter?`) and bold lead-ins (`**Key projects:** …`). *Entries* are the rows a roster or
//! a stakeholder map is made of: table rows, list items and paragraphs, with the heading above them.

use std::collections::BTreeSet;
use std::ops::Range;
use std::sync::Arc;

use serde::Deserialize;

use super::RepoContext;
use crate::doc::{Document, LinkKind};
use crate::pattern::Patterns;

/// One place a scope is built from.
#[derive(Debug, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct ScopeSource {
    /// The documents playing this role (or the README section standing in for them).
    pub artifact: Option<String>,
    /// More roles, the same way.
    #[serde(default)]
    pub artifacts: Vec<String>,
    /// The repository's README.
    #[serde(default)]
    pub readme: bool,
    /// Also the repository documents those documents link to (one hop).
    #[serde(default)]
    pub follow_links: bool,
    /// Also the repository documents that link to them with link text matching this: the guides
    /// that point back at "our open source policy".
    pub backlinks: Option<Patterns>,
    /// Also the documents that matching sections link to ("the team is listed in COMMUNITY.md").
    #[serde(default)]
    pub section_links: bool,
    /// Only the sections whose heading (or whose document's front-matter title) matches.
    pub sections: Option<Patterns>,
    /// Words of real content a matching section needs.
    #[serde(default)]
    pub min_words: usize,
}

impl ScopeSource {
    /// Whether the source names its documents; otherwise it is every document in the repository.
    pub fn is_targeted(&self) -> bool {
        self.artifact.is_some() || !self.artifacts.is_empty() || self.readme
    }

    pub fn roles(&self) -> impl Iterator<Item = &str> {
        self.artifact
            .iter()
            .chain(&self.artifacts)
            .map(String::as_str)
    }
}

/// A piece of a document in scope: the whole document or one section.
#[derive(Clone)]
pub struct Unit {
    pub doc: Arc<Document>,
    pub range: Range<usize>,
    /// Where a finding about this unit points: its heading, or `None` for a whole document.
    pub heading: Option<Range<usize>>,
}

impl Unit {
    fn whole(doc: Arc<Document>) -> Unit {
        let range = doc.full();
        Unit {
            doc,
            range,
            heading: None,
        }
    }
}

/// The units of every source, in order, without duplicates.
pub fn resolve(cx: &RepoContext<'_>, sources: &[ScopeSource]) -> Vec<Unit> {
    let mut units: Vec<Unit> = Vec::new();
    let mut seen: BTreeSet<(String, usize, usize)> = BTreeSet::new();
    for source in sources {
        for unit in source_units(cx, source) {
            if seen.insert((unit.doc.path.clone(), unit.range.start, unit.range.end)) {
                units.push(unit);
            }
        }
    }
    units
}

fn source_units(cx: &RepoContext<'_>, source: &ScopeSource) -> Vec<Unit> {
    let mut base: Vec<Unit> = Vec::new();
    if source.is_targeted() {
        for role in source.roles() {
            base.extend(role_units(cx, role));
        }
        if source.readme {
            base.extend(
                cx.artifacts
                    .readme()
                    .and_then(|id| cx.repo.document(id))
                    .map(Unit::whole),
            );
        }
    } else {
        base.extend(cx.all_markup_documents().map(Unit::whole));
    }
    let mut paths: BTreeSet<String> = base.iter().map(|u| u.doc.path.clone()).collect();
    base.retain({
        let mut kept = BTreeSet::new();
        move |u| kept.insert((u.doc.path.clone(), u.range.start, u.range.end))
    });
    let own: BTreeSet<String> = paths.clone();
    // Links are followed from the source's own documents only, not from the pages that link back.
    if source.follow_links {
        let mut linked = Vec::new();
        for unit in &base {
            for doc in linked_documents(cx, &unit.doc, unit.range.clone()) {
                if paths.insert(doc.path.clone()) {
                    linked.push(Unit::whole(doc));
                }
            }
        }
        base.extend(linked);
    }
    if let (Some(text), false) = (&source.backlinks, base.is_empty()) {
        for doc in cx.all_markup_documents() {
            if paths.contains(&doc.path) {
                continue;
            }
            let points_back = doc
                .links
                .iter()
                .filter(|l| text.is_match(&l.text))
                .any(|l| {
                    linked_documents(cx, &doc, l.span.clone())
                        .iter()
                        .any(|d| own.contains(&d.path))
                });
            if points_back {
                paths.insert(doc.path.clone());
                base.push(Unit::whole(doc));
            }
        }
    }
    let Some(pattern) = &source.sections else {
        return base;
    };
    let mut out: Vec<Unit> = Vec::new();
    for unit in base {
        let doc = &unit.doc;
        let title_matches = doc
            .front_matter
            .as_ref()
            .and_then(|fm| fm.get_str("title"))
            .is_some_and(|t| pattern.is_match(t));
        if title_matches && unit.heading.is_none() {
            out.push(unit);
            continue;
        }
        for h in &doc.headings {
            let inside = unit.range.start <= h.span.start && h.span.start < unit.range.end;
            if inside
                && pattern.is_match(&h.text)
                && doc.words_up_to(h.section.clone(), cx.placeholders, source.min_words)
                    >= source.min_words
            {
                out.push(Unit {
                    doc: doc.clone(),
                    range: h.span.start..h.section.end,
                    heading: Some(h.span.clone()),
                });
            }
        }
    }
    if source.section_links {
        let mut linked = Vec::new();
        for unit in &out {
            for doc in linked_documents(cx, &unit.doc, unit.range.clone()) {
                if !out
                    .iter()
                    .chain(&linked)
                    .any(|u: &Unit| u.doc.path == doc.path)
                {
                    linked.push(Unit::whole(doc));
                }
            }
        }
        out.extend(linked);
    }
    out
}

/// The role's documents, or the sections standing in for a missing file (of the README, then of
/// other roles' documents): a rule judging the role reads the section, not its host document.
fn role_units(cx: &RepoContext<'_>, role: &str) -> Vec<Unit> {
    let docs = cx.artifacts.documents(role);
    if !docs.is_empty() {
        return docs.into_iter().map(Unit::whole).collect();
    }
    let resolved = cx.artifacts.resolve(role);
    resolved
        .readme_section
        .iter()
        .chain(&resolved.sections)
        .filter_map(|&(id, i)| {
            let doc = cx.repo.document(id)?;
            let h = doc.headings.get(i)?.clone();
            Some(Unit {
                range: h.span.start..h.section.end,
                heading: Some(h.span),
                doc,
            })
        })
        .collect()
}

/// Repository documents that visible links in `range` point at.
pub fn linked_documents(
    cx: &RepoContext<'_>,
    doc: &Document,
    range: Range<usize>,
) -> Vec<Arc<Document>> {
    let index = cx.repo.index();
    let mut out: Vec<Arc<Document>> = Vec::new();
    for link in &doc.links {
        if link.kind == LinkKind::Image
            || link.is_external()
            || !(range.start <= link.span.start && link.span.start < range.end)
            || doc.hidden_at(link.span.start).is_some()
        {
            continue;
        }
        let Some(path) = crate::doc::resolve_link_path(&doc.path, &link.target) else {
            continue;
        };
        if path.is_empty() || path == doc.path {
            continue;
        }
        let mut bases = vec![path.clone()];
        if link.target.trim_start().starts_with('/') {
            bases.extend(
                cx.settings
                    .site_roots
                    .iter()
                    .map(|root| format!("{}/{path}", root.trim_end_matches('/'))),
            );
        }
        let found = bases.iter().find_map(|base| {
            [
                String::new(),
                ".md".into(),
                "/README.md".into(),
                "/index.md".into(),
                "/_index.md".into(),
            ]
            .iter()
            .find_map(|suffix| index.find(&format!("{}{suffix}", base.trim_end_matches('/'))))
        });
        let Some(id) = found else { continue };
        if !index.kind(id).is_markup() {
            continue;
        }
        if let Some(target) = cx.repo.document(id) {
            if !out.iter().any(|d| d.path == target.path) {
                out.push(target);
            }
        }
    }
    // A whole document also leads to the repository's own pages it names by absolute URL (its
    // GitHub files, its published site).
    if range == doc.full() {
        if let Some(id) = index.find(&doc.path) {
            for path in cx.artifacts.own_links(id).iter() {
                if *path == doc.path || out.iter().any(|d| d.path == *path) {
                    continue;
                }
                if let Some(target) = index
                    .find(path)
                    .filter(|t| index.kind(*t).is_markup())
                    .and_then(|t| cx.repo.document(t))
                {
                    out.push(target);
                }
            }
        }
    }
    out
}

/// A labelled piece of text: a heading, the lead under the title, a question or a bold lead-in.
#[derive(Debug, Clone)]
pub struct Block {
    pub label: String,
    pub label_start: usize,
    pub body: Range<usize>,
    /// The text between a document's title and its first section.
    pub lead: bool,
}

/// The blocks that start inside `range`, in document order.
pub fn blocks(doc: &Document, range: Range<usize>) -> Vec<Block> {
    let mut out = Vec::new();
    let inside = |at: usize| range.start <= at && at < range.end.max(range.start + 1);
    let first_section = doc
        .headings
        .iter()
        .find(|h| h.level > 1)
        .map_or(doc.text.len(), |h| h.span.start);
    let lead_start = doc
        .headings
        .iter()
        .find(|h| h.level == 1 && h.span.start < first_section)
        .map(|h| h.span.end)
        .or_else(|| doc.front_matter.as_ref().map(|fm| fm.span.end))
        .unwrap_or(0);
    if let Some(title) = doc.title() {
        if inside(lead_start) && lead_start < first_section {
            out.push(Block {
                label: title.to_string(),
                label_start: lead_start,
                body: lead_start..first_section,
                lead: true,
            });
        }
    }
    for h in &doc.headings {
        if inside(h.span.start) {
            out.push(Block {
                label: h.text.clone(),
                label_start: h.span.start,
                body: h.section.clone(),
                lead: false,
            });
        }
    }
    out.extend(line_blocks(doc, range));
    out.sort_by_key(|b| b.label_start);
    out
}

/// A line stripped of its list marker, quote marker and indentation.
fn strip_markers(line: &str) -> &str {
    let mut s = line.trim_start();
    loop {
        let before = s;
        s = s.strip_prefix('>').map_or(s, str::trim_start);
        for marker in ["- ", "* ", "+ "] {
            s = s.strip_prefix(marker).map_or(s, str::trim_start);
        }
        let digits = s.len() - s.trim_start_matches(|c: char| c.is_ascii_digit()).len();
        if digits > 0 && digits < 4 {
            let rest = &s[digits..];
            if let Some(r) = rest.strip_prefix(". ").or_else(|| rest.strip_prefix(") ")) {
                s = r.trim_start();
            }
        }
        s = s
            .strip_prefix("[ ] ")
            .or_else(|| s.strip_prefix("[x] "))
            .unwrap_or(s);
        if s == before {
            return s;
        }
    }
}

/// Question lines and bold lead-ins, found line by line outside code, comments and front matter.
fn line_blocks(doc: &Document, range: Range<usize>) -> Vec<Block> {
    // (label, label start, body start, paragraph end, is question)
    let mut found: Vec<(String, usize, usize, usize, bool)> = Vec::new();
    let mut boundaries: Vec<usize> = doc.headings.iter().map(|h| h.span.start).collect();
    let first = doc.line_of(range.start);
    let last = doc.line_of(range.end.saturating_sub(1).max(range.start));
    for line_no in first..=last {
        let span = doc.line_range(line_no);
        if span.start < range.start || doc.hidden_at(span.start).is_some() {
            continue;
        }
        let line = &doc.text[span.clone()];
        let stripped = strip_markers(line);
        if stripped.is_empty() || stripped.starts_with('#') || stripped.starts_with('|') {
            continue;
        }
        let offset = span.start + (line.len() - stripped.len());
        let tail = stripped.trim_end_matches(['*', '_', ' ', '\t']);
        if is_pseudo_heading(doc, line_no, line, stripped) {
            found.push((
                stripped.trim_end().to_string(),
                offset,
                span.end,
                doc.text.len(),
                true,
            ));
            boundaries.push(offset);
        } else if let Some(inner) = bold_lead(stripped) {
            let label = inner.trim().trim_end_matches(':').trim().to_string();
            let body_start = offset + inner.len() + 4;
            let label_is_question = label.ends_with('?');
            found.push((
                label,
                offset,
                body_start.min(span.end),
                paragraph_end(doc, line_no),
                label_is_question,
            ));
            boundaries.push(offset);
        } else if tail.ends_with('?') {
            found.push((tail.to_string(), offset, span.end, doc.text.len(), true));
            boundaries.push(offset);
        }
    }
    boundaries.sort_unstable();
    found
        .into_iter()
        .map(|(label, start, body_start, para_end, question)| {
            let next = boundaries
                .iter()
                .copied()
                .find(|&b| b > start)
                .unwrap_or(doc.text.len());
            let end = if question { next } else { next.min(para_end) };
            Block {
                label,
                label_start: start,
                body: body_start..end.max(body_start),
                lead: false,
            }
        })
        .collect()
}

/// A short line standing alone as a title above text that follows it directly ("Open Source
/// Guild"), as documents converted from word processors have them.
fn is_pseudo_heading(doc: &Document, line_no: u32, line: &str, stripped: &str) -> bool {
    let text = stripped.trim_end();
    let words = text.split_whitespace().count();
    let after_blank = line_no == 1 || doc.line_text(line_no - 1).trim().is_empty();
    let followed =
        (line_no as usize) < doc.line_count() && !doc.line_text(line_no + 1).trim().is_empty();
    stripped.len() == line.trim_start().len()
        && (1..=6).contains(&words)
        && text.chars().next().is_some_and(char::is_uppercase)
        && !text.ends_with(['.', ',', ':', ';', '!', '?', ')', '*', '_', '`', '>', ']'])
        && !text.contains("](")
        && after_blank
        && followed
}

/// The text of a leading `**bold**` or `__bold__` span.
fn bold_lead(s: &str) -> Option<&str> {
    let marker = if s.starts_with("**") {
        "**"
    } else if s.starts_with("__") {
        "__"
    } else {
        return None;
    };
    let rest = &s[2..];
    let end = rest.find(marker)?;
    let inner = &rest[..end];
    (!inner.trim().is_empty()).then_some(inner)
}

/// Byte offset where the paragraph holding `line_no` ends (a blank line or the end of the text).
fn paragraph_end(doc: &Document, line_no: u32) -> usize {
    let count = doc.line_count() as u32;
    for next in line_no + 1..=count {
        if doc.line_text(next).trim().is_empty() {
            return doc.line_range(next).start;
        }
    }
    doc.text.len()
}

/// A row of a roster or map: a table row, a list item or a paragraph, with the nearest heading above.
#[derive(Debug, Clone)]
pub struct Entry {
    pub range: Range<usize>,
    pub context: Option<String>,
}

/// The entries that start inside `range`.
pub fn entries(doc: &Document, range: Range<usize>) -> Vec<Entry> {
    let mut out: Vec<Entry> = Vec::new();
    let first = doc.line_of(range.start);
    let last = doc.line_of(range.end.saturating_sub(1).max(range.start));
    let heading_at = |line: u32| doc.headings.iter().rev().find(|h| h.line <= line);
    // The entry being built: start offset, end offset, whether it is a list item.
    let mut open: Option<(usize, usize, bool)> = None;
    let flush = |open: &mut Option<(usize, usize, bool)>, out: &mut Vec<Entry>| {
        if let Some((start, end, _)) = open.take() {
            let line = doc.line_of(start);
            out.push(Entry {
                range: start..end,
                context: heading_at(line).map(|h| h.text.clone()),
            });
        }
    };
    for line_no in first..=last {
        let span = doc.line_range(line_no);
        let line = &doc.text[span.clone()];
        let trimmed = line.trim();
        let is_heading = doc.headings.iter().any(|h| h.line == line_no);
        if trimmed.is_empty() || is_heading || doc.hidden_at(span.start).is_some() {
            flush(&mut open, &mut out);
            continue;
        }
        if trimmed.starts_with('|') {
            flush(&mut open, &mut out);
            let separator = trimmed.chars().all(|c| matches!(c, '|' | '-' | ':' | ' '));
            if !separator {
                open = Some((span.start, span.end, false));
                flush(&mut open, &mut out);
            }
            continue;
        }
        let is_item =
            strip_markers(line).len() < line.trim_start().len() && !trimmed.starts_with('>');
        match &mut open {
            Some((_, end, _)) if !is_item => *end = span.end,
            _ => {
                flush(&mut open, &mut out);
                open = Some((span.start, span.end, is_item));
            }
        }
    }
    flush(&mut open, &mut out);
    out
}

#[cfg(test)]
mod tests {
    use super::*;

    fn doc(text: &str) -> Document {
        Document::parse("x.md", text.to_string())
    }

    #[test]
    fn blocks_find_headings_questions_and_bold_lead_ins() {
        let d = doc("# Title\n\nLead text here.\n\n## Goals\n\nGrow.\n\n- Which projects matter to us?\n  Kubernetes and Envoy.\n- **Champions:** we run a guild.\n\nOpen Source Guild\nEngineers meet monthly.\n\n```\n**not a label** in code\n```\n");
        let labels: Vec<String> = blocks(&d, d.full()).into_iter().map(|b| b.label).collect();
        // The title is a block twice: as the heading of the whole document and as the lead under it.
        assert_eq!(
            labels,
            [
                "Title",
                "Title",
                "Goals",
                "Which projects matter to us?",
                "Champions",
                "Open Source Guild"
            ]
        );
        let q = blocks(&d, d.full())
            .into_iter()
            .find(|b| b.label.starts_with("Which"))
            .unwrap();
        assert!(d.text[q.body].contains("Kubernetes"));
    }

    #[test]
    fn entries_are_rows_items_and_paragraphs_with_their_heading() {
        let d = doc("## Legal\n\nJane Doe handles licensing.\n\n| Role | Name |\n|---|---|\n| Security | Bob Roe |\n\n- Community: Ann Poe\n  (devrel)\n");
        let e = entries(&d, d.full());
        let texts: Vec<&str> = e.iter().map(|e| d.text[e.range.clone()].trim()).collect();
        assert_eq!(
            texts,
            [
                "Jane Doe handles licensing.",
                "| Role | Name |",
                "| Security | Bob Roe |",
                "- Community: Ann Poe\n  (devrel)"
            ]
        );
        assert!(e.iter().all(|e| e.context.as_deref() == Some("Legal")));
    }
}
