-- Claims: a sentence or paragraph that states a finding in words is bound to a claim
-- that an analysis step decided, and the chapter offers the text for each outcome.
--
--   [Economische motieven worden het vaakst genoemd.]{.claim key="bevindingen.motief_grootst" when="economisch"}
--
--   [[De verwachting wordt bevestigd.]{when="true"}[De verwachting wordt niet bevestigd.]{when="false"}]{.claim key="bevindingen.h_congruent"}
--
--   ::: {.claim key="bevindingen.motief_grootst"}
--   ::: {when="economisch"}
--   Een alinea voor deze uitkomst.
--   :::
--   ::: {when="cultureel politiek"}
--   Een alinea voor de andere twee.
--   :::
--   :::
--
-- The claim lives in results/numbers/<namespace>.json under "claims" (outcome, the rule,
-- the values it was decided on, whether it rests on synthetic data). This filter keeps
-- the text offered for the current outcome and drops the others; when the chapter offers
-- no text for the outcome, the build stops and says what changed. While the claim rests
-- on synthetic data, the kept text is underlined and followed by a dagger, with the
-- tooltip "berust op synthetische gegevens", in every edition.
-- Real Quarto runs this file as the extension's filter (`filters: [proefdruk]` in
-- _quarto.yml); the built-in renderer runs the same file after the shortcodes.

-- herkomst_link.lua and project_files.lua sit next to this file (in Quarto and in the built-in renderer).
local here = debug.getinfo(1, "S").source:match("^@(.*[/\\])") or "./"
local herkomst = dofile(here .. "herkomst_link.lua")
local files = dofile(here .. "project_files.lua")
-- words.lua too: the tooltips below in the book's language
local words = dofile(here .. "words.lua")

local doc_meta = nil

local function synthetic_note()
  return words.word("proefdruk-claim-synthetic", doc_meta)
end
local registries = {}
local manifest = nil
local seen = {}

local read_json = files.read_json

local function builtin()
  return quarto ~= nil and quarto.proefdruk == true
end

local function fail(key, summary, expected, found, hint)
  local msg = summary .. "\n  expected: " .. expected .. "\n  found: " .. found
    .. "\n  what to do: " .. hint
  if builtin() then
    -- The built-in renderer turns this into an error with the chapter and line.
    error("PROEFDRUK-CLAIM\t" .. key .. "\t" .. tostring(seen[key] or 1) .. "\t" .. summary
      .. "\t" .. expected .. "\t" .. found .. "\t" .. hint, 0)
  end
  local where = (quarto and quarto.doc and quarto.doc.input_file) or "this chapter"
  error(tostring(where) .. ": " .. msg, 0)
end

