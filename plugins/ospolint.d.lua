---@meta ospolint
-- Type annotations (LuaCATS) of the ospolint plugin API, for lua-language-server.
-- This file is never run: it describes what ospolint gives a plugin. See docs/plugins.md.

---@alias ospolint.Severity "error"|"warning"|"info"
---@alias ospolint.Profile "project"|"ospo"
---@alias ospolint.Petal "individual-contributors"|"management"|"legal"|"business"|"ecosystem"|"ospo"|"any"
---@alias ospolint.Stage "awareness"|"ad-hoc"|"strategy"|"community"|"leader"
---@alias ospolint.Role "license"|"contributing"|"code-of-conduct"|"security"|"governance"|"maintainers"|"codeowners"|"owners"|"contributor-ladder"|"support"|"issue-templates"|"strategy"|"ospo-charter"|"usage-policy"|"outbound-policy"|"release-policy"|"mentoring"

---The ospolint API table, available to every plugin as the global `ospolint`.
---@class ospolint
---@field version string The ospolint version, e.g. "0.1.0".
ospolint = {}

---Compiles a regular expression (Rust `regex` syntax: no look-around, no back-references, linear
---time). Compiled regexes are cached: calling this inside `check` costs one compile per pattern and
---worker thread.
---@param pattern string
---@param flags? "i" `"i"` for case-insensitive matching (same as a leading `(?i)`).
---@return ospolint.Regex
function ospolint.regex(pattern, flags) end

---A compiled regular expression. Positions are 1-based byte positions, as in `string.find`.
---@class ospolint.Regex
local Regex = {}

---Whether the regex matches anywhere in `text`.
---@param text string
---@return boolean
function Regex:is_match(text) end

---The first match at or after `init`: its start and end positions, or nil.
---@param text string
---@param init? integer 1-based start position; negative counts from the end.
---@return integer? start
---@return integer? finish
function Regex:find(text, init) end

---The groups of the first match: `[0]` is the whole match, `[1]`… the numbered groups (absent when
---a group did not take part), and named groups by name. Nil when there is no match.
---@param text string
---@param init? integer
---@return table<integer|string, string>?
function Regex:captures(text, init) end

---Every non-overlapping match, in order.
---@param text string
---@return string[]
function Regex:find_all(text) end

---The repository a rule runs on. Valid only while `check` runs.
---@class ospolint.Repo
---@field name string The repository's folder name.
local Repo = {}

---Paths of the repository's files (relative, `/`-separated, sorted) matching a glob, any glob of
---a list (each path once), or all of them. Globs are case-insensitive; `*` stays within a folder,
---`**` crosses folders. Files ignored by `.gitignore` or excluded in ospolint.toml are not listed.
---@param glob? string|string[] e.g. "docs/**/*.md", "**/ADOPTERS*", { "ADOPTERS*", "docs/ADOPTERS*" }
---@return string[]
function Repo:files(glob) end

---Whether a file or folder exists in the repository.
---@param path string relative to the repository root
---@return boolean
function Repo:exists(path) end

---The text of a file. Paths are relative to the repository root; absolute paths, `..` and
---symlinks leaving the repository are refused. Files over the size limit or binary are refused.
---@param path string
---@return string? text
---@return string? error why the file could not be read
function Repo:read(path) end

---The parsed document of a file: the same object the built-in rules read.
---@param path string
---@return ospolint.Document? doc
---@return string? error
function Repo:doc(path) end

---The primary document playing a governance role (e.g. "contributing" finds
---.github/CONTRIBUTING.md, CONTRIBUTING.md or docs/CONTRIBUTING.md), or nil.
---An unknown role is an error.
---@param role ospolint.Role|string
---@return ospolint.Document?
function Repo:artifact(role) end

---Every document playing a governance role, the primary one first. Given a list of roles, every
---document playing any of them, each once, role by role.
---@param role ospolint.Role|string|(ospolint.Role|string)[]
---@return ospolint.Document[]
function Repo:artifacts(role) end

