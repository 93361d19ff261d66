-- Where gust-lsp is, and the gust-lsp client of a buffer: shared by lsp/gust.lua, the
-- commands and :checkhealth gust, so that they all agree on which server runs.

local M = {}

--- The files that mark a Gust project's root (lsp/gust.lua's root_markers).
M.root_markers = { 'gust.toml', 'go.mod', '.git' }

local is_windows = vim.fn.has('win32') == 1

--- The virtualenv locations of gust-lsp under a project root, in the order they are tried.
---@param root string
---@return string[]
local function venv_candidates(root)
  if is_windows then
    return {
      vim.fs.joinpath(root, '.venv', 'Scripts', 'gust-lsp.exe'),
      vim.fs.joinpath(root, 'venv', 'Scripts', 'gust-lsp.exe'),
    }
  end
  return {
    vim.fs.joinpath(root, '.venv', 'bin', 'gust-lsp'),
    vim.fs.joinpath(root, 'venv', 'bin', 'gust-lsp'),
  }
end

--- The gust-lsp to run for a project: the one of the root's virtualenv (`.venv/bin/gust-lsp`,
--- then `venv/bin/gust-lsp`), else the one on PATH. Returns the path (nil when there is none)
--- and where it was found, for :checkhealth.
---@param root string?
---@return string? path
---@return string how
function M.resolve(root)
  if root and root ~= '' then
    for _, candidate in ipairs(venv_candidates(root)) do
      if vim.fn.executable(candidate) == 1 then
        return candidate, "the project's virtualenv"
      end
    end
  end
  local on_path = vim.fn.exepath('gust-lsp')
  if on_path ~= '' then
    return on_path, 'PATH'
  end
  return nil, 'nowhere: no .venv/bin/gust-lsp in the project root and none on PATH'
end

--- `cmd` of lsp/gust.lua: starts the resolved gust-lsp for the client's root. A function
--- (rather than a fixed list) so that each project gets the server of its own virtualenv.
---@param dispatchers vim.lsp.rpc.Dispatchers
---@param config vim.lsp.ClientConfig
---@return vim.lsp.rpc.PublicClient
function M.start(dispatchers, config)
  local path = M.resolve(config.root_dir)
  -- Without one, start the bare name: the error Neovim reports then names gust-lsp.
  return vim.lsp.rpc.start({ path or 'gust-lsp' }, dispatchers, {
    cwd = config.cmd_cwd,
    env = config.cmd_env,
    detached = config.detached,
  })
end

--- The command a client of `config` runs (the first word of a fixed `cmd`, resolved on
--- PATH; or what M.start would run for `root`).
---@param config vim.lsp.Config?
---@param root string?
---@return string? path
---@return string how
function M.command(config, root)
  local cmd = config and config.cmd
  if type(cmd) == 'table' and type(cmd[1]) == 'string' then
    local exe = vim.fn.exepath(cmd[1])
    if exe == '' then
      return nil, 'cmd of vim.lsp.config("gust") (' .. cmd[1] .. ') is not executable'
    end
    return exe, 'cmd of vim.lsp.config("gust")'
  end
  return M.resolve(root)
end

--- The gust-lsp client attached to `bufnr`: the one named 'gust' (lsp/gust.lua), else any
--- client whose command is gust-lsp (e.g. configured under another name).
---@param bufnr integer
---@return vim.lsp.Client?
function M.client(bufnr)
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

--- Whether `vim.lsp.enable('gust')` was called (a client will start for Gust buffers).
---@return boolean
function M.enabled()
  return vim.lsp.is_enabled ~= nil and vim.lsp.is_enabled('gust')
end

--- The client of `bufnr`, or nil after telling the user why there is none.
---@param bufnr integer
---@param command string  for the message
---@return vim.lsp.Client?
function M.require_client(bufnr, command)
  if vim.bo[bufnr].filetype ~= 'gust' then
    vim.notify(command .. ': the current buffer is not a Gust file', vim.log.levels.ERROR)
    return nil
  end
  local client = M.client(bufnr)
  if not client then
    vim.notify(
      command .. ': gust-lsp is not attached to this buffer (vim.lsp.enable("gust"); see :checkhealth gust)',
      vim.log.levels.ERROR
    )
  end
  return client
end

return M
