-- Gust language server configuration for Neovim >= 0.11 (`:help lsp-config`).
--
-- With editors/nvim on the 'runtimepath', this file is found by name:
--
--   vim.lsp.enable('gust')
--
-- Override any field with `vim.lsp.config('gust', { ... })`, e.g. another `cmd`.

---@type vim.lsp.Config
return {
  cmd = { 'gust-lsp' },
  filetypes = { 'gust' },
  root_markers = { 'gust.toml', 'go.mod', '.git' },
}
