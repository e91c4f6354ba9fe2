-- {{< num namespace.name >}}: a number from the numbers registry, never typed by hand.
--
-- The value lives in results/numbers/<namespace>.json, written by the analysis step
-- that computed it (see docs/contracts.md). The shortcode prints its Dutch display form
-- ("63,4 %") as literal text and links it to its provenance entry (#num-<key>), so a
-- reader gets from any number in the book to the rule, script and data behind it.
-- Real Quarto loads this file through _extension.yml; the built-in renderer loads the
-- same file through proefdruk/render/core/lua/shortcodes.lua, so both print the same thing.

-- herkomst_link.lua and project_files.lua sit next to this file (in Quarto and in the built-in renderer).
local here = debug.getinfo(1, "S").source:match("^@(.*[/\\])") or "./"
local herkomst = dofile(here .. "herkomst_link.lua")
local files = dofile(here .. "project_files.lua")

local cache = {}

local function registry(namespace)
  if cache[namespace] == nil then
    local rel = "results/numbers/" .. namespace .. ".json"
    local text = files.read(rel)
    if text == nil then
      error("unknown number namespace '" .. namespace .. "': " .. rel .. " does not exist"
        .. " (run `snakemake all`, or check the spelling of the key)", 0)
    end
    cache[namespace] = pandoc.json.decode(text, false)
  end
  return cache[namespace]
end

local function num(args, kwargs, meta)
  local key = args[1] and pandoc.utils.stringify(args[1]) or ""
  if key == "" then
    error("{{< num >}} needs a key, e.g. {{< num respons.percentage >}}", 0)
  end
  local namespace = key:match("^([a-z][a-z0-9_]*)%.")
  if namespace == nil then
    error("number key '" .. key .. "' must look like namespace.name", 0)
  end
  local data = registry(namespace)
  local entry = data.numbers and data.numbers[key]
  if entry == nil then
    local near = {}
    for k, _ in pairs(data.numbers or {}) do near[#near + 1] = k end
    table.sort(near)
    error("unknown number key '" .. key .. "' (results/numbers/" .. namespace
      .. ".json has: " .. table.concat(near, ", ", 1, math.min(#near, 8)) .. ")", 0)
  end
  local text = pandoc.Str(tostring(entry.display))
  local attr = pandoc.Attr("", { "num" }, { { "key", key } })
  -- The provenance appendix (chapters/herkomst.qmd) holds #num-<key>, in both renderers.
  return pandoc.Link({ text }, herkomst.href("num-" .. key, meta),
    tostring(entry.description or ""), attr)
end

return { ["num"] = num }
