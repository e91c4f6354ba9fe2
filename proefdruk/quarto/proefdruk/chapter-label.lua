-- Under real Quarto, for the HTML site: the word before a chapter's number in the page's
-- title ("Hoofdstuk 1 Inleiding"), as the built-in renderer's pages print it. Quarto's
-- book sets a chapter page's title to "[1]{.chapter-number} [Inleiding]{.chapter-title}"
-- (book-chapters.ts, formatChapterTitle), a number without a word; the word is the
-- language's `crossref-ch-prefix` (_quarto.yml). Appendices carry theirs already
-- ("Bijlage A"; `crossref: appendix-delim` in _extension.yml drops Quarto's dash).

if quarto == nil or quarto.proefdruk or quarto.doc == nil then return {} end

local function with_word(title, word)
  local done = false
  local out = title:walk({ Span = function(span)
    if done or not span.classes:includes("chapter-number") then return nil end
    done = true
    span.content:insert(1, pandoc.Space())
    span.content:insert(1, pandoc.Str(word))
    return span
  end })
  if done then return out end
  return nil
end

return { { Meta = function(meta)
  if not quarto.doc.is_format("html") or meta.title == nil then return nil end
  local word = (quarto.doc.language or {})["crossref-ch-prefix"]
  if word == nil or pandoc.utils.type(meta.title) ~= "Inlines" then return nil end
  local title = with_word(meta.title, tostring(word))
  if title == nil then return nil end
  meta.title = title
  return meta
end } }
