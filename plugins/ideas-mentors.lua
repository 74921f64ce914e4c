-- Example organization plugin: every idea on a mentoring ideas list names at least two mentors,
-- so a project survives one mentor being busy or leaving mid-term.
--
-- Options: [plugin_options."acme/ideas-two-mentors"] min_mentors = 2

local IDEAS_FILES = { "**/project_ideas*.md", "**/project-ideas*.md", "**/ideas*.md", "**/IDEAS*.md" }
-- "Mentors: ...", "**Mentor(s)**: ...", "| Mentors | ... |"
local MENTOR_FIELD = ospolint.regex([[^\W*(possible |potential )?mentors?(\s*\(s\))?\W*[:|]\s*(?P<names>.*)$]], "i")
local LIST_ITEM = ospolint.regex([[^\s*[-*+]\s+(?P<item>\S.*)$]])
local PLACEHOLDER = ospolint.regex([[^(tbd|tba|todo|none|n/?a|\?+|-+)$]], "i")

-- Names in "Ada Lovelace (@ada), Grace Hopper and @linus": split on commas, "and", "&", ";", "/".
local function names_in(text)
  local names = {}
  text = text:gsub("|%s*$", ""):gsub("%*%*", "")
  for part in (text .. ","):gmatch("(.-)[,;/&]") do
    for name in (part .. " and "):gmatch("(.-)%s+and%s+") do
      name = name:match("^%s*(.-)%s*$")
      if name ~= "" and not PLACEHOLDER:is_match(name) then
        names[#names + 1] = name
      end
    end
  end
  return names
end

-- The mentors an idea names: on its "Mentors:" line, or in the list right below that line.
local function mentors_of(lines, first, last)
  for n = first, last do
    local field = MENTOR_FIELD:captures(lines[n])
    if field then
      local names = names_in(field.names or "")
      if #names == 0 then
        for m = n + 1, last do
          local item = LIST_ITEM:captures(lines[m])
          if not item then break end
          names[#names + 1] = item.item
        end
      end
      return names
    end
  end
  return {}
end

-- Ideas are the headings at the shallowest level (below the title) whose sections mention
-- mentors: `## Idea` under `# Ideas 2025`, or `### Idea` under `## Ideas`.
local function ideas_in(doc)
  local level
  for _, section in ipairs(doc.sections) do
    if section.level > 1 and section.text:lower():find("mentor", 1, true) then
      level = math.min(level or section.level, section.level)
    end
  end
  local ideas = {}
  for _, section in ipairs(doc.sections) do
    if section.level == level then ideas[#ideas + 1] = section end
  end
  return ideas
end

local function check(repo, options)
  local minimum = options.min_mentors or 2
  for _, path in ipairs(repo:files(IDEAS_FILES)) do
    local doc = repo:doc(path)
    if doc then
      local lines = doc.lines
      for _, idea in ipairs(ideas_in(doc)) do
        local mentors = mentors_of(lines, idea.line + 1, idea.end_line)
        if #mentors < minimum then
          repo:report {
            path = path,
            line = idea.line,
            message = string.format("idea \"%s\" names %d mentor%s; at least %d are needed",
              idea.heading, #mentors, #mentors == 1 and "" or "s", minimum),
          }
        end
      end
    end
  end
end

return {
  {
    id = "acme/ideas-two-mentors",
    title = "Every mentoring idea names at least two mentors",
    petal = "individual-contributors",
    stage = "community",
    severity = "warning",
    profiles = { "project", "ospo" },
    rationale = [[
A mentee who loses their only mentor mid-term loses the term. Programs such as Google Summer of
Code recommend two mentors per project; Acme requires it for every idea it publishes.
]],
    fix = "Add a second mentor to the idea's \"Mentors:\" line, or withdraw the idea.",
    check = check,
  },

  tests = {
    { name = "every idea has two mentors", fixture = "fixtures/ideas-mentors/complete", expect = {} },
    {
      name = "one idea with a single mentor, one with a placeholder",
      fixture = "fixtures/ideas-mentors/short",
      expect = {
        { path = "mentoring/2025/project_ideas.md", line = 10, message = "names 1 mentor;" },
        { path = "mentoring/2025/project_ideas.md", line = 16, message = "names 0 mentors" },
      },
    },
    {
      name = "one mentor is enough when the options say so",
      fixture = "fixtures/ideas-mentors/short",
      options = { ["acme/ideas-two-mentors"] = { min_mentors = 1 } },
      expect = { { path = "mentoring/2025/project_ideas.md", line = 16 } },
    },
    { name = "no ideas list", fixture = "fixtures/adopters/early-project", expect = {} },
  },
}
