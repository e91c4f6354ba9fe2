-- Reading the project's generated files (the numbers registry, the claims, the last
-- manifest) from a filter, for num.lua and claims.lua.
--
-- Real Quarto says where the project is through quarto.project.directory; the built-in
-- renderer sets QUARTO_PROJECT_ROOT like Quarto's own pre- and post-render scripts see
-- it. Paths are project-relative, so a filter never depends on the working directory.

local M = {}

function M.dir()
  if quarto and quarto.project and quarto.project.directory then
    return quarto.project.directory
  end
  return os.getenv("QUARTO_PROJECT_ROOT") or os.getenv("QUARTO_PROJECT_DIR") or "."
end

-- The text of a project-relative file, or nil when it does not exist.
function M.read(rel)
  local fh = io.open(pandoc.path.join({ M.dir(), rel }), "r")
  if fh == nil then return nil end
  local text = fh:read("a")
  fh:close()
  return text
end

-- The decoded JSON of a project-relative file, or nil when it is missing or not JSON.
function M.read_json(rel)
  local text = M.read(rel)
  if text == nil then return nil end
  local ok, data = pcall(pandoc.json.decode, text, false)
  if ok then return data end
  return nil
end

return M