local function claim_of(key)
  local namespace = key:match("^([a-z][a-z0-9_]*)%.")
  if namespace == nil then
    fail(key, "claim key '" .. key .. "' must look like namespace.name",
      "a key such as bevindingen.motief_grootst", key,
      "write the key of a claim in results/numbers/<namespace>.json")
  end
  if registries[namespace] == nil then
    registries[namespace] = read_json("results/numbers/" .. namespace .. ".json") or false
  end
  local data = registries[namespace]
  local entry = data and data.claims and data.claims[key]
  if entry == nil then
    local near = {}
    for k, _ in pairs((data and data.claims) or {}) do near[#near + 1] = k end
    table.sort(near)
    fail(key, "unknown claim '" .. key .. "'",
      "a claim in results/numbers/" .. namespace .. ".json",
      (#near > 0) and ("that file has: " .. table.concat(near, ", ")) or "no such claim",
      "check the spelling, or publish the claim in the analysis step (NumberSet.claim)")
  end
  return entry
end

local function values_text(values)
  local keys = {}
  for k, _ in pairs(values or {}) do keys[#keys + 1] = k end
  table.sort(keys)
  local parts = {}
  for _, k in ipairs(keys) do parts[#parts + 1] = k .. " = " .. tostring(values[k]) end
  return table.concat(parts, ", ")
end

local function then_text(key)
  if manifest == nil then manifest = read_json("_book/manifest.json") or false end
  local old = manifest and manifest.claims and manifest.claims[key]
  if not old then return "no earlier build recorded in _book/manifest.json" end
  return "outcome '" .. tostring(old.outcome) .. "' with " .. values_text(old.values)
    .. " (last build, _book/manifest.json)"
end

local function split_when(text)
  local out = {}
  for word in tostring(text):gmatch("%S+") do out[#out + 1] = word end
  return out
end

local function is_blank(el)
  return el.t == "Space" or el.t == "SoftBreak" or el.t == "LineBreak"
end

-- The alternatives of a claim element: {when-list, content} pairs.
local function alternatives(el, key, inline)
  if el.attributes["when"] ~= nil then
    return { { split_when(el.attributes["when"]), el.content } }
  end
  local out = {}
  for _, child in ipairs(el.content) do
    local ok_type = inline and child.t == "Span" or (not inline and child.t == "Div")
    if ok_type and child.attributes["when"] ~= nil then
      out[#out + 1] = { split_when(child.attributes["when"]), child.content }
    elseif not is_blank(child) then
      fail(key, "claim '" .. key .. "' has text outside its alternatives",
        "only " .. (inline and "[…]{when=\"…\"} spans" or "::: {when=\"…\"} divs")
        .. " inside the claim, or when=\"…\" on the claim itself",
        "a " .. child.t .. " that belongs to no outcome",
        "put every text of the claim inside the alternative of the outcome it states")
    end
  end
  return out
end

local function select(el, inline)
  local key = el.attributes["key"] or ""
  if key == "" then
    fail("?", "a .claim element without key", "key=\"namespace.name\"", "no key attribute",
      "name the claim the text relies on")
  end
  seen[key] = (seen[key] or 0) + 1
  local entry = claim_of(key)
  local outcome = tostring(entry.outcome)
  local allowed = {}
  for _, o in ipairs(entry.outcomes or {}) do allowed[tostring(o)] = true end
  local offered, chosen = {}, nil
  for _, alt in ipairs(alternatives(el, key, inline)) do
    for _, w in ipairs(alt[1]) do
      if not allowed[w] then
        local list = {}
        for _, o in ipairs(entry.outcomes or {}) do list[#list + 1] = tostring(o) end
        fail(key, "claim '" .. key .. "' has no outcome '" .. w .. "'",
          "one of: " .. table.concat(list, ", "), "when=\"" .. w .. "\"",
          "correct the outcome in when=\"…\"")
      end
      offered[#offered + 1] = w
      if w == outcome and chosen == nil then chosen = alt[2] end
    end
  end
  if chosen == nil then
    fail(key, "claim '" .. key .. "' now has the outcome '" .. outcome
      .. "', and the chapter offers no text for it",
      "text for the outcome '" .. outcome .. "' (the chapter offers: "
      .. table.concat(offered, ", ") .. ")",
      "values now: " .. values_text(entry.values) .. " (rule: " .. tostring(entry.rule)
      .. "); then: " .. then_text(key),
      "the data no longer support this sentence: add an alternative [..]{when=\""
      .. outcome .. "\"} with a sentence that the new outcome supports, or rewrite the passage")
  end
  return key, entry, chosen
end

-- The link to the claim's entry in the provenance appendix (chapters/herkomst.qmd holds
-- #claim-<key> in both renderers): the dagger while synthetic, else an empty link that
-- the HTML shows on hover and print editions do not show at all.
local function link(key, content, title)
  return pandoc.Link(content, herkomst.href("claim-" .. key, doc_meta), title,
    pandoc.Attr("", { "claim-link" }))
end

local function mark(key)
  return pandoc.Superscript({ link(key, { pandoc.Str("†") },
    synthetic_note() .. " (" .. words.word("proefdruk-claim", doc_meta) .. " " .. key .. ")") })
end

local function attr(key, entry)
  local classes = { "claim" }
  local attrs = { { "key", key }, { "outcome", tostring(entry.outcome) } }
  if entry.synthetic then
    classes[#classes + 1] = "claim-synthetic"
    attrs[#attrs + 1] = { "title", synthetic_note() }
  end
  return pandoc.Attr("", classes, attrs)
end

local function span(el)
  if not el.classes:includes("claim") then return nil end
  local key, entry, content = select(el, true)
  local inlines = pandoc.Inlines(content)
  if entry.synthetic then
    inlines = pandoc.Inlines({ pandoc.Underline(inlines), mark(key) })
  else
    inlines:insert(link(key, {}, words.word("proefdruk-claim", doc_meta) .. " " .. key))
  end
  return pandoc.Span(inlines, attr(key, entry))
end

-- A block claim: the paragraphs of the chosen outcome; while synthetic, the text of each
-- paragraph is underlined and its last paragraph ends with the dagger.
local function div(el)
  if not el.classes:includes("claim") then return nil end
  local key, entry, content = select(el, false)
  local blocks = pandoc.Blocks(content)
  if entry.synthetic then
    blocks = blocks:walk({
      Para = function(p) return pandoc.Para({ pandoc.Underline(p.content) }) end,
      Plain = function(p) return pandoc.Plain({ pandoc.Underline(p.content) }) end,
    })
  end
  local last = blocks[#blocks]
  if last and (last.t == "Para" or last.t == "Plain") then
    if entry.synthetic then
      last.content:insert(mark(key))
    else
      last.content:insert(link(key, {}, "bewering " .. key))
    end
  end
  return pandoc.Div(blocks, attr(key, entry))
end

return {
  -- The document's metadata first: it may name the provenance appendix (proefdruk:).
  { Meta = function(meta) doc_meta = meta end },
  {
    traverse = "topdown",
    -- Top-down, so claims are met in the order of the text (the built-in renderer
    -- finds the line of a failing claim by that order); claims nested in the chosen
    -- text are still visited.
    Div = div,
    Span = span,
  },
}
