"""The mapping from Gust types to Go types (see docs/architecture.md, "Go backend").

| Gust                          | Go                                                      |
|-------------------------------|---------------------------------------------------------|
| i8..i64, u8..u64              | int8..int64, uint8..uint64                              |
| isize, usize                  | int (Go's own index and length type: no conversions     |
|                               | around `len`/indexing; 64-bit on supported targets)     |
| f32, f64, bool                | float32, float64, bool                                  |
| char                          | Char (runtime: `type Char rune`, printed as a char)     |
| String, &str, &String         | string (immutable in Go, so `clone` is free)            |
| Vec<T>, &Vec<T>, &[T]         | []T                                                     |
| &mut Vec<T>, &mut String      | *[]T, *string (pushes are seen by the caller)           |
| &T (T a struct), &mut T       | *T                                                      |
| &T (any other T)              | T (a copy: scalars, strings, slices, enums)             |
| [T; N]                        | [N]T                                                    |
| (), (A, B), (A, B, C)         | struct{}, Tuple2[A, B], Tuple3[A, B, C] (runtime)       |
| Option<T>                     | Option[T] (runtime)                                     |
| struct S                      | type S struct (tuple fields are F0, F1, ...)            |
| enum E of unit variants only  | type E int, constants EA, EB, ... (iota)                |
| enum E with payloads          | sealed interface E + one struct per variant (EA, EB...) |
| iterators, ranges as values   | iter.Seq[T]                                             |
| closures, fn(A) -> R,         | func(A) R: a Go func value (closures capture by         |
| impl/dyn/Box<dyn> Fn(A) -> R, | reference; `move` closures get copies of the mutable    |
| F: Fn(A) -> R (a bound)       | locals they capture), gust.codegen.closures             |
| Box<T>                        | T (Box<S> of a struct S: *S, so recursive structs work) |
| Result<T, E>                  | Result[T, E] (runtime)                                  |
| HashMap<K, V>, HashSet<T>     | map[K]V, map[T]struct{}                                 |
| ParseIntError, ParseFloatError| gustParseError (runtime; Display/Debug as Rust's)       |
| std::cmp::Ordering            | int: -1, 0, 1 (Go's `cmp.Compare`)                      |
| struct S<T>, enum E<T>        | generic Go types S[T], E[T] (gust.codegen.generics)     |
| T (a type parameter)          | T; `impl Trait` arguments get a Go name (T, U, ...)     |
| dyn Trait, &dyn, Box<dyn>     | the trait's Go interface (gust.codegen.traits)          |
| impl Trait (return position)  | the trait's Go interface                                |
"""

from __future__ import annotations

from typing import Final

from gust.budget import UNLIMITED, Budget
from gust.codegen import package_names
from gust.sema import types as t
from gust.sema.items import ItemEnv

INT_TYPES: Final = {"i8": "int8", "i16": "int16", "i32": "int32", "i64": "int64", "isize": "int",
             "u8": "uint8", "u16": "uint16", "u32": "uint32", "u64": "uint64", "usize": "int"}

# The Go type an untyped constant takes when nothing else fixes it.
UNTYPED_DEFAULT: Final = {"int": "int", "float": "float64", "rune": "rune", "string": "string",
                   "bool": "bool"}


class Unsupported(Exception):
    """A construct the Go backend cannot translate yet (becomes a diagnostic)."""

    def __init__(self, what: str) -> None:
        super().__init__(what)
        self.what = what


