"""The std subset the checker knows: builtin generic types and their methods.

Signatures are written as Rust-like strings and parsed once by `_parse_type`: `T`, `K`,
`V` stand for the receiver's type arguments, `Item` for an iterator's item type, and `Self`
for the receiver type. A method's `self` is "ref" (`&self`), "ref_mut" (`&mut self`),
"value" (`self`) or "static" (an associated function such as `Vec::new`).
"""

from __future__ import annotations

import functools
from typing import Final

from gust.frozen import dataclass
from gust.sema import types as t

# Builtin type names and how many type arguments each takes.
BUILTIN_TYPES: Final[dict[str, int]] = {
    "String": 0,
    "Vec": 1,
    "Option": 1,
    "Result": 2,
    "HashMap": 2,
    "Box": 1,
    # Iterators and ranges: `Iter<Item>` is any iterator yielding `Item`.
    "Iter": 1,
    "Range": 1,
    "RangeInclusive": 1,
    # Go interop (gust.sema.golang): Go's `error`, `any` and channels.
    "GoError": 0,
    # The error types of `str::parse`, named in signatures (`Result<i32, ParseIntError>`).
    "ParseIntError": 0,
    "ParseFloatError": 0,
    # The error of `u8::try_from(x)`, `x.try_into()` between integer types.
    "TryFromIntError": 0,
    # The error of `slice.try_into()` into an array (`[u8; 4]`).
    "TryFromSliceError": 0,
    # The errors of `String::from_utf8` and `std::str::from_utf8`.
    "FromUtf8Error": 0,
    "Utf8Error": 0,
    # `String::from_utf8_lossy`'s `Cow<str>` (the only `Cow` Gust makes): derefs to `str`.
    "Cow": 1,
    "GoAny": 0,
    "chan": 1,
    # The std subset of collections, threads and shared ownership.
    "HashSet": 1,
    "VecDeque": 1,
    "BTreeMap": 2,
    "BTreeSet": 1,
    "BinaryHeap": 1,
    "Entry": 2,
    "Ordering": 0,
    "JoinHandle": 1,
    "Sender": 1,
    "Receiver": 1,
    "Arc": 1,
    "Rc": 1,
    "Weak": 1,
    "Mutex": 1,
    "MutexGuard": 1,
    "RefCell": 1,
    # `std::cell::Cell<T>`: a value replaced whole (`get` of a `Copy` value, `set`).
    "Cell": 1,
    # The builders of `Formatter::debug_struct`, `debug_tuple` and `debug_list`.
    "DebugStruct": 0,
    "DebugTuple": 0,
    "DebugList": 0,
    "Ref": 1,
    "RefMut": 1,
    "Reverse": 1,
    "Scope": 0,
    "Duration": 0,
    "Instant": 0,
    # `std::ops::Bound<T>`: `Included(x)`, `Excluded(x)`, `Unbounded` (constructed as std
    # functions and a constant: `STD_FNS`, gust.sema.check.paths), for `BTreeMap::range`.
    "Bound": 1,
    "ScopedJoinHandle": 1,
    # `std::sync::atomic`'s types (their value types: `ATOMIC_VALUES`) and its `Ordering`,
    # named `AtomicOrdering` here (`use std::sync::atomic::Ordering` binds it: `cmp`'s
    # `Ordering` keeps its name).
    "AtomicU64": 0,
    "AtomicUsize": 0,
    "AtomicI64": 0,
    "AtomicIsize": 0,
    "AtomicU32": 0,
    "AtomicI32": 0,
    "AtomicBool": 0,
    "AtomicOrdering": 0,
    # `std::sync::RwLock<T>` and its guards (as `Mutex` and `MutexGuard`).
    "RwLock": 1,
    "RwLockReadGuard": 1,
    "RwLockWriteGuard": 1,
    # `std::mem::Discriminant<T>`: which variant an enum value is (`mem::discriminant(&v)`).
    "Discriminant": 1,
    "DefaultHasher": 0,
}
# The atomic types by the type of the value each holds.
ATOMIC_VALUES: Final[dict[str, str]] = {"AtomicU64": "u64", "AtomicUsize": "usize",
                                        "AtomicI64": "i64", "AtomicIsize": "isize",
                                        "AtomicU32": "u32", "AtomicI32": "i32",
                                        "AtomicBool": "bool"}
# `std::sync::atomic::Ordering`'s variants (Go's atomics are sequentially consistent: each
# is at least as strong as asked, so the Go code ignores them).
ATOMIC_ORDERINGS: Final = ("Relaxed", "Release", "Acquire", "AcqRel", "SeqCst")
# std's iterator types named in a type (`Peekable<Chars<'a>>` in a struct field), by module
# and name: the item type of the `Iter<Item>` each is (every std iterator is one type for
# the checker and one Go type, an `iter.Seq`); "I" for `Peekable<I>`, the iterator it wraps.
STD_ITERATOR_TYPES: Final[dict[tuple[tuple[str, ...], str], str]] = {
    (("std", "iter"), "Peekable"): "I",
    (("std", "str"), "Chars"): "char",
    (("std", "str"), "CharIndices"): "(usize,char)",
    (("std", "str"), "Bytes"): "u8",
    (("std", "str"), "Lines"): "&str",
    (("std", "str"), "SplitWhitespace"): "&str",
    (("std", "vec"), "IntoIter"): "T",
    (("std", "slice"), "Iter"): "&T",
    (("std", "slice"), "IterMut"): "&mut T",
    # `std::collections::hash_map::Iter<'a, K, V>` and its kin: of the map's entries.
    (("std", "hash_map"), "Iter"): "(&K,&V)",
    (("std", "hash_map"), "IterMut"): "(&K,&mut V)",
    (("std", "hash_map"), "IntoIter"): "(K,V)",
    (("std", "hash_map"), "Keys"): "&K",
    (("std", "hash_map"), "Values"): "&V",
}
_PARAMS: Final = {"Vec": ("T",), "slice": ("T",), "Option": ("T",), "Result": ("T", "E"),
           "HashMap": ("K", "V"), "Box": ("T",), "Iter": ("Item",), "Range": ("T",),
           "RangeInclusive": ("T",), "HashSet": ("T",), "VecDeque": ("T",),
           "BTreeMap": ("K", "V"), "BTreeSet": ("T",), "BinaryHeap": ("T",), "Entry": ("K", "V"),
           "JoinHandle": ("T",), "Sender": ("T",), "Receiver": ("T",), "Arc": ("T",),
           "Rc": ("T",), "Weak": ("T",), "Mutex": ("T",), "MutexGuard": ("T",), "RefCell": ("T",),
           "Cell": ("T",), "Ref": ("T",), "RefMut": ("T",), "ScopedJoinHandle": ("T",),
           "chan": ("T",), "Bound": ("T",), "Cow": ("T",), "RwLock": ("T",),
           "RwLockReadGuard": ("T",), "RwLockWriteGuard": ("T",),
           "Discriminant": ("T",)}
# Type parameters of the methods themselves (`map<B>`): fresh for every call.
METHOD_GENERICS: Final = ("B", "U")
# Parameter pseudo-types: a callable (`FnMut(&Item)->bool` is `Adt("FnMut", ((&Item,),
# bool))`), a string pattern (`&str`, `char` or a `char` predicate), and a key borrowed
# from the map's key type (`&K`, or `&str` for `String` keys).
CALLABLE_TRAITS: Final = ("Fn", "FnMut", "FnOnce")
PATTERN: Final = "Pattern"
BORROWED: Final = "Borrowed"
# Smart pointers that dereference to their first type argument (method probing, `*`).
DEREF_TYPES: Final = ("Box", "Arc", "Rc", "MutexGuard", "Ref", "RefMut", "Cow", "RwLockReadGuard",
               "RwLockWriteGuard")


@dataclass(frozen=True, slots=True)
class BuiltinMethod:
    owner: str
    name: str
    self_kind: str  # "ref", "ref_mut", "value" or "static"
    params: tuple[t.Ty, ...]
    ret: t.Ty
    # Extra requirements checked by the caller: "Clone" (elements must be Clone), ...
    requires: str = ""


# The ASCII predicates `char` and `u8` share (`c.is_ascii_digit()`, `b.is_ascii_digit()`).
_ASCII_PREDICATES: Final[list[tuple[str, str, tuple[str, ...], str]]] = [
    ("is_ascii", "ref", (), "bool"),
    ("is_ascii_digit", "ref", (), "bool"),
    ("is_ascii_alphabetic", "ref", (), "bool"),
    ("is_ascii_alphanumeric", "ref", (), "bool"),
    ("is_ascii_punctuation", "ref", (), "bool"),
    ("is_ascii_whitespace", "ref", (), "bool"),
    ("is_ascii_uppercase", "ref", (), "bool"),
    ("is_ascii_lowercase", "ref", (), "bool"),
    ("is_ascii_hexdigit", "ref", (), "bool"),
    ("is_ascii_graphic", "ref", (), "bool"),
    ("is_ascii_control", "ref", (), "bool"),
]

# The conversions of numbers to and from their bytes in each order (`Bytes` is `[u8; N]`,
# N the number's width in bytes).
_BYTE_ORDER_METHODS: Final[list[tuple[str, str, tuple[str, ...], str]]] = [
    *((f"to_{order}_bytes", "value", (), "Bytes") for order in ("le", "be", "ne")),
    *((f"from_{order}_bytes", "static", ("Bytes",), "Self") for order in ("le", "be", "ne")),
]

