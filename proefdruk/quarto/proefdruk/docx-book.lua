-- Under real Quarto: the DOCX's book structure as the built-in renderer writes it.
--
-- Quarto numbers a chapter heading of a single-file book "1. Inleiding" and an appendix
-- "Appendix A — Vragenlijst" (its crossref filter, in English whatever the language), and
-- drops the part dividers from a DOCX. The built-in renderer writes "1 Inleiding",
-- "Bijlage A: Vragenlijst" (the word from `language: crossref-apx-prefix`) and a part
-- page "Deel I · Inleiding en opzet" (paragraph style "Part", after a page break).
-- Runs at post-quarto (_extension.yml), after Quarto numbered the headings and before
-- its final pass removes the part dividers.

if quarto == nil or quarto.proefdruk or quarto.doc == nil then return {} end

local ROMAN = { "I", "II", "III", "IV", "V", "VI", "VII", "VIII", "IX", "X" }
local PAGE_BREAK = '<w:p><w:r><w:br w:type="page"/></w:r></w:p>'

-- The book item a raw "quarto-file-metadata" comment announces, or nil.
local function book_item(block)
  if block.t ~= "RawBlock" or block.format ~= "html" then return nil end
  local encoded = block.text:match("^<!%-%- quarto%-file%-metadata: ([^ ]+) %-%->$")
  if encoded == nil then return nil end
  local ok, data = pcall(function() return quarto.json.decode(quarto.base64.decode(encoded)) end)
  if ok and type(data) == "table" then return data end
  return nil
end

local function word(key, default)
  return (quarto.doc.language or {})[key] or default
end

-- The word before a part's number: `language: proefdruk-part:`, else the book language's
-- (proefdruk/locale/{nl,en}.yml), as the built-in renderer prints it.
local PART_WORDS = { nl = "Deel", en = "Part" }
local part_word = "Deel"

local parts = 0
local in_appendix = false

-- A part divider as the built-in renderer's part page; the appendices' divider stays
-- Quarto's (removed from the DOCX, as the built-in renderer shows none).
local function part_divider(div)
  local item, title = nil, nil
  for _, block in ipairs(div.content) do
    item = book_item(block) or item
    if block.t == "Header" and title == nil then title = block end
  end
  if item == nil or title == nil then return nil end
  if item.bookItemType == "appendix" then
    in_appendix = true
    return nil
  end
  if item.bookItemType ~= "part" then return nil end
  parts = parts + 1
  local label = part_word .. " " .. (ROMAN[parts] or tostring(parts))
    .. " · " .. pandoc.utils.stringify(title.content)
  return {
    pandoc.RawBlock("openxml", PAGE_BREAK),
    pandoc.Div({ pandoc.Para(pandoc.Inlines(label)) }, pandoc.Attr("", {}, { ["custom-style"] = "Part" })),
  }
end

-- "1. Inleiding" -> "1 Inleiding"; "Appendix A — Vragenlijst" -> "Bijlage A: Vragenlijst".
local function chapter_heading(el)
  if el.level ~= 1 or el.classes:includes("unnumbered") then return nil end
  local number = el.attributes["number"]
  if number == nil or number == "" then return nil end
  local content = el.content
  if in_appendix then
    for i, inline in ipairs(content) do
      if inline.t == "Str" and inline.text:match("—$") then
        local rest = pandoc.Inlines({})
        local start = i + 1
        if content[start] and content[start].t == "Space" then start = start + 1 end
        for j = start, #content do rest:insert(content[j]) end
        local out = pandoc.Inlines(word("crossref-apx-prefix", "Bijlage") .. " " .. number .. ":")
        out:insert(pandoc.Space())
        out:extend(rest)
        el.content = out
        return el
      end
    end
    return nil
  end
  if #content >= 2 and content[1].t == "Str" and content[1].text == number
      and content[2].t == "Str" and content[2].text == ". " then
    content[2] = pandoc.Space()
    el.content = content
    return el
  end
  return nil
end

function Pandoc(doc)
  if not quarto.doc.is_format("docx") then return nil end
  local lang = pandoc.utils.stringify(doc.meta.lang or ""):lower():match("^(%a+)") or ""
  part_word = word("proefdruk-part", PART_WORDS[lang] or "Deel")
  doc.blocks = doc.blocks:walk({
    traverse = "topdown",
    Div = function(div)
      if not div.classes:includes("quarto-book-part") then return nil end
      local replacement = part_divider(div)
      if replacement == nil then return nil end
      return replacement, false
    end,
    Header = chapter_heading,
  })
  return doc
end

return { { Pandoc = Pandoc } }
