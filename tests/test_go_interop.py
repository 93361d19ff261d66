"""`use go`: Go packages' real types in Gust code (functions, constants, methods, fields),
Go results as `Result`/`Option`, and clear errors. Packages come from the stubs shipped with
Gust here (the loader is given a Go that does not exist), so the test runs without Go and
always sees the same API; tests/test_go_packages.py checks the stubs against real Go."""

from __future__ import annotations

import pytest

from gust.ide import analyze_text
from gust.ide.hover import hover
from gust.project.gopackages import GoPackages
from gust.project.provider import go_provider


@pytest.fixture(scope="module")
def provider():  # type: ignore[no-untyped-def]
    return go_provider(GoPackages(go="/nonexistent/go"))


def errors(provider, text: str) -> list[tuple[str | None, str]]:  # type: ignore[no-untyped-def]
    return [(d.code, d.message) for d in analyze_text("main.gust", text, provider).diagnostics()
            if d.is_error and d.code != "unsupported"]


def test_go_functions_have_their_real_types(provider) -> None:  # type: ignore[no-untyped-def]
    text = """use go "strings";
use go "strconv";
use go "fmt";

fn parse(s: &str) -> isize {
    match strconv::Atoi(s) {
        Ok(n) => n,
        Err(e) => {
            println!("bad number: {}", e);
            0
        }
    }
}

fn main() {
    let loud: String = strings::ToUpper("quiet");
    let n = parse("42");
    fmt::Println(loud, n, 2.5, true);
}
"""
    assert errors(provider, text) == []
    analysis = analyze_text("main.gust", text, provider)
    found = hover(analysis, text.index("n = parse"))
    assert found is not None and found.signature == "let n: isize"


def test_a_go_result_is_not_the_value_inside(provider) -> None:  # type: ignore[no-untyped-def]
    text = 'use go "strconv";\nfn main() {\n    let n: isize = strconv::Atoi("4");\n}\n'
    (code, message), = errors(provider, text)
    assert code == "E0308" and message == "mismatched types"


def test_question_mark_propagates_go_errors(provider) -> None:  # type: ignore[no-untyped-def]
    text = """use go "strconv";

fn double(s: &str) -> Result<isize, GoError> {
    let n = strconv::Atoi(s)?;
    Ok(n * 2)
}

fn main() {
    match double("21") {
        Ok(v) => println!("{}", v),
        Err(e) => println!("{}", e.Error()),
    }
}
"""
    assert errors(provider, text) == []
    bad = text.replace("-> Result<isize, GoError>", "-> isize").replace("Ok(n * 2)", "n * 2")
    bad = bad[: bad.index("fn main")] + "fn main() {}\n"
    assert errors(provider, bad) == [
        ("E0277", "the `?` operator can only be used in a function that returns `Result` or "
                  "`Option` (or another type that implements `FromResidual`)")]


def test_go_types_methods_and_fields(provider) -> None:  # type: ignore[no-untyped-def]
    text = """use go "net/http";
use go "strings";

fn status(r: &http::Response) -> isize {
    r.StatusCode
}

fn main() {
    match http::Get("http://localhost:1") {
        Ok(resp) => println!("{}", status(&resp)),
        Err(e) => println!("{}", e),
    }
    let reader = strings::NewReader("hello");
    let n: isize = reader.unwrap().Len() as isize;
}
"""
    assert errors(provider, text) == []
    missing = text.replace("r.StatusCode", "r.Status_Code")
    (code, message), = errors(provider, missing)
    assert code == "E0609" and message == "no field `Status_Code` on type `&http::Response`"


def test_unknown_names_and_packages(provider) -> None:  # type: ignore[no-untyped-def]
    text = 'use go "strings";\nfn main() {\n    let s = strings::ToUper("a");\n}\n'
    analysis = analyze_text("main.gust", text, provider)
    (diag,) = [d for d in analysis.diagnostics() if d.is_error]
    assert diag.code == "E0425"
    assert diag.message == "cannot find function, constant or variable `ToUper` in Go package "\
        "`strings`"
    assert diag.help == ("a function with a similar name exists: `ToUpper`",)
    text = 'use go "net/htp";\nfn main() {}\n'
    (code, message), = errors(provider, text)
    assert code == "E0432" and message == "unresolved import `net/htp`"
    # A path typed with a line break and an invisible character in it (found by the LSP
    # fuzzer): the message stays one line, what cannot be seen is escaped as rustc would.
    text = 'use go "\ufeffnet\r\nhttp";\nfn main() {}\n'
    (code, message), = errors(provider, text)
    assert code == "E0432" and message == "unresolved import `\\u{feff}net\\r\\nhttp`"


