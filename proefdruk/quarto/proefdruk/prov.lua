-- {{< prov results/figures/name.svg >}}: a link to the provenance entry of a generated
-- file (figure, table, fragment), for prose that talks about a source directly.
-- The anchor is "src-" plus the slug of the project-relative path; the built-in
-- renderer's provenance appendix uses the same slug (proefdruk/render/core/slug.py).

-- herkomst_link.lua sits next to this file (in Quarto and in the built-in renderer).
local here = debug.getinfo(1, "S").source:match("^@(.*[/\\])") or "./"
local herkomst = dofile(here .. "herkomst_link.lua")
local words = dofile(here .. "words.lua")

local function slug(path)
  local s = path:lower():gsub("[^a-z0-9]+", "-"):gsub("^%-+", ""):gsub("%-+$", "")
  return s
end

local function prov(args, kwargs, meta)
  local path = args[1] and pandoc.utils.stringify(args[1]) or ""
  if path == "" then
    error("{{< prov >}} needs a project-relative path, e.g. {{< prov results/figures/x.svg >}}", 0)
  end
  local label = kwargs and kwargs["label"] and pandoc.utils.stringify(kwargs["label"]) or ""
  if label == "" then label = words.word("proefdruk-provenance-link", meta) end
  local attr = pandoc.Attr("", { "provenance-link" }, { { "path", path } })
  return pandoc.Link({ pandoc.Str(label) }, herkomst.href("src-" .. slug(path), meta), path, attr)
end

return { ["prov"] = prov }
