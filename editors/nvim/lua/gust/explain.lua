-- :GustExplain [CODE]: the explanation of an error code (the diagnostic under the cursor by
-- default), as `gust explain CODE` prints it, in a floating window, or in a scratch split when
-- the command has a modifier (`:vertical GustExplain`, `:botright GustExplain E0382`).
--
-- Protocol (docs/lsp.md): request `gust/explain` { code } -> { code, markdown } or null.
-- A server without that request (an older gust-lsp) is answered by running `gust explain`.

local M = {}

local REQUEST = 'gust/explain'
local server = require('gust.server')

--- `E0382`, `e0382` and `0382` all mean E0382.
---@param code string
---@return string?
function M.normalize(code)
  local digits = vim.trim(code):upper():match('^E?(%d%d%d%d)$')
  return digits and ('E' .. digits) or nil
end

--- The code of the diagnostic under the cursor: one whose range holds the cursor, else the
--- most severe on the cursor's line.
---@param buf integer
---@return string?
function M.code_at_cursor(buf)
  local row, col = unpack(vim.api.nvim_win_get_cursor(0))
  row = row - 1
  local best
  for _, d in ipairs(vim.diagnostic.get(buf, { lnum = row })) do
    local code = type(d.code) == 'string' and M.normalize(d.code) or nil
    if code then
      local covers = (d.lnum < row or d.col <= col) and ((d.end_lnum or d.lnum) > row or col < (d.end_col or d.col + 1))
      local rank = (covers and 0 or 10) + (d.severity or 4)
      if not best or rank < best.rank then
        best = { rank = rank, code = code }
      end
    end
  end
  return best and best.code or nil
end

---@param code string
---@param markdown string
---@param mods string
local function show(code, markdown, mods)
  local lines = vim.split(markdown, '\r?\n')
  while #lines > 1 and lines[#lines] == '' do
    table.remove(lines) -- the text's final newline
  end
  if mods == '' then
    vim.lsp.util.open_floating_preview(lines, 'markdown', {
      border = 'rounded',
      focus_id = 'gust_explain',
      max_width = math.min(100, math.floor(vim.o.columns * 0.8)),
      max_height = math.floor(vim.o.lines * 0.6),
      title = ' ' .. code .. ' ',
    })
    return
  end
  local name = 'gust-explain://' .. code
  local buf = vim.fn.bufnr('^' .. vim.pesc(name) .. '$')
  if buf == -1 then
    buf = vim.api.nvim_create_buf(false, true)
    vim.bo[buf].bufhidden = 'wipe'
    pcall(vim.api.nvim_buf_set_name, buf, name)
  end
  vim.bo[buf].modifiable = true
  vim.api.nvim_buf_set_lines(buf, 0, -1, false, lines)
  vim.bo[buf].modifiable = false
  vim.bo[buf].modified = false
  vim.bo[buf].filetype = 'markdown'
  local win = vim.fn.bufwinid(buf)
  if win == -1 then
    vim.cmd(mods .. ' sbuffer ' .. buf)
    vim.wo.conceallevel = 2
    vim.wo.wrap = true
    vim.wo.linebreak = true
  else
    vim.api.nvim_set_current_win(win)
  end
end

--- `gust explain CODE`, with the `gust` beside the server that runs (else on PATH).
---@param code string
---@param done fun(markdown: string?, err: string?)
local function explain_with_cli(code, done)
  local lsp_path = server.command(vim.lsp.config.gust, vim.fs.root(0, server.root_markers))
  local beside = lsp_path and vim.fs.joinpath(vim.fs.dirname(lsp_path), 'gust') or nil
  local gust = beside and vim.fn.executable(beside) == 1 and beside or vim.fn.exepath('gust')
  if gust == '' then
    done(nil, 'no gust command to run `gust explain` with')
    return
  end
  vim.system({ gust, 'explain', code }, { text = true }, function(out)
    vim.schedule(function()
      if out.code == 0 and out.stdout ~= '' then
        done(out.stdout)
      else
        done(nil, vim.trim(out.stderr ~= '' and out.stderr or out.stdout))
      end
    end)
  end)
end

--- :GustExplain. `opts.args` is an optional code; `opts.mods` chooses a split over a float.
---@param opts { args?: string, mods?: string }
function M.explain(opts)
  local buf = vim.api.nvim_get_current_buf()
  local mods = opts.mods or ''
  local code
  if opts.args and opts.args ~= '' then
    code = M.normalize(opts.args)
    if not code then
      vim.notify('GustExplain: not an error code: ' .. opts.args .. ' (e.g. E0382)', vim.log.levels.ERROR)
      return
    end
  else
    code = M.code_at_cursor(buf)
    if not code then
      vim.notify('GustExplain: no diagnostic with an error code under the cursor', vim.log.levels.WARN)
      return
    end
  end

  local function done(markdown, err)
    if markdown then
      show(code, markdown, mods)
    else
      vim.notify('GustExplain: ' .. (err or ('no explanation for ' .. code)), vim.log.levels.WARN)
    end
  end

  local client = server.client(buf) or vim.lsp.get_clients({ name = 'gust' })[1]
  if not client then
    explain_with_cli(code, done) -- no server running: the CLI knows the same texts
    return
  end
  client:request(REQUEST, { code = code }, function(err, result)
    if err then
      if err.code == vim.lsp.protocol.ErrorCodes.MethodNotFound then
        explain_with_cli(code, done)
      else
        done(nil, REQUEST .. ' failed: ' .. (err.message or vim.inspect(err)))
      end
    elseif type(result) == 'table' and type(result.markdown) == 'string' then
      done(result.markdown)
    else
      done(nil, 'no explanation for ' .. code)
    end
  end, buf)
end

return M
