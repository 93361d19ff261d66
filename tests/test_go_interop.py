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


def test_without_a_provider_use_go_says_why(provider) -> None:  # type: ignore[no-untyped-def]
    text = 'use go "strings";\nfn main() {}\n'
    diags = analyze_text("main.gust", text).diagnostics()
    assert [d.code for d in diags] == ["E0432"]
    assert diags[0].notes == ("Go packages are not available in this analysis",)
