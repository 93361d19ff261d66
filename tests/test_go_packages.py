"""Go packages for `use go "...";`: the Go type model and its Gust types (gust.sema.golang),
and loading real packages through the Go toolchain, the disk cache and the shipped stubs
(gust.project.gopackages)."""

from __future__ import annotations

import importlib.util
import json
from collections.abc import Mapping, Sequence
from pathlib import Path

import pytest

from gust.cli.build import GO_VERSION
from gust.project import gopackages as gp
from gust.project.gopackages import STUB_PACKAGES, GoPackages, LoadResult, RunOutput
from gust.sema import golang as g
from gust.sema import types as t

ISIZE = t.Int("isize")
U8 = t.Int("u8")
HTTP_RESPONSE = t.Adt("go:net/http.Response")
ALIASES = {"net/http": "http", "io": "io"}
GEN_STUBS = Path(__file__).resolve().parents[1] / "tools" / "gen_go_stubs.py"


def box(ty: t.Ty) -> t.Adt:
    return t.Adt("Box", (ty,))


def param(ty: g.GoType, name: str = "") -> g.GoParam:
    return g.GoParam(name, ty)


STRING = g.GoBasic("string")
INT = g.GoBasic("int")
BOOL = g.GoBasic("bool")
ERROR = g.GO_ERROR_TYPE
READER = g.GoNamed("io", "Reader", interface=True)
RESPONSE = g.GoNamed("net/http", "Response")


class CountingRunner:
    """Runs commands for real and remembers them, so a test can tell whether Go ran."""

    def __init__(self) -> None:
        self.calls: list[list[str]] = []

    def __call__(self, argv: Sequence[str], cwd: Path, env: Mapping[str, str],
                 timeout: float) -> RunOutput:
        self.calls.append(list(argv))
        return gp.run_command(argv, cwd, env, timeout)

    @property
    def helper_runs(self) -> int:
        return sum(1 for argv in self.calls if "gotypes-helper" in Path(argv[0]).name)


# ============================================================== fixtures


@pytest.fixture(scope="session")
def go_cache(go_environment: Path, tmp_path_factory: pytest.TempPathFactory) -> Path:
    """One Gust package cache for the session: the helper is built once."""
    return tmp_path_factory.mktemp("gust-go-cache")


@pytest.fixture(scope="session")
def from_go(go_cache: Path) -> dict[str, g.GoPackage]:
    """The stubbed packages read through the real toolchain (one helper run for all)."""
    results = GoPackages(cache_dir=go_cache, use_stubs=False).load_many(STUB_PACKAGES)
    packages = {}
    for path, result in results.items():
        assert result.package is not None, result.reason
        assert result.source == "go"
        packages[path] = result.package
    return packages


def go_module(root: Path, source: str) -> Path:
    (root / "go.mod").write_text(f"module example.com/shapes\n\ngo {GO_VERSION}\n", encoding="utf-8")
    (root / "shapes.go").write_text(source, encoding="utf-8")
    return root


SHAPES = '''// Package shapes is a user's own Go package.
package shapes

import (
\t"fmt"
\t"strings"
)

// Rect is an axis-aligned rectangle.
type Rect struct {
\t// W is the width.
\tW float64
\tH float64 // H is the height.
\tname string
}

// Area returns the area of r.
func (r Rect) Area() float64 { return r.W * r.H }

// Scale multiplies both sides by f.
func (r *Rect) Scale(f float64) { r.W *= f; r.H *= f }

// Parse reads "WxH".
func Parse(s string) (*Rect, error) {
\tvar r Rect
\t_, err := fmt.Sscanf(strings.TrimSpace(s), "%gx%g", &r.W, &r.H)
\treturn &r, err
}
'''


# ============================================================== the type mapping