_SIGNATURES: Final[dict[str, list[tuple[str, str, tuple[str, ...], str]]]] = {
    "Vec": [
        ("new", "static", (), "Vec<T>"),
        ("with_capacity", "static", ("usize",), "Vec<T>"),
        ("push", "ref_mut", ("T",), "()"),
        ("pop", "ref_mut", (), "Option<T>"),
        ("len", "ref", (), "usize"),
        ("is_empty", "ref", (), "bool"),
        ("clear", "ref_mut", (), "()"),
        ("insert", "ref_mut", ("usize", "T"), "()"),
        ("remove", "ref_mut", ("usize",), "T"),
        ("swap_remove", "ref_mut", ("usize",), "T"),
        ("swap", "ref_mut", ("usize", "usize"), "()"),
        ("truncate", "ref_mut", ("usize",), "()"),
        ("reverse", "ref_mut", (), "()"),
        ("sort", "ref_mut", (), "()"),  # needs `T: Ord` (gust.sema.check.calls)
        ("contains", "ref", ("&T",), "bool"),
        ("first", "ref", (), "Option<&T>"),
        ("last", "ref", (), "Option<&T>"),
        ("get", "ref", ("usize",), "Option<&T>"),
        ("iter", "ref", (), "Iter<&T>"),
        ("iter_mut", "ref_mut", (), "Iter<&mut T>"),
        ("into_iter", "value", (), "Iter<T>"),
        ("clone", "ref", (), "Vec<T>"),
        ("sort", "ref_mut", (), "()"),
        ("sort_unstable", "ref_mut", (), "()"),
        ("sort_by", "ref_mut", ("FnMut(&T,&T)->Ordering",), "()"),
        ("sort_by_key", "ref_mut", ("FnMut(&T)->B",), "()"),
        # A stable sort is one of the orders an unstable sort may give.
        ("sort_unstable_by", "ref_mut", ("FnMut(&T,&T)->Ordering",), "()"),
        ("sort_unstable_by_key", "ref_mut", ("FnMut(&T)->B",), "()"),
        ("sort_by_cached_key", "ref_mut", ("FnMut(&T)->B",), "()"),
        ("is_sorted", "ref", (), "bool"),  # needs `T: PartialOrd` (gust.sema.check.calls)
        ("dedup", "ref_mut", (), "()"),
        ("dedup_by_key", "ref_mut", ("FnMut(&mut T)->B",), "()"),
        ("dedup_by", "ref_mut", ("FnMut(&mut T,&mut T)->bool",), "()"),
        ("binary_search", "ref", ("&T",), "Result<usize,usize>"),
        ("binary_search_by", "ref", ("FnMut(&T)->Ordering",), "Result<usize,usize>"),
        ("binary_search_by_key", "ref", ("&B", "FnMut(&T)->B"), "Result<usize,usize>"),
        ("partition_point", "ref", ("FnMut(&T)->bool",), "usize"),
        ("fill", "ref_mut", ("T",), "()"),
        ("split_off", "ref_mut", ("usize",), "Vec<T>"),
        ("retain", "ref_mut", ("FnMut(&T)->bool",), "()"),
        ("retain_mut", "ref_mut", ("FnMut(&mut T)->bool",), "()"),
        ("extend", "ref_mut", ("IntoIter<T>",), "()"),
        ("extend_from_slice", "ref_mut", ("&[T]",), "()"),
        ("append", "ref_mut", ("&mut Vec<T>",), "()"),
        ("windows", "ref", ("usize",), "Iter<&[T]>"),
        ("chunks", "ref", ("usize",), "Iter<&[T]>"),
        ("chunks_exact", "ref", ("usize",), "Iter<&[T]>"),
        ("to_vec", "ref", (), "Vec<T>"),
        ("as_slice", "ref", (), "&[T]"),
        ("as_mut_slice", "ref_mut", (), "&mut [T]"),
        ("split_at", "ref", ("usize",), "(&[T],&[T])"),
        ("split_at_mut", "ref_mut", ("usize",), "(&mut [T],&mut [T])"),
        ("first_mut", "ref_mut", (), "Option<&mut T>"),
        ("last_mut", "ref_mut", (), "Option<&mut T>"),
        ("get_mut", "ref_mut", ("usize",), "Option<&mut T>"),
        ("capacity", "ref", (), "usize"),
        ("join", "ref", ("&str",), "String"),
        ("concat", "ref", (), "String"),
        ("drain", "ref_mut", ("B",), "Iter<T>"),
        ("rotate_left", "ref_mut", ("usize",), "()"),
        ("rotate_right", "ref_mut", ("usize",), "()"),
        ("starts_with", "ref", ("&[T]",), "bool"),  # needs `T: PartialEq` (calls)
        ("ends_with", "ref", ("&[T]",), "bool"),
        ("strip_prefix", "ref", ("&[T]",), "Option<&[T]>"),
        ("strip_suffix", "ref", ("&[T]",), "Option<&[T]>"),
        ("split_first", "ref", (), "Option<(&T,&[T])>"),
        ("split_first_mut", "ref_mut", (), "Option<(&mut T,&mut [T])>"),
        ("split_last_mut", "ref_mut", (), "Option<(&mut T,&mut [T])>"),
        ("split_last", "ref", (), "Option<(&T,&[T])>"),
    ],
    # Arrays `[T; N]` and slices `[T]`: the read-only part of `Vec`'s methods.
    "slice": [
        # an array's own (`[T; N]` -> `[B; N]`: `Mapped`); a slice has none
        ("map", "value", ("FnMut(T)->B",), "Mapped"),
        ("len", "ref", (), "usize"),
        ("is_empty", "ref", (), "bool"),
        ("contains", "ref", ("&T",), "bool"),
        ("first", "ref", (), "Option<&T>"),
        ("last", "ref", (), "Option<&T>"),
        ("get", "ref", ("usize",), "Option<&T>"),
        ("iter", "ref", (), "Iter<&T>"),
        ("iter_mut", "ref_mut", (), "Iter<&mut T>"),
        ("sort", "ref_mut", (), "()"),
        ("sort_unstable", "ref_mut", (), "()"),
        ("sort_by", "ref_mut", ("FnMut(&T,&T)->Ordering",), "()"),
        ("sort_by_key", "ref_mut", ("FnMut(&T)->B",), "()"),
        # A stable sort is one of the orders an unstable sort may give.
        ("sort_unstable_by", "ref_mut", ("FnMut(&T,&T)->Ordering",), "()"),
        ("sort_unstable_by_key", "ref_mut", ("FnMut(&T)->B",), "()"),
        ("sort_by_cached_key", "ref_mut", ("FnMut(&T)->B",), "()"),
        ("is_sorted", "ref", (), "bool"),  # needs `T: PartialOrd` (gust.sema.check.calls)
        ("windows", "ref", ("usize",), "Iter<&[T]>"),
        ("chunks", "ref", ("usize",), "Iter<&[T]>"),
        ("chunks_exact", "ref", ("usize",), "Iter<&[T]>"),
        ("to_vec", "ref", (), "Vec<T>"),
        ("as_slice", "ref", (), "&[T]"),
        ("as_mut_slice", "ref_mut", (), "&mut [T]"),
        ("split_at", "ref", ("usize",), "(&[T],&[T])"),
        ("split_at_mut", "ref_mut", ("usize",), "(&mut [T],&mut [T])"),
        ("join", "ref", ("&str",), "String"),
        ("concat", "ref", (), "String"),
        ("reverse", "ref_mut", (), "()"),
        ("swap", "ref_mut", ("usize", "usize"), "()"),
        ("into_iter", "value", (), "Iter<T>"),
        ("rotate_left", "ref_mut", ("usize",), "()"),
        ("rotate_right", "ref_mut", ("usize",), "()"),
        ("binary_search", "ref", ("&T",), "Result<usize,usize>"),
        ("binary_search_by", "ref", ("FnMut(&T)->Ordering",), "Result<usize,usize>"),
        ("binary_search_by_key", "ref", ("&B", "FnMut(&T)->B"), "Result<usize,usize>"),
        ("partition_point", "ref", ("FnMut(&T)->bool",), "usize"),
        ("fill", "ref_mut", ("T",), "()"),
        ("first_mut", "ref_mut", (), "Option<&mut T>"),
        ("last_mut", "ref_mut", (), "Option<&mut T>"),
        ("get_mut", "ref_mut", ("usize",), "Option<&mut T>"),
        ("starts_with", "ref", ("&[T]",), "bool"),
        ("ends_with", "ref", ("&[T]",), "bool"),
        ("strip_prefix", "ref", ("&[T]",), "Option<&[T]>"),
        ("strip_suffix", "ref", ("&[T]",), "Option<&[T]>"),
        ("split_first", "ref", (), "Option<(&T,&[T])>"),
        ("split_first_mut", "ref_mut", (), "Option<(&mut T,&mut [T])>"),
        ("split_last_mut", "ref_mut", (), "Option<(&mut T,&mut [T])>"),
        ("split_last", "ref", (), "Option<(&T,&[T])>"),
    ],
    "String": [
        ("new", "static", (), "String"),
        ("from", "static", ("&str",), "String"),
        ("from_utf8", "static", ("Vec<u8>",), "Result<String,FromUtf8Error>"),
        ("from_utf8_lossy", "static", ("&[u8]",), "Cow<str>"),
        ("with_capacity", "static", ("usize",), "String"),
        ("push_str", "ref_mut", ("&str",), "()"),
        ("push", "ref_mut", ("char",), "()"),
        ("as_str", "ref", (), "&str"),
        ("clone", "ref", (), "String"),
        ("clear", "ref_mut", (), "()"),
        ("pop", "ref_mut", (), "Option<char>"),
        ("insert", "ref_mut", ("usize", "char"), "()"),
        ("insert_str", "ref_mut", ("usize", "&str"), "()"),
        ("remove", "ref_mut", ("usize",), "char"),
        ("truncate", "ref_mut", ("usize",), "()"),
        ("drain", "ref_mut", ("B",), "Iter<char>"),  # `B`: a range of byte offsets
        ("replace_range", "ref_mut", ("B", "&str"), "()"),  # (a range written in the call)
        ("retain", "ref_mut", ("FnMut(char)->bool",), "()"),
        ("make_ascii_uppercase", "ref_mut", (), "()"),
        ("make_ascii_lowercase", "ref_mut", (), "()"),
        ("capacity", "ref", (), "usize"),
        ("into_bytes", "value", (), "Vec<u8>"),
        ("extend", "ref_mut", ("IntoIter<char>",), "()"),
    ],
    # Methods of `str`, reached from `&str` and (by auto-deref) from `String`.
    "str": [
        # `s.get(1..3)`: a range only (gust.sema.check.calls `_get_range`)
        ("get", "ref", ("Range<usize>",), "Option<&str>"),
        ("split_at", "ref", ("usize",), "(&str,&str)"),
        ("len", "ref", (), "usize"),
        ("is_empty", "ref", (), "bool"),
        ("to_string", "ref", (), "String"),
        ("to_owned", "ref", (), "String"),
        ("to_uppercase", "ref", (), "String"),
        ("to_lowercase", "ref", (), "String"),
        ("trim", "ref", (), "&str"),
        ("trim_start", "ref", (), "&str"),
        ("trim_end", "ref", (), "&str"),
        ("trim_matches", "ref", ("Pattern",), "&str"),
        ("trim_start_matches", "ref", ("Pattern",), "&str"),
        ("trim_end_matches", "ref", ("Pattern",), "&str"),
        ("contains", "ref", ("Pattern",), "bool"),
        ("starts_with", "ref", ("Pattern",), "bool"),
        ("ends_with", "ref", ("Pattern",), "bool"),
        ("find", "ref", ("Pattern",), "Option<usize>"),
        ("rfind", "ref", ("Pattern",), "Option<usize>"),
        ("matches", "ref", ("Pattern",), "Iter<&str>"),
        ("match_indices", "ref", ("Pattern",), "Iter<(usize,&str)>"),
        ("replace", "ref", ("Pattern", "&str"), "String"),
        ("repeat", "ref", ("usize",), "String"),
        ("chars", "ref", (), "Iter<char>"),
        ("bytes", "ref", (), "Iter<u8>"),
        ("char_indices", "ref", (), "Iter<(usize,char)>"),
        ("split_whitespace", "ref", (), "Iter<&str>"),
        ("split", "ref", ("Pattern",), "Iter<&str>"),
        ("rsplit", "ref", ("Pattern",), "Iter<&str>"),
        ("splitn", "ref", ("usize", "Pattern"), "Iter<&str>"),
        ("split_terminator", "ref", ("Pattern",), "Iter<&str>"),
        ("split_once", "ref", ("Pattern",), "Option<(&str,&str)>"),
        ("rsplit_once", "ref", ("Pattern",), "Option<(&str,&str)>"),
        ("strip_prefix", "ref", ("Pattern",), "Option<&str>"),
        ("strip_suffix", "ref", ("Pattern",), "Option<&str>"),
        ("lines", "ref", (), "Iter<&str>"),
        ("as_bytes", "ref", (), "&[u8]"),
        ("to_ascii_uppercase", "ref", (), "String"),
        ("to_ascii_lowercase", "ref", (), "String"),
        ("eq_ignore_ascii_case", "ref", ("&str",), "bool"),
        ("is_char_boundary", "ref", ("usize",), "bool"),
        ("parse", "ref", (), "Result<B,U>"),
        ("cmp", "ref", ("&Self",), "Ordering"),
    ],
    # `cond.then(|| x)`, `cond.then_some(x)`: `Some` when the condition holds.
    "bool": [
        ("then", "value", ("FnOnce()->B",), "Option<B>"),
        ("then_some", "value", ("B",), "Option<B>"),
    ],
    "char": [
        ("is_alphabetic", "value", (), "bool"),
        ("is_numeric", "value", (), "bool"),
        ("is_alphanumeric", "value", (), "bool"),
        ("is_whitespace", "value", (), "bool"),
        ("is_uppercase", "value", (), "bool"),
        ("is_lowercase", "value", (), "bool"),
        ("is_control", "value", (), "bool"),
        *_ASCII_PREDICATES,
        ("eq_ignore_ascii_case", "ref", ("&char",), "bool"),
        ("is_digit", "value", ("u32",), "bool"),
        ("to_digit", "value", ("u32",), "Option<u32>"),
        ("to_ascii_uppercase", "ref", (), "char"),
        ("to_ascii_lowercase", "ref", (), "char"),
        ("to_uppercase", "value", (), "Iter<char>"),
        ("to_lowercase", "value", (), "Iter<char>"),
        ("len_utf8", "value", (), "usize"),
        ("encode_utf8", "value", ("&mut [u8]",), "&mut str"),
        ("cmp", "ref", ("&char",), "Ordering"),
        ("from_digit", "static", ("u32", "u32"), "Option<char>"),
        ("from_u32", "static", ("u32",), "Option<char>"),
    ],
    "Box": [
        ("new", "static", ("T",), "Box<T>"),
        ("as_ref", "ref", (), "&T"),
        ("as_mut", "ref_mut", (), "&mut T"),
    ],
    "Option": [
        # `Option<Result<T, E>>` -> `Result<Option<T>, E>`; `Option<Option<T>>` ->
        # `Option<T>` (the result's type: gust.sema.check.stdlib)
        ("transpose", "value", (), "B"),
        ("flatten", "value", (), "B"),
        ("is_some", "ref", (), "bool"),
        ("is_none", "ref", (), "bool"),
        ("unwrap", "value", (), "T"),
        ("expect", "value", ("&str",), "T"),
        ("unwrap_or", "value", ("T",), "T"),
        ("unwrap_or_else", "value", ("FnOnce()->T",), "T"),
        ("unwrap_or_default", "value", (), "T"),
        ("map", "value", ("FnOnce(T)->B",), "Option<B>"),
        ("map_or", "value", ("B", "FnOnce(T)->B"), "B"),
        ("map_or_else", "value", ("FnOnce()->B", "FnOnce(T)->B"), "B"),
        ("and_then", "value", ("FnOnce(T)->Option<B>",), "Option<B>"),
        ("filter", "value", ("FnOnce(&T)->bool",), "Option<T>"),
        ("ok_or", "value", ("B",), "Result<T,B>"),
        ("ok_or_else", "value", ("FnOnce()->B",), "Result<T,B>"),
        ("or", "value", ("Option<T>",), "Option<T>"),
        ("xor", "value", ("Option<T>",), "Option<T>"),
        ("zip", "value", ("Option<U>",), "Option<(T,U)>"),
        ("or_else", "value", ("FnOnce()->Option<T>",), "Option<T>"),
        ("is_some_and", "value", ("FnOnce(T)->bool",), "bool"),
        ("is_none_or", "value", ("FnOnce(T)->bool",), "bool"),
        ("as_ref", "ref", (), "Option<&T>"),
        ("as_deref", "ref", (), "Option<&T>"),  # T's deref target (`lookup`)
        ("as_deref_mut", "ref_mut", (), "Option<&mut T>"),
        ("as_mut", "ref_mut", (), "Option<&mut T>"),
        ("take", "ref_mut", (), "Option<T>"),
        ("replace", "ref_mut", ("T",), "Option<T>"),
        ("insert", "ref_mut", ("T",), "&mut T"),
        ("get_or_insert_with", "ref_mut", ("FnOnce()->T",), "&mut T"),
        ("iter", "ref", (), "Iter<&T>"),
        ("cloned", "value", (), "Option<B>"),
        ("copied", "value", (), "Option<B>"),
        ("unwrap_unchecked", "value", (), "T"),
    ],
    "Result": [
        ("transpose", "value", (), "B"),  # `Result<Option<T>, E>` -> `Option<Result<T, E>>`
        ("is_ok", "ref", (), "bool"),
        ("is_err", "ref", (), "bool"),
        ("unwrap", "value", (), "T"),
        ("expect", "value", ("&str",), "T"),
        ("unwrap_or", "value", ("T",), "T"),
        ("ok", "value", (), "Option<T>"),
        ("err", "value", (), "Option<E>"),
        ("unwrap_err", "value", (), "E"),
        ("expect_err", "value", ("&str",), "E"),
        ("unwrap_or_else", "value", ("FnOnce(E)->T",), "T"),
        ("unwrap_or_default", "value", (), "T"),
        ("map", "value", ("FnOnce(T)->B",), "Result<B,E>"),
        ("map_err", "value", ("FnOnce(E)->B",), "Result<T,B>"),
        ("map_or", "value", ("B", "FnOnce(T)->B"), "B"),
        ("map_or_else", "value", ("FnOnce(E)->B", "FnOnce(T)->B"), "B"),
        ("and_then", "value", ("FnOnce(T)->Result<B,E>",), "Result<B,E>"),
        ("or_else", "value", ("FnOnce(E)->Result<T,B>",), "Result<T,B>"),
        ("is_ok_and", "value", ("FnOnce(T)->bool",), "bool"),
        ("is_err_and", "value", ("FnOnce(E)->bool",), "bool"),
        ("as_ref", "ref", (), "Result<&T,&E>"),
        ("as_mut", "ref_mut", (), "Result<&mut T,&mut E>"),
    ],
    "HashMap": [
        ("new", "static", (), "HashMap<K,V>"),
        ("with_capacity", "static", ("usize",), "HashMap<K,V>"),
        ("insert", "ref_mut", ("K", "V"), "Option<V>"),
        ("get", "ref", ("Borrowed<K>",), "Option<&V>"),
        ("get_mut", "ref_mut", ("Borrowed<K>",), "Option<&mut V>"),
        ("contains_key", "ref", ("Borrowed<K>",), "bool"),
        ("remove", "ref_mut", ("Borrowed<K>",), "Option<V>"),
        ("entry", "ref_mut", ("K",), "Entry<K,V>"),
        ("keys", "ref", (), "Iter<&K>"),
        ("values", "ref", (), "Iter<&V>"),
        ("values_mut", "ref_mut", (), "Iter<&mut V>"),
        ("into_keys", "value", (), "Iter<K>"),
        ("into_values", "value", (), "Iter<V>"),
        ("iter", "ref", (), "Iter<(&K,&V)>"),
        ("iter_mut", "ref_mut", (), "Iter<(&K,&mut V)>"),
        ("into_iter", "value", (), "Iter<(K,V)>"),
        ("len", "ref", (), "usize"),
        ("is_empty", "ref", (), "bool"),
        ("clear", "ref_mut", (), "()"),
        ("clone", "ref", (), "HashMap<K,V>"),
        ("extend", "ref_mut", ("IntoIter<(K,V)>",), "()"),
        ("retain", "ref_mut", ("FnMut(&K,&mut V)->bool",), "()"),
    ],
    "Entry": [
        ("or_insert", "value", ("V",), "&mut V"),
        ("or_insert_with", "value", ("FnOnce()->V",), "&mut V"),
        ("or_default", "value", (), "&mut V"),
        ("and_modify", "value", ("FnOnce(&mut V)->()",), "Entry<K,V>"),
    ],
    # A max-heap (Go: a slice kept in Rust's heap order, by Rust's own sift algorithms).
    "BinaryHeap": [
        ("new", "static", (), "BinaryHeap<T>"),
        ("with_capacity", "static", ("usize",), "BinaryHeap<T>"),
        ("push", "ref_mut", ("T",), "()"),
        ("pop", "ref_mut", (), "Option<T>"),
        ("peek", "ref", (), "Option<&T>"),
        ("len", "ref", (), "usize"),
        ("is_empty", "ref", (), "bool"),
        ("clear", "ref_mut", (), "()"),
        ("iter", "ref", (), "Iter<&T>"),
        ("into_iter", "value", (), "Iter<T>"),
        ("into_vec", "value", (), "Vec<T>"),
        ("into_sorted_vec", "value", (), "Vec<T>"),
        ("clone", "ref", (), "BinaryHeap<T>"),
        ("extend", "ref_mut", ("IntoIter<T>",), "()"),
    ],
    # A double-ended queue (Go: a slice, like `Vec`'s; `push_front` moves the elements).
    "VecDeque": [
        ("new", "static", (), "VecDeque<T>"),
        ("with_capacity", "static", ("usize",), "VecDeque<T>"),
        ("push_back", "ref_mut", ("T",), "()"),
        ("push_front", "ref_mut", ("T",), "()"),
        ("pop_back", "ref_mut", (), "Option<T>"),
        ("pop_front", "ref_mut", (), "Option<T>"),
        ("front", "ref", (), "Option<&T>"),
        ("back", "ref", (), "Option<&T>"),
        ("front_mut", "ref_mut", (), "Option<&mut T>"),
        ("back_mut", "ref_mut", (), "Option<&mut T>"),
        ("len", "ref", (), "usize"),
        ("is_empty", "ref", (), "bool"),
        ("clear", "ref_mut", (), "()"),
        ("contains", "ref", ("&T",), "bool"),
        ("get", "ref", ("usize",), "Option<&T>"),
        ("get_mut", "ref_mut", ("usize",), "Option<&mut T>"),
        ("insert", "ref_mut", ("usize", "T"), "()"),
        ("remove", "ref_mut", ("usize",), "Option<T>"),
        ("swap", "ref_mut", ("usize", "usize"), "()"),
        ("drain", "ref_mut", ("B",), "Iter<T>"),
        ("truncate", "ref_mut", ("usize",), "()"),
        ("retain", "ref_mut", ("FnMut(&T)->bool",), "()"),
        ("iter", "ref", (), "Iter<&T>"),
        ("iter_mut", "ref_mut", (), "Iter<&mut T>"),
        ("into_iter", "value", (), "Iter<T>"),
        ("clone", "ref", (), "VecDeque<T>"),
        ("extend", "ref_mut", ("IntoIter<T>",), "()"),
        ("rotate_left", "ref_mut", ("usize",), "()"),
        ("rotate_right", "ref_mut", ("usize",), "()"),
        ("as_slices", "ref", (), "(&[T],&[T])"),
        ("make_contiguous", "ref_mut", (), "&mut [T]"),
        ("binary_search", "ref", ("&T",), "Result<usize,usize>"),
        ("binary_search_by", "ref", ("FnMut(&T)->Ordering",), "Result<usize,usize>"),
        ("binary_search_by_key", "ref", ("&B", "FnMut(&T)->B"), "Result<usize,usize>"),
        ("range", "ref", ("B",), "Iter<&T>"),
    ],
    "HashSet": [
        ("new", "static", (), "HashSet<T>"),
        ("with_capacity", "static", ("usize",), "HashSet<T>"),
        ("insert", "ref_mut", ("T",), "bool"),
        ("contains", "ref", ("Borrowed<T>",), "bool"),
        ("remove", "ref_mut", ("Borrowed<T>",), "bool"),
        ("len", "ref", (), "usize"),
        ("is_empty", "ref", (), "bool"),
        ("iter", "ref", (), "Iter<&T>"),
        ("into_iter", "value", (), "Iter<T>"),
        ("clear", "ref_mut", (), "()"),
        ("clone", "ref", (), "HashSet<T>"),
        ("extend", "ref_mut", ("IntoIter<T>",), "()"),
        ("retain", "ref_mut", ("FnMut(&T)->bool",), "()"),
        ("intersection", "ref", ("&HashSet<T>",), "Iter<&T>"),
        ("union", "ref", ("&HashSet<T>",), "Iter<&T>"),
        ("difference", "ref", ("&HashSet<T>",), "Iter<&T>"),
        ("symmetric_difference", "ref", ("&HashSet<T>",), "Iter<&T>"),
        ("is_subset", "ref", ("&HashSet<T>",), "bool"),
        ("is_superset", "ref", ("&HashSet<T>",), "bool"),
        ("is_disjoint", "ref", ("&HashSet<T>",), "bool"),
    ],
    # Gust's Go channels (docs/language.md 10.4): handles to one channel; `recv` is `None`
    # once the channel is closed and drained.
    "chan": [
        ("new", "static", ("usize",), "chan<T>"),
        ("send", "ref", ("T",), "()"),
        ("recv", "ref", (), "Option<T>"),
        ("close", "ref", (), "()"),
        ("len", "ref", (), "usize"),
        ("clone", "ref", (), "chan<T>"),
    ],
    "JoinHandle": [
        ("join", "value", (), "Result<T,Box<DynAnySend>>"),
        ("is_finished", "ref", (), "bool"),
    ],
    "ScopedJoinHandle": [
        ("join", "value", (), "Result<T,Box<DynAnySend>>"),
        ("is_finished", "ref", (), "bool"),
    ],
    # `std::time::Duration` (Go: the runtime's `Duration`, nanoseconds in an int64); its
    # operators are in gust.sema.check.operators, `ZERO` and `MAX` in check.paths.
    "Duration": [
        ("new", "static", ("u64", "u32"), "Duration"),
        ("from_secs", "static", ("u64",), "Duration"),
        ("from_millis", "static", ("u64",), "Duration"),
        ("from_micros", "static", ("u64",), "Duration"),
        ("from_nanos", "static", ("u64",), "Duration"),
        ("from_secs_f64", "static", ("f64",), "Duration"),
        ("from_secs_f32", "static", ("f32",), "Duration"),
        ("as_secs", "ref", (), "u64"),
        ("as_millis", "ref", (), "u128"),
        ("as_micros", "ref", (), "u128"),
        ("as_nanos", "ref", (), "u128"),
        ("as_secs_f64", "ref", (), "f64"),
        ("as_secs_f32", "ref", (), "f32"),
        ("as_millis_f64", "ref", (), "f64"),
        ("subsec_millis", "ref", (), "u32"),
        ("subsec_micros", "ref", (), "u32"),
        ("subsec_nanos", "ref", (), "u32"),
        ("is_zero", "ref", (), "bool"),
        ("checked_add", "value", ("Duration",), "Option<Duration>"),
        ("checked_sub", "value", ("Duration",), "Option<Duration>"),
        ("checked_mul", "value", ("u32",), "Option<Duration>"),
        ("checked_div", "value", ("u32",), "Option<Duration>"),
        ("saturating_add", "value", ("Duration",), "Duration"),
        ("saturating_sub", "value", ("Duration",), "Duration"),
        ("saturating_mul", "value", ("u32",), "Duration"),
        ("abs_diff", "value", ("Duration",), "Duration"),
        ("mul_f64", "value", ("f64",), "Duration"),
        ("div_f64", "value", ("f64",), "Duration"),
        ("div_duration_f64", "value", ("Duration",), "f64"),
    ],
    # `std::collections::hash_map::DefaultHasher` (`std::hash::DefaultHasher`): SipHash-1-3
    # with the keys `new()` gives, so its `finish()` is the same number as with rustc.
    "DefaultHasher": [
        ("new", "static", (), "DefaultHasher"),
        ("default", "static", (), "DefaultHasher"),
        ("finish", "ref", (), "u64"),
        ("write", "ref_mut", ("&[u8]",), "()"),
        ("write_u8", "ref_mut", ("u8",), "()"),
        ("write_u16", "ref_mut", ("u16",), "()"),
        ("write_u32", "ref_mut", ("u32",), "()"),
        ("write_u64", "ref_mut", ("u64",), "()"),
        ("write_usize", "ref_mut", ("usize",), "()"),
        ("write_i8", "ref_mut", ("i8",), "()"),
        ("write_i16", "ref_mut", ("i16",), "()"),
        ("write_i32", "ref_mut", ("i32",), "()"),
        ("write_i64", "ref_mut", ("i64",), "()"),
        ("write_isize", "ref_mut", ("isize",), "()"),
        ("clone", "ref", (), "DefaultHasher"),
    ],
    "Instant": [
        ("now", "static", (), "Instant"),
        ("elapsed", "ref", (), "Duration"),
        ("duration_since", "ref", ("Instant",), "Duration"),
        ("saturating_duration_since", "ref", ("Instant",), "Duration"),
        ("checked_duration_since", "ref", ("Instant",), "Option<Duration>"),
        ("checked_add", "ref", ("Duration",), "Option<Instant>"),
        ("checked_sub", "ref", ("Duration",), "Option<Instant>"),
    ],
    # `thread::scope(|s| ..)`: threads spawned on the scope may borrow locals.
    "Scope": [
        ("spawn", "ref", ("FnOnce()->B",), "ScopedJoinHandle<B>"),
    ],
    "Sender": [
        ("send", "ref", ("T",), "Result<(),SendError<T>>"),
        ("clone", "ref", (), "Sender<T>"),
    ],
    "Receiver": [
        ("recv", "ref", (), "Result<T,RecvError>"),
        ("try_recv", "ref", (), "Result<T,TryRecvError>"),
        ("iter", "ref", (), "Iter<T>"),
        ("into_iter", "value", (), "Iter<T>"),
    ],
    "Cow": [
        ("into_owned", "value", (), "String"),
        ("to_mut", "ref_mut", (), "&mut String"),
        ("clone", "ref", (), "Cow<T>"),
    ],
    "Arc": [
        ("new", "static", ("T",), "Arc<T>"),
        ("clone", "static", ("&Arc<T>",), "Arc<T>"),
        ("strong_count", "static", ("&Arc<T>",), "usize"),
    ],
    "Rc": [
        ("new", "static", ("T",), "Rc<T>"),
        ("clone", "static", ("&Rc<T>",), "Rc<T>"),
        ("strong_count", "static", ("&Rc<T>",), "usize"),
        ("weak_count", "static", ("&Rc<T>",), "usize"),
        ("downgrade", "static", ("&Rc<T>",), "Weak<T>"),
    ],
    "Weak": [
        ("new", "static", (), "Weak<T>"),
        ("upgrade", "ref", (), "Option<Rc<T>>"),
        ("clone", "ref", (), "Weak<T>"),
        ("strong_count", "ref", (), "usize"),
        ("weak_count", "ref", (), "usize"),
    ],
    "Mutex": [
        ("new", "static", ("T",), "Mutex<T>"),
        ("lock", "ref", (), "Result<MutexGuard<T>,PoisonError<MutexGuard<T>>>"),
        ("into_inner", "value", (), "Result<T,PoisonError<T>>"),
    ],
    "RwLock": [
        ("new", "static", ("T",), "RwLock<T>"),
        ("read", "ref", (), "Result<RwLockReadGuard<T>,PoisonError<RwLockReadGuard<T>>>"),
        ("write", "ref", (), "Result<RwLockWriteGuard<T>,PoisonError<RwLockWriteGuard<T>>>"),
        ("into_inner", "value", (), "Result<T,PoisonError<T>>"),
        ("get_mut", "ref_mut", (), "Result<&mut T,PoisonError<&mut T>>"),
    ],
    # `get` needs `T: Copy`, `take` `T: Default` (gust.sema.check.stdlib).
    "Cell": [
        ("new", "static", ("T",), "Cell<T>"),
        ("get", "ref", (), "T"),
        ("set", "ref", ("T",), "()"),
        ("replace", "ref", ("T",), "T"),
        ("take", "ref", (), "T"),
        ("into_inner", "value", (), "T"),
        ("get_mut", "ref_mut", (), "&mut T"),
    ],
    "RefCell": [
        ("new", "static", ("T",), "RefCell<T>"),
        ("borrow", "ref", (), "Ref<T>"),
        ("borrow_mut", "ref", (), "RefMut<T>"),
        ("into_inner", "value", (), "T"),
    ],
    "GoError": [
        ("Error", "ref", (), "String"),
    ],
    "Iter": [
        ("next", "ref_mut", (), "Option<Item>"),
        ("next_back", "ref_mut", (), "Option<Item>"),
        ("cycle", "value", (), "Iter<Item>"),
        ("by_ref", "ref_mut", (), "&mut Self"),
        ("count", "value", (), "usize"),
        # Pairwise equality with another iterator (`s.chars().eq(s.chars().rev())`).
        ("eq", "value", ("IntoIter<Item>",), "bool"),
        ("ne", "value", ("IntoIter<Item>",), "bool"),
        ("rev", "value", (), "Iter<Item>"),
        ("enumerate", "value", (), "Iter<(usize, Item)>"),
        ("skip", "value", ("usize",), "Iter<Item>"),
        ("take", "value", ("usize",), "Iter<Item>"),
        ("step_by", "value", ("usize",), "Iter<Item>"),
        ("map", "value", ("FnMut(Item)->B",), "Iter<B>"),
        ("filter", "value", ("FnMut(&Item)->bool",), "Iter<Item>"),
        ("filter_map", "value", ("FnMut(Item)->Option<B>",), "Iter<B>"),
        ("take_while", "value", ("FnMut(&Item)->bool",), "Iter<Item>"),
        ("skip_while", "value", ("FnMut(&Item)->bool",), "Iter<Item>"),
        ("map_while", "value", ("FnMut(Item)->Option<B>",), "Iter<B>"),
        ("inspect", "value", ("FnMut(&Item)->()",), "Iter<Item>"),
        ("flat_map", "value", ("FnMut(Item)->B",), "Iter<U>"),
        ("flatten", "value", (), "Iter<U>"),
        ("zip", "value", ("IntoIter<B>",), "Iter<(Item,B)>"),
        ("chain", "value", ("IntoIter<Item>",), "Iter<Item>"),
        ("peekable", "value", (), "Iter<Item>"),
        ("clone", "ref", (), "Iter<Item>"),
        ("peek", "ref_mut", (), "Option<&Item>"),
        ("peek_mut", "ref_mut", (), "Option<&mut Item>"),
        ("next_if", "ref_mut", ("FnOnce(&Item)->bool",), "Option<Item>"),
        ("next_if_eq", "ref_mut", ("&Item",), "Option<Item>"),
        ("cloned", "value", (), "Iter<B>"),
        ("copied", "value", (), "Iter<B>"),
        ("cycle", "value", (), "Iter<Item>"),
        ("last", "value", (), "Option<Item>"),
        ("nth", "ref_mut", ("usize",), "Option<Item>"),
        ("min", "value", (), "Option<Item>"),
        ("max", "value", (), "Option<Item>"),
        ("min_by_key", "value", ("FnMut(&Item)->B",), "Option<Item>"),
        ("max_by_key", "value", ("FnMut(&Item)->B",), "Option<Item>"),
        ("min_by", "value", ("FnMut(&Item,&Item)->Ordering",), "Option<Item>"),
        ("max_by", "value", ("FnMut(&Item,&Item)->Ordering",), "Option<Item>"),
        ("fold", "value", ("B", "FnMut(B,Item)->B"), "B"),
        # `U` is `Option<B>` or `Result<B, E>` (gust.sema.check.stdlib: `_try_fold`).
        ("try_fold", "ref_mut", ("B", "FnMut(B,Item)->U"), "U"),
        ("scan", "value", ("B", "FnMut(&mut B,Item)->Option<U>"), "Iter<U>"),
        ("any", "ref_mut", ("FnMut(Item)->bool",), "bool"),
        ("all", "ref_mut", ("FnMut(Item)->bool",), "bool"),
        ("find", "ref_mut", ("FnMut(&Item)->bool",), "Option<Item>"),
        ("find_map", "ref_mut", ("FnMut(Item)->Option<B>",), "Option<B>"),
        ("position", "ref_mut", ("FnMut(Item)->bool",), "Option<usize>"),
        ("rposition", "ref_mut", ("FnMut(Item)->bool",), "Option<usize>"),
        ("as_str", "ref", (), "&str"),  # `Chars::as_str` (gust models `Chars` as `Iter<char>`)
        ("for_each", "value", ("FnMut(Item)->()",), "()"),
        ("sum", "value", (), "B"),
        ("product", "value", (), "B"),
        ("collect", "value", (), "B"),
        ("unzip", "value", (), "B"),
        ("partition", "value", ("FnMut(&Item)->bool",), "(Vec<Item>,Vec<Item>)"),
    ],
    "Range": [
        ("rev", "value", (), "Iter<T>"),
        ("step_by", "value", ("usize",), "Iter<T>"),
        ("contains", "ref", ("&T",), "bool"),
        ("is_empty", "ref", (), "bool"),
        ("len", "ref", (), "usize"),  # ExactSizeIterator's (not of 64-bit ints: calls.py)
    ],
    "RangeInclusive": [
        ("new", "static", ("T", "T"), "RangeInclusive<T>"),
        ("rev", "value", (), "Iter<T>"),
        ("step_by", "value", ("usize",), "Iter<T>"),
        ("contains", "ref", ("&T",), "bool"),
        ("is_empty", "ref", (), "bool"),
        ("start", "ref", (), "&T"),
        ("end", "ref", (), "&T"),
        ("len", "ref", (), "usize"),  # of 8- and 16-bit ints alone (calls.py)
    ],
    # Numbers: `Self` is the receiver's own type.
    "int": [
        ("abs", "value", (), "Self"),
        ("pow", "value", ("u32",), "Self"),
        ("checked_pow", "value", ("u32",), "Option<Self>"),
        ("saturating_pow", "value", ("u32",), "Self"),
        ("wrapping_pow", "value", ("u32",), "Self"),
        ("min", "value", ("Self",), "Self"),
        ("max", "value", ("Self",), "Self"),
        ("cmp", "ref", ("&Self",), "Ordering"),
        ("partial_cmp", "ref", ("&Self",), "Option<Ordering>"),
        ("signum", "value", (), "Self"),
        ("rem_euclid", "value", ("Self",), "Self"),
        ("checked_add", "value", ("Self",), "Option<Self>"),
        ("checked_sub", "value", ("Self",), "Option<Self>"),
        ("checked_mul", "value", ("Self",), "Option<Self>"),
        ("checked_div", "value", ("Self",), "Option<Self>"),
        ("checked_rem", "value", ("Self",), "Option<Self>"),
        ("checked_neg", "value", (), "Option<Self>"),
        ("saturating_sub", "value", ("Self",), "Self"),
        ("saturating_add", "value", ("Self",), "Self"),
        ("saturating_mul", "value", ("Self",), "Self"),
        ("wrapping_add", "value", ("Self",), "Self"),
        ("wrapping_sub", "value", ("Self",), "Self"),
        ("wrapping_mul", "value", ("Self",), "Self"),
        ("wrapping_div", "value", ("Self",), "Self"),
        ("wrapping_rem", "value", ("Self",), "Self"),
        ("wrapping_neg", "value", (), "Self"),
        ("is_positive", "value", (), "bool"),
        ("is_negative", "value", (), "bool"),
        ("count_ones", "value", (), "u32"),
        ("count_zeros", "value", (), "u32"),
        ("leading_zeros", "value", (), "u32"),
        ("trailing_zeros", "value", (), "u32"),
        ("clamp", "value", ("Self", "Self"), "Self"),
        ("abs_diff", "value", ("Self",), "Unsigned"),
        ("div_euclid", "value", ("Self",), "Self"),
        ("is_power_of_two", "value", (), "bool"),
        ("next_power_of_two", "value", (), "Self"),
        ("rotate_left", "value", ("u32",), "Self"),
        ("rotate_right", "value", ("u32",), "Self"),
        ("overflowing_add", "value", ("Self",), "(Self,bool)"),
        ("overflowing_sub", "value", ("Self",), "(Self,bool)"),
        ("overflowing_mul", "value", ("Self",), "(Self,bool)"),
        ("from_str_radix", "static", ("&str", "u32"), "Result<Self,ParseIntError>"),
        *_BYTE_ORDER_METHODS,
    ],
    # `u8`'s own methods beyond the integers' (`b.is_ascii_digit()`): `lookup` falls back
    # to them for a `u8` receiver.
    "u8": [
        *_ASCII_PREDICATES,
        ("to_ascii_uppercase", "ref", (), "u8"),
        ("to_ascii_lowercase", "ref", (), "u8"),
        ("eq_ignore_ascii_case", "ref", ("&u8",), "bool"),
        ("make_ascii_uppercase", "ref_mut", (), "()"),
        ("make_ascii_lowercase", "ref_mut", (), "()"),
    ],
    "float": [
        ("abs", "value", (), "Self"),
        ("sqrt", "value", (), "Self"),
        ("floor", "value", (), "Self"),
        ("ceil", "value", (), "Self"),
        ("round", "value", (), "Self"),
        ("powi", "value", ("i32",), "Self"),
        ("powf", "value", ("Self",), "Self"),
        ("min", "value", ("Self",), "Self"),
        ("max", "value", ("Self",), "Self"),
        ("partial_cmp", "ref", ("&Self",), "Option<Ordering>"),
        ("total_cmp", "ref", ("&Self",), "Ordering"),
        ("is_nan", "value", (), "bool"),
        ("is_finite", "value", (), "bool"),
        ("is_infinite", "value", (), "bool"),
        ("trunc", "value", (), "Self"),
        ("fract", "value", (), "Self"),
        ("ln", "value", (), "Self"),
        ("exp", "value", (), "Self"),
        ("sin", "value", (), "Self"),
        ("cos", "value", (), "Self"),
        ("signum", "value", (), "Self"),
        ("clamp", "value", ("Self", "Self"), "Self"),
        ("to_bits", "value", (), "Bits"),
        ("from_bits", "static", ("Bits",), "Self"),
        *_BYTE_ORDER_METHODS,
    ],
    "FromUtf8Error": [
        ("into_bytes", "value", (), "Vec<u8>"),
        ("as_bytes", "ref", (), "&[u8]"),
        ("utf8_error", "ref", (), "Utf8Error"),
    ],
    "Utf8Error": [
        ("valid_up_to", "ref", (), "usize"),
        ("error_len", "ref", (), "Option<usize>"),
    ],
    "Ordering": [
        ("reverse", "value", (), "Ordering"),
        ("then", "value", ("Ordering",), "Ordering"),
        ("then_with", "value", ("FnOnce()->Ordering",), "Ordering"),
        ("is_lt", "value", (), "bool"),
        ("is_gt", "value", (), "bool"),
        ("is_eq", "value", (), "bool"),
        ("is_le", "value", (), "bool"),
        ("is_ge", "value", (), "bool"),
        ("is_ne", "value", (), "bool"),
    ],
}
# `BTreeMap`/`BTreeSet`: the methods of `HashMap`/`HashSet` (iterated in key order), and the
# first and last entries.
_SIGNATURES["BTreeMap"] = [
    (name, kind, params, ret.replace("HashMap<", "BTreeMap<"))
    for name, kind, params, ret in _SIGNATURES["HashMap"]
] + [("first_key_value", "ref", (), "Option<(&K,&V)>"),
     ("last_key_value", "ref", (), "Option<(&K,&V)>"),
     # a range of `K` (`lo..`, `lo..=hi`, ..): gust.sema.check.calls
     ("range", "ref", ("B",), "Iter<(&K,&V)>")]
