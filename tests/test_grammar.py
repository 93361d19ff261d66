"""The grammar covers all of Gust v1: every construct of the brief parses, with the AST a
reader would expect. (Type checking of the constructs is tested elsewhere.)"""

from __future__ import annotations

from gust.syntax import ast
from gust.syntax.source import parse_source
from gust.syntax.walk import walk

V1 = r'''
//! A module doc comment.
use std::collections::HashMap;
use std::sync::{Arc, Mutex};
use go "net/http";
use go "encoding/json" as js;

mod util {
    pub fn clamp(x: i32) -> i32 { x }
}

/// A shape.
#[derive(Debug, Clone, Copy, PartialEq)]
pub struct Point { pub x: f64, y: f64 }
struct Meters(f64);
struct Unit;

enum Shape { Circle(f64), Rect { w: f64, h: f64 }, Empty }

const LIMIT: usize = 10;
static GREETING: &str = "hi";
type Table = HashMap<String, Vec<i32>>;

trait Area {
    fn area(&self) -> f64;
    fn describe(&self) -> String { format!("{:.2}", self.area()) }
}

impl Area for Shape {
    fn area(&self) -> f64 {
        match self {
            Shape::Circle(r) => 3.14 * r * r,
            Shape::Rect { w, h } => w * h,
            Shape::Empty => 0.0,
        }
    }
}

fn largest<T: PartialOrd + Copy>(items: &[T]) -> T where T: Clone {
    let mut best = items[0];
    for &item in items.iter() {
        if item > best { best = item; }
    }
    best
}

fn boxed(shapes: Vec<Box<dyn Area>>) -> impl Iterator<Item = f64> {
    shapes.into_iter().map(|s| s.area())
}

fn patterns(v: &[i32], t: (i32, (bool, char)), s: Shape) -> i32 {
    let (a, (flag, _)) = t;
    let &z = &a;
    let Some(first) = v.first() else { return 0; };
    match *first {
        0 => 1,
        1 | 2 => 2,
        3..=9 => 3,
        n @ 10..=99 if n % 2 == 0 => 4,
        -1 => 5,
        _ => 6,
    };
    match s {
        Shape::Rect { w, .. } => w as i32,
        Shape::Circle(ref r) => *r as i32,
        _ => a,
    };
    if let [x, y, ..] = v { return x + y; }
    while let Some(x) = v.iter().next() { break; }
    if flag { 1 } else { 0 }
}

fn control(n: usize) -> usize {
    let total = 'outer: loop {
        for i in 0..n {
            if i == 3 { continue 'outer; }
            if i > 5 { break 'outer i * 2; }
        }
        break 0;
    };
    let v: Vec<i32> = (1..=n as i32).collect::<Vec<i32>>();
    let middle = &v[1..3];
    let tail = &v[2..];
    let sum: i32 = v.iter().map(|x| x * 2).filter(|&x| x > 2).sum();
    let add = move |a: i32, b: i32| -> i32 { a + b };
    let r = Some(3).unwrap_or(0)?;
    total + middle.len() + tail.len() + sum as usize + add(1, 2) as usize
}

fn concurrency() {
    let counter = Arc::new(Mutex::new(0));
    let (tx, rx) = channel::<i32>();
    let handle = std::thread::spawn(move || { tx.send(1).unwrap(); });
    go worker(rx.clone());
    let queue: chan<String> = make_chan(8);
    select {
        v = rx.recv() => println!("{}", v),
        queue.send(String::from("x")) => {}
        default => {}
    }
    handle.join().unwrap();
    _ = counter;
    let resp = http::Get("http://example.com");
}
'''


def test_every_v1_construct_parses() -> None:
    source = parse_source(V1)
    assert source.syntax_errors == []
    kinds = [type(n.item).__name__ for n in source.items]
    assert kinds[:4] == ["UseDecl", "UseDecl", "UseGoDecl", "UseGoDecl"]
    assert {"ModDecl", "StructDecl", "EnumDecl", "ConstDecl", "StaticDecl", "TypeAliasDecl",
            "TraitDecl", "ImplDecl", "FnDecl"} <= set(kinds)


def _fn(name: str) -> ast.FnDecl:
    for node in parse_source(V1).items:
        if isinstance(node.item, ast.FnDecl) and node.item.name == name:
            return node.item
    raise AssertionError(name)


def _walk(node: object) -> list[object]:
    """Every AST node under `node`."""
    return list(walk(node))


