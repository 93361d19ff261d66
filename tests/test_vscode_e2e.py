"""The Gust extension in a real VS Code, not a mock of its API (issue 8, point 6).

The built .vsix is installed into code-server (VS Code in the browser, from npm), which is
started on loopback over a workspace with a use after move, and Playwright drives Debian's
chromium through it as a user would: the Problems panel and the squiggle, a hover, "Gust: Show
Generated Go" (following the cursor and the active editor), "Gust: Show Borrows" / "Hide
Borrows" and "Gust: Explain Error" from the command palette, the language status item and the
server's output, the "make it mutable" quick fix from Ctrl+., and a killed server restarted
with a notice.

tests/vscode_e2e/install.sh (run by `./run test`) installs code-server and playwright-core into
a cache outside the clone, and chromium from Debian; where it could not, these tests skip with
its reason. One code-server and one browser session serve every scenario:
tests/vscode_e2e/drive.mjs runs them and prints what it saw as JSON, and the tests here assert on
it. Screenshots of each scenario are kept in tests/artifacts/vscode_e2e/.
"""

from __future__ import annotations

import json
import os
import re
import shutil
import signal
import subprocess
import sys
import time
from collections.abc import Iterator
from pathlib import Path
from typing import Any

import pytest

from test_vscode_extension import build_skip_reason, copy_extension, package_vsix

ROOT = Path(__file__).resolve().parent.parent
E2E = ROOT / "tests" / "vscode_e2e"
ARTIFACTS = ROOT / "tests" / "artifacts" / "vscode_e2e"
VENV_BIN = Path(sys.executable).parent
CHROMIUM = Path("/usr/bin/chromium")
CACHE = Path(os.environ.get("XDG_CACHE_HOME") or Path.home() / ".cache") / "gust"

# The workspace the driver expects (drive.mjs names these files and the line of the E0384).
MOVES = """\
struct Point {
    x: i32,
    y: i32,
}

fn consume(p: Point) -> i32 {
    p.x + p.y
}

fn count() -> i32 {
    let n = 1;
    n = n + 1;
    n
}

fn main() {
    let origin = Point { x: 1, y: 2 };
    let total = consume(origin);
    println!("{} {} {}", total, origin.x, count());
}
"""
HELLO = """\
fn greet(name: &str) -> String {
    format!("Hello, {}!", name)
}

fn main() {
    println!("{}", greet("Gust"));
}
"""
BORROWS = """\
fn longest(words: &Vec<String>) -> usize {
    let mut best = 0;
    for w in words.iter() {
        if w.len() > best {
            best = w.len();
        }
    }
    best
}

fn main() {
    let mut words = vec![String::from("borrow"), String::from("checker")];
    let first = &words[0];
    println!("{}", first);
    let all = &mut words;
    all.push(String::from("gust"));
    println!("{}", longest(&words));
}
"""
SETTINGS = {
    # No welcome page, trust prompt, update check or AI panel in the way of the scenarios.
    "workbench.startupEditor": "none",
    "security.workspace.trust.enabled": False,
    "telemetry.telemetryLevel": "off",
    "update.mode": "none",
    "extensions.autoCheckUpdates": False,
    "extensions.autoUpdate": False,
    "workbench.tips.enabled": False,
    "chat.disableAIFeatures": True,
    "workbench.secondarySideBar.defaultVisibility": "hidden",
}


def _pinned(name: str) -> str:
    """A version pinned in install.sh (the one place that says which versions are used)."""
    match = re.search(rf"^{name}=(\S+)$", (E2E / "install.sh").read_text(), re.MULTILINE)
    assert match, f"no {name}= in {E2E / 'install.sh'}"
    return match.group(1)


CODE_SERVER_DIR = CACHE / f"code-server-{_pinned('CODE_SERVER_VERSION')}"
CODE_SERVER = CODE_SERVER_DIR / "node_modules" / ".bin" / "code-server"
PLAYWRIGHT_DIR = CACHE / f"playwright-core-{_pinned('PLAYWRIGHT_VERSION')}"
PLAYWRIGHT_CORE = PLAYWRIGHT_DIR / "node_modules" / "playwright-core"


