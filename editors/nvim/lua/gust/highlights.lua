-- The plugin's highlight groups: subtle defaults, each linked to a group that every
-- colorscheme has. `default = true` leaves a group the user or the colorscheme defined
-- alone; plugin/gust.lua defines them again after `:colorscheme` (which clears links).

local M = {}

M.groups = {
  GustGoCurrent = 'CursorLine', -- :GustShowGo: the Go lines of the construct under the cursor
  GustSourceCurrent = 'LspReferenceText', -- :GustShowGo: the Gust of the Go line under the cursor
  GustBorrowShared = 'LspReferenceRead', -- :GustBorrows: a shared borrow (`&v`, a receiver `v`)
  GustBorrowMut = 'LspReferenceWrite', -- :GustBorrows: a mutable borrow (`&mut v`)
  GustBorrowLive = 'CursorLine', -- :GustBorrows: where a borrow is live
  GustBorrowNote = 'Comment', -- :GustBorrows: "`v` borrowed until here", "`s` moved into `f`"
  GustMove = 'DiagnosticUnderlineWarn', -- :GustBorrows: where a value is moved
  GustMoveLaterUse = 'DiagnosticUnderlineError', -- :GustBorrows: a use after the move (E0382)
}

function M.define()
  for group, link in pairs(M.groups) do
    vim.api.nvim_set_hl(0, group, { link = link, default = true })
  end
end

return M
