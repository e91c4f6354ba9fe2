-- Where a link to an entry of the provenance appendix points, for num.lua and prov.lua.
--
-- The appendix is an ordinary chapter (chapters/herkomst.qmd, named in _quarto.yml under
-- proefdruk: provenance:) that includes the generated entries (#num-<key>, #src-<slug>).
-- PDF and DOCX are one document, so "#anchor" finds the entry. A Quarto HTML book has one
-- page per chapter: the link names the appendix's .qmd, relative to the page, and Quarto
-- turns it into the page's .html. The built-in renderer resolves "#anchor" to the right
-- page itself (quarto.proefdruk is its shim).

local M = {}

local function appendix_source(meta)
  local configured = meta and meta.proefdruk and meta.proefdruk.provenance
  if configured ~= nil then return pandoc.utils.stringify(configured) end
  return "chapters/herkomst.qmd"
end

function M.href(anchor, meta)
  local local_ref = "#" .. anchor
  if quarto == nil or quarto.proefdruk then return local_ref end
  if not (quarto.doc and quarto.doc.is_format and quarto.doc.is_format("html")) then
    return local_ref
  end
  local input = quarto.doc.input_file
  local root = quarto.project and quarto.project.directory
  if input == nil or root == nil then return local_ref end
  local target = pandoc.path.join({ root, appendix_source(meta) })
  if pandoc.path.normalize(target) == pandoc.path.normalize(input) then return local_ref end
  return pandoc.path.make_relative(target, pandoc.path.directory(input), true) .. local_ref
end

return M
