-- Buffer settings for Gust files.

if vim.b.did_ftplugin then
  return
end
vim.b.did_ftplugin = 1

-- Comments as in Rust: `//` lines, `///` and `//!` doc comments, nesting `/* */` blocks.
vim.bo.commentstring = '// %s'
vim.bo.comments = 's0:/*!,ex:*/,s1:/*,mb:*,ex:*/,:///,://!,://'
vim.opt_local.formatoptions:remove('t')
vim.opt_local.formatoptions:append('croqnlj')
vim.bo.suffixesadd = '.gust'

local undo = 'setlocal commentstring< comments< formatoptions< suffixesadd<'

-- Four spaces, no tabs (Rust's style, and what `gust fmt` writes).
-- Opt out with `vim.g.gust_recommended_style = false`.
if vim.g.gust_recommended_style ~= false and vim.g.gust_recommended_style ~= 0 then
  vim.bo.expandtab = true
  vim.bo.shiftwidth = 4
  vim.bo.softtabstop = 4
  vim.bo.tabstop = 4
  undo = undo .. ' expandtab< shiftwidth< softtabstop< tabstop<'
end

vim.b.undo_ftplugin = undo