@pytest.mark.parametrize(("go", "value", "result", "parameter"), [
    (BOOL, t.BOOL, t.BOOL, t.BOOL),
    (INT, ISIZE, ISIZE, ISIZE),
    (g.GoBasic("uint"), t.Int("u64"), t.Int("u64"), t.Int("u64")),
    (g.GoBasic("int64"), t.I64, t.I64, t.I64),
    (g.GoBasic("byte"), U8, U8, U8),
    (g.GoBasic("rune"), t.CHAR, t.CHAR, t.CHAR),
    (g.GoBasic("float64"), t.F64, t.F64, t.F64),
    (STRING, t.STRING, t.STRING, t.STR_REF),
    (g.GoSlice(STRING), t.vec_of(t.STRING), t.vec_of(t.STRING),
     t.Ref(t.Slice(t.STRING), False)),
    (g.GoArray(g.GoBasic("uint8"), 4), t.Array(U8, 4), t.Array(U8, 4),
     t.Array(U8, 4)),
    (g.GoMap(STRING, g.GoSlice(STRING)),
     t.Adt("HashMap", (t.STRING, t.vec_of(t.STRING))),
     t.Adt("HashMap", (t.STRING, t.vec_of(t.STRING))),
     t.Ref(t.Adt("HashMap", (t.STRING, t.vec_of(t.STRING))), False)),
    (g.GoPointer(RESPONSE), box(HTTP_RESPONSE), g.option(box(HTTP_RESPONSE)),
     t.Ref(HTTP_RESPONSE, True)),
    (g.GoChan(INT, "recv"), t.Adt("chan", (ISIZE,)), t.Adt("chan", (ISIZE,)),
     t.Adt("chan", (ISIZE,))),
    (g.GoStruct(()), t.UNIT, t.UNIT, t.UNIT),
    (g.GO_ANY, g.GO_ANY_TY, g.option(g.GO_ANY_TY), g.GO_ANY_TY),
    (ERROR, g.GO_ERROR, g.option(g.GO_ERROR), g.GO_ERROR),
    (READER, t.Adt("go:io.Reader"), g.option(t.Adt("go:io.Reader")), t.Adt("go:io.Reader")),
    (RESPONSE, HTTP_RESPONSE, HTTP_RESPONSE, HTTP_RESPONSE),
    (g.GoTypeParamRef("T"), t.Param("T"), t.Param("T"), t.Param("T")),
    (g.GoBasic("untyped string"), t.STR_REF, t.STR_REF, t.STR_REF),
    (g.GoBasic("untyped int"), ISIZE, ISIZE, ISIZE),
])
def test_types_map_by_position(go: g.GoType, value: t.Ty, result: t.Ty, parameter: t.Ty
                               ) -> None:
    assert g.value_type(go) == value
    assert g.result_type(go) == result
    assert g.param_type(go) == parameter


def test_func_types_map_params_and_results() -> None:
    handler = g.GoFuncType((param(g.GoNamed("net/http", "ResponseWriter", interface=True)),
                            param(g.GoPointer(g.GoNamed("net/http", "Request")))), ())
    assert g.value_type(handler) == t.FnPtr(
        (t.Adt("go:net/http.ResponseWriter"), t.Ref(t.Adt("go:net/http.Request"), True)),
        t.UNIT)


@pytest.mark.parametrize(("results", "expected"), [
    ((), t.UNIT),
    ((ERROR,), g.go_result(t.UNIT)),
    ((STRING,), t.STRING),
    ((g.GoPointer(RESPONSE),), g.option(box(HTTP_RESPONSE))),
    ((INT, ERROR), g.go_result(ISIZE)),
    ((g.GoPointer(RESPONSE), ERROR), g.go_result(box(HTTP_RESPONSE))),
    ((g.GoBasic("rune"), INT, ERROR), g.go_result(t.Tuple((t.CHAR, ISIZE)))),
    ((STRING, BOOL), g.option(t.STRING)),
    ((STRING, STRING, BOOL), t.Tuple((t.STRING, t.STRING, t.BOOL))),
    ((g.GoPointer(RESPONSE), INT), t.Tuple((g.option(box(HTTP_RESPONSE)), ISIZE))),
])
def test_result_lists(results: tuple[g.GoType, ...], expected: t.Ty) -> None:
    assert g.results_type([param(r) for r in results]) == expected


def test_error_making_functions_return_errors_not_failures() -> None:
    new = g.GoFunc("New", (param(STRING, "text"),), (param(ERROR),))
    join = g.GoFunc("Join", (param(g.GoSlice(ERROR), "errs"),), (param(ERROR),), True)
    close = g.GoFunc("Close", (), (param(ERROR),))
    assert g.gust_signature("errors", new).ret == g.GO_ERROR
    assert g.gust_signature("errors", join).ret == g.option(g.GO_ERROR)
    assert g.gust_signature("os", close).ret == g.go_result(t.UNIT)
    unwrap = g.GoMethod("Unwrap", (), (param(ERROR),), pointer_receiver=True)
    assert g.gust_method_signature(unwrap).ret == g.option(g.GO_ERROR)


