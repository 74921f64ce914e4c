-- Example organization plugin: every governance document has an owner in CODEOWNERS, so a change
-- to a policy is always reviewed by the people responsible for it.

-- The governance roles whose documents need an owner.
local ROLES = {
  "governance", "maintainers", "code-of-conduct", "security", "contributing", "support",
  "contributor-ladder", "strategy", "ospo-charter", "usage-policy", "outbound-policy",
  "release-policy", "mentoring",
}

local function escape(text)
  return (text:gsub("[%^%$%(%)%%%.%[%]%+%-%{%}|\\]", "\\%0"))
end

-- A CODEOWNERS pattern (gitignore syntax, as GitHub reads it) as a regex over repository paths.
local function pattern_regex(pattern)
  local anchored = pattern:sub(1, 1) == "/" or pattern:sub(1, -2):find("/", 1, true) ~= nil
  local directory = pattern:sub(-1) == "/"
  pattern = pattern:gsub("^/", ""):gsub("/$", "")
  local out, i = {}, 1
  while i <= #pattern do
    if pattern:sub(i, i + 2) == "**/" then
      out[#out + 1], i = "(?:.*/)?", i + 3
    elseif pattern:sub(i, i + 1) == "**" then
      out[#out + 1], i = ".*", i + 2
    elseif pattern:sub(i, i) == "*" then
      out[#out + 1], i = "[^/]*", i + 1
    elseif pattern:sub(i, i) == "?" then
      out[#out + 1], i = "[^/]", i + 1
    else
      out[#out + 1], i = escape(pattern:sub(i, i)), i + 1
    end
  end
  local prefix = anchored and "^" or "^(?:.*/)?"
  -- A pattern naming a folder covers everything below it.
  local suffix = directory and "/.*$" or "(?:/.*)?$"
  return ospolint.regex(prefix .. table.concat(out) .. suffix)
end

-- The entries of a CODEOWNERS file, in order: { regex, owners, line }.
local function parse(doc)
  local entries = {}
  for n, line in ipairs(doc.lines) do
    local text = line:gsub("%s+#.*$", ""):match("^%s*(.-)%s*$")
    if text ~= "" and text:sub(1, 1) ~= "#" then
      local pattern, rest = text:match("^(%S+)%s*(.*)$")
      local owners = {}
      for owner in rest:gmatch("%S+") do
        owners[#owners + 1] = owner
      end
      entries[#entries + 1] = { regex = pattern_regex(pattern), owners = owners, line = n }
    end
  end
  return entries
end

-- The owners of a path: the last matching entry wins, as on GitHub.
local function owners_of(entries, path)
  for i = #entries, 1, -1 do
    if entries[i].regex:is_match(path) then return entries[i] end
  end
  return nil
end

local function check(repo)
  local documents = {}
  for _, doc in ipairs(repo:artifacts(ROLES)) do
    documents[#documents + 1] = doc.path
  end
  if #documents == 0 then return end
  table.sort(documents)

  local codeowners = repo:artifact("codeowners")
  if not codeowners then
    repo:report {
      message = string.format("%d governance document%s but no CODEOWNERS file to name their owners",
        #documents, #documents == 1 and "" or "s"),
      help = "Add .github/CODEOWNERS with an entry such as `/GOVERNANCE.md @acme/ospo`.",
    }
    return
  end
  local entries = parse(codeowners)
  for _, path in ipairs(documents) do
    local entry = owners_of(entries, path)
    if entry == nil then
      repo:report { path = path, message = "not covered by any entry in " .. codeowners.path }
    elseif #entry.owners == 0 then
      repo:report {
        path = path,
        message = string.format("left without owners by %s:%d", codeowners.path, entry.line),
      }
    end
  end
end

return {
  {
    id = "acme/governance-codeowners",
    title = "Every governance document has an owner in CODEOWNERS",
    petal = "ospo",
    stage = "strategy",
    severity = "warning",
    profiles = { "project", "ospo" },
    rationale = [[
Governance documents and policies change how people work. With an owner in CODEOWNERS, GitHub asks
the responsible team to review every change, and readers know whom to ask.
]],
    fix = "Add a CODEOWNERS entry covering the document, e.g. `/GOVERNANCE.md @acme/ospo`.",
    docs = "https://docs.github.com/en/repositories/managing-your-repositorys-settings-and-features/customizing-your-repository/about-code-owners",
    check = check,
  },

  tests = {
    { name = "a catch-all entry covers everything", fixture = "fixtures/codeowners/catch-all", expect = {} },
    {
      name = "entries for docs/ and the security policy only",
      fixture = "fixtures/codeowners/partial",
      expect = {
        -- CODEOWNERS lists maintainers, so it is a governance document too.
        { path = ".github/CODEOWNERS", message = "not covered by any entry" },
        { path = "GOVERNANCE.md", message = "not covered by any entry in .github/CODEOWNERS" },
      },
    },
    {
      name = "a later entry without owners",
      fixture = "fixtures/codeowners/unowned",
      expect = { { path = "SECURITY.md", message = "left without owners by CODEOWNERS:3" } },
    },
    {
      name = "no CODEOWNERS file",
      fixture = "fixtures/codeowners/none",
      expect = { { message = "2 governance documents but no CODEOWNERS" } },
    },
  },
}
