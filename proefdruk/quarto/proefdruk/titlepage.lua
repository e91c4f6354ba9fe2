-- Under real Quarto: the title page of a Dutch dissertation and its back, from `thesis:`
-- in _quarto.yml, as the built-in renderer sets them (proefdruk/thesis_page.py, which
-- documents the keys and the rules; tests/test_thesis_page.py compares the two).
--
-- The formula ("Proefschrift ter verkrijging van de graad van doctor aan de …, op gezag
-- van de rector magnificus …, volgens besluit van het college voor promoties in het
-- openbaar te verdedigen op … om … uur"), "door", the candidate, "geboren te …", and on
-- the back the promotor(s), copromotor(s) and the committee. Only for a book with
-- `thesis: defence:`. PDF: the variables typst-show.typ hands to titlepage.typ
-- (thesis-formula, thesis-by, thesis-author, thesis-born, thesis-roles). HTML: a block
-- at the top of the opening page (index.qmd). DOCX: the same paragraphs under the title,
-- in the styles the built-in renderer uses.
--
-- The words follow the book's `lang` (Dutch or English, as proefdruk/locale/{nl,en}.yml),
-- and a `language:` mapping in _quarto.yml overrides them (the same keys).

if quarto == nil or quarto.proefdruk or quarto.doc == nil then return {} end

local WORDS = {
  nl = {
    ["proefdruk-thesis-formula"] = "Proefschrift ter verkrijging van de graad van doctor aan de $university, op gezag van de rector magnificus $rector, volgens besluit van $board in het openbaar te verdedigen op $date om $time uur",
    ["proefdruk-thesis-board"] = "het college voor promoties",
    ["proefdruk-thesis-by"] = "door",
    ["proefdruk-thesis-born"] = "geboren te $place",
    ["proefdruk-thesis-promotor"] = "Promotor",
    ["proefdruk-thesis-promotors"] = "Promotores",
    ["proefdruk-thesis-copromotor"] = "Copromotor",
    ["proefdruk-thesis-copromotors"] = "Copromotores",
    ["proefdruk-thesis-committee"] = "Promotiecommissie",
  },
  en = {
    ["proefdruk-thesis-formula"] = "Thesis submitted for the degree of Doctor at $university, by authority of the Rector Magnificus $rector, in accordance with the decision of $board, to be defended in public on $date at $time",
    ["proefdruk-thesis-board"] = "the Doctorate Board",
    ["proefdruk-thesis-by"] = "by",
    ["proefdruk-thesis-born"] = "born in $place",
    ["proefdruk-thesis-promotor"] = "Supervisor",
    ["proefdruk-thesis-promotors"] = "Supervisors",
    ["proefdruk-thesis-copromotor"] = "Co-supervisor",
    ["proefdruk-thesis-copromotors"] = "Co-supervisors",
    ["proefdruk-thesis-committee"] = "Doctoral committee",
  },
}

local ROLES = {
  { "promotors", "proefdruk-thesis-promotor", "proefdruk-thesis-promotors" },
  { "copromotors", "proefdruk-thesis-copromotor", "proefdruk-thesis-copromotors" },
  { "committee", "proefdruk-thesis-committee", "proefdruk-thesis-committee" },
}

local THESIS_STYLE, COMMITTEE_STYLE = "Thesis Formula", "Thesis Committee"
local PAGE_BREAK = '<w:p><w:r><w:br w:type="page"/></w:r></w:p>'

local str = pandoc.utils.stringify

local function text(value)
  if value == nil then return nil end
  local s = str(value)
  if s == "" then return nil end
  return s
end

local function word(meta, key)
  local language = meta.language
  if type(language) == "table" and language[key] ~= nil then return str(language[key]) end
  local lang = (text(meta.lang) or "nl"):lower():match("^(%a+)") or "nl"
  return (WORDS[lang] or WORDS.en)[key]
end

-- "$name" replaced from `values` (Python's string.Template.safe_substitute)
local function fill(template, values)
  return (template:gsub("%$(%a+)", function(name) return values[name] or ("$" .. name) end))
end

-- A metadata list as a list; one value (a name written without a list) as a list of one.
local function as_list(value)
  if value == nil then return {} end
  if pandoc.utils.type(value) == "List" then return value end
  return { value }
end

-- A person's line: the name, and the affiliation after a comma.
local function person(p)
  if type(p) == "table" and p.name ~= nil then
    local name = p.name
    if type(name) == "table" and name.literal ~= nil then name = name.literal
    elseif type(name) == "table" and (name.given ~= nil or name.family ~= nil) then
      name = (text(name.given) or "") .. " " .. (text(name.family) or "")
    end
    local aff = p.affiliation or p.affiliations
    if pandoc.utils.type(aff) == "List" then aff = aff[1] end
    if type(aff) == "table" and aff.name ~= nil then aff = aff.name end
    local a = text(aff)
    return str(name):gsub("^%s+", ""):gsub("%s+$", "") .. (a and (", " .. a) or "")
  end
  return str(p)
end

local function authors(meta)
  local list = meta.author or (meta.book and meta.book.author)
  local names = {}
  for _, a in ipairs(as_list(list)) do
    if type(a) == "table" and a.name ~= nil then
      names[#names + 1] = person({ name = a.name })
    else
      names[#names + 1] = str(a)
    end
  end
  return table.concat(names, ", ")
end

-- The page's text, or nil for a book without `thesis: defence:`.
local function page(meta)
  local thesis = meta.thesis
  if type(thesis) ~= "table" or type(thesis.defence) ~= "table" then return nil end
  local defence = thesis.defence
  local citation = type(meta.citation) == "table" and meta.citation or {}
  local formula = fill(word(meta, "proefdruk-thesis-formula"), {
    university = text(thesis.institution) or text(citation.publisher) or "[thesis.institution]",
    rector = text(thesis.rector) or "[thesis.rector]",
    board = text(thesis.board) or word(meta, "proefdruk-thesis-board"),
    date = text(defence.date) or "[thesis.defence.date]",
    time = text(defence.time) or "[thesis.defence.time]",
  })
  local born = fill(word(meta, "proefdruk-thesis-born"),
                    { place = text(thesis.birthplace) or "[thesis.birthplace]" })
  local roles = {}
  for _, role in ipairs(ROLES) do
    local names = {}
    for _, p in ipairs(as_list(thesis[role[1]])) do names[#names + 1] = person(p) end
    if #names > 0 then
      roles[#roles + 1] = { label = word(meta, #names == 1 and role[2] or role[3]),
                            names = names }
    end
  end
  return { formula = formula, by = word(meta, "proefdruk-thesis-by"),
           author = authors(meta), born = born, roles = roles }
end

local function plain(s) return pandoc.Inlines({ pandoc.Str(s) }) end

local function styled(style, s, strong)
  local content = strong and pandoc.Inlines({ pandoc.Strong(plain(s)) }) or plain(s)
  return pandoc.Div({ pandoc.Para(content) }, pandoc.Attr("", {}, { ["custom-style"] = style }))
end

local function docx_blocks(p)
  local out = pandoc.Blocks({
    styled(THESIS_STYLE, p.formula), styled(THESIS_STYLE, p.by),
    styled(THESIS_STYLE, p.author, true), styled(THESIS_STYLE, p.born),
    pandoc.RawBlock("openxml", PAGE_BREAK),
  })
  for _, role in ipairs(p.roles) do
    out:insert(styled(COMMITTEE_STYLE, role.label, true))
    for _, name in ipairs(role.names) do out:insert(styled(COMMITTEE_STYLE, name)) end
  end
  if #p.roles > 0 then out:insert(pandoc.RawBlock("openxml", PAGE_BREAK)) end
  return out
end

local function html_blocks(p)
  local items = {}
  for _, role in ipairs(p.roles) do
    local defs = {}
    for _, name in ipairs(role.names) do defs[#defs + 1] = { pandoc.Plain(plain(name)) } end
    items[#items + 1] = { plain(role.label), defs }
  end
  local blocks = pandoc.Blocks({
    pandoc.Para(plain(p.formula)), pandoc.Para(plain(p.by)),
    pandoc.Para({ pandoc.Strong(plain(p.author)) }), pandoc.Para(plain(p.born)),
  })
  if #items > 0 then blocks:insert(pandoc.DefinitionList(items)) end
  return { pandoc.Div(blocks, pandoc.Attr("", { "thesis-title-page" })) }
end

local function is_opening_page()
  local input = quarto.doc.input_file or ""
  return input:match("index%.qmd$") ~= nil or input:match("index%.md$") ~= nil
end

function Pandoc(doc)
  local p = page(doc.meta)
  if p == nil then return nil end
  if quarto.doc.is_format("typst") then
    doc.meta["thesis-formula"] = pandoc.MetaInlines(plain(p.formula))
    doc.meta["thesis-by"] = pandoc.MetaInlines(plain(p.by))
    doc.meta["thesis-author"] = pandoc.MetaInlines(plain(p.author))
    doc.meta["thesis-born"] = pandoc.MetaInlines(plain(p.born))
    local roles = pandoc.List({})
    for _, role in ipairs(p.roles) do
      local names = pandoc.List({})
      for _, name in ipairs(role.names) do names:insert(pandoc.MetaInlines(plain(name))) end
      roles:insert(pandoc.MetaMap({ label = pandoc.MetaInlines(plain(role.label)),
                                    names = names }))
    end
    doc.meta["thesis-roles"] = roles
    return doc
  end
  if quarto.doc.is_format("docx") then
    local blocks = docx_blocks(p)
    blocks:extend(doc.blocks)
    doc.blocks = blocks
    -- the formula names the author ("door …"): not a second time in the title block
    doc.meta.author = nil
    doc.meta["by-author"] = nil
    return doc
  end
  if quarto.doc.is_format("html") and is_opening_page() then
    local blocks = pandoc.Blocks(html_blocks(p))
    blocks:extend(doc.blocks)
    doc.blocks = blocks
    return doc
  end
  return nil
end

return { { Pandoc = Pandoc } }
