"""Type checking of one function body.

`check_fn(env, fn, owner)` walks the body once, bidirectionally: every expression is checked
against the type its context expects (if any), inference variables stand for what is not
known yet, and `Unifier` solves them. Results (`BodyResults`) record the type of every
expression and what every name, method and field refers to; diagnostics use rustc's codes
and wording. The checker never raises on bad input: an ill-typed expression gets the `Error`
type, which unifies with everything, so one mistake gives one diagnostic.

The checker is one class assembled from one module per family of expressions:

| module | what it checks |
|---|---|
| `base` | state, scopes, coercions, blocks, statements, literals, tuples, arrays |
| `paths` | names: locals, functions, constants, enum variants, associated functions |
| `calls` | calls and method calls (probing with auto-ref and auto-deref) |
| `places` | fields and indexing |
| `operators` | unary and binary operators, casts, assignments, ranges |
| `control` | `if`, `match` and exhaustiveness, loops, `break`/`continue`/`return` |
| `structs` | struct literals |
| `macros` | `vec!`, `println!`/`format!` and friends, assertions |
| `patterns` | patterns, bindings, match ergonomics |
| `stdlib` | std methods beyond their signatures: callable/pattern/key/iterable arguments, `collect`, `sum`, `parse`, trait bounds of `sort` and map keys, `thread::spawn` |
| `closures` | closure expressions, captures and call traits, calls of closures, callable arguments |
| `goroutines` | Gust's `go f(..)`, `spawn`, channel sends and `select`, and the send check |
| `go_callbacks` | closures passed to Go as funcs: `Fn + Send + Sync + 'static`, as Rust requires of a callback called from several threads |
| `conversions` | `From`/`Into`: `T::from(x)`, `x.into()`, their obligations; `?`'s error conversion |

`check_const(env, decl, module)` checks the initialiser of a `const` or `static` with the same
checker, against the declared type (gust.sema.consts adds what only constants forbid).
"""

from __future__ import annotations

from gust.budget import UNLIMITED, Budget
from gust.sema import types as t
from gust.sema.check.calls import Calls
from gust.sema.check.closures import Closures
from gust.sema.check.control import Control
from gust.sema.check.conversions import Conversions
from gust.sema.check.go_callbacks import GoCallbacks
from gust.sema.check.goroutines import Goroutines
from gust.sema.check.macros import Macros
from gust.sema.check.operators import Operators
from gust.sema.check.paths import Paths
from gust.sema.check.patterns import Patterns
from gust.sema.check.places import Places
from gust.sema.check.stdlib import Std
from gust.sema.check.structs import Structs
from gust.sema.items import ItemEnv
from gust.sema.modules import ModPath
from gust.sema.results import BodyResults
from gust.syntax import ast


class _Checker(Paths, Calls, Places, Operators, Control, Structs, Macros, Patterns, Closures,
               Std, Goroutines, GoCallbacks, Conversions):
    """The parts are traits (mypy_extensions.trait: plain mixins to Python) so that a
    compiled build (mypyc, gust.native) can combine them: it allows multiple inheritance of
    traits only."""


def check_fn(env: ItemEnv, fn: ast.FnDecl, owner: str | None = None,
             module: ModPath = (), budget: Budget = UNLIMITED) -> BodyResults:
    """Type-check `fn`'s body against the environment. `owner` is the impl's type (its
    key), `module` the module the function is written in. Raises `OutOfTime` when the
    budget runs out (gust.budget)."""
    checker = _Checker(env, fn, owner, module, budget)
    checker.run()
    return checker.results


def check_const(env: ItemEnv, decl: ast.ConstDecl | ast.StaticDecl, declared: t.Ty,
                module: ModPath = ()) -> BodyResults:
    """Type-check the initialiser of a `const` or `static` against its `declared` type.
    It is checked as the tail of a body of its own (a stand-in `fn` with the constant's
    name and no parameters), as rustc type-checks a constant's body; unlike a function's
    tail, a mismatch has no "expected due to this" label (rustc gives none)."""
    body = ast.Block((), decl.value, decl.value.span)
    fn = ast.FnDecl(decl.name, decl.name_span, ast.NO_GENERICS, None, (), decl.ty, body,
                    decl.is_pub, (), decl.span)
    checker = _Checker(env, fn, None, module)
    checker.results.item = decl
    checker.results.ret = declared
    found = checker.check_block(body, declared)
    checker.coerce(found, declared, decl.value.span)
    checker.finish()
    return checker.results
