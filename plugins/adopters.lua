-- Example organization plugin: once a project has reached the Community stage, it keeps a list of
-- its adopters, so the organization can show who depends on it.
--
-- ospolint has no maturity assessment a plugin can ask for yet, so the rule takes a written
-- governance model or a maintainers list as the sign that a project is run as a community.

-- Files that hold an adopters list, and README headings that stand in for one.
local ADOPTERS_FILES = { "ADOPTERS*", "USERS.md", "docs/ADOPTERS*", ".github/ADOPTERS*" }
local ADOPTERS_HEADING = ospolint.regex([[^(adopters|users|who uses|used by|in production|production users)\b]], "i")
-- A list item, a table row or a link: one adopter each.
local ENTRY = ospolint.regex([==[^\s*([-*+]\s+\S|\d+[.)]\s+\S|\|[^-|]|\[[^\]]+\]\()]==])

local function community_sign(repo)
  for _, role in ipairs({ "governance", "maintainers" }) do
    local doc = repo:artifact(role)
    if doc then return doc.path end
  end
  return nil
end

-- Entries between two lines: list items, links and table rows (not a table's header row or
-- its |---| separator).
local function count_entries(doc, first, last)
  local count, lines = 0, doc.lines
  for n = first, math.min(last, #lines) do
    local line, next_line = lines[n], lines[n + 1] or ""
    local separator = line:match("^%s*|[%s:|-]+|%s*$")
    local header = line:match("^%s*|") and next_line:match("^%s*|%s*:?%-")
    if ENTRY:is_match(line) and not separator and not header then
      count = count + 1
    end
  end
  return count
end

local function check(repo, options)
  local minimum = options.min_adopters or 1
  local sign = community_sign(repo)
  if not sign then return end

  local lists = {}
  for _, path in ipairs(repo:files(ADOPTERS_FILES)) do
    local doc = repo:doc(path)
    if doc then lists[#lists + 1] = { doc = doc, first = 1, last = #doc.lines, line = nil } end
  end
  local readme = repo:doc("README.md")
  if readme then
    local section = readme:section(ADOPTERS_HEADING)
    if section then
      lists[#lists + 1] = { doc = readme, first = section.line + 1, last = section.end_line, line = section.line }
    end
  end

  if #lists == 0 then
    repo:report {
      message = string.format("the project is run as a community (%s) but keeps no adopters list", sign),
      help = "Add ADOPTERS.md listing the organizations that use the project, one per line, with a link.",
    }
    return
  end
  for _, list in ipairs(lists) do
    local entries = count_entries(list.doc, list.first, list.last)
    if entries >= minimum then return end
  end
  local first = lists[1]
  repo:report {
    path = first.doc.path,
    line = first.line,
    message = string.format("the adopters list names fewer than %d adopter%s", minimum, minimum == 1 and "" or "s"),
  }
end

return {
  {
    id = "acme/adopters-list",
    title = "Community-stage projects keep an adopters list",
    petal = "ecosystem",
    stage = "community",
    severity = "warning",
    profiles = { "project" },
    rationale = [[
Acme promotes its community projects to foundations and customers with the organizations that run
them. A project with open governance is expected to keep that list itself, next to the code.
]],
    fix = "Add ADOPTERS.md (or an \"Adopters\" section in the README) with one entry per adopter.",
    docs = "https://acme.example/ospo/handbook/adopters",
    check = check,
  },

  tests = {
    { name = "no governance yet: nothing asked", fixture = "fixtures/adopters/early-project", expect = {} },
    { name = "adopters file with entries", fixture = "fixtures/adopters/listed", expect = {} },
    { name = "adopters section in the README", fixture = "fixtures/adopters/readme-section", expect = {} },
    {
      name = "governance but no adopters list",
      fixture = "fixtures/adopters/missing",
      expect = { { message = "keeps no adopters list" } },
    },
    {
      name = "an empty adopters section",
      fixture = "fixtures/adopters/empty-section",
      expect = { { path = "README.md", line = 7, message = "fewer than 1 adopter" } },
    },
    {
      name = "a stricter minimum from the options",
      fixture = "fixtures/adopters/listed",
      options = { ["acme/adopters-list"] = { min_adopters = 5 } },
      expect = { { path = "ADOPTERS.md", message = "fewer than 5 adopters" } },
    },
  },
}
