-- Gust language server configuration for Neovim >= 0.11 (`:help lsp-config`).
--
-- With editors/nvim on the 'runtimepath', this file is found by name:
--
--   vim.lsp.enable('gust')
--
-- The server is the project's own `.venv/bin/gust-lsp` (under the root found by
-- root_markers) when there is one, else `gust-lsp` on PATH (lua/gust/server.lua;
-- `:checkhealth gust` says which). Override any field with `vim.lsp.config('gust', { ... })`,
-- e.g. a fixed `cmd = { '/path/to/gust-lsp' }`.

local server = require('gust.server')

---@type vim.lsp.Config
return {
  cmd = server.start,
  filetypes = { 'gust' },
  root_markers = server.root_markers,
  -- `settings = { gust = { checkOnType = .., goPath = .. } }`: the server reads them with
  -- workspace/configuration (docs/lsp.md, Settings; README.md, Configure).
}