def test_without_a_provider_use_go_says_why(provider) -> None:  # type: ignore[no-untyped-def]
    text = 'use go "strings";\nfn main() {}\n'
    diags = analyze_text("main.gust", text).diagnostics()
    assert [d.code for d in diags] == ["E0432"]
    assert diags[0].notes == ("Go packages are not available in this analysis",)


HOVER_GO = """use go "net/http";
use go "strconv";
use go "strings";

fn greet(b: &mut strings::Builder) {
    let _ = b.WriteString("hi");
}

fn main() {
    let n = strconv::Atoi("42");
    match http::Get("http://localhost:1") {
        Ok(resp) => println!("{} {}", resp.StatusCode, http::StatusOK),
        Err(e) => println!("{}", e),
    }
    println!("{:?}", n);
}
"""


def _hover_at(provider, text: str, needle: str):  # type: ignore[no-untyped-def]
    analysis = analyze_text("main.gust", text, provider)
    found = hover(analysis, text.index(needle) + len(needle) - 1)
    assert found is not None, needle
    return found


def test_hover_shows_go_functions_as_go_with_their_doc(provider) -> None:  # type: ignore[no-untyped-def]
    assert errors(provider, HOVER_GO) == []
    found = _hover_at(provider, HOVER_GO, "strconv::Atoi")
    assert found.language == "go"
    assert found.signature == "func Atoi(s string) (int, error)"
    # Go's own doc comment, then the type Gust gives it: (T, error) is a Result.
    assert found.docs is not None and found.docs.startswith("Atoi is equivalent to ParseInt")
    assert "Result<isize, GoError>" in found.docs


def test_hover_shows_go_methods_fields_and_constants(provider) -> None:  # type: ignore[no-untyped-def]
    method = _hover_at(provider, HOVER_GO, "b.WriteString")
    assert method.signature == "func (b *Builder) WriteString(s string) (int, error)"
    assert method.docs is not None and "appends the contents of s" in method.docs
    field = _hover_at(provider, HOVER_GO, "resp.StatusCode")
    assert field.signature == "field StatusCode int"
    assert field.docs is not None and "http.Response" in field.docs
    const = _hover_at(provider, HOVER_GO, "http::StatusOK")
    assert const.signature.startswith("const StatusOK ") and const.signature.endswith("= 200")
    # Gust's own names still hover as Gust.
    local = _hover_at(provider, HOVER_GO, "let n")
    assert local.language == "gust" and local.signature == "let n: Result<isize, GoError>"


def test_hover_shows_types_named_in_signatures_and_literals(provider) -> None:  # type: ignore[no-untyped-def]
    text = """use go "net/http";
use go "time";

/// Where requests go.
struct Route {
    path: String,
}

fn handle(w: http::ResponseWriter, routes: Vec<Route>) -> http::Client {
    let wait: time::Duration = time::Second;
    let r = Route { path: String::from("/") };
    http::Client { Timeout: wait }
}
"""
    assert errors(provider, text) == []
    writer = _hover_at(provider, text, "ResponseWriter")
    assert writer.language == "go" and writer.signature.startswith("type ResponseWriter interface")
    assert writer.docs is not None and "HTTP handler" in writer.docs
    for at in ("-> http::Client", "    http::Client"):
        client = _hover_at(provider, text, at)
        assert client.language == "go" and client.signature.startswith("type Client struct")
    assert _hover_at(provider, text, "time::Duration").signature == "type Duration int64"
    for at in ("Vec<Route", "r = Route"):
        route = _hover_at(provider, text, at)
        assert (route.language, route.signature, route.docs) == \
            ("gust", "struct Route", "Where requests go.")


def test_a_go_hover_is_a_go_code_block_in_the_editor(provider) -> None:  # type: ignore[no-untyped-def]
    from gust.lsp.convert import ClientSupport
    from gust.lsp.convert import hover as lsp_hover
    from gust.text import LineIndex

    found = _hover_at(provider, HOVER_GO, "strconv::Atoi")
    shown = lsp_hover(found, LineIndex(HOVER_GO), ClientSupport())
    value = shown.contents.value  # type: ignore[union-attr]
    assert value.startswith("```go\nfunc Atoi(s string) (int, error)\n```")


