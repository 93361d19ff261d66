-- :GustShowGo: a read-only, live view of the Go that gust-lsp generates for a Gust buffer,
-- following the cursor through the source map in both directions.
--
-- Protocol (docs/lsp.md):
--   request      gust/generatedGo         { textDocument = { uri } }
--                                         -> { uri, version, text, stale, sourceMap }
--   notification gust/generatedGoChanged  { uri, version }  (server -> client, after new Go)
--
-- `sourceMap` is flat, 5 integers per Go line that comes from a Gust construct: the Go line
-- (0-based), then the construct's Gust range (start line, start character, end line, end
-- character; UTF-16). The cursor in the Gust buffer lights up (and scrolls to) the Go lines
-- of the innermost construct under it; the cursor in the Go view lights up the Gust range of
-- its line and moves the Gust window's cursor there.

local M = {}

local REQUEST = 'gust/generatedGo'
local ns = vim.api.nvim_create_namespace('gust_generated_go')
local ns_follow = vim.api.nvim_create_namespace('gust_generated_go_follow')
local augroup = vim.api.nvim_create_augroup('gust_generated_go', { clear = true })

require('gust.highlights').define() -- GustGoCurrent, GustSourceCurrent

--- One source-map entry: a Go line and the Gust range it comes from (0-based, UTF-16).
---@class gust.MapEntry
---@field go integer
---@field sl integer
---@field sc integer
---@field el integer
---@field ec integer

--- One open view per source buffer.
---@class gust.GoView
---@field buf integer  the scratch buffer showing the Go
---@field seq integer  number of the latest request; older responses are dropped
---@field map gust.MapEntry[]  in Go line order

---@type table<integer, gust.GoView>
local views = {}

---@param buf integer?
---@return boolean
local function valid(buf)
  return buf ~= nil and vim.api.nvim_buf_is_valid(buf)
end

local client_for = require('gust.server').client

---@param buf integer
---@param lines string[]
local function set_lines(buf, lines)
  vim.bo[buf].readonly = false
  vim.bo[buf].modifiable = true
  vim.api.nvim_buf_set_lines(buf, 0, -1, false, lines)
  vim.bo[buf].modifiable = false
  vim.bo[buf].readonly = true
  vim.bo[buf].modified = false
end

---@param flat any
---@return gust.MapEntry[]
local function parse_map(flat)
  local map = {}
  if type(flat) ~= 'table' then
    return map
  end
  for i = 1, #flat - 4, 5 do
    table.insert(map, { go = flat[i], sl = flat[i + 1], sc = flat[i + 2], el = flat[i + 3], ec = flat[i + 4] })
  end
  table.sort(map, function(a, b)
    return a.go < b.go
  end)
  return map
end