_SIGNATURES["BTreeSet"] = [
    (name, kind, tuple(p.replace("HashSet<", "BTreeSet<") for p in params),
     ret.replace("HashSet<", "BTreeSet<"))
    for name, kind, params, ret in _SIGNATURES["HashSet"]
] + [("first", "ref", (), "Option<&T>"), ("last", "ref", (), "Option<&T>"),
     ("range", "ref", ("B",), "Iter<&T>")]

# `fmt::Formatter`'s flags, read in a `Display`/`Debug` impl (`{:#}` is `alternate`).
_SIGNATURES["Formatter"] = [("alternate", "ref", (), "bool"), ("sign_plus", "ref", (), "bool"),
                             ("write_str", "ref_mut", ("&str",), "FmtResult"),
                             ("pad", "ref_mut", ("&str",), "FmtResult"),
                             ("debug_struct", "ref_mut", ("&str",), "DebugStruct"),
                             ("debug_tuple", "ref_mut", ("&str",), "DebugTuple"),
                             ("debug_list", "ref_mut", (), "DebugList")]
# (a value given to `field` or `entry` must be `Debug`: not checked yet)
_SIGNATURES["DebugStruct"] = [("field", "ref_mut", ("&str", "&B"), "&mut DebugStruct"),
                              ("finish", "ref_mut", (), "FmtResult"),
                              ("finish_non_exhaustive", "ref_mut", (), "FmtResult")]
