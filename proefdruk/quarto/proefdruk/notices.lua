-- Under real Quarto: the edition notices (synthetic data) on every page of the HTML site,
-- as the built-in renderer shows them. The opening page includes them in its text
-- ({{< include results/book/notices.md >}} in index.qmd); every other page gets the same
-- callouts, read from that generated file, at its top. PDF and DOCX are one document and
-- show them once, where index.qmd includes them.

if quarto == nil or quarto.proefdruk or quarto.doc == nil then return {} end

local NOTICES = "results/book/notices.md"

local function has_notice(blocks)
  local found = false
  blocks:walk({ Div = function(div)
    if div.classes:includes("notice") then found = true end
  end })
  return found
end

function Pandoc(doc)
  if not quarto.doc.is_format("html") or has_notice(doc.blocks) then return nil end
  local root = (quarto.project and quarto.project.directory) or "."
  local fh = io.open(pandoc.path.join({ root, NOTICES }), "r")
  if fh == nil then return nil end
  local text = fh:read("a")
  fh:close()
  local notices = pandoc.read(text, "markdown").blocks
  if #notices == 0 then return nil end
  local blocks = pandoc.Blocks({})
  local placed = false
  for _, block in ipairs(doc.blocks) do
    blocks:insert(block)
    -- after the page's title, as on the opening page
    if not placed and block.t == "Header" and block.level == 1 then
      blocks:extend(notices)
      placed = true
    end
  end
  if not placed then
    blocks = pandoc.Blocks(notices)
    blocks:extend(doc.blocks)
  end
  doc.blocks = blocks
  return doc
end

return { { Pandoc = Pandoc } }
