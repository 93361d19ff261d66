" Vim syntax file
" Language:   Gust (a Rust-inspired dialect of Go)
" Filenames:  *.gust
"
" A small, regex-based highlighter so that Gust files look right without tree-sitter.
" Rust's words and literals, plus Gust's Go words (go, select, chan).

if exists('b:current_syntax')
  finish
endif

let s:cpo_save = &cpo
set cpo&vim

syn case match

" Keywords
syn keyword gustConditional if else match
syn keyword gustRepeat      loop while for
syn keyword gustStatement   break continue return
syn keyword gustOperatorKw  as in
syn keyword gustKeyword     let mut ref move const static pub use mod crate super where dyn unsafe impl
syn keyword gustKeyword     fn nextgroup=gustFuncName skipwhite skipempty
syn keyword gustStructure   struct enum trait type nextgroup=gustTypeName skipwhite skipempty
syn keyword gustGoKeyword   go select chan
syn keyword gustSelf        self Self
syn keyword gustBoolean     true false
syn keyword gustConstant    Some None Ok Err

syn match gustFuncName "\%(r#\)\=\h\w*" contained display
syn match gustTypeName "\%(r#\)\=\h\w*" contained display

" Types: primitives, the std subset, and CamelCase names (user types and enum variants).
syn keyword gustType i8 i16 i32 i64 i128 isize u8 u16 u32 u64 u128 usize f32 f64 bool char str
syn keyword gustStdType String Vec VecDeque HashMap HashSet BTreeMap BTreeSet Option Result Box
syn keyword gustStdType Rc Arc Mutex RwLock Cell RefCell Sender Receiver SyncSender JoinHandle
syn keyword gustStdType GoError Debug Display Clone Copy PartialEq Eq PartialOrd Ord Hash Default
syn keyword gustStdType Iterator IntoIterator From Into ToString Send Sync Sized Drop Fn FnMut FnOnce
syn match   gustUserType "\<\u\w*\l\w*\>" display

" Macros: println!(..), vec![..], name!{..}
syn match gustMacro "\<\h\w*!\ze\s*[(\[{]" display

" Attributes: #[derive(Debug)], #![allow(dead_code)]
syn region gustAttribute start="#!\=\[" end="\]" contains=gustString

" Numbers: 42, 1_000, 0xff, 0o17, 0b1010, 2.5, 1e9, with type suffixes (8usize, 1.0f64)
syn match gustNumber "\<\d[0-9_]*\%([iu]\%(8\|16\|32\|64\|128\|size\)\)\=\>" display
syn match gustNumber "\<0x[0-9A-Fa-f_]\+\%([iu]\%(8\|16\|32\|64\|128\|size\)\)\=\>" display
syn match gustNumber "\<0o[0-7_]\+\%([iu]\%(8\|16\|32\|64\|128\|size\)\)\=\>" display
syn match gustNumber "\<0b[01_]\+\%([iu]\%(8\|16\|32\|64\|128\|size\)\)\=\>" display
syn match gustFloat  "\<\d[0-9_]*\.\d[0-9_]*\%([eE][+-]\=[0-9_]\+\)\=\%(f32\|f64\)\=\>" display
syn match gustFloat  "\<\d[0-9_]*\%(\.\d[0-9_]*\)\=[eE][+-]\=[0-9_]\+\%(f32\|f64\)\=\>" display
syn match gustFloat  "\<\d[0-9_]*\%(f32\|f64\)\>" display

" Strings and characters
syn match  gustEscape      "\\\%([nrt0\\'\"]\|x\x\x\|u{\x\{1,6}}\)" contained display
syn match  gustEscape      "\\$" contained display
syn match  gustPlaceholder "{{\|}}" contained display
syn match  gustPlaceholder "{\%(\h\w*\|\d\+\)\=\%(:[^{}\"]*\)\=}" contained display
syn region gustString start=+\%(\<b\)\="+ skip=+\\\\\|\\"+ end=+"+ contains=gustEscape,gustPlaceholder,@Spell
syn region gustString start=+\<b\=r\z(#*\)"+ end=+"\z1+ contains=@Spell
syn match  gustCharacter "\%(\<b\)\='\%([^\\']\|\\\%([nrt0\\'\"]\|x\x\x\|u{\x\{1,6}}\)\)'" contains=gustEscape display
" Loop labels: 'outer: loop { .. break 'outer; }
syn match  gustLabel "'\h\w*\>'\@!" display

" Comments: //, /// and //! doc comments, nesting /* */ blocks
syn keyword gustTodo contained TODO FIXME XXX NOTE SAFETY
syn match   gustLineComment "//.*$" contains=gustTodo,@Spell
syn match   gustDocComment  "//[/!]\%([^/].*\)\=$" contains=gustTodo,@Spell
syn region  gustBlockComment start="/\*" end="\*/" contains=gustBlockComment,gustTodo,@Spell extend

syn sync minlines=200

hi def link gustConditional  Conditional
hi def link gustRepeat       Repeat
hi def link gustStatement    Statement
hi def link gustOperatorKw   Keyword
hi def link gustKeyword      Keyword
hi def link gustStructure    Structure
hi def link gustGoKeyword    Keyword
hi def link gustSelf         Special
hi def link gustBoolean      Boolean
hi def link gustConstant     Constant
hi def link gustFuncName     Function
hi def link gustTypeName     Type
hi def link gustType         Type
hi def link gustStdType      Type
hi def link gustUserType     Type
hi def link gustMacro        Macro
hi def link gustAttribute    PreProc
hi def link gustNumber       Number
hi def link gustFloat        Float
hi def link gustEscape       SpecialChar
hi def link gustPlaceholder  Special
hi def link gustString       String
hi def link gustCharacter    Character
hi def link gustLabel        Label
hi def link gustTodo         Todo
hi def link gustLineComment  Comment
hi def link gustDocComment   SpecialComment
hi def link gustBlockComment Comment

let b:current_syntax = 'gust'

let &cpo = s:cpo_save
unlet s:cpo_save