def test_readers_keep_the_value_that_comes_with_the_error() -> None:
    """`Read` may return n > 0 bytes with io.EOF, `ReadString` the last line with it: Go's
    `n, err` is a pair. Other `(T, error)` results (`Write`, a `Read` of another
    signature) are Results."""
    data = g.GoSlice(g.GoBasic("byte"))
    read = g.GoMethod("Read", (param(data, "p"),), (param(INT, "n"), param(ERROR, "err")))
    read_string = g.GoMethod("ReadString", (param(g.GoBasic("byte"), "delim"),),
                             (param(STRING), param(ERROR)), pointer_receiver=True)
    write = g.GoMethod("Write", (param(data, "p"),), (param(INT, "n"), param(ERROR, "err")))
    other_read = g.GoMethod("Read", (), (param(INT), param(ERROR)))
    assert g.gust_method_signature(read).ret == t.Tuple((ISIZE, g.go_result(t.UNIT)))
    assert g.gust_method_signature(read_string).ret == \
        t.Tuple((t.STRING, g.go_result(t.UNIT)))
    assert g.gust_method_signature(write).ret == g.go_result(ISIZE)
    assert g.gust_method_signature(other_read).ret == g.go_result(ISIZE)


def test_variadic_params_are_element_types() -> None:
    println = g.GoFunc("Println", (param(g.GoSlice(g.GO_ANY), "a"),),
                       (param(INT, "n"), param(ERROR, "err")), variadic=True)
    sig = g.gust_signature("fmt", println)
    assert sig.variadic and sig.params == (g.GO_ANY_TY,)
    assert sig.ret == g.go_result(ISIZE)


def test_display_uses_the_import_alias() -> None:
    ty = g.go_result(box(HTTP_RESPONSE))
    assert g.display_type(ty, ALIASES) == "Result<Box<http::Response>, GoError>"
    assert g.display_type(ty, {"net/http": "web"}) == "Result<Box<web::Response>, GoError>"
    assert g.display_type(t.Array(t.Adt("go:io/fs.FileMode"), 2)) == "[fs::FileMode; 2]"
    assert g.split_go_type_name("go:gopkg.in/yaml.v3.Node") == ("gopkg.in/yaml.v3", "Node")
    assert g.split_go_type_name("Vec") is None
    assert [g.default_alias(p) for p in ("math/rand/v2", "gopkg.in/yaml.v3", "go-x")] == [
        "rand", "yaml", "go_x"]


def sample_package() -> g.GoPackage:
    """A package using every kind of Go type, for the JSON round trip."""
    ordered = g.GoInterface((), (g.GoUnion((g.GoTerm(INT, True), g.GoTerm(STRING))),))
    method = g.GoMethod("Read", (param(g.GoSlice(g.GoBasic("byte")), "p"),),
                        (param(INT, "n"), param(ERROR, "err")), doc="Read reads.")
    fields = (g.GoField("Name", STRING, doc="the name"), g.GoField("Reader", READER, True))
    return g.GoPackage("example.com/all", "all", funcs=(
        g.GoFunc("Max", (param(g.GoTypeParamRef("T"), "a"),), (param(g.GoTypeParamRef("T")),),
                 type_params=(g.GoTypeParam("T", ordered),)),
        g.GoFunc("Watch", (param(g.GoFuncType((param(INT),), (param(BOOL),), True)),),
                 (param(g.GoChan(g.GoStruct(()), "recv")),), doc="Watch watches."),
    ), types=(
        g.GoNamedType("Box", g.GoStruct(fields), (method,), "A box.",
                      (g.GoTypeParam("T", g.GO_ANY),)),
        g.GoNamedType("Mode", g.GoBasic("uint32"), alias_of=g.GoNamed("io/fs", "FileMode")),
        g.GoNamedType("Src", g.GoInterface((method,)), (method,)),
    ), consts=(g.GoConst("Pi", g.GoBasic("untyped float"), "3.141592653589793"),),
        vars=(g.GoVar("M", g.GoMap(STRING, g.GoArray(g.GoPointer(
            g.GoNamed("example.com/all", "Box", (INT,))), 3))),))


