-- The built-in renderer's shortcode engine: a pandoc Lua filter that gives Quarto
-- shortcode files the small part of Quarto's Lua API they use, then runs them.
--
-- Quarto parses {{< name args >}} itself; pandoc does not know them. The Python side
-- (proefdruk/render/core/shortcodes.py) therefore rewrites each shortcode, before pandoc
-- reads the text, into an empty span that carries the name, the raw arguments and the
-- file and line it came from:
--     []{.pd-sc sc-name="num" sc-args="respons.percentage" sc-file="chapters/x.qmd" sc-line="12"}
-- This filter replaces each span with what the shortcode returns. The project's own
-- shortcodes are loaded from _extensions/*/ exactly as Quarto would load them, so both
-- renderers run the same code. Built-ins: var, meta, pagebreak, kbd (and the documented
-- ones this renderer leaves as written: env, video, lipsum, placeholder, contents, ...).
--
-- Context (a JSON file named by $PROEFDRUK_SHORTCODE_CONTEXT): project_dir,
-- extension_files, filter_files (the Lua filters of `filters:` in _quarto.yml, run after
-- the shortcodes), variables (from _variables.yml), meta (project-level metadata), words
-- (the book's locale).

local ctx_path = os.getenv("PROEFDRUK_SHORTCODE_CONTEXT")
local ctx = { project_dir = ".", extension_files = {}, variables = {}, meta = {} }
if ctx_path then
  local fh = assert(io.open(ctx_path, "r"))
  ctx = pandoc.json.decode(fh:read("a"), false)
  fh:close()
end

quarto = quarto or {}
quarto.proefdruk = true
quarto.project = { directory = ctx.project_dir }
quarto.json = quarto.json or { encode = pandoc.json.encode, decode = pandoc.json.decode }
quarto.log = quarto.log or {
  warning = function(...) io.stderr:write("[WARNING] ", table.concat({ ... }, " "), "\n") end,
  output = function(...) end,
  debug = function(...) end,
}
quarto.doc = quarto.doc or {
  is_format = function(_) return false end,
  add_html_dependency = function(_) end,
}
-- the book's words (proefdruk's locale with `language:` applied), for the extension's
-- filters and shortcodes (_extensions/proefdruk/words.lua)
quarto.doc.language = quarto.doc.language or ctx.words or {}

local function fail(file, line, msg)
  error("PROEFDRUK-ERROR\t" .. tostring(file) .. "\t" .. tostring(line) .. "\t" .. msg, 0)
end

local function decode(s)
  return (s:gsub("%%(%x%x)", function(h) return string.char(tonumber(h, 16)) end))
end

-- Split raw arguments the way Quarto does: whitespace separates, quotes group,
-- name=value pairs are keyword arguments.
local function parse_args(raw)
  local args, kwargs = {}, {}
  local i, n = 1, #raw
  while i <= n do
    local c = raw:sub(i, i)
    if c:match("%s") then
      i = i + 1
    else
      local token, j = "", i
      local key = nil
      while j <= n and not raw:sub(j, j):match("%s") do
        local ch = raw:sub(j, j)
        if ch == '"' or ch == "'" then
          local close = raw:find(ch, j + 1, true) or (n + 1)
          token = token .. raw:sub(j + 1, close - 1)
          j = close + 1
        elseif ch == "=" and key == nil and token:match("^[%w_-]+$") then
          key = token
          token = ""
          j = j + 1
        else
          token = token .. ch
          j = j + 1
        end
      end
      if key then kwargs[key] = token else args[#args + 1] = token end
      i = j
    end
  end
  return args, kwargs
end

local function lookup(tbl, dotted)
  local cur = tbl
  for part in dotted:gmatch("[^.]+") do
    if type(cur) ~= "table" then return nil end
    cur = cur[part]
    if cur == nil then return nil end
  end
  return cur
end

local function plain(value)
  if value == nil or value == pandoc.json.null then return nil end
  local t = type(value)
  if t == "string" or t == "number" or t == "boolean" then
    return pandoc.Inlines({ pandoc.Str(tostring(value)) })
  end
  return nil
end

local doc_meta = {}

local builtins = {
  var = function(args)
    local name = args[1] or ""
    local value = plain(lookup(ctx.variables or {}, name))
    if value == nil then
      error("unknown variable '" .. name .. "' (not in _variables.yml)", 0)
    end
    return value
  end,
  meta = function(args)
    local name = args[1] or ""
    local value = lookup(doc_meta, name)
    if value ~= nil and type(value) ~= "table" then
      return plain(value)
    elseif value ~= nil then
      local ptype = pandoc.utils.type(value)
      if ptype == "Inlines" then return value end
      if ptype == "Blocks" then return pandoc.utils.blocks_to_inlines(value) end
      return pandoc.Inlines({ pandoc.Str(pandoc.utils.stringify(value)) })
    end
    value = plain(lookup(ctx.meta or {}, name))
    if value == nil then
      error("unknown metadata key '" .. name .. "'", 0)
    end
    return value
  end,
  pagebreak = function()
    return pandoc.Div({
      pandoc.RawBlock("html", '<div style="page-break-after: always;"></div>'),
      pandoc.RawBlock("typst", "#pagebreak(weak: true)"),
      pandoc.RawBlock("openxml", '<w:p><w:r><w:br w:type="page"/></w:r></w:p>'),
      pandoc.RawBlock("latex", "\\newpage{}"),
    }, pandoc.Attr("", { "pagebreak" }))
  end,
}

-- Quarto's {{< kbd >}}: the keys as code; the HTML edition shows them as <kbd>.
builtins.kbd = function(args, kwargs)
  local keys = table.concat(args, " ")
  if keys == "" then
    keys = pandoc.utils.stringify(kwargs["win"] or kwargs["linux"] or kwargs["mac"] or "")
  end
  return pandoc.Code(keys, pandoc.Attr("", { "kbd" }))
end

-- Documented Quarto shortcodes this renderer does not implement: they stay visible as
-- written, and the chapter's warnings name the line (proefdruk.render.core.quarto_checks).
for _, name in ipairs({ "env", "video", "lipsum", "placeholder", "contents", "embed",
  "version" }) do
  builtins[name] = function(_, _, _, raw)
    local rest = (raw or ""):match("^%s*(.-)%s*$")
    local text = "{{< " .. name .. (rest ~= "" and (" " .. rest) or "") .. " >}}"
    return pandoc.Inlines({ pandoc.Str(text) })
  end
end

local handlers = {}
for name, fn in pairs(builtins) do handlers[name] = fn end
for _, file in ipairs(ctx.extension_files or {}) do
  local chunk, err = loadfile(file)
  if chunk == nil then fail(file, 1, "cannot load shortcode file: " .. tostring(err)) end
  local ok, result = pcall(chunk)
  if not ok then fail(file, 1, "shortcode file failed to load: " .. tostring(result)) end
  for name, fn in pairs(result or {}) do handlers[name] = fn end
end

local function known()
  local names = {}
  for name, _ in pairs(handlers) do names[#names + 1] = name end
  table.sort(names)
  return table.concat(names, ", ")
end

-- Run shortcode `name`; returns Inlines or Blocks.
local function run(name, raw, file, line)
  local fn = handlers[name]
  if fn == nil then
    fail(file, line, "unknown shortcode '" .. name .. "' (known: " .. known() .. ")")
  end
  local args, kwargs = parse_args(raw)
  local kw = setmetatable({}, { __index = function() return pandoc.Inlines({}) end })
  for k, v in pairs(kwargs) do kw[k] = pandoc.Inlines({ pandoc.Str(v) }) end
  local ok, result = pcall(fn, args, kw, doc_meta, raw, {})
  if not ok then fail(file, line, "shortcode '" .. name .. "': " .. tostring(result)) end
  if result == nil then return pandoc.Inlines({}) end
  if type(result) == "string" then return pandoc.Inlines({ pandoc.Str(result) }) end
  local t = pandoc.utils.type(result)
  if t == "Inline" then return pandoc.Inlines({ result }) end
  if t == "Block" then return pandoc.Blocks({ result }) end
  if t == "Inlines" or t == "Blocks" then return result end
  if type(result) == "table" then
    if #result > 0 and pandoc.utils.type(result[1]) == "Block" then return pandoc.Blocks(result) end
    return pandoc.Inlines(result)
  end
  return pandoc.Inlines({ pandoc.Str(tostring(result)) })
end

local function is_placeholder(el)
  return el and el.t == "Span" and el.classes:includes("pd-sc")
end

local function expand_span(span)
  local literal = span.attributes["sc-literal"]
  if literal then return pandoc.Inlines({ pandoc.Str(decode(literal)) }) end
  local file, line = span.attributes["sc-file"], span.attributes["sc-line"]
  local result = run(span.attributes["sc-name"], decode(span.attributes["sc-args"] or ""), file, line)
  if pandoc.utils.type(result) == "Blocks" then
    return pandoc.utils.blocks_to_inlines(result)
  end
  return result
end

-- Shortcodes inside code keep working as text, like in Quarto; {{{< x >}}} is literal.
local function expand_code_text(text, file)
  -- {{</* x */>}} shows a shortcode literally: set it aside, expand the rest, restore.
  local kept = {}
  text = text:gsub("{{</%*(.-)%*/>}}", function(inner)
    kept[#kept + 1] = "{{<" .. inner .. ">}}"
    return "\0PDSC" .. #kept .. "\0"
  end)
  local out = text:gsub("(%{?)%{%{<%s*([%w_-]+)(.-)%s*>%}%}(%}?)", function(open, name, raw, close)
    if open == "{" and close == "}" then return "{{<" .. " " .. name .. raw .. " >}}" end
    return open .. pandoc.utils.stringify(run(name, raw, file or "?", "?")) .. close
  end)
  out = out:gsub("\0PDSC(%d+)\0", function(n) return kept[tonumber(n)] end)
  return out
end

local filter = {
  Para = function(para)
    -- A block shortcode ({{< pagebreak >}}) standing alone in its paragraph.
    if #para.content == 1 and is_placeholder(para.content[1]) then
      local span = para.content[1]
      if span.attributes["sc-literal"] == nil then
        local result = run(span.attributes["sc-name"], decode(span.attributes["sc-args"] or ""),
          span.attributes["sc-file"], span.attributes["sc-line"])
        if pandoc.utils.type(result) == "Blocks" then return result end
        return pandoc.Para(result)
      end
    end
  end,
  Span = function(span)
    if is_placeholder(span) then return expand_span(span) end
  end,
  Code = function(code)
    if code.text:find("{{<", 1, true) then
      code.text = expand_code_text(code.text)
      return code
    end
  end,
  CodeBlock = function(block)
    if block.text:find("{{<", 1, true) then
      block.text = expand_code_text(block.text)
      return block
    end
  end,
}

function Pandoc(doc)
  doc_meta = doc.meta
  -- Paragraph-level first, so block shortcodes see their paragraph intact.
  doc = doc:walk({ Para = filter.Para })
  doc = doc:walk({ Span = filter.Span, Code = filter.Code, CodeBlock = filter.CodeBlock })
  -- The project's Lua filters (e.g. the extension's claims), as Quarto runs them.
  for _, file in ipairs(ctx.filter_files or {}) do
    local chunk, err = loadfile(file)
    if chunk == nil then fail(file, 1, "cannot load filter: " .. tostring(err)) end
    local ok, result = pcall(chunk)
    if not ok then fail(file, 1, "filter failed to load: " .. tostring(result)) end
    local list = result
    if type(list) ~= "table" then list = { _G } end
    if list.traverse or list.Pandoc or list.Span or list.Div or list.Para then list = { list } end
    for _, f in ipairs(list) do doc = doc:walk(f) end
  end
  return doc
end