---A finding to report. Without `path` it is about the repository as a whole.
---@class ospolint.Report
---@field message string What is wrong, in one sentence.
---@field path? string The file, relative to the repository root.
---@field line? integer 1-based line in `path`.
---@field column? integer 1-based column (in characters) on `line`.
---@field help? string How to fix it; defaults to the rule's `fix`.
---@field severity? ospolint.Severity Lowers the rule's severity for this finding (never raises it).

---Reports a finding for the running rule. Findings of a rule that later fails are dropped.
---@param finding ospolint.Report
function Repo:report(finding) end

---A heading of a document.
---@class ospolint.Heading
---@field level integer 1 for `#`, 2 for `##`…
---@field text string The heading as rendered (markup removed).
---@field slug string The GitHub anchor (`#slug`).
---@field line integer

---A section: a heading and the text under it, subsections included.
---@class ospolint.Section
---@field heading string
---@field level integer
---@field slug string
---@field line integer The heading's line.
---@field end_line integer The section's last line.
---@field text string The text under the heading (subsections included, raw markup).

---A link, image or reference definition.
---@class ospolint.Link
---@field kind "link"|"image"|"definition"|"xref"
---@field target string
---@field text string
---@field line integer
---@field external boolean Whether the target is a URL (has a scheme) rather than a path.

---A match of `doc:matches`.
---@class ospolint.Match
---@field text string
---@field line integer
---@field column integer

---A parsed document (Markdown, reStructuredText, AsciiDoc or plain text): a table holding its
---`path`, whose other fields are built on first read and kept for the rest of the rule run.
---@class ospolint.Document
---@field path string Relative to the repository root.
---@field kind "markdown"|"rst"|"asciidoc"|"text"
---@field title? string Front matter `title`, else the first level-1 heading, else the first heading.
---@field text string The whole text (BOM removed).
---@field prose string The text with code, HTML comments and front matter blanked out (same lines).
---@field lines string[] The lines, without line endings.
---@field headings ospolint.Heading[]
---@field sections ospolint.Section[] One per heading, in order.
---@field links ospolint.Link[]
---@field front_matter? table The YAML or TOML front matter, as a table.
---@field lifecycle "live"|"archive"|"minutes"|"changelog"|"generated"|"vendored"|"translation" What the document is in the repository's life (`ospolint artifacts` says why).
local Document = {}

---The first section whose heading matches `pattern` (a string, matched case-insensitively as a
---regex, or an `ospolint.regex`), or nil.
---@param pattern string|ospolint.Regex
---@return ospolint.Section?
function Document:section(pattern) end

---Every match of `pattern` in the document's prose (not in code or comments), with its line and
---column. A string pattern is a case-insensitive regex.
---@param pattern string|ospolint.Regex
---@return ospolint.Match[]
function Document:matches(pattern) end

---Options of a rule, from `[plugin_options."<id>"]` in ospolint.toml (an empty table if none).
---@alias ospolint.Options table<string, any>

---A rule, as a plugin file returns it.
---@class ospolint.Rule
---@field id string `group/name`, lower case; your organization's group (`acme/...`).
---@field title string
---@field petal ospolint.Petal
---@field stage ospolint.Stage
---@field severity ospolint.Severity
---@field profiles ospolint.Profile[]
---@field rationale string Why the rule exists.
---@field fix string How to fix a finding, in words.
---@field example? string
---@field docs? string A link to more documentation.
---@field check fun(repo: ospolint.Repo, options: ospolint.Options) Reports findings; returns nothing.

---An expected finding of a test case. `path` and `line` must match exactly (absent = none).
---@class ospolint.Expected
---@field rule? string Required when the plugin has several rules.
---@field path? string
---@field line? integer
---@field message? string Must be part of the finding's message.

---A policy unit test, run by `ospolint test`.
---@class ospolint.TestCase
---@field name? string
---@field fixture string A folder holding a small repository, relative to the plugin file.
---@field profile? "auto"|"project"|"ospo"
---@field options? table<string, table> Options by rule id, instead of the configuration's.
---@field expect ospolint.Expected[] Every finding the plugin's rules report, no more, no less.

---What a plugin file returns: its rules (a list), and optionally its test cases.
---@class ospolint.Plugin: { [integer]: ospolint.Rule }
---@field tests? ospolint.TestCase[]
