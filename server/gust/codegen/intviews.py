"""Where a value's Rust type holds Go ints that print otherwise, for `{:?}` (the runtime's
`gustIntView`).

`std::cmp::Ordering` is a Go int (-1, 0, 1), so inside a tuple, an `Option` or a list the
formatter cannot tell `Less` from `-1`; nor a `usize` in a package that names `usize::MAX`
(gust.codegen.usize_max) from an `int`. The compiler knows the type: it passes such a value
as `gustIntView(value, shape)`, the shape spelling where those ints are ("r" an
`Ordering`, "u" a `usize`, "_" anything else, "l" + shape a Vec/slice/array, "o" + shape an
Option, "t" + count + shapes a tuple, "m" + key and value shapes a HashMap or HashSet, "e" +
the `Ok` and `Err` shapes a Result; a Box is its contents' shape). Structs and enums print
their own fields (their derived `fmtDebug`), so they are "_". (A `char` needs no view: it is
the runtime's own Go type `Char`, which the formatter knows.)
"""

from __future__ import annotations

from gust.codegen import goast as g
from gust.sema import types as t


def view_shape(ty: t.Ty, user_types: set[str], usize: bool = False) -> str | None:
    """The shape of `ty`, or None for a type holding an `Ordering` where the view cannot
    reach. `usize`: whether `usize`s are viewed ("u")."""

    def shape(ty: t.Ty) -> str | None:
        return view_shape(ty, user_types, usize)

    match ty:
        case t.Int(kind="usize") if usize:
            return "u"
        case t.Adt(name="Ordering", args=()) if "Ordering" not in user_types:
            return "r"
        case t.Ref(inner=inner):
            return shape(inner)
        case t.Slice(elem=elem) | t.Array(elem=elem) | t.Adt(name="Vec" | "VecDeque",
                                                               args=(elem,)):
            inner_shape = shape(elem)
            return None if inner_shape is None else "l" + inner_shape
        case t.Adt(name="Option", args=(elem,)):
            inner_shape = shape(elem)
            return None if inner_shape is None else "o" + inner_shape
        case t.Adt(name="Box", args=(elem,)) if "Box" not in user_types:
            return shape(elem)
        case t.Adt(name="HashMap" | "Result" | "BTreeMap" as name, args=(a, b)) \
                if name not in user_types:
            shapes = [shape(a), shape(b)]
            if shapes[0] is None or shapes[1] is None:
                return None
            return ("e" if name == "Result" else "m") + shapes[0] + shapes[1]
        case t.Adt(name="HashSet" | "BTreeSet" as name, args=(elem,)) if name not in user_types:
            inner_shape = shape(elem)
            return None if inner_shape is None else "m" + inner_shape + "_"
        case t.Tuple(elems=elems) if 0 < len(elems) <= 4:
            shapes = [shape(e) for e in elems]
            if any(s is None for s in shapes):
                return None
            return f"t{len(elems)}" + "".join(s for s in shapes if s is not None)
        case t.Adt(name=name) if name in user_types:
            return "_"
    return None if _has_char(ty, usize) else "_"


def _has_char(ty: t.Ty, usize: bool = False) -> bool:
    match ty:
        case t.Adt(name="Ordering", args=()):
            return True
        case t.Int(kind="usize"):
            return usize
        case t.Ref(inner=inner) | t.Slice(elem=inner) | t.Array(elem=inner):
            return _has_char(inner, usize)
        case t.Tuple(elems=elems):
            return any(_has_char(e, usize) for e in elems)
        case t.Adt(args=args):
            return any(_has_char(a, usize) for a in args)
    return False


def int_view(value: g.GoExpr, shape: str) -> g.GoExpr:
    return g.call("gustIntView", value, g.Atom(g.go_string(shape)))