def test_generics_bounds_and_where() -> None:
    fn = _fn("largest")
    (param,) = fn.generics.params
    assert param.name == "T" and [b.path.names for b in param.bounds] == [("PartialOrd",),
                                                                          ("Copy",)]
    (pred,) = fn.generics.where
    assert [b.path.names for b in pred.bounds] == [("Clone",)]


def test_impl_trait_and_dyn_trait() -> None:
    fn = _fn("boxed")
    assert isinstance(fn.ret, ast.ImplTraitType)
    param_ty = fn.params[0].ty
    assert isinstance(param_ty, ast.TypePath)
    box = param_ty.path.last.generics[0]
    assert isinstance(box, ast.TypePath)
    assert isinstance(box.path.last.generics[0], ast.DynTraitType)


def test_every_pattern_form() -> None:
    kinds = {type(n).__name__ for n in _walk(_fn("patterns"))}
    assert {"TuplePat", "IdentPat", "WildPat", "LitPat", "OrPat", "RangePat",
            "TupleStructPat", "StructPat", "RestPat", "SlicePat", "RefPat"} <= kinds
    binding = next(n for n in _walk(_fn("patterns"))
                   if isinstance(n, ast.IdentPat) and n.sub is not None)
    assert binding.name == "n" and isinstance(binding.sub, ast.RangePat)
    assert any(isinstance(n, ast.IdentPat) and n.by_ref for n in _walk(_fn("patterns")))
    assert any(isinstance(n, ast.Let) and n.else_block is not None
               for n in _walk(_fn("patterns")))


def test_labels_ranges_slices_turbofish_closures() -> None:
    nodes = _walk(_fn("control"))
    loops = [n for n in nodes if isinstance(n, ast.Loop)]
    assert [lp.label for lp in loops] == ["outer"]
    assert any(isinstance(n, ast.Break) and n.label == "outer" and n.value is not None
               for n in nodes)
    assert any(isinstance(n, ast.Continue) and n.label == "outer" for n in nodes)
    assert any(isinstance(n, ast.Range) and n.inclusive for n in nodes)
    assert any(isinstance(n, ast.Index) and isinstance(n.index, ast.Range) for n in nodes)
    assert any(isinstance(n, ast.MethodCall) and n.name == "collect" and n.generics
               for n in nodes)
    closures = [n for n in nodes if isinstance(n, ast.Closure)]
    assert any(c.is_move and c.ret is not None for c in closures)
    assert any(isinstance(n, ast.Try) for n in nodes)


def test_gust_extensions() -> None:
    nodes = _walk(_fn("concurrency"))
    assert any(isinstance(n, ast.GoExpr) for n in nodes)
    select = next(n for n in nodes if isinstance(n, ast.Select))
    assert [a.kind for a in select.arms] == ["recv", "op", "default"]
    chan = next(n for n in nodes if isinstance(n, ast.Let) and isinstance(n.ty, ast.TypePath)
                and n.ty.path.last.name == "chan")
    assert chan is not None
    uses = [n.item for n in parse_source(V1).items if isinstance(n.item, ast.UseGoDecl)]
    assert [(u.package, u.name) for u in uses] == [("net/http", "http"),
                                                   ("encoding/json", "js")]


def test_operator_precedence_is_rusts() -> None:
    fn = parse_source("fn f() -> bool { 1 + 2 * 3 == 7 && 8 >> 1 | 1 < 5 || false }")
    item = fn.items[0].item
    assert isinstance(item, ast.FnDecl) and item.body is not None
    top = item.body.tail
    assert isinstance(top, ast.Binary) and top.op == "||"
    land = top.lhs
    assert isinstance(land, ast.Binary) and land.op == "&&"
    eq = land.lhs
    assert isinstance(eq, ast.Binary) and eq.op == "=="
    add = eq.lhs
    assert isinstance(add, ast.Binary) and add.op == "+"
    assert isinstance(add.rhs, ast.Binary) and add.rhs.op == "*"
    lt = land.rhs
    assert isinstance(lt, ast.Binary) and lt.op == "<"
    assert isinstance(lt.lhs, ast.Binary) and lt.lhs.op == "|"


def test_chained_comparison_is_an_error_like_rustc() -> None:
    source = parse_source("fn f(a: i32) -> bool { 1 < a < 3 }")
    assert [e.message for e in source.syntax_errors] == [
        "comparison operators cannot be chained"]