_SIGNATURES["DebugTuple"] = [("field", "ref_mut", ("&B",), "&mut DebugTuple"),
                             ("finish", "ref_mut", (), "FmtResult")]
_SIGNATURES["DebugList"] = [("entry", "ref_mut", ("&B",), "&mut DebugList"),
                            ("entries", "ref_mut", ("IntoIter<B>",), "&mut DebugList"),
                            ("finish", "ref_mut", (), "FmtResult")]



def _atomic_methods(value: str) -> list[tuple[str, str, tuple[str, ...], str]]:
    """The methods of the atomic type holding a `value`: `&self` methods, which change it
    (it is `Sync`); each takes the `Ordering`s Rust's does."""
    o = "AtomicOrdering"
    rmw = ("fetch_and", "fetch_or", "fetch_xor", "fetch_nand") if value == "bool" else \
        ("fetch_add", "fetch_sub", "fetch_max", "fetch_min", "fetch_and", "fetch_or",
         "fetch_xor")
    return [
        ("new", "static", (value,), "Self"),
        ("load", "ref", (o,), value),
        ("store", "ref", (value, o), "()"),
        ("swap", "ref", (value, o), value),
        ("compare_exchange", "ref", (value, value, o, o), f"Result<{value},{value}>"),
        ("compare_exchange_weak", "ref", (value, value, o, o), f"Result<{value},{value}>"),
        ("into_inner", "value", (), value),
        ("get_mut", "ref_mut", (), f"&mut {value}"),
        ("fetch_update", "ref", (o, o, f"FnMut({value})->Option<{value}>"),
         f"Result<{value},{value}>"),
        *((name, "ref", (value, o), value) for name in rmw),
    ]


