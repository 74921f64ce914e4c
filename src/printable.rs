//! Text from a repository (file names, document lines, messages that quote them) on its way to a
//! terminal or a log viewer. A raw ESC or OSC byte there moves the cursor, rewrites earlier lines,
//! sets the window title or plants a link: a hostile repository could hide its findings or forge
//! a passing run. Every text format escapes control characters through here; JSON and SARIF
//! escape them as their syntax requires.

use std::borrow::Cow;

/// `text` with every control character but newline and tab written as `\u{1b}`: C0 controls,
/// DEL, C1 controls, and the bidirectional overrides and isolates that reorder what is shown.
pub fn escape_controls(text: &str) -> Cow<'_, str> {
    if !text.chars().any(needs_escape) {
        return Cow::Borrowed(text);
    }
    let mut out = String::with_capacity(text.len() + 8);
    for c in text.chars() {
        if needs_escape(c) {
            out.push_str(&format!("\\u{{{:x}}}", c as u32));
        } else {
            out.push(c);
        }
    }
    Cow::Owned(out)
}

fn needs_escape(c: char) -> bool {
    (c.is_control() && c != '\n' && c != '\t')
        || matches!(c, '\u{202a}'..='\u{202e}' | '\u{2066}'..='\u{2069}')
}

/// A line ospolint composed for standard error, where colour codes of its own may stand beside
/// text from a repository that a diagnostic quotes: every control character is escaped but the
/// escape sequences that set colours and styles (`ESC [ … m`), which cannot move the cursor, set
/// a title or plant a link.
pub fn escape_all_but_colour(text: &str) -> Cow<'_, str> {
    if !text.chars().any(needs_escape) {
        return Cow::Borrowed(text);
    }
    let mut out = String::with_capacity(text.len() + 8);
    let mut rest = text;
    while let Some(c) = rest.chars().next() {
        if c == '\u{1b}' {
            let sgr = rest[1..].strip_prefix('[').and_then(|after| {
                let params = after
                    .find(|p: char| !(p.is_ascii_digit() || p == ';'))
                    .unwrap_or(after.len());
                after[params..].starts_with('m').then_some(params + 3)
            });
            if let Some(len) = sgr {
                out.push_str(&rest[..len]);
                rest = &rest[len..];
                continue;
            }
        }
        if needs_escape(c) {
            out.push_str(&format!("\\u{{{:x}}}", c as u32));
        } else {
            out.push(c);
        }
        rest = &rest[c.len_utf8()..];
    }
    Cow::Owned(out)
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn controls_are_escaped_text_and_line_breaks_kept() {
        assert_eq!(escape_controls("plain\ttext\n"), "plain\ttext\n");
        assert_eq!(
            escape_controls("a\u{1b}]0;pwned\u{7}b\u{9b}2J\r\u{202e}"),
            "a\\u{1b}]0;pwned\\u{7}b\\u{9b}2J\\u{d}\\u{202e}"
        );
        assert_eq!(
            escape_all_but_colour("\u{1b}[1;31merror\u{1b}[0m \u{1b}]8;;http://x\u{1b}\\"),
            "\u{1b}[1;31merror\u{1b}[0m \\u{1b}]8;;http://x\\u{1b}\\"
        );
    }
}
