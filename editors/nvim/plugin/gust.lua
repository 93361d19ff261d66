-- Gust support: the commands (:GustShowGo, :GustExplain, :GustBorrows, :GustBorrowsClear),
-- the client side of `gust/generatedGoChanged`, and the highlight groups.
-- The language server configuration itself is lsp/gust.lua: `vim.lsp.enable('gust')`.
-- The modules under lua/gust are loaded on first use.

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

vim.api.nvim_create_user_command('GustExplain', function(opts)
  require('gust.explain').explain(opts)
end, {
  nargs = '?',
  desc = 'Explain an error code (default: the diagnostic under the cursor)',
  complete = function(lead)
    -- The codes of the current buffer's diagnostics.
    local codes = {}
    for _, d in ipairs(vim.diagnostic.get(0)) do
      if type(d.code) == 'string' and d.code:match('^E%d%d%d%d$') and vim.startswith(d.code, lead:upper()) then
        codes[d.code] = true
      end
    end
    local list = vim.tbl_keys(codes)
    table.sort(list)
    return list
  end,
})

vim.api.nvim_create_user_command('GustBorrows', function(opts)
  require('gust.borrows').show(opts)
end, {
  nargs = 0,
  bang = true,
  desc = 'Paint the borrows and moves of the function under the cursor (!: every borrow)',
})

vim.api.nvim_create_user_command('GustBorrowsClear', function()
  require('gust.borrows').clear()
end, {
  nargs = 0,
  desc = 'Clear the paint of :GustBorrows',
})

-- `:colorscheme` clears the default links; define them again.
vim.api.nvim_create_autocmd('ColorScheme', {
  group = vim.api.nvim_create_augroup('gust_highlights', { clear = true }),
  callback = function()
    require('gust.highlights').define()
  end,
})

-- The server sends `gust/generatedGoChanged` `{ uri, version }` after every analysis that
-- produced new Go; open :GustShowGo views of that file re-request it. A handler the user
-- registered themselves is left alone.
if vim.lsp.handlers['gust/generatedGoChanged'] == nil then
  vim.lsp.handlers['gust/generatedGoChanged'] = function(err, params, ctx)
    require('gust.generated_go').on_changed(err, params, ctx)
  end
end