_SIGNATURES.update({atomic: _atomic_methods(value) for atomic, value in ATOMIC_VALUES.items()})

# Types with associated functions (`HashMap::new`, `Arc::clone`).
STATIC_OWNERS: Final = ("Vec", "VecDeque", "String", "str", "Option", "HashMap", "HashSet",
                 "BTreeMap", "BTreeSet", "BinaryHeap", "Arc", "Rc", "Weak", "Mutex",
                 "RefCell", "Cell", "Box", "Duration", "Instant", "chan", "char", "RwLock",
                 "DefaultHasher", "RangeInclusive", *ATOMIC_VALUES)

# Free functions of std modules, by their last two path segments (`thread::spawn`,
# `std::sync::mpsc::channel`); `T` is fresh for every use.
STD_FNS: Final[dict[tuple[str, str], tuple[tuple[str, ...], str]]] = {
    ("thread", "spawn"): (("FnOnce()->T",), "JoinHandle<T>"),
    ("thread", "scope"): (("FnOnce(&Scope)->T",), "T"),
    ("thread", "sleep"): (("Duration",), "()"),
    ("mpsc", "channel"): ((), "(Sender<T>,Receiver<T>)"),
    ("str", "from_utf8"): (("&[u8]",), "Result<&str,Utf8Error>"),
    ("mem", "swap"): (("&mut T", "&mut T"), "()"),
    ("mem", "replace"): (("&mut T", "T"), "T"),
    ("mem", "take"): (("&mut T",), "T"),
    ("mem", "discriminant"): (("&T",), "Discriminant<T>"),
    ("cmp", "max"): (("T", "T"), "T"),
    ("cmp", "min"): (("T", "T"), "T"),
    # `Reverse(x)`: a tuple struct, constructed like a function.
    ("cmp", "Reverse"): (("T",), "Reverse<T>"),
    # `Bound::Included(x)`, `Excluded(x)` (imported or not): variants, constructed alike.
    ("Bound", "Included"): (("T",), "Bound<T>"),
    ("Bound", "Excluded"): (("T",), "Bound<T>"),
    # `Cow::Borrowed(s)`, `Cow::Owned(s)`: std::borrow::Cow's variants (of `str` only).
    ("Cow", "Borrowed"): (("&str",), "Cow<str>"),
    ("Cow", "Owned"): (("String",), "Cow<str>"),
    ("process", "exit"): (("i32",), "!"),
    # `std::env::args()`: the program's arguments, the program's name first.
    ("env", "args"): ((), "Iter<String>"),
    # `std::iter::once(x)`, `repeat(x)` (endless: with `take`), `empty()`.
    ("iter", "once"): (("T",), "Iter<T>"),
    ("iter", "repeat"): (("T",), "Iter<T>"),
    ("iter", "empty"): ((), "Iter<T>"),
    # `from_fn(|| ..)`: the closure's items until its first `None`; `successors(first, f)`.
    ("iter", "from_fn"): (("FnMut()->Option<T>",), "Iter<T>"),
    ("iter", "repeat_with"): (("FnMut()->T",), "Iter<T>"),
    ("iter", "successors"): (("Option<T>", "FnMut(&T)->Option<T>"), "Iter<T>"),
    # `std::array::from_fn(|i| ..)`: `[T]` stands for the array `[T; N]`, whose length only
    # the call's expected type gives (gust.sema.check.calls.array_from_fn).
    ("array", "from_fn"): (("FnMut(usize)->T",), "[T]"),
    # The prelude's free function, reached without a path.
    ("mem", "drop"): (("T",), "()"),
    # Gust's `spawn(move || ..)` (docs/language.md 10.5): a goroutine, nothing to join.
    ("go", "spawn"): (("FnOnce()->()",), "()"),
}
PRELUDE_FNS: Final = {"drop": "mem", "Reverse": "cmp", "spawn": "go"}


