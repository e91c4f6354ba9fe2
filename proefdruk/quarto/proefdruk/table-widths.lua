-- Column widths from the content of each table, for the Typst PDF (both renderers).
--
-- A pipe table's widths come from its dash counts (or are left to the layout), which can
-- squeeze a column of long statements into a sliver while numeric columns take the room
-- (Tabel 6.2, 8.1). Here every column is at least as wide as its longest word (header
-- included, so a header never breaks mid-word and never runs into its neighbour); the
-- room left goes to the columns whose text is longer than that, in proportion to how much
-- longer. Widths are in characters of the table's type against a nominal line; Typst
-- gets them as fractions of the text width. Real Quarto runs this file as a filter of the
-- proefdruk-typst format; the built-in renderer runs it when it writes Typst.

local LINE = 80       -- characters of table type on a full line (170 × 240 and A4 alike)
local LINE_WIDE = 94  -- with 7 or more columns the template sets the table a size smaller
local PAD = 2         -- a cell's inset, in characters

-- The pieces a line may not break: words, but a web address breaks after "/", "?", "&",
-- "=", "-" and "." (Typst does so), so a long address does not claim a whole line.
local function pieces(token)
  if not (token:find("://", 1, true) or token:match("^www%.")) then return { token } end
  local out = {}
  for piece in token:gmatch("[^/?&=%-.]*[/?&=%-.]?") do
    if piece ~= "" then out[#out + 1] = piece end
  end
  return out
end

local function words(text)
  local longest = 0
  for token in text:gmatch("%S+") do
    for _, piece in ipairs(pieces(token)) do
      longest = math.max(longest, utf8.len(piece) or #piece)
    end
  end
  return longest
end

local function cell_text(cell)
  return pandoc.utils.stringify(cell.contents)
end

local function measure(tbl)
  local n = #tbl.colspecs
  local longest_word, longest_cell = {}, {}
  for j = 1, n do longest_word[j], longest_cell[j] = 1, 1 end
  local function visit_rows(rows)
    for _, row in ipairs(rows) do
      local j = 1
      for _, cell in ipairs(row.cells) do
        local text = cell_text(cell)
        local span = cell.col_span or 1
        if span == 1 and j <= n then
          longest_word[j] = math.max(longest_word[j], words(text))
          longest_cell[j] = math.max(longest_cell[j], utf8.len(text) or #text)
        end
        j = j + span
      end
    end
  end
  visit_rows(tbl.head.rows)
  for _, body in ipairs(tbl.bodies) do
    visit_rows(body.head)
    visit_rows(body.body)
  end
  visit_rows(tbl.foot.rows)
  return longest_word, longest_cell
end

-- Widths (fractions of the line) for columns with these longest words and cells.
local function widths(longest_word, longest_cell)
  local n = #longest_word
  local line = n >= 7 and LINE_WIDE or LINE
  local min, want, sum_min, sum_want = {}, {}, 0, 0
  for j = 1, n do
    min[j] = longest_word[j] + PAD
    want[j] = math.max(longest_cell[j], longest_word[j]) + PAD
    sum_min = sum_min + min[j]
    sum_want = sum_want + want[j]
  end
  local out = {}
  if sum_want <= line then
    for j = 1, n do out[j] = want[j] / line end
    return out
  end
  if sum_min >= line then
    for j = 1, n do out[j] = min[j] / sum_min end
    return out
  end
  local room, extra_want = line - sum_min, sum_want - sum_min
  for j = 1, n do
    out[j] = (min[j] + room * (want[j] - min[j]) / extra_want) / line
  end
  return out
end

function Table(tbl)
  if not (FORMAT:match("typst") or (quarto and quarto.doc and quarto.doc.is_format
      and quarto.doc.is_format("typst"))) then
    return nil
  end
  local fractions = widths(measure(tbl))
  for j, spec in ipairs(tbl.colspecs) do
    tbl.colspecs[j] = { spec[1], fractions[j] }
  end
  return tbl
end

return { { Table = Table } }
