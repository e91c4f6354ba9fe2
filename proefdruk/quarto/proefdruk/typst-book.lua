-- Under real Quarto: the book's structure as calls of the house design
-- (typst-template.typ), the calls the built-in renderer writes itself: a part page for
-- each part, "#show: main-matter" where the numbered chapters start (arabic page numbers
-- from 1), "#show: appendices.with(..)" before the first appendix (chapters lettered A,
-- B, C and opened as "Bijlage"). Quarto 1.9 tells a filter which book item a heading
-- opens through quarto.doc.file_metadata(), as its own Typst book format does. The main
-- matter starts at the first part page if a part comes before the first chapter.

if quarto == nil or quarto.proefdruk or quarto.doc == nil or quarto.doc.file_metadata == nil then
  return {}
end

local ROMAN = { "I", "II", "III", "IV", "V", "VI", "VII", "VIII", "IX", "X" }
-- The word before a part's number in the book's language (proefdruk/locale/{nl,en}.yml),
-- read from the metadata before the headings (Meta runs in the first pass below).
local PART_WORDS = { nl = "Deel", en = "Part" }
local part_word = "Deel"
local parts, in_main, in_appendix = 0, false, false

-- Plain text made safe inside Typst markup brackets.
local function markup(text)
  return (text:gsub("([\\#%[%]*_`$<>@~=/+%-])", "\\%1"))
end

local function raw(code) return pandoc.RawBlock("typst", code) end

local structure = {
  Header = function(el)
    if el.level ~= 1 or not quarto.doc.is_format("typst") then return nil end
    local state = quarto.doc.file_metadata()
    local item = state and state.file and state.file.bookItemType
    if item == nil then return nil end
    if item == "part" then
      parts = parts + 1
      -- the word comes from the language (`language: proefdruk-part:`), else the book's
      local word = (quarto.doc.language or {})["proefdruk-part"] or part_word
      local page = raw('#part-page("' .. word .. ' ' .. (ROMAN[parts] or tostring(parts)) .. '", ['
        .. markup(pandoc.utils.stringify(el.content)) .. '])')
      -- The first part page opens the main matter (arabic 1 on it), as in the built-in PDF.
      if not in_main and not in_appendix then
        in_main = true
        return { raw("#show: main-matter"), page }
      end
      return page
    end
    if item == "appendix" and not in_appendix then
      in_appendix = true
      local language = quarto.doc.language or {}
      local title = language["section-title-appendices"] or "Bijlagen"
      local start = raw('#show: appendices.with([' .. markup(title) .. '])')
      -- Quarto's own "Appendices" divider heading (unnumbered, where the appendices
      -- begin): the part page replaces it.
      if el.classes:includes("unnumbered") then
        return start
      end
      return { start, el }
    end
    if item == "chapter" and not in_main and not in_appendix
        and not el.classes:includes("unnumbered") then
      in_main = true
      return { raw("#show: main-matter"), el }
    end
    return nil
  end,
}

-- The titles of the lists of figures and tables in the book's language: typst-show.typ
-- reads them as `crossref-lof-title` and `crossref-lot-title` (the built-in renderer sets
-- them from its locale); Quarto keeps its words under `language`, not as variables.
local LIST_TITLES = { "crossref-lof-title", "crossref-lot-title" }

local function list_titles(meta)
  if not quarto.doc.is_format("typst") then return nil end
  local lang = pandoc.utils.stringify(meta.lang or ""):lower():match("^(%a+)") or ""
  part_word = PART_WORDS[lang] or part_word
  local language = quarto.doc.language or {}
  local changed = false
  for _, key in ipairs(LIST_TITLES) do
    if meta[key] == nil and language[key] ~= nil then
      meta[key] = pandoc.MetaString(tostring(language[key]))
      changed = true
    end
  end
  if changed then return meta end
  return nil
end

-- Figures at 90 % of the text width, as the built-in renderer sets them: Quarto's Typst
-- writes an image without a width at the full text width, which makes the figures a
-- ninth larger and the book two pages longer. An image given a width keeps it.
local function figure_width(img)
  if not quarto.doc.is_format("typst") or img.attributes.width ~= nil then return nil end
  img.attributes.width = "90%"
  return img
end

return { { Meta = list_titles },
         quarto.utils.combineFilters({ quarto.utils.file_metadata_filter(), structure }),
         { Image = figure_width } }