def method_owner(ty: t.Ty) -> str | None:
    """The builtin method table for a (dereferenced) receiver type."""
    match ty:
        case t.Char():
            return "char"
        case t.Adt(name) if name in _SIGNATURES:
            return name
        case t.Str():
            return "str"
        case t.Array() | t.Slice():
            return "slice"
        case t.Int() | t.Infer(kind="int"):
            return "int"
        case t.Float() | t.Infer(kind="float"):
            return "float"
        case t.Bool():
            return "bool"
    return None


@functools.cache
def _methods(owner: str) -> dict[str, tuple[str, tuple[t.Ty, ...], t.Ty]]:
    generics = set(_PARAMS.get(owner, ())) | {"Self", "Unsigned", "Bits", "Bytes", "Mapped",
                                              *METHOD_GENERICS}
    return {
        name: (self_kind, tuple(_parse_type(p, generics) for p in params),
               _parse_type(ret, generics))
        for name, self_kind, params, ret in _SIGNATURES[owner]
    }


def lookup(owner: str, name: str, receiver: t.Ty) -> BuiltinMethod | None:
    """The method `name` of the builtin `owner`, instantiated for `receiver`."""
    entry = _methods(owner).get(name)
    if entry is None and owner == "int" and receiver == t.Int("u8"):
        entry = _methods("u8").get(name)  # `b'a'.is_ascii_lowercase()`
    if entry is None:
        return None
    if owner == "Cow" and name in ("into_owned", "to_mut") and isinstance(receiver, t.Adt) and \
            receiver.args != (t.STR,):
        return None  # (only `Cow<str>`, whose owned form is a `String`, is modelled)
    if (owner, name) == ("Iter", "as_str") and isinstance(receiver, t.Adt) and \
            receiver.args and not isinstance(receiver.args[0], (t.Char, t.Infer, t.Param)):
        return None  # only `Chars` has it
    self_kind, params, ret = entry
    subst: dict[str, t.Ty] = {"Self": receiver, "Unsigned": _unsigned(receiver),
                              "Bits": _bits_of(receiver), "Bytes": _bytes_of(receiver)}
    if isinstance(receiver, (t.Array, t.Slice)):
        subst["T"] = receiver.elem
    if (owner, name) == ("slice", "map"):
        if not isinstance(receiver, t.Array):
            return None
        subst["Mapped"] = t.Array(t.Param("B"), receiver.length)
    elif isinstance(receiver, t.Adt):
        for pname, arg in zip(_PARAMS.get(owner, ()), receiver.args, strict=False):
            subst[pname] = arg
    if owner == "Option" and name in ("as_deref", "as_deref_mut") and "T" in subst:
        if _never_derefs(subst["T"]):
            return None  # `T: Deref` is not met: rustc's E0599
        subst["T"] = _deref_target(subst["T"])  # `Option<String>` -> `Option<&str>`
    return BuiltinMethod(owner, name, self_kind, tuple(t.substitute(p, subst) for p in params),
                         t.substitute(ret, subst))