--- The byte column of a UTF-16 `character` in line `lnum` (0-based) of `buf`.
---@param buf integer
---@param lnum integer
---@param character integer
---@return integer
local function byte_col(buf, lnum, character)
  local line = vim.api.nvim_buf_get_lines(buf, lnum, lnum + 1, false)[1]
  if not line then
    return 0
  end
  local ok, col = pcall(vim.str_byteindex, line, 'utf-16', character, false)
  return ok and math.min(col, #line) or math.min(character, #line)
end

--- The window showing `buf`: the current one if it does, else the first one found.
---@param buf integer
---@return integer?
local function window_of(buf)
  local current = vim.api.nvim_get_current_win()
  if vim.api.nvim_win_get_buf(current) == buf then
    return current
  end
  local win = vim.fn.bufwinid(buf)
  return win ~= -1 and win or nil
end

--- Put `win`'s cursor on `line` (0-based) and scroll it into view if it is not.
---@param win integer
---@param line integer
---@param col integer? byte column
local function reveal(win, line, col)
  local buf = vim.api.nvim_win_get_buf(win)
  line = math.max(0, math.min(line, vim.api.nvim_buf_line_count(buf) - 1))
  vim.api.nvim_win_set_cursor(win, { line + 1, col or 0 })
  vim.api.nvim_win_call(win, function()
    local top, bottom = vim.fn.line('w0'), vim.fn.line('w$')
    if line + 1 < top or line + 1 > bottom then
      vim.cmd('normal! zz')
    end
  end)
end

--- The entries of the innermost Gust construct at (line, character): the one spanning the
--- fewest lines that covers the line, then the narrowest that covers the column.
---@param map gust.MapEntry[]
---@param line integer
---@param character integer
---@return gust.MapEntry[]
local function entries_at(map, line, character)
  local best
  local function better(e)
    if not best then
      return true
    end
    local span, best_span = e.el - e.sl, best.el - best.sl
    if span ~= best_span then
      return span < best_span
    end
    local covers = (e.sl < line or e.sc <= character) and (e.el > line or character <= e.ec)
    local best_covers = (best.sl < line or best.sc <= character) and (best.el > line or character <= best.ec)
    if covers ~= best_covers then
      return covers
    end
    return covers and (e.sc > best.sc) -- both cover: the later start is the inner one
  end
  for _, e in ipairs(map) do
    if e.sl <= line and line <= e.el and better(e) then
      best = e
    end
  end
  if not best then
    return {}
  end
  return vim.tbl_filter(function(e)
    return e.sl == best.sl and e.sc == best.sc and e.el == best.el and e.ec == best.ec
  end, map)
end

--- The entry of Go line `line` (0-based), else that of the nearest Go line above it.
---@param map gust.MapEntry[]
---@param line integer
---@return gust.MapEntry?
local function entry_of_go_line(map, line)
  local found
  for _, e in ipairs(map) do
    if e.go > line then
      break
    end
    found = e
  end
  return found
end

--- Gust -> Go: light up the Go of the construct under the Gust cursor and show it.
---@param src integer
function M.follow_source(src)
  local view = views[src]
  if not view or not valid(view.buf) then
    return
  end
  local src_win, go_win = window_of(src), window_of(view.buf)
  vim.api.nvim_buf_clear_namespace(view.buf, ns_follow, 0, -1)
  if not src_win or not go_win then
    return
  end
  local pos = vim.api.nvim_win_get_cursor(src_win)
  local line = pos[1] - 1
  local text = vim.api.nvim_buf_get_lines(src, line, line + 1, false)[1] or ''
  local ok, character = pcall(vim.str_utfindex, text, 'utf-16', math.min(pos[2], #text), false)
  local found = entries_at(view.map, line, ok and character or pos[2])
  if #found == 0 then
    return
  end
  for _, e in ipairs(found) do
    if e.go < vim.api.nvim_buf_line_count(view.buf) then
      vim.api.nvim_buf_set_extmark(view.buf, ns_follow, e.go, 0, { line_hl_group = 'GustGoCurrent', priority = 50 })
    end
  end
  reveal(go_win, found[1].go)
end

--- Go -> Gust: light up the Gust construct of the Go line under the cursor and move the Gust
--- window's cursor to it.
---@param src integer
function M.follow_go(src)
  local view = views[src]
  if not view or not valid(view.buf) or not valid(src) then
    return
  end
  vim.api.nvim_buf_clear_namespace(src, ns_follow, 0, -1)
  local go_win = window_of(view.buf)
  if not go_win then
    return
  end
  local e = entry_of_go_line(view.map, vim.api.nvim_win_get_cursor(go_win)[1] - 1)
  local last = vim.api.nvim_buf_line_count(src) - 1
  if not e or e.sl > last then
    return
  end
  local el = math.min(e.el, last)
  local sc, ec = byte_col(src, e.sl, e.sc), byte_col(src, el, e.ec)
  pcall(vim.api.nvim_buf_set_extmark, src, ns_follow, e.sl, sc, {
    end_row = el,
    end_col = ec,
    hl_group = 'GustSourceCurrent',
    priority = 50,
  })
  local src_win = window_of(src)
  if src_win and src_win ~= vim.api.nvim_get_current_win() then
    -- Leave a Gust cursor that is already inside the construct where it is.
    local row, col = unpack(vim.api.nvim_win_get_cursor(src_win))
    row = row - 1
    local inside = (row > e.sl or (row == e.sl and col >= sc)) and (row < el or (row == el and col < ec))
    if not inside then
      reveal(src_win, e.sl, sc)
    end
  end
end

---@param view gust.GoView
---@param result { uri: string, version: integer?, text: string?, stale: boolean?, sourceMap: integer[]? }
local function render(view, result)
  local buf = view.buf
  local lines = vim.split(result.text or '', '\r?\n')
  if #lines > 1 and lines[#lines] == '' then
    table.remove(lines) -- the text's final newline
  end
  -- Keep the Go window's view where it was: set_lines would move its cursor to the top.
  local win = window_of(buf)
  local saved = win and vim.api.nvim_win_call(win, vim.fn.winsaveview)
  set_lines(buf, lines)
  if win and saved then
    vim.api.nvim_win_call(win, function()
      vim.fn.winrestview(saved)
    end)
  end
  view.map = parse_map(result.sourceMap)
  vim.b[buf].gust_go_version = result.version
  vim.b[buf].gust_go_stale = result.stale == true
  vim.api.nvim_buf_clear_namespace(buf, ns, 0, -1)
  if result.stale then
    vim.api.nvim_buf_set_extmark(buf, ns, 0, 0, {
      virt_text = {
        { '  stale: the Gust file has errors; this is the last Go that was generated', 'DiagnosticWarn' },
      },
      virt_text_pos = 'eol',
    })
  end
end

--- Ask the server for the Go of `src` and show it in its view.
---@param src integer
local function refresh(src)
  local view = views[src]
  if not view then
    return
  end
  if not valid(view.buf) or not valid(src) then
    views[src] = nil
    return
  end
  local client = client_for(src)
  if not client then
    return -- not attached (yet, or any more): LspAttach refreshes
  end
  view.seq = view.seq + 1
  local seq = view.seq
  local params = { textDocument = { uri = vim.uri_from_bufnr(src) } }
  -- Passing `src` makes the client flush pending didChange notifications first.
  client:request(REQUEST, params, function(err, result)
    if views[src] ~= view or seq ~= view.seq or not valid(view.buf) then
      return -- closed, or a newer request is on its way
    end
    if err or type(result) ~= 'table' then
      local msg = err and (err.message or vim.inspect(err)) or 'no result'
      if vim.api.nvim_buf_line_count(view.buf) <= 1 and vim.api.nvim_buf_get_lines(view.buf, 0, 1, false)[1] == '' then
        set_lines(view.buf, { '// ' .. REQUEST .. ' failed: ' .. msg })
      end
      vim.notify('GustShowGo: ' .. REQUEST .. ' failed: ' .. msg, vim.log.levels.WARN)
      return
    end
    render(view, result)
    -- Whichever window the user is in leads.
    if vim.api.nvim_get_current_buf() == view.buf then
      M.follow_go(src)
    else
      M.follow_source(src)
    end
  end, src)
end

---@param src integer
---@return integer
local function create_view_buffer(src)
  local buf = vim.api.nvim_create_buf(false, true) -- unlisted scratch: buftype=nofile, noswapfile
  vim.bo[buf].bufhidden = 'wipe'
  vim.bo[buf].swapfile = false
  vim.bo[buf].modifiable = false
  vim.bo[buf].readonly = true
  vim.b[buf].gust_source_buf = src
  local fname = vim.api.nvim_buf_get_name(src)
  local name = 'gust-go://' .. fname:gsub('%.gust$', '') .. '.go'
  pcall(vim.api.nvim_buf_set_name, buf, name)
  -- Set after buftype=nofile, so that Go language servers do not attach to it.
  vim.bo[buf].filetype = 'go'
  local follow_source = vim.api.nvim_create_autocmd({ 'CursorMoved', 'CursorMovedI' }, {
    group = augroup,
    buffer = src,
    callback = function()
      M.follow_source(src)
    end,
  })
  vim.api.nvim_create_autocmd('BufWipeout', {
    group = augroup,
    buffer = buf,
    callback = function()
      pcall(vim.api.nvim_del_autocmd, follow_source)
      if views[src] and views[src].buf == buf then
        views[src] = nil
        if valid(src) then
          vim.api.nvim_buf_clear_namespace(src, ns_follow, 0, -1)
        end
      end
    end,
  })
  vim.api.nvim_create_autocmd('CursorMoved', {
    group = augroup,
    buffer = buf,
    callback = function()
      M.follow_go(src)
    end,
  })
  return buf
end

local autocmds_created = false

local function create_autocmds()
  if autocmds_created then
    return
  end
  autocmds_created = true
  -- After the server (re)starts it has a fresh analysis: refresh that file's view.
  vim.api.nvim_create_autocmd('LspAttach', {
    group = augroup,
    callback = function(args)
      if views[args.buf] then
        refresh(args.buf)
      end
    end,
  })
  -- The source buffer went away: stop following it (the view keeps its last text).
  vim.api.nvim_create_autocmd({ 'BufUnload', 'BufWipeout' }, {
    group = augroup,
    callback = function(args)
      views[args.buf] = nil
    end,
  })
end

--- :GustShowGo. Opens (or re-shows) the view beside the current Gust buffer; the cursor stays
--- in the Gust buffer so that the Go follows while you type. Command modifiers choose the
--- split (`:horizontal GustShowGo`, `:topleft GustShowGo`, ...); the default is vertical.
---@param opts? { mods?: string }
function M.show(opts)
  local src = vim.api.nvim_get_current_buf()
  local from_view = vim.b[src].gust_source_buf
  if from_view and valid(from_view) then
    src = from_view -- run in the view itself: refresh it
  end
  local server = require('gust.server')
  -- Right after opening a file the server may still be starting: the view opens now and
  -- fills in at LspAttach.
  local starting = vim.bo[src].filetype == 'gust' and not server.client(src) and server.enabled()
  if not starting and not server.require_client(src, 'GustShowGo') then
    return
  end
  create_autocmds()

  local view = views[src]
  if not view or not valid(view.buf) then
    view = { buf = create_view_buffer(src), seq = 0, map = {} }
    views[src] = view
    if starting then
      set_lines(view.buf, { '// waiting for gust-lsp to start' })
    end
  end
  if vim.fn.bufwinid(view.buf) == -1 then
    local mods = opts and opts.mods or ''
    if mods == '' then
      mods = 'vertical'
    end
    local win = vim.api.nvim_get_current_win()
    vim.cmd(mods .. ' sbuffer ' .. view.buf)
    vim.wo.wrap = false
    vim.wo.spell = false
    vim.api.nvim_set_current_win(win)
  end
  refresh(src)
end

--- Handler of the `gust/generatedGoChanged` notification.
---@param params? { uri: string, version: integer? }
function M.on_changed(_, params, _)
  if type(params) ~= 'table' or type(params.uri) ~= 'string' then
    return
  end
  -- The server may encode the URI differently from Neovim: compare file names too.
  local ok, fname = pcall(vim.uri_to_fname, params.uri)
  fname = ok and vim.fs.normalize(fname) or nil
  for src in pairs(views) do
    if valid(src) then
      if
        vim.uri_from_bufnr(src) == params.uri
        or (fname and vim.fs.normalize(vim.api.nvim_buf_get_name(src)) == fname)
      then
        refresh(src)
      end
    end
  end
end

--- For scripts and tests: the buffer showing the Go of `src` (default: current), if open.
---@param src? integer
---@return integer?
function M.view_buffer(src)
  local view = views[src or vim.api.nvim_get_current_buf()]
  return view and valid(view.buf) and view.buf or nil
end

return M