# ---------------------------------------------------------------- interop for the backend


def test_go_values_satisfy_go_interfaces(provider) -> None:  # type: ignore[no-untyped-def]
    text = """use go "io";
use go "net/http";
use go "time";

fn hello(w: http::ResponseWriter, r: &mut http::Request) {
    let _ = io::WriteString(w, "hi");
}

fn main() {
    let handler: http::Handler = http::HandlerFunc(hello);
    let d = time::Duration(2) * time::Second;
}
"""
    assert errors(provider, text) == []
    bad = text.replace("io::WriteString(w,", "io::WriteString(time::Second,")
    assert errors(provider, bad) == [("E0308", "mismatched types")]


def test_any_closure_is_a_go_func_but_not_a_fn_pointer(provider) -> None:  # type: ignore[no-untyped-def]
    text = """use go "net/http";

fn main() {
    let greeting = String::from("hi");
    let mut mux = http::NewServeMux().unwrap();
    mux.HandleFunc("/", move |_w: http::ResponseWriter, _r: &mut http::Request| {
        println!("{}", greeting);
    });
}
"""
    assert errors(provider, text) == []
    rust_fn_pointer = """fn call(f: fn(i32) -> i32) -> i32 { f(1) }

fn main() {
    let k = 2;
    let _ = call(|x| x + k);
}
"""
    assert errors(provider, rust_fn_pointer) == [("E0308", "mismatched types")]


def test_closures_given_to_go_are_fn_send_sync_and_static(provider) -> None:  # type: ignore[no-untyped-def]
    # Go may call a handler from several goroutines at once: checked as Rust checks an
    # `impl Fn() + Send + Sync + 'static` argument, with rustc's messages for it.
    template = """use go "net/http";
use std::rc::Rc;

fn main() {
    let mut hits = 0;
    let shared = Rc::new(1);
    let name = String::from("x");
    let mut mux = http::NewServeMux().unwrap();
    mux.HandleFunc("/", CLOSURE);
}
"""
    handler = "|_w: http::ResponseWriter, _r: &mut http::Request|"
    cases = {
        f"move {handler} hits += 1": ("E0594", "cannot assign to `hits`, as it is a captured "
                                      "variable in a `Fn` closure"),
        f"move {handler} println!(\"{{}}\", shared)": (
            "E0277", "`Rc<i32>` cannot be sent between threads safely"),
        f"{handler} println!(\"{{}}\", name)": (
            "E0373", "closure may outlive the current function, but it borrows `name`, which "
                     "is owned by the current function"),
        f"move {handler} println!(\"{{}} {{}}\", hits, name)": None,
    }
    for closure, expected in cases.items():
        found = errors(provider, template.replace("CLOSURE", closure))
        assert found == ([expected] if expected else []), closure


def test_closures_go_calls_during_the_call_may_borrow(provider) -> None:  # type: ignore[no-untyped-def]
    # sort.Search, strings.FieldsFunc, strings.Map call their func before they return, on
    # the caller's goroutine: checked as Rust checks `sort_by`'s `impl FnMut` argument.
    template = """use go "sort";
use go "strings";
use std::rc::Rc;

fn main() {
    let sorted = vec![1, 3, 5];
    let mut calls = 0;
    let shared = Rc::new(1);
    let name = String::from("x");
    let i = CALL;
    println!("{} {} {} {}", i, calls, shared, name);
}
"""
    cases = {
        "sort::Search(3, |i: isize| sorted[i as usize] >= 4)": None,
        "sort::Search(3, |i: isize| { calls += 1; i >= *shared })": None,
        "strings::FieldsFunc(&name, |c: char| { calls += 1; c == ' ' }).len()": None,
        "sort::Search(3, |i: isize| { let n = name; i > n.len() as isize })": (
            "E0507", "cannot move out of `name`, a captured variable in an `FnMut` closure"),
    }
    for call, expected in cases.items():
        found = errors(provider, template.replace("CALL", call))
        assert found == ([expected] if expected else []), call


