" Indentation for Gust files.
" Gust's syntax is Rust's, so Neovim's own Rust indent script (GetRustIndent) does the work.

if exists('b:did_indent')
  finish
endif

runtime! indent/rust.vim
