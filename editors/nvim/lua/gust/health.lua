-- :checkhealth gust: Neovim's version, filetype detection, which gust-lsp would run (and its
-- version), Go, and the running gust-lsp clients.

local M = {}

local health = vim.health
local server = require('gust.server')

--- Run `cmd`; its first line of output, or nil and why not.
---@param cmd string[]
---@return string? line
---@return string? err
local function first_line(cmd)
  local ok, proc = pcall(vim.system, cmd, { text = true })
  if not ok then
    return nil, tostring(proc)
  end
  local out = proc:wait(15000)
  if out.code ~= 0 then
    return nil, string.format('`%s` exited %d: %s', table.concat(cmd, ' '), out.code, vim.trim(out.stderr or ''))
  end
  local line = vim.split(vim.trim(out.stdout or ''), '\n')[1]
  if not line or line == '' then
    return nil, string.format('`%s` printed nothing', table.concat(cmd, ' '))
  end
  return line
end

local function check_neovim()
  health.start('Neovim')
  local v = vim.version()
  local text = string.format('Neovim %d.%d.%d', v.major, v.minor, v.patch)
  if vim.fn.has('nvim-0.11') == 1 then
    health.ok(text)
  else
    health.error(text .. ': Gust needs Neovim 0.11 or newer (vim.lsp.config / vim.lsp.enable)')
  end
  if vim.filetype.match({ filename = 'main.gust' }) == 'gust' then
    health.ok('*.gust files get the filetype gust')
  else
    health.error('*.gust files are not detected: is editors/nvim on the runtimepath?')
  end
end

---@return vim.lsp.Client[]
local function gust_clients()
  local clients = vim.lsp.get_clients({ name = 'gust' })
  if #clients == 0 then
    clients = vim.tbl_filter(function(c)
      return server.client(next(c.attached_buffers) or -1) == c
    end, vim.lsp.get_clients())
  end
  return clients
end

--- The gust-lsp that runs (for a client) or would run (for the current directory's root).
---@param clients vim.lsp.Client[]
---@return string? path
local function check_server(clients)
  health.start('gust-lsp (the language server)')
  local ok_config, config = pcall(function()
    return vim.lsp.config.gust
  end)
  if not ok_config or not config then
    health.error('no `gust` LSP config: editors/nvim (with lsp/gust.lua) is not on the runtimepath')
  elseif server.enabled() then
    health.ok("vim.lsp.enable('gust') was called")
  else
    health.warn("the gust config is not enabled", { "call vim.lsp.enable('gust') in your config" })
  end

  local client = clients[1]
  local root = client and client.root_dir or vim.fs.root(vim.fn.getcwd(), server.root_markers)
  local path, how = server.command(client and client.config or config, root)
  if not path then
    health.error('gust-lsp not found: ' .. how, {
      'install Gust into the project: python -m venv .venv && .venv/bin/pip install gust',
      "or put gust-lsp on PATH, or set vim.lsp.config('gust', { cmd = { '/path/to/gust-lsp' } })",
    })
    return nil
  end
  local version, err = first_line({ path, '--version' })
  if version then
    health.ok(string.format('%s (%s, from %s)', version, path, how))
  else
    health.error(string.format('%s (from %s) does not run: %s', path, how, err))
  end
  return path
end

---@param clients vim.lsp.Client[]
local function check_go(clients)
  health.start('Go (for gust build, gust run and `use go` packages)')
  local settings = clients[1] and clients[1].settings or (vim.lsp.config.gust or {}).settings or {}
  local go_path = type(settings.gust) == 'table' and settings.gust.goPath or nil
  local go, how
  if type(go_path) == 'string' and go_path ~= '' then
    go, how = vim.fn.exepath(vim.fn.expand(go_path)), 'settings.gust.goPath'
    if go == '' then
      health.error('settings.gust.goPath is not executable: ' .. go_path)
      return
    end
  else
    go, how = vim.fn.exepath('go'), 'PATH'
    if go == '' then
      health.warn('no `go` on PATH', {
        'install Go 1.23 or newer, or set settings = { gust = { goPath = "/path/to/go" } }',
        'the editor features work without it; building and `use go` packages need it',
      })
      return
    end
  end
  local version, err = first_line({ go, 'version' })
  if version then
    health.ok(string.format('%s (%s, from %s)', version, go, how))
  else
    health.error(string.format('%s does not run: %s', go, err))
  end
end

---@param clients vim.lsp.Client[]
local function check_clients(clients)
  health.start('Clients')
  if #clients == 0 then
    health.warn('no gust-lsp client is running', {
      'open a .gust file; if none starts, see the log: :lua vim.cmd.edit(vim.lsp.log.get_filename())',
    })
    return
  end
  for _, client in ipairs(clients) do
    local files = {}
    for buf in pairs(client.attached_buffers) do
      table.insert(files, vim.fn.fnamemodify(vim.api.nvim_buf_get_name(buf), ':~:.'))
    end
    table.sort(files)
    local state = client:is_stopped() and 'stopped' or client.initialized and 'running' or 'starting'
    local text = string.format('client %d (%s), root %s, attached to %s', client.id, state,
      client.root_dir or '(none: single file)', #files > 0 and table.concat(files, ', ') or 'no buffer')
    if client:is_stopped() then
      health.error(text)
    elseif #files == 0 then
      health.warn(text)
    else
      health.ok(text)
    end
  end
end

function M.check()
  check_neovim()
  local clients = gust_clients()
  check_server(clients)
  check_go(clients)
  check_clients(clients)
end

return M