def test_go_struct_literals_and_func_values(provider) -> None:  # type: ignore[no-untyped-def]
    text = """use go "context";
use go "sync";

fn main() {
    let mut wg = sync::WaitGroup {};
    wg.Add(1);
    wg.Done();
    let background = context::Background().unwrap();
    let (ctx, cancel) = context::WithCancel(background);
    let (_other, stop) = context::WithCancel(background); // a Context is Copy
    cancel();
    stop();
    println!("{:?}", ctx.unwrap().Err());
}
"""
    assert errors(provider, text) == []
    unknown = text.replace("sync::WaitGroup {}", "sync::WaitGroup { count: 1 }")
    assert errors(provider, unknown) == [
        ("E0560", "struct `sync::WaitGroup` has no field named `count`")]


def test_go_structs_move_and_clone(provider) -> None:  # type: ignore[no-untyped-def]
    text = """use go "time";

fn main() {
    let t0 = time::Unix(0, 0);
    let t1 = t0.Add(time::Second);
    println!("{}", t1.After(t0.clone()));
    println!("{}", t1.Sub(t0).String());
}
"""
    assert errors(provider, text) == []
    moved = text.replace("t0.clone()", "t0")
    assert errors(provider, moved) == [("E0382", "use of moved value: `t0`")]


def test_generated_go_imports_go_packages_under_their_alias(provider) -> None:  # type: ignore[no-untyped-def]
    from gust.ide.generated import generate_file

    text = """use go "encoding/json" as gojson;
use go "strings" as fmt;

fn main() {
    let gojson = gojson::Valid("{}".as_bytes());
    println!("{} {}", gojson, fmt::ToUpper("x"));
}
"""
    analysis = analyze_text("main.gust", text, provider)
    assert [d for d in analysis.diagnostics() if d.is_error] == []
    go = generate_file(analysis).text
    assert '\tgojson "encoding/json"\n' in go
    assert '\tfmt_go "strings"\n' in go  # `fmt` is a name the generated code may import
    assert "gojson_ := gojson.Valid(" in go  # the local does not hide the package
    assert "fmt_go.ToUpper(\"x\")" in go


def test_a_gust_struct_implements_a_go_interface_by_its_methods(provider) -> None:  # type: ignore[no-untyped-def]
    text = """use go "sort";

struct Nums {
    v: Vec<i32>,
}

impl Nums {
    fn Len(&self) -> isize { self.v.len() as isize }
    fn Less(&self, i: isize, j: isize) -> bool { self.v[i as usize] < self.v[j as usize] }
    fn Swap(&mut self, i: isize, j: isize) { self.v.swap(i as usize, j as usize); }
}

fn main() {
    let mut nums = Nums { v: vec![3, 1, 2] };
    sort::Sort(&mut nums);
}
"""
    assert errors(provider, text) == []
    assert _unsupported(provider, text) == []
    wrong = text.replace("fn Len(&self) -> isize { self.v.len() as isize }",
                         "fn Len(&self) -> usize { self.v.len() }")
    assert errors(provider, wrong) == [("E0308", "mismatched types")]
    by_value = text.replace("sort::Sort(&mut nums)", "sort::Sort(nums)")
    assert errors(provider, by_value) == [("E0308", "mismatched types")]


def _unsupported(provider, text: str) -> list[str]:  # type: ignore[no-untyped-def]
    return [d.message for d in analyze_text("main.gust", text, provider).diagnostics()
            if d.code == "unsupported"]


