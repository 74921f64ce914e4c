-- Built-in rule written in Lua and embedded in the binary, through the same API as
-- organization plugins (docs/plugins.md).
--
-- mentoring/mentor-roster: a mentoring program names its mentors, each with a way to reach them
-- (a @handle or an e-mail address), at least two of them, and tells mentors what is expected of
-- them (duties, time commitment).

-- Where mentor rosters and mentor guides live.
local ROSTER_FILES = { "**/mentors/README*", "**/MENTORS*", "**/mentors.*" }
local GUIDE_FILES = { "**/mentoring/README*", "**/mentorship/README*", "**/MENTORING*", "**/MENTORSHIP*" }

-- A heading that introduces the list of mentors.
local ROSTER_HEADING = ospolint.regex(
  [[^(our |the |current |active |project |program )?(mentors?|mentor (roster|list|directory|pool)|list of mentors|available mentors|mentors and (admins|organi[sz]ers))$]],
  "i"
)
-- A heading about what mentors commit to.
local EXPECTATIONS_HEADING = ospolint.regex(
  [[expectations?|time commitment|commitment|responsibilit|dut(y|ies)|what (we|you) (expect|need)|role of (a|the) mentor]],
  "i"
)
-- A GitHub-style handle, not the domain part of an e-mail address.
local HANDLE = ospolint.regex([[(?:^|[^\w.@/-])@[A-Za-z0-9](?:[A-Za-z0-9-]{0,38})\b]])
local EMAIL = ospolint.regex([[[\w.+-]+@[\w-]+(?:\.[\w-]+)+|[\w.+-]+\s?\[at\]\s?[\w-]+(?:\s?(?:\.|\[dot\])\s?[\w-]+)+]], "i")

local function add_all(list, seen, paths)
  for _, path in ipairs(paths) do
    if not seen[path] then
      seen[path] = true
      list[#list + 1] = path
    end
  end
end

-- Distinct contacts (handles and e-mail addresses) between two lines of a document.
local function contacts(doc, first, last)
  local seen, count = {}, 0
  for _, pattern in ipairs({ HANDLE, EMAIL }) do
    for _, m in ipairs(doc:matches(pattern)) do
      if m.line >= first and m.line <= last then
        local key = string.lower(m.text:match("[^%s(%[,;|]+.*$") or m.text)
        if not seen[key] then
          seen[key] = true
          count = count + 1
        end
      end
    end
  end
  return count
end

local function check(repo)
  local seen, roster_paths, guide_paths = {}, {}, {}
  for _, glob in ipairs(ROSTER_FILES) do
    add_all(roster_paths, seen, repo:files(glob))
  end
  for _, glob in ipairs(GUIDE_FILES) do
    add_all(guide_paths, seen, repo:files(glob))
  end
  for _, doc in ipairs(repo:artifacts("mentoring")) do
    add_all(guide_paths, seen, { doc.path })
  end
  table.sort(roster_paths)
  table.sort(guide_paths)

  local docs = {}
  for _, path in ipairs(roster_paths) do
    local doc = repo:doc(path)
    if doc and doc.kind ~= "text" then docs[#docs + 1] = { doc = doc, roster_file = true } end
  end
  for _, path in ipairs(guide_paths) do
    local doc = repo:doc(path)
    if doc and doc.kind ~= "text" then docs[#docs + 1] = { doc = doc, roster_file = false } end
  end
  if #docs == 0 then
    return -- no mentoring documents: mentoring/program speaks to that
  end

  -- The roster: "Mentors" sections anywhere, else the whole of a mentors file.
  local best, best_count, has_expectations = nil, -1, false
  for _, entry in ipairs(docs) do
    local doc = entry.doc
    local found_section = false
    for _, section in ipairs(doc.sections) do
      if ROSTER_HEADING:is_match(section.heading) then
        found_section = true
        local n = contacts(doc, section.line, section.end_line)
        if n > best_count then
          best, best_count = { path = doc.path, line = section.line }, n
        end
      end
      if EXPECTATIONS_HEADING:is_match(section.heading) then
        has_expectations = true
      end
    end
    if entry.roster_file and not found_section then
      local n = contacts(doc, 1, #doc.lines)
      if n > best_count then
        best, best_count = { path = doc.path }, n
      end
    end
  end

  local primary = docs[1].doc.path
  if best == nil then
    repo:report {
      path = primary,
      message = "the mentoring documents have no mentor roster (a \"Mentors\" section or a mentors file)",
    }
  elseif best_count < 2 then
    repo:report {
      path = best.path,
      line = best.line,
      message = string.format(
        "the mentor roster names %d mentor%s with a @handle or e-mail address; at least two are needed",
        best_count,
        best_count == 1 and "" or "s"
      ),
    }
  end
  if not has_expectations then
    repo:report {
      path = primary,
      message = "no section tells mentors what is expected of them (expectations, time commitment)",
    }
  end
end

return {
  {
    id = "mentoring/mentor-roster",
    title = "Mentors are listed with a way to reach them, and know what is expected of them",
    petal = "individual-contributors",
    stage = "community",
    severity = "warning",
    profiles = { "project", "ospo" },
    rationale = [[
A mentoring program works when mentees can find their mentors and mentors know what they signed
up for. A roster with at least two reachable mentors (a handle or an e-mail address each) spreads
the load and survives one mentor being away; written expectations (duties, hours per week,
response times) let volunteers commit knowingly and let the program hold them to it.
]],
    fix = [[
Add a "Mentors" section (or mentors/README.md) listing each mentor with a @handle or e-mail
address, at least two of them, and a section on mentor expectations and time commitment.
]],
    example = [[
## Mentors
| Name | Contact |
| Ada Lovelace | @ada |
| Grace Hopper | grace@example.org |

## Expectations and time commitment
Mentors meet their mentee weekly and spend about five hours a week on the program.
]],
    check = check,
  },
}