def _deref_target(ty: t.Ty) -> t.Ty:
    """What `*x` of a std smart pointer, owned buffer or reference is: `str` of a `String`,
    `[T]` of a `Vec<T>`, `T` of a `Box<T>`, `Rc<T>`, `Arc<T>` or `&T`; other types (a
    package's own, which may implement `Deref`) are their own."""
    match ty:
        case t.Adt("String"):
            return t.STR
        case t.Adt("Vec", (elem,)):
            return t.Slice(elem)
        case t.Adt("Box" | "Rc" | "Arc", (inner,)):
            return inner
        case t.Ref(inner):
            return inner
    return ty


# std types that do not implement `Deref` (an `Option` of one has no `as_deref`).
_NOT_DEREF: Final = frozenset({"Option", "Result", "HashMap", "HashSet", "BTreeMap", "BTreeSet",
                        "VecDeque", "BinaryHeap", "Duration", "Iter", "Ordering"})


def _never_derefs(ty: t.Ty) -> bool:
    """`ty` is known not to implement `Deref` (numbers, tuples, std collections)."""
    if isinstance(ty, t.Adt):
        return ty.name in _NOT_DEREF
    return isinstance(ty, (t.Int, t.Float, t.Bool, t.Char, t.Tuple, t.Array, t.Slice, t.Str))


def _unsigned(ty: t.Ty) -> t.Ty:
    """The unsigned integer type as wide as `ty` (`abs_diff`'s result: `i32` -> `u32`)."""
    if isinstance(ty, t.Int) and ty.kind.startswith("i"):
        return t.Int("u" + ty.kind[1:])
    return ty


def _width(ty: t.Ty) -> int:
    """The width in bits of a number type (an unsuffixed literal's: `i32`'s or `f64`'s, the
    types rustc defaults it to)."""
    if isinstance(ty, (t.Int, t.Float)):
        rest = ty.kind[1:]
        return 64 if rest == "size" else int(rest)
    return 64 if isinstance(ty, t.Infer) and ty.kind == "float" else 32


def _bits_of(ty: t.Ty) -> t.Ty:
    """The unsigned integer holding a float's bits (`to_bits`: `f32` -> `u32`)."""
    return t.Int(f"u{_width(ty)}")