def test_a_read_gives_its_bytes_and_its_error(provider) -> None:  # type: ignore[no-untyped-def]
    """`Read` and `ReadString` are Go's `n, err` pair, so a loop keeps the bytes that came
    with io.EOF. A Gust struct is an `io.Reader` through the runtime's adapter; for other
    interfaces whose methods return an error it is reported, not Go that does not build."""
    text = """use go "bufio";
use go "io";
use go "strings";

fn main() {
    let mut r = strings::NewReader("gust").unwrap();
    let mut buf = [0u8; 3];
    let (n, res) = r.Read(&mut buf);
    let first: isize = n;
    let ended: Result<(), GoError> = res;
    let mut lines = bufio::NewReader(r).unwrap();
    let (line, _) = lines.ReadString(b'\\n');
    let text: String = line;
    println!("{} {:?} {}", first, ended.is_ok(), text);
}
"""
    assert errors(provider, text) == []
    assert _unsupported(provider, text) == []
    as_result = text.replace("let (n, res) = r.Read(&mut buf);",
                             "let (n, res) = (r.Read(&mut buf)?, Ok(()));")
    assert errors(provider, as_result) == [
        ("E0277", "the `?` operator can only be applied to values that implement `Try`")]
    reader = """use go "io";

struct Zeros {
    left: usize,
}

impl Zeros {
    fn Read(&mut self, p: &mut [u8]) -> (isize, Result<(), GoError>) {
        if self.left == 0 {
            return (0, Err(io::EOF));
        }
        p[0] = 0;
        self.left -= 1;
        (1, Ok(()))
    }
}

fn main() {
    let mut z = Zeros { left: 3 };
    let _ = io::ReadAll(&mut z);
}
"""
    # io.Reader and io.Writer through the runtime's adapters (gustAsReader).
    assert errors(provider, reader) == []
    assert _unsupported(provider, reader) == []
    reader_at = reader.replace("fn Read(&mut self, p: &mut [u8])",
                               "fn ReadAt(&self, p: &mut [u8], off: i64)").replace(
        "self.left -= 1;", "").replace("let _ = io::ReadAll(&mut z);",
                                       "let _ = io::NewSectionReader(&z, 0, 3);")
    assert errors(provider, reader_at) == []
    assert _unsupported(provider, reader_at) == [
        "`Zeros` as the Go interface `ReaderAt` (the results of `ReadAt`) is not supported "
        "by the Go backend yet"]


def test_none_is_nil_for_a_go_interface_parameter(provider) -> None:  # type: ignore[no-untyped-def]
    text = """use go "net/http";
use go "strings";

fn main() {
    let get = http::NewRequest("GET", "http://localhost/", None);
    let body = strings::NewReader("data").unwrap();
    let post = http::NewRequest("POST", "http://localhost/", Some(body));
}
"""
    assert errors(provider, text) == []
    # Outside a call of Go code an `Option` is not a Go interface.
    not_go = text.replace('let get = http::NewRequest("GET", "http://localhost/", None);',
                          "let r: io::Reader = None;").replace(
        'use go "strings";', 'use go "strings";\nuse go "io";')
    assert errors(provider, not_go) == [("E0308", "mismatched types")]
    # `strings::NewReader(..)` is an `Option` already: `Some` of it would be a nil inside a
    # nil (it built, and panicked in Go's interface conversion at run time).
    nested = text.replace("Some(body)", 'Some(strings::NewReader("data"))')
    found = [d for d in analyze_text("main.gust", nested, provider).diagnostics() if d.is_error]
    assert [(d.code, d.message) for d in found] == [("E0308", "mismatched types")]
    assert "`Some(..)` is one already" in found[0].help[0]
    assert errors(provider, text.replace("Some(body)", 'strings::NewReader("data")')) == []


def test_types_of_packages_named_by_an_import_have_their_methods(provider) -> None:  # type: ignore[no-untyped-def]
    # `resp.Body` is an `io.ReadCloser`: its methods come from `io`, which the file does not
    # import (the analysis loads the packages an imported package's API names).
    text = """use go "net/http";

fn main() {
    match http::Get("http://localhost:1") {
        Ok(resp) => {
            let _ = resp.Body.unwrap().Close();
        }
        Err(e) => println!("{}", e),
    }
}
"""
    assert errors(provider, text) == []


def test_go_rules_stop_at_a_closure_body(provider) -> None:  # type: ignore[no-untyped-def]
    text = """use go "sync";

fn apply(f: fn(i32) -> i32) -> i32 { f(1) }

fn main() {
    let mut wg = sync::WaitGroup {};
    let k = 2;
    wg.Go(move || {
        println!("{}", apply(|x| x + k));
    });
    wg.Wait();
}
"""
    # The closure given to Go may capture; the one given to a Rust `fn` pointer inside it
    # may not (rustc's E0308).
    assert errors(provider, text) == [("E0308", "mismatched types")]


def test_go_values_with_a_string_method_are_display(provider) -> None:  # type: ignore[no-untyped-def]
    text = """use go "sync";
use go "time";

fn main() {
    let d = time::Duration(3) * time::Second;
    println!("{} {}", d, d.to_string());
    let wg = sync::WaitGroup {};
    println!("{}", wg);
}
"""
    assert [code for code, _ in errors(provider, text)] == ["E0277"]


