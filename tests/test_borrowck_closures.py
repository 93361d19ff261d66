"""Closures in the borrow checker: message shapes compared with what rustc prints.

A closure value holds the borrows of its by-reference captures while it is live; its body
is checked as a body of its own (tests/ui/closures/ holds the corpus cases, checked against
rustc by test_corpus_oracle.py).
"""

from __future__ import annotations

from test_borrowck import apply_fix, check_source, labels_of, one


def test_closure_borrow_lives_until_its_last_call() -> None:
    src = (
        "fn main() {\n"
        "    let mut v = vec![1, 2, 3];\n"
        "    let mut push = |x: i32| v.push(x);\n"
        "    let first = &v[0];\n"
        "    push(4);\n"
        "    println!(\"{}\", first);\n"
        "}\n"
    )
    diag = one(src, "E0502")
    assert diag.message == ("cannot borrow `v` as immutable because it is also borrowed as "
                            "mutable")
    assert diag.label == "immutable borrow occurs here"
    assert labels_of(src, diag) == [
        ("|x: i32|", "mutable borrow occurs here"),
        ("v", "first borrow occurs due to use of `v` in closure"),
        ("push", "mutable borrow later used here")]
    # After the closure's last call, the borrow is over.
    fixed = src.replace("    push(4);\n", "").replace("let first", "push(4);\n    let first")
    assert check_source(fixed) == []


def test_closure_as_the_second_borrow() -> None:
    src = (
        "fn main() {\n"
        "    let mut count = 0;\n"
        "    let mut inc = || count += 1;\n"
        "    let mut inc2 = || count += 2;\n"
        "    inc();\n"
        "    inc2();\n"
        "}\n"
    )
    diag = one(src, "E0499")
    assert diag.label == "second mutable borrow occurs here"
    assert labels_of(src, diag) == [
        ("||", "first mutable borrow occurs here"),
        ("count", "first borrow occurs due to use of `count` in closure"),
        ("count", "second borrow occurs due to use of `count` in closure"),
        ("inc", "first borrow later used here")]


def test_move_into_closure_labels() -> None:
    src = (
        "fn main() {\n"
        "    let s = String::from(\"a\");\n"
        "    let c = move || s.len();\n"
        "    println!(\"{}\", s);\n"
        "    c();\n"
        "}\n"
    )
    diag = one(src, "E0382")
    assert diag.message == "borrow of moved value: `s`"
    assert ("move ||", "value moved into closure here") in labels_of(src, diag)
    assert ("s", "variable moved due to use in closure") in labels_of(src, diag)
    assert diag.help == ("consider cloning the value before moving it into the closure",)


def test_fn_once_closure_called_twice() -> None:
    src = (
        "fn main() {\n"
        "    let s = String::from(\"a\");\n"
        "    let c = move || drop(s);\n"
        "    c();\n"
        "    c();\n"
        "}\n"
    )
    diag = one(src, "E0382")
    assert diag.message == "use of moved value: `c`"
    assert diag.label == "value used here after move"
    assert labels_of(src, diag) == [("c()", "`c` moved due to this call")]
    assert diag.notes == (
        "closure cannot be invoked more than once because it moves the variable `s` out of "
        "its environment",
        "this value implements `FnOnce`, which causes it to be moved when called")


def test_returned_closure_needs_move() -> None:
    src = (
        "fn f() -> impl Fn() -> i32 {\n"
        "    let x = 1;\n"
        "    || x\n"
        "}\n"
        "\n"
        "fn main() {\n"
        "    println!(\"{}\", f()());\n"
        "}\n"
    )
    diag = one(src, "E0373")
    assert diag.message == ("closure may outlive the current function, but it borrows `x`, "
                            "which is owned by the current function")
    assert diag.label == "may outlive borrowed value `x`"
    assert src[diag.span.start:diag.span.end] == "||"
    assert labels_of(src, diag) == [("x", "`x` is borrowed here")]
    assert diag.notes == ("closure is returned here",)
    fixed = apply_fix(src, diag.fixes[0])
    assert "    move || x\n" in fixed
    assert check_source(fixed) == []


def test_mutating_a_capture_of_an_fn_closure() -> None:
    src = (
        "fn call<F: Fn()>(f: F) {\n"
        "    f();\n"
        "}\n"
        "\n"
        "fn main() {\n"
        "    let mut x = 0;\n"
        "    call(|| x += 1);\n"
        "    println!(\"{}\", x);\n"
        "}\n"
    )
    diag = one(src, "E0594")
    assert diag.message == "cannot assign to `x`, as it is a captured variable in a `Fn` closure"
    assert diag.label == "cannot assign"
    assert labels_of(src, diag) == [("mut x", "`x` declared here, outside the closure"),
                                    ("||", "in this closure")]