class Types:
    """Type questions about one package; `imports` collects the packages a type needs."""

    def __init__(self, env: ItemEnv, imports: set[str]) -> None:
        self.env = env
        self.imports = imports
        # The Go names of the package's items (`pub` is exported in a library package).
        self.pkg = package_names.for_env(env)
        # Type parameters bounded by a call trait (`F: Fn(i32) -> i32`, `impl Fn(i32)`) in
        # the function being emitted: erased to their Go func type (set by the emitter).
        self.callables: dict[str, t.FnPtr] = {}
        # Type parameters bounded by `Iterator<Item = T>`: erased to `iter.Seq[T]` (Go has
        # no constraint for "ranges over T"), by item type.
        self.seq_params: dict[str, t.Ty] = {}
        # The Go spelling of type parameters while one declaration is emitted: `impl Trait`
        # arguments get a name, `Self` in a trait's default method is the trait's interface,
        # and generic call sites spell a signature's parameters as the instantiation's types.
        self.param_go: dict[str, str] = {}
        # Type parameters spelled as an interface (`Self` in a default method): `&mut Self`
        # is the interface itself, not a pointer to it.
        self.iface_params: set[str] = set()
        # Type parameters whose shared references are Go pointers (`&Self` in a trait that
        # uses `Self` is `*Self`, as the impls' `&Struct` parameters are).
        self.ptr_params: set[str] = set()
        # Type parameters of the function being emitted that are bounded by a trait with
        # `&mut self` methods, and the Go name of their pointer type parameter
        # (`[T any, PT CounterPtr[T]]`, gust.codegen.generics.pointer_params).
        self.ptr_bounded: dict[str, str] = {}
        # Those of them whose pointer parameter is a reference type, not a pointer
        # (`PT{&x}`: a trait a payload enum implements, gust.codegen.traits.ref_scheme).
        self.ref_bounded: set[str] = set()
        # Type parameters of the function being emitted that have an arithmetic parameter,
        # with its Go name (`TArith`: whether T is a `usize`, gust.codegen.size_kinds).
        self.arith_params: dict[str, str] = {}
        # By package type, the positions of its parameters that a trait impl of it
        # subtracts (`size_kinds.check_type_args`), as found.
        self.trait_subtracted: dict[str, frozenset[int]] = {}
        # While a generic signature is spelled for an instantiation (`generics.go_form`):
        # the type arguments, for the pointer arguments of generic structs (`_adt_args`).
        self.param_inst: dict[str, t.Ty] = {}
        # The imports of Go packages reached by `use go` (gust.codegen.golang): a type
        # spelled only to compare two types must not leave an unused import behind, so
        # these are kept only if the emitted Go names them (`golang.prune_imports`).
        self.interop_imports: set[str] = set()
        # The item's time budget (gust.budget), polled while spelling types: the Go of a
        # type is its whole tree (types built from each other can double at each `let`).
        self.budget: Budget = UNLIMITED
        # The package's types with a hand-written impl of a std trait, by trait, found
        # when first asked: `Clone` (whose `clone` Go's copy is not), `PartialEq` (whose
        # `eq` Go's `==` is not).
        self._by_impl: dict[str, frozenset[str]] = {}
        self._adt_seqs: dict[str, dict[str, t.Ty]] = {}  # (`adt_seqs`)

    # ------------------------------------------------------------ naming

    def enum_is_simple(self, name: str) -> bool:
        info = self.env.enums.get(name)
        return info is not None and not info.generics and all(
            v.kind == "unit" for v in info.variants)

    def is_std_ordering(self, ty: t.Ty) -> bool:
        """`std::cmp::Ordering` (a Go int: -1, 0, 1), not a user enum of that name."""
        return ty == t.Adt("Ordering") and "Ordering" not in self.env.enums

    def is_iface_enum(self, name: str) -> bool:
        return name in self.env.enums and not self.enum_is_simple(name)

    def variant_type(self, enum: str, variant: str) -> str:
        """The Go name of a variant: a struct (payload enums) or a constant (unit enums)."""
        return self.pkg.variant(enum, variant)

    def adt_name(self, name: str) -> str:
        return self.pkg.type_name(name)

    # ------------------------------------------------------------ Go types

    def go(self, ty: t.Ty) -> str:
        self.budget.poll()
        match ty:
            case t.Int(kind=kind):
                if kind in INT_TYPES:
                    return INT_TYPES[kind]
                if kind in ("u128", "i128"):
                    return "gustU128" if kind == "u128" else "gustI128"  # wide_ints
                raise Unsupported(f"the type `{kind}`")
            case t.Float(kind=kind):
                return "float32" if kind == "f32" else "float64"
            case t.Bool():
                return "bool"
            case t.Char():
                return "Char"
            case t.Str():
                return "string"
            case t.Never():
                return "struct{}"
            case t.Tuple(elems=elems):
                if not elems:
                    return "struct{}"
                if len(elems) > 4:
                    raise Unsupported("tuples of more than four elements")
                return f"Tuple{len(elems)}[" + ", ".join(self.go(e) for e in elems) + "]"
            case t.Array(elem=elem, length=n):
                return f"[{n}]{self.go(elem)}"
            case t.Slice(elem=elem):
                return "[]" + self.go(elem)
            case t.Ref(inner=inner):
                if self.ref_is_ptr(ty):
                    return "*" + self.go(inner)
                return self.go(inner)
            case t.Adt(name=name, args=args):
                return self._adt(name, args)
            case t.Param(name=name) if name in self.callables:
                return self.go(self.callables[name])
            case t.Param(name=name) if name in self.seq_params:
                return self.go(t.Adt("Iter", (self.seq_params[name],)))
            case t.Param(name=name):
                if name in self.param_go:
                    return self.param_go[name]
                if "::" in name and name.replace("::", "").isidentifier():
                    # A hidden parameter (`C::Item` of a struct's `C: Container`) where
                    # no declaration spelled it (`generics.go_param_names`): `CItem`.
                    return name.replace("::", "")
                if not name.isidentifier():
                    raise Unsupported(f"the type `{name}`")
                return name
            case t.FnPtr(params=params, ret=ret) | t.Closure(params=params, ret=ret):
                result = "" if ret == t.UNIT or isinstance(ret, t.Never) else " " + self.go(ret)
                return "func(" + ", ".join(self.go(p) for p in params) + ")" + result
            case t.Dyn(call=t.FnPtr() as call):
                return self.go(call)
            case t.Dyn(call=None, traits=traits, assoc=assoc):
                from gust.codegen.traits import dyn_interface

                return dyn_interface(self, traits, assoc)
        raise Unsupported(f"the type `{ty}`")

    def _adt(self, name: str, args: tuple[t.Ty, ...]) -> str:
        if self.env.is_package_type(name, args):
            return self._package_adt(name, args)  # the package's own `Range`, not std's
        match name:
            case "String":
                return "string"
            case "Vec" | "VecDeque" | "BinaryHeap":
                return "[]" + self.go(args[0])
            case "Option":
                return f"Option[{self.go(args[0])}]"
            case "Result":
                return f"Result[{self.go(args[0])}, {self.go(args[1])}]"
            case "Box":
                inner = args[0]
                return ("*" if self.is_struct(inner) else "") + self.go(inner)
            case "HashMap" | "BTreeMap":  # a `BTreeMap` is iterated in key order
                if self.coded_key(t.Adt(name, args)):
                    return f"gustKeyMap[{self.go(args[0])}, {self.go(args[1])}]"
                return f"map[{self.map_key(name, args[0])}]{self.go(args[1])}"
            case "HashSet" | "BTreeSet":
                if self.coded_key(t.Adt(name, args)):
                    return f"gustKeyMap[{self.go(args[0])}, struct{{}}]"
                return f"map[{self.map_key(name, args[0])}]struct{{}}"
            case "ParseIntError" | "ParseFloatError" | "ParseBoolError" | "ParseCharError" \
                    | "TryFromIntError" | "TryFromSliceError":
                return "gustParseError"
            case "Infallible":
                return "gustInfallible"
            case "FromUtf8Error" | "Utf8Error":
                return "gust" + name
            case "std::fmt::Error":
                return "gustFmtError"
            case "dyn Any + Send":
                return "any"  # a thread's panic (`join`'s `Err`): nothing to call on it
            case "Ordering":
                return "int"  # -1, 0, 1: what `cmp.Compare` and `slices.SortFunc` use
            case "Duration" if name not in self.env.structs and name not in self.env.enums:
                return "Duration"  # std::time::Duration: the runtime's nanoseconds
            case "Instant" if name not in self.env.structs and name not in self.env.enums:
                return "gustInstant"  # std::time::Instant: the runtime's monotonic clock
            case "Bound" if name not in self.env.structs and name not in self.env.enums \
                    and args:
                return f"gustBound[{self.go(args[0])}]"  # std::ops::Bound
            case "Reverse" if name not in self.env.structs and args:
                return f"gustReverse[{self.go(args[0])}]"  # std::cmp::Reverse
            case "Iter":
                self.imports.add("iter")
                return f"iter.Seq[{self.go(args[0])}]"
            case "Range" | "RangeInclusive":
                # a range value keeps its bounds (`{:?}`, `r.start`); iterated through
                # the runtime's gustRangeSeq (gust.codegen.iterators.range_seq)
                return f"gustRangeValue[{self.go(args[0])}]"
            case "DefaultHasher" if name not in self.env.structs:
                return "*gustSipHasher"  # std's SipHash-1-3 (the runtime's)
            case "Discriminant" if name not in self.env.structs and args:
                return "gustDiscriminant"  # std::mem::Discriminant
            case "Formatter":
                return "gustFormatter"
            case "DebugStruct" | "DebugTuple" | "DebugList":
                return "*gustDebugBuilder"
            case "Box" if args:
                # A boxed struct is a pointer (like `&T`); anything else is its own Go value
                # (interfaces, slices and payload enums are references already).
                inner = args[0]
                return ("*" if self.is_struct(inner) else "") + self.go(inner)
        from gust.codegen import golang
        from gust.codegen.concurrency import go_type

        shared = go_type(self, name, args)
        if shared is not None:
            return shared
        interop = golang.go_type(self, name, args)
        if interop is not None:
            return interop
        if name in self.env.structs or name in self.env.enums:
            return self._package_adt(name, args)
        raise Unsupported(f"the type `{name}`")

    def _package_adt(self, name: str, args: tuple[t.Ty, ...]) -> str:
        if args:
            from gust.codegen import size_kinds

            size_kinds.check_type_args(self, name, args)
        go_args = self._adt_args(name, args) if args else []
        if go_args:
            return self.adt_name(name) + "[" + ", ".join(go_args) + "]"
        return self.adt_name(name)

    def adt_seqs(self, name: str) -> dict[str, t.Ty]:
        """The type parameters of a package struct or enum bounded by `Iterator` (`struct
        Peek<I: Iterator>`), with their item types (`I::Item`, or the bound's `Item =
        u32`): erased as a function's are (`seq_params`), so `Peek<I, I::Item>` is Go's
        `Peek[Item any]` with a field `it iter.Seq[Item]`, and `Peek<Iter<i32>, i32>` is
        `Peek[int32]`."""
        found = self._adt_seqs.get(name)
        if found is None:
            generics = self.env.generics_of(name)
            found = {}
            for b in self.env.adt_bounds(name):
                item = b.assoc_ty("Item")
                if isinstance(b.ty, t.Param) and b.ty.name in generics and \
                        b.trait == "Iterator" and item is not None:
                    found[b.ty.name] = item
            self._adt_seqs[name] = found
        return found

    def _adt_args(self, name: str, args: tuple[t.Ty, ...]) -> list[str]:
        """A generic struct's Go type arguments: each argument, followed by its pointer
        type for a parameter bounded by a trait with `&mut self` methods (`Wrapper[Tally,
        *Tally]`: the declaration has `[T any, PT CounterPtr[T]]`,
        gust.codegen.generics.pointer_params)."""
        seqs = self.adt_seqs(name)
        if seqs:
            # The erased iterator parameters (their items are the hidden ones after them).
            generics = self.env.generics_of(name)
            args = tuple(a for p, a in zip(generics, args, strict=False) if p not in seqs)
            return self._adt_args_kept(name, args, tuple(p for p in generics if p not in seqs))
        info = self.env.structs.get(name)
        return self._adt_args_kept(name, args, info.generics if info is not None else ())

    def _adt_args_kept(self, name: str, args: tuple[t.Ty, ...], generics: tuple[str, ...]
                       ) -> list[str]:
        info = self.env.structs.get(name)
        if info is None or not info.bounds:
            return [self.go(a) for a in args]
        from gust.codegen import traits

        out: list[str] = []
        for p, a in zip(generics, args, strict=False):
            out.append(self.go(a))
            bounded = [b.trait for b in info.bounds if b.ty == t.Param(p)]
            if any(traits.needs_pointer(self, b) for b in bounded):
                out.append(self._pointer_arg(a, any(traits.ref_scheme(self, b)
                                                    for b in bounded)))
        return out

    def _pointer_arg(self, arg: t.Ty, ref: bool) -> str:
        """The pointer type argument for a type argument `arg` (`_adt_args`)."""
        from gust.codegen import traits

        if isinstance(arg, t.Param) and arg.name in self.param_inst:
            arg = self.param_inst[arg.name]  # spelling a generic signature's instance
        if isinstance(arg, t.Param) and arg.name in self.ptr_bounded and \
                (arg.name in self.ref_bounded) == ref:
            return self.ptr_bounded[arg.name]
        if isinstance(arg, t.Adt) and ref and traits.type_has_ref(self, arg.name):
            return traits.ref_type(self, arg.name)
        if isinstance(arg, t.Adt) and not ref and self.is_struct(arg) and not arg.args:
            return "*" + self.go(arg)
        raise Unsupported(f"`{arg}` for the type parameter of a generic type bounded by a "
                          "trait with `&mut self` methods")

    def ref_is_ptr(self, ty: t.Ty) -> bool:
        """Whether a reference type is a Go pointer (else the referent itself is passed)."""
        if not isinstance(ty, t.Ref):
            return False
        inner = ty.inner
        if isinstance(inner, (t.Str, t.Slice, t.Dyn)) or self.callable(inner) is not None or (
                isinstance(inner, t.Param) and inner.name in self.iface_params):
            return False
        if ty.mutable or (isinstance(inner, t.Param) and inner.name in self.ptr_params):
            return True
        return isinstance(inner, t.Adt) and inner.name in self.env.structs

    def callable(self, ty: t.Ty) -> t.FnPtr | None:
        """The call signature of a Go func value: closures, fn pointers, `impl Fn`,
        `dyn Fn` (also boxed), and type parameters bounded by a call trait."""
        match ty:
            case t.FnPtr():
                return ty
            case t.Closure():
                return ty.fn_ptr
            case t.Dyn(call=t.FnPtr() as call):
                return call
            case t.Param(name=name) if name in self.callables:
                return self.callables[name]
            case t.Adt(name="Box", args=(inner,)):
                return self.callable(inner)
            case t.Ref(inner=inner):
                return self.callable(inner)
            case t.Adt(name=name) if name.startswith("go:"):
                from gust.sema.golang import go_func_type

                return go_func_type(self.env.go_packages, ty)  # `context.CancelFunc`
        return None

    def variant_go(self, enum: str, variant: str, args: tuple[t.Ty, ...] = ()) -> str:
        """The Go type of a payload enum's variant struct, instantiated (`TreeLeaf[int32]`)."""
        name = self.variant_type(enum, variant)
        seqs = self.adt_seqs(enum) if args else {}
        if seqs:
            args = tuple(a for p, a in zip(self.env.generics_of(enum), args, strict=False)
                         if p not in seqs)
        if args:
            return name + "[" + ", ".join(self.go(a) for a in args) + "]"
        return name

    def is_struct(self, ty: t.Ty) -> bool:
        if isinstance(ty, t.Adt) and ty.name.startswith("go:"):
            from gust.codegen import golang

            return golang.is_go_struct(self, ty)
        return isinstance(ty, t.Adt) and ty.name in self.env.structs

    # ------------------------------------------------------------ semantics

    def cloned_by_impl(self) -> frozenset[str]:
        """The package's structs and enums with a hand-written `Clone` impl."""
        return self._with_impl("Clone")

    def equal_by_impl(self) -> frozenset[str]:
        """The package's structs and enums with a hand-written `PartialEq` impl."""
        return self._with_impl("PartialEq")

    def _with_impl(self, trait: str) -> frozenset[str]:
        found = self._by_impl.get(trait)
        if found is None:
            found = self._by_impl[trait] = frozenset(
                i.self_ty.name for i in self.env.impls
                if i.trait == trait and isinstance(i.self_ty, t.Adt) and
                (i.self_ty.name in self.env.structs or i.self_ty.name in self.env.enums))
        return found

    def is_plain(self, ty: t.Ty, seen: frozenset[str] = frozenset()) -> bool:
        """Whether Go's assignment copy is a Rust `clone` of this type."""
        match ty:
            case t.Int() | t.Float() | t.Bool() | t.Char() | t.Str() | t.Never() | t.FnPtr() \
                    | t.Closure() | t.Dyn():
                return True
            case t.Param():
                return False  # cloned by the runtime's gustClone (or a method)
            case t.Ref():
                return True
            case t.Tuple(elems=elems):
                return all(self.is_plain(e, seen) for e in elems)
            case t.Array(elem=elem):
                return self.is_plain(elem, seen)
            case t.Slice():
                return False
            case t.Adt(name=name, args=args):
                if name == "String":
                    return True
                if name in ("Vec", "HashMap", "HashSet", "Iter", "VecDeque", "BTreeMap",
                            "BTreeSet", "BinaryHeap"):
                    return False
                if name in ("Rc", "Arc") and self._counted_rc(name):
                    return False  # cloning counts one more owner
                if name in ("Cell", "RefCell") and not self.env.is_package_type(name, args):
                    return False  # a pointer: the clone is a new cell
                if name == "Box" and self.is_struct(args[0]):
                    return False
                if name in ("Option", "Box", "Result"):
                    return all(self.is_plain(a, seen) for a in args)
                if name in seen:
                    return True
                if name in self.cloned_by_impl():
                    return False  # `clone` runs the impl's body
                return all(self.is_plain(f, seen | {name}) for f in self.field_types(name, args))
        return True

    def _counted_rc(self, name: str) -> bool:
        from gust.codegen import rc_counts

        return name not in self.env.structs and rc_counts.enabled(self.env)

    def map_key(self, owner: str, key: t.Ty) -> str:
        """The Go type of a map's or set's key, which Go requires to be `comparable` (no
        slices, maps or funcs inside: a `Vec` key is reported)."""
        from gust.codegen.generics import go_comparable

        if not go_comparable(self, key):
            raise Unsupported(f"a `{owner}` keyed by `{key}` (its Go type is not "
                              "`comparable`, as a Go map key must be)")
        own_eq = self._own_equality(key)
        if own_eq is not None:
            raise Unsupported(f"a `{owner}` keyed by `{key}`, whose `PartialEq` for "
                              f"`{own_eq}` is hand-written (a Go map compares its keys "
                              "with Go's `==`),")
        return self.go(key)

    def _own_equality(self, key: t.Ty) -> t.Ty | None:
        """The package type in `key` (itself, or an element of a tuple key) whose
        `PartialEq` is a hand-written impl, None when there is none."""
        from gust.sema import traits as sema_traits

        match key:
            case t.Tuple(elems):
                return next((own for e in elems if (own := self._own_equality(e))), None)
            case t.Adt(name=name) if name in self.env.type_names() and \
                    sema_traits.impl_for(key, "PartialEq", self.env) is not None:
                return key
        return None

    def coded_key(self, map_ty: t.Ty) -> bool:
        """Whether `map_ty` is a map or set whose key has no `comparable` Go type but one the
        runtime encodes (a `Vec`, a tuple or struct holding one): its Go type is the
        runtime's `gustKeyMap[K, V]`, keyed by `gustKeyOf(k)`."""
        from gust.codegen.generics import go_comparable

        while isinstance(map_ty, t.Ref):
            map_ty = map_ty.inner
        if not (isinstance(map_ty, t.Adt) and map_ty.name in (
                "HashMap", "BTreeMap", "HashSet", "BTreeSet") and map_ty.args):
            return False
        key = map_ty.args[0]
        if go_comparable(self, key):
            return False
        if not self._encodable(key, map_ty.name.startswith("BTree"), frozenset()):
            raise Unsupported(f"a `{map_ty.name}` keyed by `{key}` (its Go type is not "
                              "`comparable`, as a Go map key must be, and not one the "
                              "runtime encodes as a key)")
        return True

    def _encodable(self, ty: t.Ty, ordered: bool, seen: frozenset[str]) -> bool:
        """Whether the runtime's `gustKeyOf` encodes `ty`'s Go values, in Rust's order when
        `ordered` (a `BTreeMap`'s key: a struct's `Ord` must be the derived one)."""
        match ty:
            case t.Int() | t.Bool() | t.Char() | t.Str():
                return True
            case t.Ref(inner=inner):  # a Go pointer is encoded as what it points at
                return self._encodable(inner, ordered, seen)
            case t.Tuple(elems=elems):
                return all(self._encodable(e, ordered, seen) for e in elems)
            case t.Array(elem=elem) | t.Slice(elem=elem):
                return self._encodable(elem, ordered, seen)
            case t.Adt(name=name, args=args):
                if name in ("String", "Duration", "Ordering") and \
                        name not in self.env.structs and name not in self.env.enums:
                    return True  # a `string`, an `int64`, an `int` (-1, 0, 1)
                if name in ("Vec", "VecDeque", "Option") and len(args) == 1:
                    return self._encodable(args[0], ordered, seen)
                if name in seen:
                    return False  # recursive through a `Vec`: no fixed encoding
                if self._eq_by_impl(name, ordered):
                    return False  # the encoding compares as the derived impls do
                if name in self.env.enums:
                    return self.enum_is_simple(name)
                if name in self.env.structs:
                    return all(
                        self._encodable(f, ordered, seen | {name})
                        for f in self.field_types(name, args))
        return False

    def _eq_by_impl(self, name: str, ordered: bool) -> bool:
        """Whether the key type `name` has a hand-written `PartialEq` (or, for a
        `BTreeMap`'s, `Ord`/`PartialOrd`). A hand-written `Hash` is as the derived one:
        Rust requires equal keys to hash alike, and the encoding is equality's."""
        traits = ("PartialEq",) + (("Ord", "PartialOrd") if ordered else ())
        return any(i.trait in traits and isinstance(i.self_ty, t.Adt) and
                   i.self_ty.name == name for i in self.env.impls)

    def is_comparable(self, ty: t.Ty, seen: frozenset[str] = frozenset()) -> bool:
        """Whether Go's `==` on this type is Rust's `==` (no slices, no pointers inside)."""
        match ty:
            case t.Int() | t.Float() | t.Bool() | t.Char() | t.Str() | t.Never():
                return True
            case t.Ref(inner=inner):
                return not self.ref_is_ptr(ty) and self.is_comparable(inner, seen)
            case t.Tuple(elems=elems):
                return all(self.is_comparable(e, seen) for e in elems)
            case t.Array(elem=elem):
                return self.is_comparable(elem, seen)
            case t.Adt(name=name, args=args):
                if name == "String":
                    return True
                if name == "Discriminant" and name not in self.env.structs:
                    return True
                if name in ("Option", "Result", "Bound") or (
                        name in ("Range", "RangeInclusive") and name not in self.env.structs
                        and name not in self.env.enums):
                    return all(self.is_comparable(a, seen) for a in args)
                if name in ("ParseIntError", "ParseFloatError", "TryFromIntError",
                            "TryFromSliceError", "Ordering",
                            "Utf8Error", "ParseBoolError", "ParseCharError", "Infallible") or (name in ("Duration", "Instant") and
                                             name not in self.env.structs and
                                             name not in self.env.enums):
                    return True
                if name in ("Vec", "HashMap", "HashSet", "Iter", "Box", "Range",
                            "RangeInclusive", "VecDeque", "BTreeMap", "BTreeSet",
                            "BinaryHeap"):
                    return False
                if name in ("Rc", "Arc") and self._counted_rc(name):
                    return False  # a pointer: Go's `==` would compare identities
                if name in self.equal_by_impl():
                    return False  # its `eq` decides, not Go's `==` on its fields
                if name in seen:
                    return True
                return all(self.is_comparable(f, seen | {name})
                           for f in self.field_types(name, args))
        return False

    def field_types(self, name: str, args: tuple[t.Ty, ...] = ()) -> list[t.Ty]:
        """The field types of a struct or enum, instantiated with `args`."""
        subst = dict(zip(self.env.generics_of(name), args, strict=False))
        if name in self.env.structs:
            return [t.substitute(f.ty, subst) for f in self.env.structs[name].fields]
        if name in self.env.enums:
            return [t.substitute(f.ty, subst) for v in self.env.enums[name].variants
                    for f in v.fields]
        return []

    def needs_int_view(self, ty: t.Ty) -> bool:
        """Whether `ty` holds an `Ordering` (or a `usize` printed as Rust's): Go ints the
        formatter cannot tell from numbers (gust.codegen.intviews)."""
        if self.is_std_ordering(ty):
            return True
        match ty:
            case t.Int(kind="usize"):
                from gust.codegen import usize_max

                return usize_max.enabled(self.env)
            case t.Ref(inner=inner) | t.Slice(elem=inner) | t.Array(elem=inner):
                return self.needs_int_view(inner)
            case t.Tuple(elems=elems):
                return any(self.needs_int_view(e) for e in elems)
            case t.Adt(args=args):
                # Generic user types too: their derived Debug sees a `T`, not a `char`.
                return any(self.needs_int_view(a) for a in args)
        return False

    def is_zero_value(self, ty: t.Ty) -> bool:
        """Types whose Go zero value exists (everything but interfaces)."""
        return not (isinstance(ty, t.Adt) and self.is_iface_enum(ty.name))