def _skip_reason() -> str | None:
    reason = build_skip_reason()
    if reason is not None:
        return reason
    failed = CACHE / "install-failed.txt"
    if failed.exists():
        return f"tests/vscode_e2e/install.sh could not install: {failed.read_text().strip()}"
    for what, installed in (("code-server", CODE_SERVER_DIR), ("playwright-core", PLAYWRIGHT_DIR)):
        if not (installed / ".installed").exists():
            return f"{what} is not installed in {installed}: run tests/vscode_e2e/install.sh " \
                   "(./run test does)"
    if not CHROMIUM.exists():
        return f"no {CHROMIUM}: apt-get install chromium (tests/vscode_e2e/install.sh does)"
    return None


_SKIP = _skip_reason()
if _SKIP is not None:
    print(f"test_vscode_e2e: skipped: {_SKIP}")  # shown with pytest -s; -ra shows the reason
pytestmark = pytest.mark.skipif(_SKIP is not None, reason=_SKIP or "")


def _env(tmp: Path) -> dict[str, str]:
    """code-server runs on the venv's Node (its launcher is `#!/usr/bin/env node`) and keeps its
    logs in the test's directory, not in the user's home. PYTHONPATH passes through to the
    language server, so a work tree's sources are the ones tested."""
    env = dict(os.environ)
    env["PATH"] = f"{VENV_BIN}{os.pathsep}{env.get('PATH', '')}"
    env["XDG_DATA_HOME"] = str(tmp / "xdg-data")
    env["XDG_CONFIG_HOME"] = str(tmp / "xdg-config")
    return env


def _workspace(tmp: Path) -> Path:
    workspace = tmp / "workspace"
    # One directory is one package: the two programs (each with a `main`) live apart.
    for name, text in (("moves", MOVES), ("hello", HELLO), ("borrows", BORROWS)):
        (workspace / name).mkdir(parents=True)
        (workspace / name / f"{name}.gust").write_text(text)
    return workspace


def _install_extension(tmp: Path, env: dict[str, str]) -> tuple[Path, Path]:
    """Installs the freshly built .vsix the way a user would; returns the user data and
    extensions directories, with settings that point at this venv's server."""
    vsix = package_vsix(copy_extension(tmp))
    user_data, extensions = tmp / "user-data", tmp / "extensions"
    installed = subprocess.run(
        [str(CODE_SERVER), "--config", str(tmp / "config.yaml"), "--install-extension", str(vsix),
         "--extensions-dir", str(extensions), "--user-data-dir", str(user_data)],
        env=env, capture_output=True, text=True, timeout=300, check=False,
    )
    assert installed.returncode == 0, installed.stdout + installed.stderr
    assert "was successfully installed" in installed.stdout, installed.stdout
    (user_data / "User").mkdir(parents=True, exist_ok=True)
    (user_data / "User" / "settings.json").write_text(json.dumps(SETTINGS, indent=2))
    # gust.server.path is machine-overridable: in code-server, as in any remote window, it is
    # read from the machine's settings ("Remote [code-server]"), and ignored in User settings.
    server = {"gust.server.path": str(VENV_BIN / "gust-lsp")}
    (user_data / "Machine").mkdir(parents=True, exist_ok=True)
    (user_data / "Machine" / "settings.json").write_text(json.dumps(server, indent=2))
    return user_data, extensions


def _wait_for_url(server: subprocess.Popen[bytes], log: Path, timeout: float) -> str:
    """The address code-server prints once it listens (it picks a free port: bind to :0)."""
    deadline = time.monotonic() + timeout
    while time.monotonic() < deadline:
        match = re.search(r"HTTP server listening on (http://127\.0\.0\.1:\d+/)", log.read_text())
        if match:
            return match.group(1)
        assert server.poll() is None, f"code-server exited {server.returncode}:\n{log.read_text()}"
        time.sleep(0.2)
    raise AssertionError(f"code-server did not listen within {timeout} s:\n{log.read_text()}")


