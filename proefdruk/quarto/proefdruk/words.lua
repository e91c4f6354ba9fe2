-- The few words the extension prints itself (tooltips of claims, the label of a
-- provenance link), in the book's language.
--
-- The built-in renderer hands every filter the book's resolved words (proefdruk's locale
-- tables with `language:` of _quarto.yml applied) as quarto.doc.language. Under real
-- Quarto a `language:` mapping in _quarto.yml sets them (the same keys, for example
-- `language: {proefdruk-claim: claim}`); without one the Dutch words below are used, as
-- they were before the locale tables existed.

local M = {}

local DUTCH = {
  ["proefdruk-claim"] = "bewering",
  ["proefdruk-claim-synthetic"] = "Berust op synthetische gegevens",
  ["proefdruk-provenance-link"] = "herkomst",
}

function M.word(key, meta)
  local language = quarto ~= nil and quarto.doc ~= nil and quarto.doc.language or nil
  if type(language) == "table" and language[key] ~= nil then
    return pandoc.utils.stringify(language[key])
  end
  local configured = meta and meta.language
  if type(configured) == "table" and configured[key] ~= nil then
    return pandoc.utils.stringify(configured[key])
  end
  return DUTCH[key]
end

return M
