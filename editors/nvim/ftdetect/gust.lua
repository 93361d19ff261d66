-- *.gust files are Gust.
vim.filetype.add({ extension = { gust = 'gust' } })