def _stop(server: subprocess.Popen[bytes]) -> None:
    """Ends code-server and everything it started (extension hosts, gust-lsp): its own
    process group, made for it by start_new_session."""
    for sig in (signal.SIGTERM, signal.SIGKILL):
        try:
            os.killpg(server.pid, sig)
        except ProcessLookupError:
            return
        try:
            server.wait(timeout=15)
        except subprocess.TimeoutExpired:
            continue
        if sig == signal.SIGTERM:
            time.sleep(1)  # then SIGKILL whatever of the group is left (a slow extension host)


@pytest.fixture(scope="module")
def seen(tmp_path_factory: pytest.TempPathFactory) -> Iterator[dict[str, Any]]:
    """What the driver saw in every scenario, from one code-server and one browser."""
    tmp = tmp_path_factory.mktemp("vscode_e2e")
    env = _env(tmp)
    user_data, extensions = _install_extension(tmp, env)
    log = tmp / "code-server.log"
    with log.open("wb") as out:
        server = subprocess.Popen(
            [str(CODE_SERVER), "--config", str(tmp / "config.yaml"),
             "--bind-addr", "127.0.0.1:0", "--auth", "none",
             "--disable-telemetry", "--disable-update-check", "--disable-workspace-trust",
             "--extensions-dir", str(extensions), "--user-data-dir", str(user_data),
             str(_workspace(tmp))],
            stdout=out, stderr=subprocess.STDOUT, env=env, start_new_session=True,
        )
    try:
        url = _wait_for_url(server, log, timeout=120)
        shutil.rmtree(ARTIFACTS, ignore_errors=True)
        # The crash scenario kills the gust-lsp of this code-server's process group only.
        env["GUST_E2E_PGID"] = str(server.pid)
        drive = subprocess.run(
            [str(VENV_BIN / "node"), str(E2E / "drive.mjs"), url, str(ARTIFACTS),
             str(PLAYWRIGHT_CORE)],
            env=env, capture_output=True, text=True, timeout=1200, check=False,
        )
        print(drive.stderr)
        assert drive.returncode == 0, f"drive.mjs exited {drive.returncode}:\n{drive.stderr}"
        results: dict[str, Any] = json.loads(drive.stdout.strip().splitlines()[-1])
    finally:
        _stop(server)
    print(f"test_vscode_e2e: screenshots in {ARTIFACTS}; code-server's log: {log}")
    yield results


def _scenario(seen: dict[str, Any], name: str) -> dict[str, Any]:
    result: dict[str, Any] = seen[name]
    assert "error" not in result, (
        f"{name} failed in the browser (screenshot: {result.get('screenshot')}):\n{result['error']}"
    )
    return result


def test_problems_panel_and_squiggles_show_the_use_after_move(seen: dict[str, Any]) -> None:
    result = _scenario(seen, "diagnostics")
    print(f"first E0382 in the Problems panel {result['seconds']:.1f} s after opening the file")
    [entry] = [row for row in result["problems"] if "E0382" in row]
    assert "borrow of moved value: `origin`" in entry
    assert "[Ln 19, Col 33]" in entry
    # Its secondary labels are listed under it, at their own lines.
    assert any("[Ln 18, Col 25]" in row and "value moved here" in row
               for row in result["problems"])
    assert any("E0384" in row for row in result["problems"])
    # One squiggle per error: E0382 and E0384.
    assert result["squiggles"] == 2


def test_hover_shows_a_variables_type(seen: dict[str, Any]) -> None:
    assert "let total: i32" in _scenario(seen, "hover")["text"]


def test_language_status_shows_the_server_ready_and_opens_its_output(seen: dict[str, Any]) -> None:
    result = _scenario(seen, "languageStatus")
    assert "gust-lsp is running" in result["label"]
    assert "gust-lsp is running" in result["hover"]
    assert "Show Output" in result["hover"]
    # The link opened the server's own output channel, where it said it was ready.
    assert "Gust" in result["outputUri"]
    assert f"starting {VENV_BIN / 'gust-lsp'}" in result["output"]
    assert "ready" in result["output"]


