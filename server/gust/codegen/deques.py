"""`std::collections::VecDeque<T>`, `BTreeMap` and `BTreeSet` in the backend.

`VecDeque<T>` is in Go a slice, as `Vec<T>` is (`[]T`; `{:?}` prints both
as `[1, 2]`). The methods it shares with `Vec` are emitted as `Vec`'s (`as_vec_methods`
renames `push_back` to `push`, `front` to `first`, ...); the rest are runtime functions
(`push_front` moves the elements, as an insertion at 0 does; `pop_front` reslices). Its
elements are always contiguous: `as_slices` gives them all in its first slice (Rust's
split depends on where its ring buffer wraps, which no program may count on), `range` is
the iterator of a subslice.

`BTreeMap`/`BTreeSet` are Go maps, as `HashMap`/`HashSet` are: their methods are emitted as
those, but for the ones that see the order (`std_calls._sorted_method`: iteration over the
sorted keys, `first`, `last_key_value`, ...); `{:?}` prints every map in key order."""

from __future__ import annotations

from dataclasses import replace
from typing import TYPE_CHECKING, Final

from gust.codegen import goast as g
from gust.sema import types as t
from gust.sema.results import AssocFnRes, BodyResults, MethodRes, Res
from gust.syntax import ast

if TYPE_CHECKING:
    from gust.codegen.body import FnEmitter

# `VecDeque`'s methods that are `Vec`'s under another name (or the same one).
# (Its one Go slice is contiguous: `make_contiguous` is the whole slice.)
_AS_VEC: Final = {"push_back": "push", "pop_back": "pop", "front": "first", "back": "last",
           "front_mut": "first_mut", "back_mut": "last_mut", "make_contiguous": "as_mut_slice"}
_SAME: Final = frozenset({"len", "is_empty", "clear", "contains", "get", "get_mut", "insert", "swap",
                   "truncate", "retain", "iter", "iter_mut", "into_iter", "clone", "extend",
                   "rotate_left", "rotate_right", "new", "with_capacity", "binary_search",
                   "binary_search_by", "binary_search_by_key"})


# `BinaryHeap`'s methods that are `Vec`'s (its slice, in heap order, as Rust's own).
_HEAP_AS_VEC: Final = {"peek": "first", "len": "len", "is_empty": "is_empty", "clear": "clear",
                "iter": "iter", "into_iter": "into_iter", "clone": "clone", "new": "new",
                "with_capacity": "with_capacity"}

# `BTreeMap`/`BTreeSet`: Go maps, so `HashMap`'s/`HashSet`'s methods (those that see the
# order are told apart by the receiver's type: `std_calls.map_method`).
_AS_HASHED: Final = {"BTreeMap": "HashMap", "BTreeSet": "HashSet"}
_SORTED_ONLY: Final = frozenset({"first", "last", "first_key_value", "last_key_value"})


def as_vec_methods(br: BodyResults) -> BodyResults:
    """`br` with the `VecDeque` methods and associated functions that `Vec` has resolved as
    `Vec`'s (the rest, `push_front`, `pop_front`, `remove`, stay `VecDeque`'s), and the
    `BTreeMap`/`BTreeSet` ones as `HashMap`'s/`HashSet`'s."""
    owners = ("VecDeque", "BTreeMap", "BTreeSet", "BinaryHeap")
    if not any(r.owner in owners for r in br.methods.values()) and not any(
            isinstance(r, AssocFnRes) and r.owner in owners for r in br.paths.values()):
        return br
    methods: dict[ast.MethodCall, MethodRes] = {}
    for call, res in br.methods.items():
        if res.builtin and res.owner == "VecDeque" and (
                res.name in _AS_VEC or res.name in _SAME):
            res = replace(res, owner="Vec", name=_AS_VEC.get(res.name, res.name))
        elif res.builtin and res.owner == "BinaryHeap" and res.name in _HEAP_AS_VEC:
            res = replace(res, owner="Vec", name=_HEAP_AS_VEC[res.name])
        elif res.builtin and res.owner in _AS_HASHED and res.name not in _SORTED_ONLY:
            res = replace(res, owner=_AS_HASHED[res.owner])
        methods[call] = res
    paths = {p: _as_plain_assoc(r) for p, r in br.paths.items()}
    return replace(br, methods=methods, paths=paths)


def _as_plain_assoc(r: Res) -> Res:
    if isinstance(r, AssocFnRes) and r.builtin and r.owner == "VecDeque" and r.name in _SAME:
        return replace(r, owner="Vec")
    if isinstance(r, AssocFnRes) and r.builtin and r.owner == "BinaryHeap" and \
            r.name in _HEAP_AS_VEC:
        return replace(r, owner="Vec")
    if isinstance(r, AssocFnRes) and r.builtin and r.owner in _AS_HASHED:
        return replace(r, owner=_AS_HASHED[r.owner])
    return r


def method(em: FnEmitter, e: ast.MethodCall, name: str, place: g.GoExpr, args: list[g.GoExpr]
           ) -> g.GoExpr | None:
    """`push_front`, `pop_front`, `remove` on the deque at `place` (a pointer to it)."""
    match name:
        case "push_front":
            return g.call("gustInsert", place, g.Atom("0", "int"), args[0])
        case "pop_front":
            return g.call("gustPopFront", place)
        case "remove":
            return g.call("gustDequeRemove", place, args[0])
        case "push":  # a `BinaryHeap`'s
            return g.call("gustHeapPush", place, args[0])
        case "pop":
            return g.call("gustHeapPop", place)
        case "extend":  # a `BinaryHeap`'s: appended, then the heap order restored
            from gust.codegen.std_calls import arg_ty_seen, is_seq

            arg_ty = arg_ty_seen(em, e.args[0])
            heap = em.ty(e.receiver)
            while isinstance(heap, t.Ref):
                heap = heap.inner
            elem = heap.args[0] if isinstance(heap, t.Adt) and heap.args else t.ERROR
            items = args[0] if is_seq(arg_ty) else em.adapt(args[0], arg_ty, t.Slice(elem))
            em.line(g.render(g.call("gustHeapExtendSeq" if is_seq(arg_ty) else
                                    "gustHeapExtend", place, items)))
            return g.Atom("struct{}{}")
    return None


def heap_method(name: str, recv: g.GoExpr) -> g.GoExpr | None:
    """`BinaryHeap`'s methods on the heap's value."""
    match name:
        case "into_vec":
            return recv
        case "into_sorted_vec":
            return g.call("gustHeapSorted", recv)
    return None