def test_open_range_before_a_block_ends_at_the_block() -> None:
    # As in rustc: in a `for`/`while`/`if`/`match` head, `{` after `..` opens the block, it
    # does not end the range (`1..{5}` still parses where no block follows).
    nodes = _walk(parse_source(
        "fn f() { for i in 1.. { break; } for j in ..{ 3 } {} let r = 1..{ 5 }; "
        "for k in 0..n.len() {} }").items[0].item)
    fors = sorted((n for n in nodes if isinstance(n, ast.For)), key=lambda n: n.span.start)
    assert len(fors) == 3
    opened = fors[0].iter
    assert isinstance(opened, ast.Range) and opened.hi is None and not opened.inclusive
    assert isinstance(fors[0].body.stmts[0], ast.ExprStmt)
    assert isinstance(fors[1].iter, ast.Range) and fors[1].iter.hi is None
    assert isinstance(fors[2].iter, ast.Range) and isinstance(fors[2].iter.hi, ast.MethodCall)
    assert any(isinstance(n, ast.Range) and isinstance(n.hi, ast.Block) for n in nodes)


def test_matches_with_a_guard() -> None:
    fn = parse_source("fn f(x: Option<i32>) -> bool { matches!(x, Some(n) if n > 3) }")
    item = fn.items[0].item
    assert isinstance(item, ast.FnDecl) and item.body is not None and not fn.syntax_errors
    match = item.body.tail
    assert isinstance(match, ast.Match)
    arm = match.arms[0]
    assert isinstance(arm.pat, ast.TupleStructPat) and isinstance(arm.guard, ast.Binary)
    text = "fn f(x: i32) { println!(\"{}\", x if x > 3); }"
    assert [(e.message, e.span.start) for e in parse_source(text).syntax_errors] == [
        ("expected one of `!`, `,`, `.`, `::`, `?`, `{`, or an operator, found keyword `if`",
         text.index("if"))]


def _matches_arm(body: str) -> ast.MatchArm:
    """The first arm of the `match` that the first `matches!` of `body` stands for."""
    fn = parse_source("fn f(c: u8, x: Option<i32>) -> bool { " + body + " }")
    assert not fn.syntax_errors, fn.syntax_errors
    match = next(n for n in _walk(fn.items[0].item) if isinstance(n, ast.Match))
    return match.arms[0]


def test_matches_takes_a_pattern() -> None:
    """`matches!`'s second argument is parsed as a pattern, not as an expression (where `|`
    binds tighter than `..=`): or-patterns of ranges, at the top, nested, with a guard."""
    arm = _matches_arm("matches!(c, b'a'..=b'z' | b'A'..=b'Z' | b'_')")
    assert isinstance(arm.pat, ast.OrPat) and arm.guard is None
    assert [type(a).__name__ for a in arm.pat.alts] == ["RangePat", "RangePat", "LitPat"]
    arm = _matches_arm("matches!(c, 1..=5 | 10..=u8::MAX if c > 0,)")
    assert isinstance(arm.pat, ast.OrPat) and isinstance(arm.guard, ast.Binary)
    arm = _matches_arm("assert!(c > 0 && matches!(x, Some(1..=5 | 9..=12)))")
    assert isinstance(arm.pat, ast.TupleStructPat) and isinstance(arm.pat.elems[0], ast.OrPat)
    arm = _matches_arm("matches![x, Some(n @ (1 | 3..))]")
    assert isinstance(arm.pat, ast.TupleStructPat) and isinstance(arm.pat.elems[0], ast.IdentPat)
    arm = _matches_arm("matches! { x, None }")
    assert isinstance(arm.pat, ast.IdentPat) and arm.pat.name == "None"


def test_let_needs_parentheses_around_an_or_pattern() -> None:
    """`let (A | B) = x;` parses; `let A | B = x;` is rustc's error, at the pattern."""
    ok = parse_source("fn f(r: Result<i32, i32>) -> i32 { let (Ok(v) | Err(v)) = r; v }")
    assert not ok.syntax_errors
    text = "fn f(r: Result<i32, i32>) -> i32 { let Ok(v) | Err(v) = r; v }"
    assert [(e.message, e.span.start) for e in parse_source(text).syntax_errors] == [
        ("`let` bindings require top-level or-patterns in parentheses", text.index("Ok(v)"))]


def test_matches_is_a_name_elsewhere() -> None:
    """Only `matches` right before `!(` is the macro: a variable or a method keeps the name."""
    text = ("fn f(s: &str) -> usize { let matches = s.matches('a').count(); "
            "let m = matches != 0 && matches! (matches, 1 | 2); matches }")
    fn = parse_source(text)
    assert not fn.syntax_errors
    names = [n.path.last.name for n in _walk(fn.items[0].item) if isinstance(n, ast.PathExpr)]
    assert names.count("matches") == 3
    assert any(isinstance(n, ast.MethodCall) and n.name == "matches"
               for n in _walk(fn.items[0].item))