def test_json_round_trip() -> None:
    pkg = sample_package()
    text = g.dumps_package(pkg)
    assert g.loads_package(text) == pkg
    assert g.dumps_package(g.loads_package(text)) == text
    assert pkg.referenced_packages() == {"io", "io/fs"}
    assert pkg.func("Max") is not None and pkg.type("Max") is None
    box_type = pkg.type("Box")
    assert box_type is not None and box_type.field("Name") is not None


@pytest.mark.parametrize("text", [
    "[]", '{"path": "x"}', '{"path": "x", "name": "x", "funcs": [{"name": 1}]}',
    '{"path": "x", "name": "x", "vars": [{"name": "V", "type": {"what": 1}}]}',
    '{"path": "x", "name": "x", "vars": [{"name": "V", "type": {"map": ["int"]}}]}',
    "not json",
])
def test_malformed_json_is_a_value_error(text: str) -> None:
    with pytest.raises(ValueError):
        g.loads_package(text)


# ============================================================== real packages through Go


def test_strings_to_upper(from_go: dict[str, g.GoPackage]) -> None:
    fn = from_go["strings"].func("ToUpper")
    assert fn is not None
    assert [p.type for p in fn.params] == [STRING] and [r.type for r in fn.results] == [STRING]
    assert fn.doc.startswith("ToUpper returns s with all Unicode letters mapped")
    sig = g.gust_signature("strings", fn)
    assert sig.params == (t.STR_REF,) and sig.ret == t.STRING


def test_strconv_atoi_is_a_result(from_go: dict[str, g.GoPackage]) -> None:
    fn = from_go["strconv"].func("Atoi")
    assert fn is not None
    assert [r.type for r in fn.results] == [INT, ERROR]
    assert g.gust_signature("strconv", fn).ret == g.go_result(g.value_type(INT))


def test_http_get_and_new_request(from_go: dict[str, g.GoPackage]) -> None:
    http = from_go["net/http"]
    get = http.func("Get")
    assert get is not None
    assert [r.type for r in get.results] == [g.GoPointer(RESPONSE), ERROR]
    sig = g.gust_signature("net/http", get)
    # (T, error): the pointer is valid when there is no error, so it is not an Option.
    assert sig.ret == g.go_result(g.value_type(g.GoPointer(RESPONSE)))
    assert g.display_type(sig.ret, ALIASES) == "Result<Box<http::Response>, GoError>"
    new_request = http.func("NewRequest")
    assert new_request is not None
    assert new_request.params[2].type == READER
    assert g.gust_signature("net/http", new_request).params[2] == t.Adt("go:io.Reader")


def test_os_functions_and_aliases(from_go: dict[str, g.GoPackage]) -> None:
    os_pkg = from_go["os"]
    read_file, lookup_env = os_pkg.func("ReadFile"), os_pkg.func("LookupEnv")
    assert read_file is not None and lookup_env is not None
    assert g.gust_signature("os", read_file).ret == g.go_result(t.vec_of(U8))
    assert g.gust_signature("os", lookup_env).ret == g.option(t.STRING)  # (string, bool)
    mode = os_pkg.type("FileMode")
    assert mode is not None and mode.alias_of == g.GoNamed("io/fs", "FileMode")
    assert g.gust_named_type("os", mode) == t.Adt("go:io/fs.FileMode")
    assert mode.method("IsDir") is not None
    stdout = os_pkg.var("Stdout")
    assert stdout is not None and g.gust_var_type(stdout) == box(t.Adt("go:os.File"))


def test_methods_of_named_types(from_go: dict[str, g.GoPackage]) -> None:
    builder = from_go["strings"].type("Builder")
    assert builder is not None
    write = builder.method("WriteString")
    assert write is not None and write.pointer_receiver and not write.promoted
    sig = g.gust_method_signature(write)
    assert sig.self_kind == "ref_mut" and sig.params == (t.STR_REF,)
    assert sig.ret == g.go_result(ISIZE)
    duration = from_go["time"].type("Duration")
    assert duration is not None and duration.underlying == g.GoBasic("int64")
    seconds = duration.method("Seconds")
    assert seconds is not None and not seconds.pointer_receiver
    assert g.gust_method_signature(seconds).self_kind == "ref"
    read_writer = from_go["bufio"].type("ReadWriter")
    assert read_writer is not None
    read_string = read_writer.method("ReadString")
    assert read_string is not None and read_string.promoted
    reader = from_go["io"].type("ReadCloser")
    assert reader is not None and reader.is_interface
    assert {m.name for m in reader.methods} == {"Close", "Read"}


