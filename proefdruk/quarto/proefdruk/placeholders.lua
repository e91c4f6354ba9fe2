-- Under real Quarto: a placeholder in the book's metadata is never published as a fact.
--
-- `_quarto.yml` marks values the author still has to fill in with [square brackets]
-- ("[ORCID iD]"); the build lists them in results/reports/warnings.md. The built-in
-- renderer leaves such an ORCID out of its pages; Quarto would link it
-- ("https://orcid.org/[ORCID iD]") in the title block. Runs at pre-ast
-- (_extension.yml), before Quarto normalises the authors.

if quarto == nil or quarto.proefdruk then return {} end

local function placeholder(value)
  local text = pandoc.utils.stringify(value or "")
  return text:match("^%[.*%]$") ~= nil
end

local function without_placeholder_orcid(author)
  if pandoc.utils.type(author) == "table" and author.orcid ~= nil and placeholder(author.orcid) then
    author.orcid = nil
  end
  return author
end

function Meta(meta)
  local changed = false
  for _, key in ipairs({ "author", "authors" }) do
    local value = meta[key]
    if pandoc.utils.type(value) == "List" then
      for i, author in ipairs(value) do
        if pandoc.utils.type(author) == "table" and author.orcid ~= nil and placeholder(author.orcid) then
          value[i] = without_placeholder_orcid(author)
          changed = true
        end
      end
      meta[key] = value
    elseif pandoc.utils.type(value) == "table" and value.orcid ~= nil and placeholder(value.orcid) then
      meta[key] = without_placeholder_orcid(value)
      changed = true
    end
  end
  if changed then return meta end
  return nil
end

return { { Meta = Meta } }