def _bytes_of(ty: t.Ty) -> t.Ty:
    """A number's bytes (`to_le_bytes`: `u32` -> `[u8; 4]`)."""
    return t.Array(t.Int("u8"), _width(ty) // 8)


def std_fn(module: str, name: str) -> t.FnPtr | None:
    """A std free function's signature, with `T` as its (uninstantiated) parameter."""
    entry = STD_FNS.get((module, name))
    if entry is None:
        return None
    params, ret = entry
    generics = {"T"}
    return t.FnPtr(tuple(_parse_type(p, generics) for p in params), _parse_type(ret, generics))


def method_names(owner: str) -> list[str]:
    return [name for name, *_ in _SIGNATURES.get(owner, [])]


def params_of(owner: str) -> tuple[str, ...]:
    return _PARAMS.get(owner, ())


def std_iterator_arity(module: tuple[str, ...], name: str) -> int | None:
    """How many type arguments the std iterator type `module::name` takes (None: not one)."""
    item = STD_ITERATOR_TYPES.get((module, name))
    if item is None:
        return None
    return 2 if module == ("std", "hash_map") else 1 if item in ("I", "T", "&T", "&mut T") \
        else 0


def std_iterator(module: tuple[str, ...], name: str, args: tuple[t.Ty, ...]) -> t.Ty:
    """The checker's type of std's iterator type `module::name<args>` (its arity checked by
    the caller): `Chars` is `Iter<char>`, `IntoIter<T>` `Iter<T>`, `Peekable<I>` is `I`."""
    item = STD_ITERATOR_TYPES[(module, name)]
    if item == "I":
        return args[0]
    if module == ("std", "hash_map"):  # `hash_map::Iter<'a, K, V>`: of `(&K, &V)`
        return t.Adt("Iter", (t.substitute(_parse_type(item, {"K", "V"}),
                                           {"K": args[0], "V": args[1]}),))
    if item in ("&T", "&mut T"):  # `slice::Iter<'a, T>`: of `&T`
        return t.Adt("Iter", (t.Ref(args[0], item == "&mut T"),))
    return t.Adt("Iter", (args[0] if item == "T" else _parse_type(item, set()),))


# ---------------------------------------------------------------- tiny type parser


def _parse_type(text: str, generics: set[str]) -> t.Ty:
    ty, rest = _parse(text.replace(" ", ""), generics)
    assert not rest, text
    return ty


def _parse(s: str, generics: set[str]) -> tuple[t.Ty, str]:
    if s.startswith("&mut"):
        inner, rest = _parse(s[4:], generics)
        return t.Ref(inner, True), rest
    if s.startswith("&"):
        inner, rest = _parse(s[1:], generics)
        return t.Ref(inner, False), rest
    if s.startswith("["):
        elem, rest = _parse(s[1:], generics)
        return t.Slice(elem), rest[1:]
    if s.startswith("("):
        elems: list[t.Ty] = []
        s = s[1:]
        while not s.startswith(")"):
            elem, s = _parse(s, generics)
            elems.append(elem)
            s = s.removeprefix(",")
        return t.Tuple(tuple(elems)), s[1:]
    if s.startswith("!"):
        return t.NEVER, s[1:]
    i = 0
    while i < len(s) and (s[i].isalnum() or s[i] == "_"):
        i += 1
    name, s = s[:i], s[i:]
    if name == "FmtResult":
        return t.FMT_RESULT, s  # `fmt::Result` (its `Error` has a path for a name)
    if name == "DynAnySend":
        # A thread's panic payload, spelled as rustc does; only ever shown in messages.
        return t.Adt("dyn Any + Send"), s
    if name in CALLABLE_TRAITS and s.startswith("("):
        params, s = _parse(s, generics)
        ret: t.Ty = t.UNIT
        if s.startswith("->"):
            ret, s = _parse(s[2:], generics)
        return t.Adt(name, (params, ret)), s
    args: list[t.Ty] = []
    if s.startswith("<"):
        s = s[1:]
        while not s.startswith(">"):
            arg, s = _parse(s, generics)
            args.append(arg)
            s = s.removeprefix(",")
        s = s[1:]
    if name in generics:
        return t.Param(name), s
    if name in t.PRIMITIVES:
        return t.PRIMITIVES[name], s
    return t.Adt(name, tuple(args)), s


# ---------------------------------------------------------------- constants of primitives

DURATION: Final = t.Adt("Duration")
INSTANT: Final = t.Adt("Instant")
# std's operator impls for its time types: (type, operator) -> (Rhs, Output) of each impl,
# the first one's `Rhs` expected of the right operand (`d * 2`: a `u32`). `OpAssign` impls
# exist for those whose `Output` is the type itself (`d += ..`, `t -= ..`).
STD_OPERATORS: Final[dict[tuple[str, str], tuple[tuple[t.Ty, t.Ty], ...]]] = {
    ("Duration", "+"): ((DURATION, DURATION),),
    ("Duration", "-"): ((DURATION, DURATION),),
    ("Duration", "*"): ((t.Int("u32"), DURATION),),
    ("Duration", "/"): ((t.Int("u32"), DURATION),),
    ("Instant", "+"): ((DURATION, INSTANT),),
    ("Instant", "-"): ((DURATION, INSTANT), (INSTANT, DURATION)),
}
STD_OPERATOR_TYPES: Final = frozenset(ty for ty, _ in STD_OPERATORS)

# `Duration::ZERO` and `Duration::MAX` (Go: the runtime's `Duration`, whose largest value is
# about 292 years: Rust's `MAX` is `u64::MAX` seconds).
DURATION_CONSTS: Final = ("ZERO", "MAX")

_INT_CONSTS: Final = ("MAX", "MIN", "BITS")
_FLOAT_CONSTS: Final = ("MAX", "MIN", "EPSILON", "INFINITY", "NEG_INFINITY", "NAN", "MIN_POSITIVE")


# `std::f64::consts` (and `f32`'s), to 36 digits: Go's constants are exact, so converting
# one to `float32` or `float64` rounds once, as Rust's literals do.
_FLOAT_CONST_DIGITS: Final = {
    "PI": "3.14159265358979323846264338327950288",
    "TAU": "6.28318530717958647692528676655900577",
    "E": "2.7182818284590452353602874713526625",
    "SQRT_2": "1.41421356237309504880168872420969808",
    "LN_2": "0.693147180559945309417232121458176568",
    "LN_10": "2.30258509299404568401799145468436421",
    "LOG2_E": "1.44269504088896340735992468100189214",
    "LOG10_E": "0.434294481903251827651128918916605082",
    "LOG2_10": "3.32192809488736234787031942948939018",
    "LOG10_2": "0.301029995663981195213738894724493027",
    "FRAC_PI_2": "1.57079632679489661923132169163975144",
    "FRAC_PI_3": "1.04719755119659774615421446109316763",
    "FRAC_PI_4": "0.785398163397448309615660845819875721",
    "FRAC_PI_6": "0.523598775598298873077107230546583814",
    "FRAC_PI_8": "0.392699081698724154807830422909937861",
    "FRAC_1_PI": "0.318309886183790671537767526745028724",
    "FRAC_2_PI": "0.636619772367581343075535053490057448",
    "FRAC_2_SQRT_PI": "1.12837916709551257389615890312154517",
    "FRAC_1_SQRT_2": "0.707106781186547524400844362104849039",
}
FLOAT_CONSTS: Final = frozenset(_FLOAT_CONST_DIGITS)


def float_module_const(name: str) -> str | None:
    """The Go spelling (an untyped constant) of `std::f64::consts::NAME`, None if std has
    no such constant."""
    return _FLOAT_CONST_DIGITS.get(name)


def primitive_const(type_name: str, name: str) -> str | None:
    """The Go spelling of `i32::MAX`, `u8::MIN`, `f64::EPSILON`, `u64::BITS`, ... (None when
    the primitive has no such constant). `BITS` is a `u32` (`primitive_const_type`)."""
    if type_name in t.INT_KINDS and name == "BITS":
        return "64" if type_name.endswith("size") else type_name[1:]
    if type_name in t.INT_KINDS and name in _INT_CONSTS:
        return _int_limit(type_name, name)
    if type_name in t.FLOAT_KINDS and name in _FLOAT_CONSTS:
        bits = type_name[1:]
        return {
            "MAX": f"math.MaxFloat{bits}",
            "MIN": f"-math.MaxFloat{bits}",
            "EPSILON": "1.1920929e-07" if bits == "32" else "2.220446049250313e-16",
            "INFINITY": "math.Inf(1)",
            "NEG_INFINITY": "math.Inf(-1)",
            "NAN": "math.NaN()",
            "MIN_POSITIVE": ("1.17549435e-38" if bits == "32"
                             else "2.2250738585072014e-308"),
        }[name]
    return None


def primitive_const_type(type_name: str, name: str) -> t.Ty:
    """The type of a primitive's constant: its own, but `u32` for `BITS`."""
    return t.Int("u32") if name == "BITS" else t.PRIMITIVES[type_name]


def _int_limit(kind: str, name: str) -> str:
    """`math.MaxInt32`, `math.MinInt64`, `0` for unsigned minimums; `usize`/`isize` are Go's
    `int`."""
    bits = "" if kind.endswith("size") else kind[1:]
    if kind.startswith("u") and kind != "usize":
        return f"math.MaxUint{bits}" if name == "MAX" else "0"
    # `usize` is a Go `int`: its maximum is int's, and its minimum is 0.
    if kind == "usize":
        return "math.MaxInt" if name == "MAX" else "0"
    return f"math.{'Max' if name == 'MAX' else 'Min'}Int{bits}"