def test_go_numbers_take_untyped_constants_and_compare(provider) -> None:  # type: ignore[no-untyped-def]
    text = """use go "time";

fn main() {
    let mut d = time::Minute * 2 + 3 * time::Second;
    d *= 2;
    d -= time::Millisecond * 500;
    if d > time::Second && d != time::Hour {
        println!("{}", d);
    }
}
"""
    assert errors(provider, text) == []
    # A variable is no untyped constant: Go asks for a conversion, and so does Gust.
    typed = text.replace("let mut d = time::Minute * 2", "let n = 2;\n    let mut d = time::Minute * n")
    found = [d for d in analyze_text("main.gust", typed, provider).diagnostics() if d.is_error]
    assert [(d.code, d.message) for d in found] == [
        ("E0369", "binary operation `*` cannot be applied to type `time::Duration`")]
    assert "`time::Duration(n)`" in found[0].help[0]


def test_go_funcs_and_closures_for_go_named_func_types(provider) -> None:  # type: ignore[no-untyped-def]
    text = """use go "bufio";
use go "strings";
use go "time";

fn main() {
    let mut words = bufio::NewScanner(strings::NewReader("a b")).unwrap();
    words.Split(bufio::ScanWords);
    let mut lines = bufio::NewScanner(strings::NewReader("a b")).unwrap();
    lines.Split(|data, at_eof| Ok((data.len() as isize, data.to_vec())));
    time::Sleep(10);
}
"""
    assert errors(provider, text) == []
    # Go's untyped constants are literals: a variable of another type is a mismatch.
    typed = text.replace("Sleep(10)", "Sleep(n)").replace("fn main() {", "fn main() {\n    let n = 7;")
    assert errors(provider, typed) == [("E0308", "mismatched types")]


def test_a_struct_without_pub_fields_given_to_encoding_json_is_a_warning(provider) -> None:  # type: ignore[no-untyped-def]
    text = """use go "encoding/json";

struct User {
    name: String,
    age: u32,
}

fn main() {
    let users = vec![User { name: String::from("a"), age: 1 }];
    let data = json::Marshal(&users).unwrap();
    let mut back = User { name: String::new(), age: 0 };
    let _ = json::Unmarshal(&data, &mut back);
    println!("{} {}", back.name, back.age);
}
"""
    found = [d for d in analyze_text("main.gust", text, provider).diagnostics()
             if d.code != "unsupported"]
    assert [(d.is_error, d.message) for d in found] == [
        (False, "`User` has no `pub` field: Go's encoding/json will see none of its fields")] * 2
    # Go's reflection sees `pub` fields (a program's `Name`-like fields too): no warning.
    seen = text.replace("    name: String,", "    pub name: String,")
    assert [d for d in analyze_text("main.gust", seen, provider).diagnostics()
            if d.code != "unsupported"] == []


def test_a_waitgroup_sent_to_a_goroutine_points_at_wg_go(provider) -> None:  # type: ignore[no-untyped-def]
    text = """use go "sync";

fn worker(id: i32, wg: &mut sync::WaitGroup) {
    println!("{}", id);
    wg.Done();
}

fn main() {
    let mut wg = sync::WaitGroup {};
    wg.Add(1);
    go worker(1, &mut wg);
    wg.Wait();
}
"""
    found = [d for d in analyze_text("main.gust", text, provider).diagnostics() if d.is_error]
    assert [(d.code, d.message) for d in found] == [
        ("E0277", "`&mut sync::WaitGroup` cannot be sent between threads safely")]
    assert "wg.Go(move || ..)" in found[0].help[0]
    fixed = text.replace("fn worker(id: i32, wg: &mut sync::WaitGroup) {",
                         "fn worker(id: i32) {").replace("    wg.Done();\n", "").replace(
        "    wg.Add(1);\n    go worker(1, &mut wg);", "    wg.Go(move || worker(1));")
    assert errors(provider, fixed) == []


def test_a_go_pointer_method_on_an_immutable_binding_says_why(provider) -> None:  # type: ignore[no-untyped-def]
    text = """use go "net/http";
use go "time";

fn main() {
    let client = http::Client { Timeout: time::Second };
    let req = http::NewRequest("GET", "http://127.0.0.1:1/", None).unwrap();
    let _ = client.Do(req);
}
"""
    found = [d for d in analyze_text("main.gust", text, provider).diagnostics() if d.is_error]
    assert [(d.code, d.message) for d in found] == [
        ("E0596", "cannot borrow `client` as mutable, as it is not declared as mutable")]
    assert "pointer receiver" in found[0].notes[0]
    assert errors(provider, text.replace("let client", "let mut client")) == []
