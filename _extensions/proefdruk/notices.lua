-- Under real Quarto: the edition notices (synthetic data) as Quarto's own callouts.
--
-- The opening page includes them in its text ({{< include results/book/notices.md >}} in
-- index.qmd). On the HTML site every other page gets the same callouts, read from that
-- generated file, after its title, as the built-in renderer shows them. PDF and DOCX are
-- one document and show them once, where index.qmd includes them.
--
-- The filter runs at `pre-ast` (_extension.yml), before Quarto reads callout divs: the
-- notices it adds become callouts like the included ones (styled, with their title), and
-- the page that includes them is recognised by their class, so it shows them once.
-- Quarto's Typst writer takes the id of a callout for a cross-reference type ("notice-x":
-- type "notice") and warns that it knows none: the PDF gets them without their id (no
-- link points at a notice); the site keeps it, as the built-in renderer's pages do.

if quarto == nil or quarto.proefdruk or quarto.doc == nil then return {} end

local NOTICES = "results/book/notices.md"
local CLASS = "notice"

local function is_notice(block)
  return block.t == "Div" and block.classes:includes(CLASS)
end

local function has_notice(blocks)
  local found = false
  blocks:walk({ Div = function(div)
    if is_notice(div) then found = true end
  end })
  return found
end

-- The notices of the book (the generated include), or nil when there are none.
local function read_notices()
  local root = (quarto.project and quarto.project.directory) or "."
  local fh = io.open(pandoc.path.join({ root, NOTICES }), "r")
  if fh == nil then return nil end
  local text = fh:read("a")
  fh:close()
  local notices = pandoc.read(text, "markdown").blocks
  if #notices == 0 then return nil end
  return notices
end

-- `notices` after the page's first title, as on the opening page.
local function place(blocks, notices)
  local out = pandoc.Blocks({})
  local placed = false
  for _, block in ipairs(blocks) do
    out:insert(block)
    if not placed and block.t == "Header" and block.level == 1 then
      out:extend(notices)
      placed = true
    end
  end
  if not placed then
    out = pandoc.Blocks(notices)
    out:extend(blocks)
  end
  return out
end

function Pandoc(doc)
  if quarto.doc.is_format("html") then
    if has_notice(doc.blocks) then return nil end
    local notices = read_notices()
    if notices == nil then return nil end
    doc.blocks = place(doc.blocks, notices)
    return doc
  end
  doc.blocks = doc.blocks:walk({ Div = function(div)
    if is_notice(div) and div.identifier ~= "" then
      div.identifier = ""
      return div
    end
  end })
  return doc
end

return { { Pandoc = Pandoc } }