def test_explain_error_opens_the_explanation_of_the_error_under_the_cursor(
    seen: dict[str, Any],
) -> None:
    result = _scenario(seen, "explainError")
    assert "E0382" in result["tab"]
    # The rendered page of docs/errors/E0382.md: its title, then its first paragraph.
    title, _, first = (ROOT / "docs" / "errors" / "E0382.md").read_text().split("\n")[:3]
    assert result["text"].startswith(title.removeprefix("# "))
    assert first in result["text"]


def test_show_generated_go_opens_the_go_beside_the_file(seen: dict[str, Any]) -> None:
    result = _scenario(seen, "generatedGo")
    assert result["uri"].startswith("gust-go:")
    assert "func main() {" in result["text"]
    assert "func greet(name string) string {" in result["text"]
    assert any(tab.startswith("hello.gust.go") for tab in result["tabs"]), result["tabs"]


def test_cursor_moves_in_step_between_the_gust_file_and_its_go(seen: dict[str, Any]) -> None:
    result = _scenario(seen, "goCursorSync")
    # A click on `println!` (line 6) puts the Go view's cursor on the Go it became ...
    assert result["inGo"]["text"].strip() == 'gustPrintln("{}", greet("Gust"))'
    # ... and a click on the Go `return` puts the .gust cursor on `format!` (line 2).
    assert result["inGust"] == {"number": 2, "text": '    format!("Hello, {}!", name)'}


def test_show_generated_go_right_after_start_gets_the_go(seen: dict[str, Any]) -> None:
    """After a window reload the command, run as soon as the file opens, may ask a starting
    server for a document it has not been sent yet: the view waits for it, not an error."""
    result = _scenario(seen, "goRightAfterStart")
    assert "func main() {" in result["text"], result["text"]
    assert "could not get the generated Go" not in result["text"]


def test_the_go_view_follows_the_active_gust_editor(seen: dict[str, Any]) -> None:
    result = _scenario(seen, "goFollowsEditor")
    assert "func greet(name string) string {" in result["first"]
    # Another .gust file made active: the view shows its Go (a function only it has) ...
    assert "func longest(words []string) int {" in result["text"]
    assert "func greet(" not in result["text"]
    # ... in place of the first file's, whose tab is gone.
    labels = [label or "" for label in result["tabs"]]
    assert any(label.startswith("borrows.gust.go") for label in labels), labels
    assert not any(label.startswith("hello.gust.go") for label in labels), labels


def test_show_borrows_paints_where_each_loan_lives_and_hide_borrows_clears_it(
    seen: dict[str, Any],
) -> None:
    result = _scenario(seen, "borrows")
    # In `main`: `&words[0]` (line 13) lives until `first` is printed (14) and `&words` is
    # passed on 17; `&mut words` (15) lives until `all.push` (16). Nothing in `longest`.
    assert result["shown"] == {"shared": [13, 14, 17], "mutable": [15, 16],
                               "origins": [13, 14, 15, 16, 17]}
    assert result["hidden"] == {"shared": [], "mutable": [], "origins": []}


def test_a_server_that_dies_is_restarted_with_a_notice(seen: dict[str, Any]) -> None:
    result = _scenario(seen, "serverCrash")
    killed, restarted = set(result["killed"]), set(result["restarted"])
    assert killed and restarted and not killed & restarted
    notice = result["notice"]
    assert "gust-lsp stopped unexpectedly and has been restarted" in notice["text"]
    assert '"Gust Language Server" output' in notice["text"]
    assert any("Show Output" in button for button in notice["buttons"]), notice
    assert "gust-lsp is running" in result["label"]
    # The new server checks the file: the undone quick fix's E0384 is reported again.
    assert "let n" in result["text"] and "let mut n" not in result["text"]
    assert any("E0384" in row for row in result["problems"]), result["problems"]


def test_make_mutable_quick_fix_removes_the_diagnostic(seen: dict[str, Any]) -> None:
    result = _scenario(seen, "quickFix")
    assert "Consider making this binding mutable: `mut n`" in result["actions"]
    assert "let mut n" in result["text"]
    assert not [row for row in result["problems"] if "E0384" in row], result["problems"]
    # The other error is still there: the panel was updated, not emptied.
    assert any("E0382" in row for row in result["problems"])
    assert result["squiggles"] == 1