def test_struct_fields(from_go: dict[str, g.GoPackage]) -> None:
    response = from_go["net/http"].type("Response")
    assert response is not None
    status = response.field("StatusCode")
    assert status is not None and status.type == INT
    assert g.gust_field_type(status) == ISIZE
    assert "e.g. 200" in status.doc
    body = response.field("Body")
    assert body is not None and g.gust_field_type(body) == g.option(t.Adt("go:io.ReadCloser"))
    request = from_go["net/http"].type("Request")
    assert request is not None
    url = request.field("URL")
    assert url is not None and g.gust_field_type(url) == g.option(box(t.Adt("go:net/url.URL")))
    assert all(f.name[0].isupper() for f in request.fields)  # exported fields only


def test_constants(from_go: dict[str, g.GoPackage]) -> None:
    ok = from_go["net/http"].const("StatusOK")
    assert ok is not None and ok.value == "200" and g.gust_const_type(ok) == ISIZE
    pi = from_go["math"].const("Pi")
    assert pi is not None and pi.value == "3.141592653589793"
    second = from_go["time"].const("Second")
    assert second is not None and g.gust_const_type(second) == t.Adt("go:time.Duration")


def test_user_package_in_a_module(go_cache: Path, tmp_path: Path) -> None:
    module = go_module(tmp_path, SHAPES)
    runner = CountingRunner()
    provider = GoPackages(cache_dir=go_cache, runner=runner, module_packages=True)
    result = provider.load_result("example.com/shapes", module)
    assert result.package is not None, result.reason
    assert result.source == "go" and runner.helper_runs == 1
    pkg = result.package
    rect = pkg.type("Rect")
    assert rect is not None and rect.doc == "Rect is an axis-aligned rectangle."
    assert [(f.name, f.doc) for f in rect.fields] == [
        ("W", "W is the width."), ("H", "H is the height.")]
    area, scale = rect.method("Area"), rect.method("Scale")
    assert area is not None and area.doc == "Area returns the area of r."
    assert not area.pointer_receiver
    assert scale is not None and scale.pointer_receiver
    parse = pkg.func("Parse")
    assert parse is not None and parse.doc == 'Parse reads "WxH".'
    assert g.gust_signature(pkg.path, parse).ret == g.go_result(
        box(t.Adt("go:example.com/shapes.Rect")))
    # Loading again hits the cache; an edit to the package reads it again.
    assert provider.load_result("example.com/shapes", module).source == "cache"
    (module / "shapes.go").write_text(SHAPES + "\n// Unit is a unit square.\nvar Unit = Rect{W: 1, H: 1}\n",
                                      encoding="utf-8")
    edited = provider.load_result("example.com/shapes", module)
    assert edited.source == "go" and runner.helper_runs == 2
    assert edited.package is not None and edited.package.var("Unit") is not None
    entries = list((go_cache).rglob("shapes@*.json"))
    assert len(entries) == 1  # the entry for the old source was dropped


def test_user_package_that_does_not_compile(go_cache: Path, tmp_path: Path) -> None:
    module = go_module(tmp_path, "package shapes\n\nfunc Broken() int { return \"x\" }\n")
    result = GoPackages(cache_dir=go_cache, module_packages=True).load_result(
        "example.com/shapes", module)
    assert result.package is None
    assert "example.com/shapes" in result.reason and "cannot use" in result.reason


def test_disk_cache_is_used_by_a_new_provider(go_cache: Path,
                                              from_go: dict[str, g.GoPackage]) -> None:
    runner = CountingRunner()
    provider = GoPackages(cache_dir=go_cache, runner=runner)
    for path in ("net/http", "strings", "strconv", "os"):
        result = provider.load_result(path)
        assert result.source == "cache" and result.package == from_go[path]
    assert runner.helper_runs == 0  # nor the go build of the helper: nothing ran at all
    assert runner.calls == []


