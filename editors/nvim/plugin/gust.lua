-- Gust support: the :GustShowGo command and the client side of `gust/generatedGoChanged`.
-- The language server configuration itself is lsp/gust.lua: `vim.lsp.enable('gust')`.

if vim.g.loaded_gust then
  return
end
vim.g.loaded_gust = 1

vim.api.nvim_create_user_command('GustShowGo', function(opts)
  require('gust.generated_go').show(opts)
end, {
  nargs = 0,
  desc = 'Show the Go that gust-lsp generates for the current Gust buffer (live, read-only)',
})

-- The server sends `gust/generatedGoChanged` `{ uri, version }` after every analysis that
-- produced new Go; open :GustShowGo views of that file re-request it. A handler the user
-- registered themselves is left alone.
if vim.lsp.handlers['gust/generatedGoChanged'] == nil then
  vim.lsp.handlers['gust/generatedGoChanged'] = function(err, params, ctx)
    require('gust.generated_go').on_changed(err, params, ctx)
  end
end
