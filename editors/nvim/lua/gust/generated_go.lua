-- :GustShowGo: a read-only, live view of the Go that gust-lsp generates for a Gust buffer.
--
-- Protocol (docs/lsp.md):
--   request      gust/generatedGo         { textDocument = { uri } } -> { uri, version, text, stale }
--   notification gust/generatedGoChanged  { uri, version }  (server -> client, after new Go)

local M = {}

local REQUEST = 'gust/generatedGo'
local ns = vim.api.nvim_create_namespace('gust_generated_go')
local augroup = vim.api.nvim_create_augroup('gust_generated_go', { clear = true })

--- One open view per source buffer.
---@class gust.GoView
---@field buf integer  the scratch buffer showing the Go
---@field seq integer  number of the latest request; older responses are dropped

---@type table<integer, gust.GoView>
local views = {}

---@param buf integer?
---@return boolean
local function valid(buf)
  return buf ~= nil and vim.api.nvim_buf_is_valid(buf)
end

--- The gust-lsp client attached to `bufnr`: the one named 'gust' (lsp/gust.lua), else any
--- client whose command is gust-lsp (e.g. configured under another name).
---@param bufnr integer
---@return vim.lsp.Client?
local function client_for(bufnr)
  local named = vim.lsp.get_clients({ bufnr = bufnr, name = 'gust' })
  if named[1] then
    return named[1]
  end
  for _, client in ipairs(vim.lsp.get_clients({ bufnr = bufnr })) do
    local cmd = client.config.cmd
    if type(cmd) == 'table' and type(cmd[1]) == 'string' then
      if vim.fs.basename(cmd[1]):match('^gust%-lsp') then
        return client
      end
    end
  end
  return nil
end

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

---@param view gust.GoView
---@param result { uri: string, version: integer?, text: string?, stale: boolean? }
local function render(view, result)
  local buf = view.buf
  local lines = vim.split(result.text or '', '\r?\n')
  if #lines > 1 and lines[#lines] == '' then
    table.remove(lines) -- the text's final newline
  end
  set_lines(buf, lines)
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
  vim.api.nvim_create_autocmd('BufWipeout', {
    group = augroup,
    buffer = buf,
    callback = function()
      if views[src] and views[src].buf == buf then
        views[src] = nil
      end
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
  if vim.bo[src].filetype ~= 'gust' then
    vim.notify('GustShowGo: the current buffer is not a Gust file', vim.log.levels.ERROR)
    return
  end
  if not client_for(src) then
    vim.notify(
      'GustShowGo: gust-lsp is not attached to this buffer (vim.lsp.enable("gust"); see :checkhealth vim.lsp)',
      vim.log.levels.ERROR
    )
    return
  end
  create_autocmds()

  local view = views[src]
  if not view or not valid(view.buf) then
    view = { buf = create_view_buffer(src), seq = 0 }
    views[src] = view
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
