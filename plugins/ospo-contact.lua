-- Example organization plugin: every strategy guide names the OSPO's contact, so a reader with a
-- question knows where to ask.
--
-- Strategy guides are the open source strategy itself and every guide next to it: Markdown
-- files in a `strategy/` or `guides/` folder. Options (in ospolint.toml):
--
--   [plugin_options."acme/strategy-ospo-contact"]
--   contacts = ["ospo@acme.example", "#ospo-help"]

local GUIDE_GLOBS = { "**/strategy/**/*.md", "**/guides/**/*.md" }
-- Without configured contacts, any ospo@ address or #ospo channel will do.
local DEFAULT_CONTACT = ospolint.regex([[\bospo@[\w.-]+\.\w+|#ospo[\w-]*\b|\bopen-?source@[\w.-]+\.\w+]], "i")

local function escape(text)
  return (text:gsub("[%^%$%(%)%%%.%[%]%*%+%-%?%{%}|\\]", "\\%0"))
end

-- A regex matching any of the configured contacts, or the default one.
local function contact_pattern(options)
  local contacts = options.contacts
  if type(contacts) ~= "table" or #contacts == 0 then
    return DEFAULT_CONTACT, "an ospo@ e-mail address or #ospo channel"
  end
  local parts = {}
  for i, contact in ipairs(contacts) do
    parts[i] = escape(contact)
  end
  return ospolint.regex(table.concat(parts, "|"), "i"), table.concat(contacts, " or ")
end

local function check(repo, options)
  local pattern, wanted = contact_pattern(options)
  local guides, seen = {}, {}
  local function add(path)
    if not seen[path] then
      seen[path] = true
      guides[#guides + 1] = path
    end
  end
  for _, doc in ipairs(repo:artifacts("strategy")) do
    add(doc.path)
  end
  for _, path in ipairs(repo:files(GUIDE_GLOBS)) do
    add(path)
  end
  table.sort(guides)
  for _, path in ipairs(guides) do
    local doc = repo:doc(path)
    -- Code blocks and comments do not count: the reader must see the contact.
    if doc and not pattern:is_match(doc.prose) then
      repo:report {
        path = path,
        message = "does not name the OSPO contact (" .. wanted .. ")",
        help = "Add a \"Questions?\" line with " .. wanted .. ", for example at the end of the guide.",
      }
    end
  end
end

return {
  {
    id = "acme/strategy-ospo-contact",
    title = "Every strategy guide names the OSPO contact",
    petal = "ospo",
    stage = "strategy",
    severity = "error",
    profiles = { "ospo" },
    rationale = [[
The strategy and its guides are read by engineers, managers and lawyers who will have questions
the text does not answer. Naming the OSPO's address in each guide sends those questions to the
people who can answer them, instead of leaving them unasked.
]],
    fix = "Name the OSPO contact (e-mail address or chat channel) in every strategy guide.",
    docs = "https://acme.example/ospo/handbook/contact",
    check = check,
  },

  tests = {
    { name = "strategy and guides name the contact", fixture = "fixtures/ospo-contact/complete", expect = {} },
    {
      name = "a guide without the contact",
      fixture = "fixtures/ospo-contact/guide-missing",
      expect = {
        { path = "ospo/guides/legal.md", message = "does not name the OSPO contact" },
      },
    },
    {
      name = "a contact only inside a code block does not count",
      fixture = "fixtures/ospo-contact/in-code-block",
      expect = { { path = "ospo/open-source-strategy.md" } },
    },
    {
      name = "contacts from the options",
      fixture = "fixtures/ospo-contact/complete",
      options = { ["acme/strategy-ospo-contact"] = { contacts = { "opensource@acme.example" } } },
      expect = {
        { path = "ospo/guides/engineering.md", message = "opensource@acme.example" },
        { path = "ospo/open-source-strategy.md", message = "opensource@acme.example" },
      },
    },
  },
}