def test_damaged_cache_entry_is_read_again(go_cache: Path,
                                           from_go: dict[str, g.GoPackage]) -> None:
    (entry,) = go_cache.rglob("packages/errors.json")
    entry.write_text("{ not json", encoding="utf-8")
    runner = CountingRunner()
    result = GoPackages(cache_dir=go_cache, runner=runner).load_result("errors")
    assert result.source == "go" and result.package == from_go["errors"]
    assert runner.helper_runs == 1 and g.loads_package(entry.read_text()) == from_go["errors"]


# ============================================================== stubs and failures


def test_stubs_load_without_go_and_match_go(tmp_path: Path,
                                            from_go: dict[str, g.GoPackage]) -> None:
    provider = GoPackages(go=str(tmp_path / "no-such-go"), cache_dir=tmp_path)
    for path in STUB_PACKAGES:
        result = provider.load_result(path)
        assert result.source == "stub", result.reason
        assert "not found" in result.reason and "stubs" in result.reason
        # Stale stubs fail here: regenerate them with tools/gen_go_stubs.py.
        assert result.package == gp.summarized(from_go[path]), path


def test_stub_files_parse_and_cover_the_common_packages() -> None:
    index = json.loads((gp.STUBS_DIR / "index.json").read_text(encoding="utf-8"))
    assert index["packages"] == sorted(STUB_PACKAGES) and len(STUB_PACKAGES) == 17
    assert index["go_version"].startswith("go1.")
    for path in STUB_PACKAGES:
        pkg = g.loads_package((gp.STUBS_DIR / f"{path}.json").read_text(encoding="utf-8"))
        assert pkg.path == path and pkg.funcs + pkg.types


def test_stub_generator_reproduces_the_shipped_stubs(go_cache: Path, tmp_path: Path,
                                                     from_go: dict[str, g.GoPackage]) -> None:
    spec = importlib.util.spec_from_file_location("gen_go_stubs", GEN_STUBS)
    assert spec is not None and spec.loader is not None
    tool = importlib.util.module_from_spec(spec)
    spec.loader.exec_module(tool)
    assert tool.generate(tmp_path, cache_dir=go_cache) == []
    for path in STUB_PACKAGES:
        made = (tmp_path / f"{path}.json").read_text(encoding="utf-8")
        assert made == (gp.STUBS_DIR / f"{path}.json").read_text(encoding="utf-8"), path
    assert GoPackages(go="/no/go", cache_dir=tmp_path).load_stub("fmt") is not None


def test_unknown_package_gives_a_reason(go_cache: Path, tmp_path: Path) -> None:
    with_go = GoPackages(cache_dir=go_cache)
    assert with_go.load("net/htp") is None
    assert "net/htp" in with_go.reason("net/htp") and "not in std" in with_go.reason("net/htp")
    without_go = GoPackages(go=str(tmp_path / "no-go"), cache_dir=tmp_path)
    result = without_go.load_result("archive/tar")
    assert result.package is None and "not found" in result.reason
    assert "stubs only for" in result.reason and "net/http" in result.reason


@pytest.mark.parametrize("path", ["", "../x", "-x", "std", "./...", "net/http/", "a b",
                                  "all", "x/../y"])
def test_bad_import_paths_are_refused(path: str, go_cache: Path) -> None:
    runner = CountingRunner()
    result = GoPackages(cache_dir=go_cache, runner=runner).load_result(path)
    assert result.package is None and "not a Go import path" in result.reason
    assert runner.helper_runs == 0


def failing_runner(message: str) -> gp.Runner:
    """Every command fails with `message` (as the default runner reports a timeout)."""
    def run(argv: Sequence[str], cwd: Path, env: Mapping[str, str], timeout: float
            ) -> RunOutput:
        return RunOutput(-1, "", message)
    return run


def test_failing_go_falls_back_to_stubs(tmp_path: Path) -> None:
    provider = GoPackages(cache_dir=tmp_path, runner=failing_runner("timed out after 1 s"))
    results = provider.load_many(["fmt", "archive/tar"])
    assert results["fmt"].source == "stub" and "timed out" in results["fmt"].reason
    assert results["archive/tar"] == LoadResult(None, "", results["archive/tar"].reason)
    assert "timed out" in provider.reason("archive/tar")


def test_bad_module_dir_does_not_raise(go_cache: Path, tmp_path: Path) -> None:
    result = GoPackages(cache_dir=go_cache, module_packages=True).load_result(
        "example.com/nothing", tmp_path / "missing")
    assert result.package is None and result.reason