def test_move_closure_mutating_an_immutable_capture() -> None:
    src = (
        "fn main() {\n"
        "    let x = 0;\n"
        "    let mut c = move || {\n"
        "        x += 1;\n"
        "        x\n"
        "    };\n"
        "    println!(\"{}\", c());\n"
        "}\n"
    )
    diag = one(src, "E0594")
    assert diag.message == "cannot assign to `x`, as it is not declared as mutable"
    assert "let mut x = 0;" in apply_fix(src, diag.fixes[0])


def test_captured_value_dropped_while_closure_lives() -> None:
    src = (
        "fn main() {\n"
        "    let c;\n"
        "    {\n"
        "        let x = 1;\n"
        "        c = || x + 1;\n"
        "    }\n"
        "    println!(\"{}\", c());\n"
        "}\n"
    )
    diag = one(src, "E0597")
    assert src[diag.span.start:diag.span.end] == "x"
    assert ("||", "value captured here") in labels_of(src, diag)
    assert ("}", "`x` dropped here while still borrowed") in labels_of(src, diag)


def test_closure_bodies_with_patterns_and_nesting_are_accepted() -> None:
    src = (
        "fn main() {\n"
        "    let pairs = vec![(1, 2), (3, 4)];\n"
        "    let name = String::from(\"n\");\n"
        "    let f = |&(a, b): &(i32, i32)| {\n"
        "        let inner = || name.len();\n"
        "        a + b + inner() as i32\n"
        "    };\n"
        "    let total: i32 = pairs.iter().map(f).sum();\n"
        "    println!(\"{} {}\", total, name);\n"
        "}\n"
    )
    assert check_source(src) == []


def test_closure_mutating_through_a_mut_reference_needs_unique_access() -> None:
    src = (
        "fn fill(v: &mut Vec<i32>) {\n"
        "    let mut add = || v.push(1);\n"
        "    v.push(2);\n"
        "    add();\n"
        "}\n"
        "\n"
        "fn main() {\n"
        "    let mut v = Vec::new();\n"
        "    fill(&mut v);\n"
        "}\n"
    )
    diag = one(src, "E0501")
    assert diag.message == ("cannot borrow `*v` as mutable because previous closure requires "
                            "unique access")
    assert diag.label == "second borrow occurs here"
    assert labels_of(src, diag) == [
        ("||", "closure construction occurs here"),
        ("v", "first borrow occurs due to use of `*v` in closure"),
        ("add", "first borrow later used here")]
    # The reference itself is not mutated, so it need not be `mut`; after the closure's
    # last call, `*v` is free again.
    fixed = src.replace("    v.push(2);\n    add();\n", "    add();\n    v.push(2);\n")
    assert check_source(fixed) == []


def test_closures_capture_only_the_fields_they_use() -> None:
    src = (
        "struct Scaler {\n"
        "    items: Vec<i32>,\n"
        "    factor: i32,\n"
        "}\n"
        "\n"
        "impl Scaler {\n"
        "    fn apply(&mut self) {\n"
        "        self.items.iter_mut().for_each(|x| *x *= self.factor);\n"
        "    }\n"
        "}\n"
        "\n"
        "fn main() {\n"
        "    let mut p = (vec![1], vec![2]);\n"
        "    let mut c = || p.0.push(1);\n"
        "    println!(\"{}\", p.1.len());\n"
        "    c();\n"
        "}\n"
    )
    assert check_source(src) == []
    clash = src.replace("p.1.len()", "p.0.len()")
    diag = one(clash, "E0502")
    assert diag.message == ("cannot borrow `p.0` as immutable because it is also borrowed as "
                            "mutable")


def test_borrowing_closure_coerced_to_a_static_trait_object() -> None:
    src = (
        "struct Button {\n"
        "    on_click: Box<dyn Fn() -> usize>,\n"
        "}\n"
        "\n"
        "fn main() {\n"
        "    let s = String::from(\"a\");\n"
        "    let b = Button { on_click: Box::new(|| s.len()) };\n"
        "    println!(\"{}\", (b.on_click)());\n"
        "}\n"
    )
    diag = one(src, "E0597")
    assert diag.message == "`s` does not live long enough"
    assert ("Box::new(|| s.len())", "coercion requires that `s` is borrowed for `'static`") \
        in labels_of(src, diag)
    assert diag.notes == ("due to object lifetime defaults, `Box<dyn Fn() -> usize>` actually "
                          "means `Box<(dyn Fn() -> usize + 'static)>`",)
    # A `move` closure owns `s`: nothing is borrowed.
    assert check_source(src.replace("Box::new(||", "Box::new(move ||")) == []
