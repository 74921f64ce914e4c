//! Anchors a document defines other than by its headings: HTML `id` and `name` attributes,
//! `{#id}` attributes, and cross-reference labels of MyST and reStructuredText.

use std::sync::LazyLock;

use regex::Regex;

use super::{Anchors, Document};

/// An HTML start tag.
static TAG: LazyLock<Regex> =
    LazyLock::new(|| Regex::new(r"<[A-Za-z][A-Za-z0-9-]*\s[^<>]*>").expect("valid regex"));
/// `id` or `name` with a double-quoted, single-quoted or unquoted value, as HTML allows.
static ID_ATTRIBUTE: LazyLock<Regex> = LazyLock::new(|| {
    Regex::new(r#"(?i)(?:^|\s)(?:id|name)\s*=\s*(?:"([^"]*)"|'([^']*)'|([^\s"'=<>`]+))"#)
        .expect("valid regex")
});
/// kramdown's `{#id}` and `{: #id .class}`, Pandoc's and Hugo's `{#id}` heading attributes.
static BRACE_ID: LazyLock<Regex> =
    LazyLock::new(|| Regex::new(r"\{:?\s*#([^\s}#]+)[^}]*\}").expect("valid regex"));
/// MyST `(label)=` targets, reStructuredText `.. _label:` targets, and the `:name:` or `:label:`
/// option of a directive.
static LABEL: LazyLock<Regex> = LazyLock::new(|| {
    Regex::new(
        r"(?m)^[ \t]*(?:\(([^()\s]+)\)=[ \t]*$|\.\.[ \t]+_([^:`\n]+):|:(?:name|label):[ \t]+(\S+))",
    )
    .expect("valid regex")
});

pub(super) fn find(doc: &Document) -> Anchors {
    let mut anchors = Anchors::default();
    let text = doc.text.as_str();
    if memchr::memchr(b'<', text.as_bytes()).is_some() {
        for tag in TAG.find_iter(text) {
            for c in ID_ATTRIBUTE.captures_iter(tag.as_str()) {
                if let Some(value) = c.get(1).or_else(|| c.get(2)).or_else(|| c.get(3)) {
                    anchors.ids.insert(value.as_str().to_lowercase());
                }
            }
        }
    }
    if memchr::memmem::find(text.as_bytes(), b"{").is_some() {
        for c in BRACE_ID.captures_iter(text) {
            anchors.attributes.insert(c[1].to_lowercase());
        }
    }
    for c in LABEL.captures_iter(text) {
        if let Some(label) = c.get(1).or_else(|| c.get(2)).or_else(|| c.get(3)) {
            anchors.labels.push(label.as_str().trim().to_string());
        }
    }
    anchors
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn ids_names_braces_and_labels() {
        let doc = Document::parse(
            "a.md",
            "<a name=\"First\"></a>\n<div class=x id='second'>\n<span id=third>\n\n## Title {#fourth}\n\n(fifth)=\n# Fifth\n\n.. _sixth:\n\n:name: seventh\n"
                .to_string(),
        );
        let anchors = doc.anchors();
        for id in ["first", "second", "third"] {
            assert!(anchors.ids.contains(id), "{id} in {:?}", anchors.ids);
        }
        assert!(anchors.attributes.contains("fourth"));
        assert_eq!(anchors.labels, ["fifth", "sixth", "seventh"]);
        assert!(!anchors.ids.contains("x"));
    }
}
