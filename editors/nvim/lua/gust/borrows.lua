-- :GustBorrows: borrow insight for the function under the cursor, painted with extmarks from
-- the server's `gust/loans` (docs/lsp.md): each borrow, where it is live (NLL), where it
-- ends, and each move with where the value went. The paint is cleared on the next edit of
-- the buffer (its positions would be stale) and by :GustBorrowsClear.
--
-- By default only the borrows that hover mentions (`lasting`) are painted; `:GustBorrows!`
-- paints every borrow, including the short ones of method calls and `println!`.

local M = {}

local REQUEST = 'gust/loans'
local ns = vim.api.nvim_create_namespace('gust_borrows')
local server = require('gust.server')

require('gust.highlights').define()

---@type table<integer, boolean>  buffers whose next edit clears the paint
local watching = {}

--- Clear the paint of `buf` (default: current).
---@param buf? integer
function M.clear(buf)
  buf = buf or vim.api.nvim_get_current_buf()
  if vim.api.nvim_buf_is_valid(buf) then
    vim.api.nvim_buf_clear_namespace(buf, ns, 0, -1)
  end
end

--- The paint goes with the first edit after it: its positions would no longer be right.
---@param buf integer
local function clear_on_edit(buf)
  if watching[buf] then
    return
  end
  watching[buf] = true
  vim.api.nvim_buf_attach(buf, false, {
    on_lines = function()
      watching[buf] = nil
      vim.schedule(function()
        M.clear(buf)
      end)
      return true -- detach
    end,
    on_detach = function()
      watching[buf] = nil
    end,
  })
end

---@param buf integer
---@param pos { line: integer, character: integer }
---@return integer row, integer col  byte position, clamped to the buffer
local function to_byte(buf, pos)
  local last = vim.api.nvim_buf_line_count(buf) - 1
  local row = math.max(0, math.min(pos.line, last))
  local line = vim.api.nvim_buf_get_lines(buf, row, row + 1, false)[1] or ''
  if pos.line > last then
    return row, #line
  end
  local ok, col = pcall(vim.str_byteindex, line, 'utf-16', pos.character, false)
  return row, ok and math.min(col, #line) or math.min(pos.character, #line)
end

---@param buf integer
---@param range { start: table, ['end']: table }
---@param group string
---@param priority integer
local function paint_range(buf, range, group, priority)
  local sr, sc = to_byte(buf, range.start)
  local er, ec = to_byte(buf, range['end'])
  pcall(vim.api.nvim_buf_set_extmark, buf, ns, sr, sc, {
    end_row = er,
    end_col = ec,
    hl_group = group,
    priority = priority,
  })
end

---@param buf integer
---@param row integer  0-based
---@param text string
local function note(buf, row, text)
  pcall(vim.api.nvim_buf_set_extmark, buf, ns, row, 0, {
    virt_text = { { '  ' .. text, 'GustBorrowNote' } },
    virt_text_pos = 'eol',
    hl_mode = 'combine',
  })
end

--- Paint one `gust/loans` answer.
---@param buf integer
---@param result table
---@param all boolean  every loan, not only the lasting ones
---@return integer loans, integer moves  how many were painted
function M.paint(buf, result, all)
  M.clear(buf)
  local loans, moves = 0, 0
  for _, loan in ipairs(result.loans or {}) do
    if all or loan.lasting then
      loans = loans + 1
      local mut = loan.kind == 'mut'
      for _, live in ipairs(loan.liveRanges or {}) do
        paint_range(buf, live, 'GustBorrowLive', 90)
      end
      paint_range(buf, loan.range, mut and 'GustBorrowMut' or 'GustBorrowShared', 110)
      local last = (loan.liveRanges or {})[#(loan.liveRanges or {})]
      if last then
        local row = to_byte(buf, last['end'])
        note(buf, row, string.format('%s`%s` borrowed until here', mut and 'mutably ' or '', loan.place))
      end
    end
  end
  for _, move in ipairs(result.moves or {}) do
    moves = moves + 1
    paint_range(buf, move.range, 'GustMove', 110)
    local row = to_byte(buf, move.range.start)
    note(buf, row, string.format('`%s` moved%s', move.place, move.into and move.into ~= '' and (' ' .. move.into) or ''))
    for _, use in ipairs(move.laterUses or {}) do
      paint_range(buf, use, 'GustMoveLaterUse', 110)
    end
  end
  clear_on_edit(buf)
  return loans, moves
end

--- :GustBorrows[!]: ask the server for the loans of the function under the cursor and paint them.
---@param opts { bang?: boolean }
function M.show(opts)
  local buf = vim.api.nvim_get_current_buf()
  local client = server.require_client(buf, 'GustBorrows')
  if not client then
    return
  end
  local pos = vim.api.nvim_win_get_cursor(0)
  local line = vim.api.nvim_buf_get_lines(buf, pos[1] - 1, pos[1], false)[1] or ''
  local ok, character = pcall(vim.str_utfindex, line, 'utf-16', math.min(pos[2], #line), false)
  local params = {
    textDocument = { uri = vim.uri_from_bufnr(buf) },
    position = { line = pos[1] - 1, character = ok and character or pos[2] },
  }
  local tick = vim.b[buf].changedtick
  client:request(REQUEST, params, function(err, result)
    if not vim.api.nvim_buf_is_valid(buf) then
      return
    end
    if err then
      vim.notify('GustBorrows: ' .. REQUEST .. ' failed: ' .. (err.message or vim.inspect(err)), vim.log.levels.WARN)
    elseif vim.b[buf].changedtick ~= tick then
      return -- edited meanwhile: the positions are of older text
    elseif type(result) ~= 'table' then
      M.clear(buf)
      vim.notify('GustBorrows: no function under the cursor, or its body does not type-check', vim.log.levels.WARN)
    else
      local loans, moves = M.paint(buf, result, opts.bang == true)
      local name = result['function'] and result['function'].name or '?'
      vim.api.nvim_echo({ { string.format('%s: %d borrow%s, %d move%s', name, loans,
        loans == 1 and '' or 's', moves, moves == 1 and '' or 's') } }, false, {})
    end
  end, buf)
end

return M
