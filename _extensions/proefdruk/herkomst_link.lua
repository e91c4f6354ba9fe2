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

-- "a/b/../c" -> "a/c": pandoc.path.normalize leaves ".." alone.
local function collapse(path)
  local absolute = path:sub(1, 1) == "/"
  local parts = {}
  for part in path:gmatch("[^/]+") do
    if part == ".." and #parts > 0 and parts[#parts] ~= ".." then
      table.remove(parts)
    elseif part ~= "." then
      table.insert(parts, part)
    end
  end
  return (absolute and "/" or "") .. table.concat(parts, "/")
end

local function exists(path)
  local fh = io.open(path, "r")
  if fh then fh:close() end
  return fh ~= nil
end

-- The appendix's file. Quarto hands project-level metadata that names a file to each
-- chapter rewritten relative to that chapter ("../chapters/herkomst.qmd" in
-- chapters/x.qmd), so the path is tried against the chapter's folder first, then the
-- project root, and the one that exists is taken.
local function appendix_file(meta, root, input)
  local named = appendix_source(meta)
  for _, base in ipairs({ pandoc.path.directory(input), root }) do
    local candidate = collapse(pandoc.path.join({ base, named }))
    if exists(candidate) then return candidate end
  end
  return collapse(pandoc.path.join({ root, named }))
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
  local target = appendix_file(meta, root, input)
  if target == collapse(input) then return local_ref end
  return pandoc.path.make_relative(target, collapse(pandoc.path.directory(input)), true)
    .. local_ref
end

return M
