"""Gust packages inside a Go module (issue 6, point 2): `gust build` writes each Gust package
as a Go package beside the module's own Go code, `go build ./...`, `go vet ./...` and
`go test ./...` pass, and plain Go code (hand-written here, as a Go user would) calls the
`pub` items of the Gust packages by their exported Go names.

No rustc oracle: what is checked is what Go code sees."""

from __future__ import annotations

import re
import subprocess
import sys
from pathlib import Path

import pytest

from gust.cli.build import GO_VERSION
from gust.cli.gotool import GoNotFound, find_go, go_env
from gust.codegen.package_names import exported, go_package_name, unexported


def _go_available() -> bool:
    try:
        find_go()
    except GoNotFound:
        return False
    return True


needs_go = pytest.mark.skipif(not _go_available(), reason="the Go toolchain is not available")

TOKENS = """\
use std::collections::HashMap;

/// A token of the input: a word, a number or punctuation.
#[derive(Debug, Clone, PartialEq)]
pub struct Token {
    pub text: String,
    pub kind: Kind,
    offset: usize,
}

#[derive(Debug, Clone, Copy, PartialEq)]
pub enum Kind {
    Word,
    Number,
    Punct,
}

impl std::fmt::Display for Token {
    fn fmt(&self, f: &mut std::fmt::Formatter) -> std::fmt::Result {
        write!(f, "{}@{}", self.text, self.offset)
    }
}

pub const MAX_TOKENS: usize = 100;
const SEPARATOR: char = ' ';

struct Config {
    limit: usize,
}

fn config() -> Config {
    Config { limit: MAX_TOKENS }
}

impl Token {
    pub fn new(text: &str, kind: Kind, offset: usize) -> Token {
        Token { text: text.to_string(), kind, offset }
    }

    pub fn end(&self) -> usize {
        self.offset + self.text.len()
    }

    fn is_word(&self) -> bool {
        self.kind == Kind::Word
    }
}

fn classify(c: char) -> Kind {
    if c.is_ascii_digit() {
        Kind::Number
    } else if c.is_alphanumeric() {
        Kind::Word
    } else {
        Kind::Punct
    }
}

pub fn tokenize(input: &str) -> Vec<Token> {
    let config = config();
    let mut tokens = Vec::new();
    let mut start = 0;
    let mut current = String::new();
    for (i, c) in input.char_indices() {
        if c == SEPARATOR {
            if !current.is_empty() {
                let kind = classify(current.chars().next().unwrap());
                tokens.push(Token::new(&current, kind, start));
                current = String::new();
            }
            start = i + 1;
        } else {
            current.push(c);
        }
    }
    if !current.is_empty() {
        let kind = classify(current.chars().next().unwrap());
        tokens.push(Token::new(&current, kind, start));
    }
    tokens.truncate(config.limit);
    tokens
}

pub fn count_words(input: &str) -> usize {
    tokenize(input).iter().filter(|t| t.is_word()).count()
}

pub fn word_counts(input: &str) -> HashMap<String, i32> {
    let mut counts = HashMap::new();
    for token in tokenize(input) {
        *counts.entry(token.text.clone()).or_insert(0) += 1;
    }
    counts
}

pub fn find(input: &str, word: &str) -> Option<usize> {
    tokenize(input).iter().position(|t| t.text == word)
}

pub fn debug_first(input: &str) -> String {
    format!("{:?}", tokenize(input)[0])
}
"""

SHAPES = """\
#[derive(Debug)]
pub enum Shape {
    Circle { radius: f64 },
    Square(f64),
}

pub trait Area {
    fn area(&self) -> f64;
    fn describe(&self) -> String {
        format!("area {:.1}", self.area())
    }
}

impl Area for Shape {
    fn area(&self) -> f64 {
        match self {
            Shape::Circle { radius } => 3.0 * radius * radius,
            Shape::Square(s) => s * s,
        }
    }
}
"""

SCORE = """\
/// Scores texts by weighted keywords.
#[derive(Debug)]
pub struct Scorer {
    pub threshold: i64,
    weights: Vec<(String, i64)>,
}

impl Scorer {
    pub fn new(threshold: i64) -> Scorer {
        Scorer { threshold, weights: Vec::new() }
    }

    pub fn add_keyword(&mut self, word: &str, weight: i64) {
        self.weights.push((word.to_string(), weight));
    }

    pub fn score(&self, text: &str) -> i64 {
        let mut total = 0;
        for word in text.split_whitespace() {
            total += self.weight_of(word);
        }
        total
    }

    pub fn accepts(&self, text: &str) -> bool {
        self.score(text) >= self.threshold
    }

    fn weight_of(&self, word: &str) -> i64 {
        for (w, weight) in &self.weights {
            if w == word {
                return *weight;
            }
        }
        0
    }
}

pub fn parse_weight(text: &str) -> Result<i64, String> {
    match text.parse::<i64>() {
        Ok(n) if n >= 0 => Ok(n),
        Ok(n) => Err(format!("negative weight {}", n)),
        Err(e) => Err(format!("bad weight {:?}: {}", text, e)),
    }
}

pub fn clamp_score(score: i64, max_score: i64) -> i64 {
    if score > max_score {
        max_score
    } else {
        score
    }
}
"""

# `Result`s and `Option`s returned to Go: `(T, error)`, `error`, `(T, bool)`.
ERRS = """\
use std::fmt;
use std::ops::{Sub, SubAssign};

#[derive(Debug)]
pub enum ParseError {
    Empty,
    Bad(String),
}

impl fmt::Display for ParseError {
    fn fmt(&self, f: &mut fmt::Formatter) -> fmt::Result {
        match self {
            ParseError::Empty => write!(f, "empty input"),
            ParseError::Bad(s) => write!(f, "bad input {:?}", s),
        }
    }
}

#[derive(Debug)]
pub struct Oops {
    pub code: i32,
}

impl fmt::Display for Oops {
    fn fmt(&self, f: &mut fmt::Formatter) -> fmt::Result {
        write!(f, "oops {}", self.code)
    }
}

impl std::error::Error for Oops {}

pub fn parse(text: &str) -> Result<i64, ParseError> {
    if text.is_empty() {
        return Err(ParseError::Empty);
    }
    match text.parse::<i64>() {
        Ok(n) => Ok(n),
        Err(_) => Err(ParseError::Bad(text.to_string())),
    }
}

pub fn check(n: i32) -> Result<(), Oops> {
    if n < 0 {
        Err(Oops { code: n })
    } else {
        Ok(())
    }
}

pub fn twice(text: &str) -> Result<i64, String> {
    let n = parse(text).map_err(|e| e.to_string())?;
    Ok(n * 2)
}

pub fn find(v: &[i32], x: i32) -> Option<usize> {
    v.iter().position(|&y| y == x)
}

pub fn first_of<T: Clone>(v: &[T]) -> Option<T> {
    v.first().cloned()
}

pub fn shortfall<T: Sub<Output = T> + Copy + PartialOrd>(have: T, need: T) -> Option<T> {
    if need > have { Some(need - have) } else { None }
}

pub struct Budget<T> {
    pub left: T,
}

impl<T: SubAssign + Copy + PartialOrd> Budget<T> {
    pub fn spend(&mut self, x: T) -> T {
        self.left -= x;
        self.left
    }

    pub fn try_spend(&mut self, x: T) -> Option<T> {
        if x > self.left {
            return None;
        }
        Some(self.spend(x))
    }
}

pub struct Ledger {
    pub entries: Vec<i64>,
    limit: i64,
}

impl Ledger {
    pub fn open(limit: &str) -> Result<Ledger, ParseError> {
        Ok(Ledger { entries: Vec::new(), limit: parse(limit)? })
    }

    pub fn add(&mut self, text: &str) -> Result<i64, ParseError> {
        let n = parse(text)?;
        if n > self.limit {
            return Err(ParseError::Bad(format!("{} over {}", n, self.limit)));
        }
        self.entries.push(n);
        Ok(self.entries.iter().sum())
    }

    pub fn close(&self) -> Result<(), Oops> {
        check(self.entries.len() as i32 - 2)
    }

    pub fn largest(&self) -> Option<i64> {
        self.entries.iter().max().copied()
    }

    pub fn total(&self) -> i64 {
        self.add_up().unwrap_or(0)
    }

    fn add_up(&self) -> Option<i64> {
        if self.entries.is_empty() { None } else { Some(self.entries.iter().sum()) }
    }
}
"""

HELLO = """\
fn main() {
    let words = vec!["gust", "in", "go"];
    println!("hello from {} ({} words)", words.join(" "), words.len());
}
"""

# The Go user's own code: an external test package (it sees exported names only).
TOKENS_TEST = """\
package textkit_test

import (
	"fmt"
	"testing"

	"example.com/shop/textkit"
)

func TestTokenize(t *testing.T) {
	toks := textkit.Tokenize("hello world 42 !")
	if len(toks) != 4 || toks[0].Text != "hello" || toks[2].Kind != textkit.KindNumber {
		t.Fatalf("Tokenize = %+v", toks)
	}
	if got := textkit.CountWords("a b 1 c"); got != 3 {
		t.Fatalf("CountWords = %d", got)
	}
	if got := textkit.WordCounts("a b a")["a"]; got != 2 {
		t.Fatalf("WordCounts[a] = %d", got)
	}
	if i, ok := textkit.Find("x y z", "y"); !ok || i != 1 {
		t.Fatalf("Find = %d, %v", i, ok)
	}
	if _, ok := textkit.Find("x y z", "w"); ok {
		t.Fatal("Find of a missing word")
	}
	tok := textkit.NewToken("ab", textkit.KindWord, 3)
	if tok.End() != 5 {
		t.Fatalf("End = %d", tok.End())
	}
	if textkit.MaxTokens != 100 {
		t.Fatal("MaxTokens")
	}
	// Debug prints Rust's field names, whatever their Go names.
	want := `Token { text: "hi", kind: Word, offset: 0 }`
	if got := textkit.DebugFirst("hi there"); got != want {
		t.Fatalf("DebugFirst = %q", got)
	}
	// A type with Display is a fmt.Stringer.
	if got := fmt.Sprint(toks[1]); got != "world@6" {
		t.Fatalf("String() = %q", got)
	}
}

func TestShapes(t *testing.T) {
	var s textkit.Shape = textkit.ShapeSquare{F0: 2}
	if s.Area() != 4 || s.Describe() != "area 4.0" {
		t.Fatalf("Square: %v %q", s.Area(), s.Describe())
	}
	var c textkit.Area = textkit.ShapeCircle{Radius: 1}
	if c.Area() != 3 {
		t.Fatalf("Circle: %v", c.Area())
	}
}
"""

SCORE_TEST = """\
package scoring

import "testing"

func TestScorer(t *testing.T) {
	s := NewScorer(5)
	s.AddKeyword("go", 3)
	s.AddKeyword("rust", 2)
	if got := s.Score("go rust go python"); got != 8 {
		t.Fatalf("Score = %d", got)
	}
	if !s.Accepts("go rust") || s.Accepts("go") {
		t.Fatal("Accepts")
	}
	if s.weight_of("go") != 3 { // an internal test sees the unexported method too
		t.Fatal("weight_of")
	}
	if ClampScore(12, 10) != 10 || s.Threshold != 5 {
		t.Fatal("ClampScore, Threshold")
	}
	// A Result is Go's (T, error) for Go callers; Gust code calls parse_weight itself.
	if w, err := ParseWeight("7"); err != nil || w != 7 {
		t.Fatalf("ParseWeight(7) = %d, %v", w, err)
	}
	if _, err := ParseWeight("x"); err == nil || err.Error() != `bad weight "x": invalid digit found in string` {
		t.Fatalf("ParseWeight(x): %v", err)
	}
	if _, msg, ok := parse_weight("-2").Get(); ok || msg != "negative weight -2" {
		t.Fatalf("parse_weight(-2): %q", msg)
	}
}
"""

# Go callers of Result-returning functions: `err != nil`, its message (the Err value's
# Display), and the value itself (`errors.As`).
ERRS_TEST = """\
package errs_test

import (
	"errors"
	"testing"

	"example.com/shop/errs"
)

func TestErrors(t *testing.T) {
	if n, err := errs.Parse("21"); err != nil || n != 21 {
		t.Fatal(n, err)
	}
	_, err := errs.Parse("x")
	if err == nil || err.Error() != `bad input "x"` {
		t.Fatal(err)
	}
	var ge errs.GustError[errs.ParseError]
	if !errors.As(err, &ge) {
		t.Fatal("as")
	}
	if _, ok := ge.Value.(errs.ParseErrorBad); !ok {
		t.Fatal(ge.Value)
	}
	err = errs.Check(-3)
	var oops errs.Oops
	if !errors.As(err, &oops) || oops.Code != -3 || err.Error() != "oops -3" {
		t.Fatal(err)
	}
	if errs.Check(1) != nil {
		t.Fatal("check")
	}
	if _, err := errs.Twice(""); err == nil || err.Error() != "empty input" {
		t.Fatal(err)
	}
	if i, ok := errs.Find([]int32{4, 5}, 5); !ok || i != 1 {
		t.Fatal(i, ok)
	}
	// Generic functions, methods and associated functions: Go's results too.
	if s, ok := errs.FirstOf([]string{"a", "b"}); !ok || s != "a" {
		t.Fatal(s, ok)
	}
	if _, ok := errs.FirstOf([]float64{}); ok {
		t.Fatal("FirstOf of nothing")
	}
	// One with an arithmetic type parameter (Go's int is Gust's isize).
	if n, ok := errs.Shortfall(3, 5); !ok || n != 2 {
		t.Fatal(n, ok)
	}
	if n, ok := errs.Shortfall(2.5, 1.0); ok {
		t.Fatal(n, ok)
	}
	// Methods that subtract stay methods for Go callers.
	budget := errs.Budget[int]{Left: 5}
	if n := budget.Spend(7); n != -2 {
		t.Fatal(n)
	}
	if n, ok := budget.TrySpend(1); ok || budget.Left != -2 {
		t.Fatal(n, ok, budget.Left)
	}
	if _, err := errs.LedgerOpen("x"); err == nil || err.Error() != `bad input "x"` {
		t.Fatal(err)
	}
	ledger, err := errs.LedgerOpen("10")
	if err != nil {
		t.Fatal(err)
	}
	if _, ok := ledger.Largest(); ok {
		t.Fatal("Largest of nothing")
	}
	if sum, err := ledger.Add("4"); err != nil || sum != 4 {
		t.Fatal(sum, err)
	}
	if _, err := ledger.Add("11"); err == nil || err.Error() != `bad input "11 over 10"` {
		t.Fatal(err)
	}
	if err := ledger.Close(); err == nil || err.Error() != "oops -1" {
		t.Fatal(err)
	}
	if sum, err := ledger.Add("6"); err != nil || sum != 10 || ledger.Close() != nil {
		t.Fatal(sum, err)
	}
	if n, ok := ledger.Largest(); !ok || n != 6 || ledger.Total() != 10 {
		t.Fatal(n, ok, ledger.Entries)
	}
}
"""

# A Gust library using two others (`errs::parse(..)?`, `textkit::tokenize`): Result,
# Option and Display cross the packages.
CALC = """\
use errs::ParseError;

/// Sums the numbers of a comma-separated list.
pub fn sum(list: &str) -> Result<i64, ParseError> {
    let mut total = 0;
    for part in list.split(',') {
        total += errs::parse(part.trim())?;
    }
    Ok(total)
}

pub fn describe(list: &str) -> String {
    match sum(list) {
        Ok(n) => format!("sum {}", n),
        Err(ParseError::Empty) => String::from("an empty item"),
        Err(e) => format!("error: {}", e),
    }
}

pub fn checked(n: i32) -> Result<i32, String> {
    match errs::check(n) {
        Ok(()) => Ok(n * 2),
        Err(e) => Err(format!("{} (code {})", e, e.code)),
    }
}

pub fn position(v: &[i32], x: i32) -> i64 {
    match errs::find(v, x) {
        Some(i) => i as i64,
        None => -1,
    }
}

pub fn word_ends(input: &str) -> Vec<usize> {
    textkit::tokenize(input).iter().map(|t| t.end()).collect()
}

pub fn first_token(input: &str) -> String {
    let toks = textkit::tokenize(input);
    format!("{:?} / {}", toks[0], toks[0])
}

pub fn ledger(items: &[&str]) -> String {
    let mut ledger = match errs::Ledger::open("9") {
        Ok(l) => l,
        Err(e) => return e.to_string(),
    };
    let mut out = Vec::new();
    for item in items {
        out.push(match ledger.add(item) {
            Ok(sum) => sum.to_string(),
            Err(e) => e.to_string(),
        });
    }
    let first: Option<i64> = errs::first_of(&ledger.entries);
    let short: Option<i64> = errs::shortfall(out.len() as i64, 9);
    let mut budget = errs::Budget { left: 9usize };
    format!("{} {:?} {:?} {:?} {:?} {}", out.join(","), ledger.largest(), ledger.close().is_ok(),
            first, short, budget.spend(out.len()))
}
"""

# Plain Go calling it: `err != nil` and the message.
CALC_TEST = """\
package calc_test

import (
	"testing"

	"example.com/shop/calc"
)

func TestCalc(t *testing.T) {
	if got := calc.Ledger([]string{"2", "x", "12", "5"}); got != `2,bad input "x",bad input "12 over 9",7 Some(5) true Some(2) Some(5) 5` {
		t.Fatal(got)
	}
	if n, err := calc.Sum("1, 2, 3"); err != nil || n != 6 {
		t.Fatal(n, err)
	}
	if _, err := calc.Sum("1, x"); err == nil || err.Error() != `bad input "x"` {
		t.Fatal(err)
	}
	if got := calc.Describe("1,,2"); got != "an empty item" {
		t.Fatal(got)
	}
	if got := calc.Describe("1,y"); got != `error: bad input "y"` {
		t.Fatal(got)
	}
	if _, err := calc.Checked(-4); err == nil || err.Error() != "oops -4 (code -4)" {
		t.Fatal(err)
	}
	if calc.Position([]int32{1, 2}, 2) != 1 || calc.Position(nil, 2) != -1 {
		t.Fatal("position")
	}
	if got := calc.WordEnds("ab cde"); len(got) != 2 || got[1] != 6 {
		t.Fatal(got)
	}
	// Values of textkit formatted by calc's runtime (Debug, then Display).
	if got := calc.FirstToken("hi there"); got != `Token { text: "hi", kind: Word, offset: 0 } / hi@0` {
		t.Fatalf("FirstToken = %q", got)
	}
}
"""

# A hand-written Go package of the module that imports both Gust packages.
REPORT = """\
package report

import (
	"fmt"

	"example.com/shop/scoring"
	"example.com/shop/textkit"
)

// Summary describes a text with the Gust packages' help.
func Summary(text string) string {
	s := scoring.NewScorer(3)
	s.AddKeyword("gust", 4)
	return fmt.Sprintf("%d words, score %d", textkit.CountWords(text), s.Score(text))
}
"""

REPORT_TEST = """\
package report

import "testing"

func TestSummary(t *testing.T) {
	if got := Summary("gust is go 7"); got != "3 words, score 4" {
		t.Fatalf("Summary = %q", got)
	}
}
"""


def gust(cwd: Path, *args: str) -> subprocess.CompletedProcess[str]:
    return subprocess.run([sys.executable, "-m", "gust", *args], cwd=cwd, text=True,
                          capture_output=True, check=False)


def go(cwd: Path, *args: str) -> subprocess.CompletedProcess[str]:
    return subprocess.run([find_go(), *args], cwd=cwd, env=go_env(), text=True,
                          capture_output=True, check=False)


def write(root: Path, files: dict[str, str]) -> None:
    for name, text in files.items():
        path = root / name
        path.parent.mkdir(parents=True, exist_ok=True)
        path.write_text(text, encoding="utf-8")


@pytest.fixture
def module(tmp_path: Path) -> Path:
    """A Go module with its own Go code, two Gust libraries and a Gust program."""
    write(tmp_path, {
        "go.mod": f"module example.com/shop\n\ngo {GO_VERSION}\n",
        "report/report.go": REPORT,
        "report/report_test.go": REPORT_TEST,
        "textkit/tokens.gust": TOKENS,
        "textkit/shapes.gust": SHAPES,
        "textkit/tokens_test.go": TOKENS_TEST,
        "scoring/score.gust": SCORE,
        "scoring/score_test.go": SCORE_TEST,
        "errs/errs.gust": ERRS,
        "errs/errs_test.go": ERRS_TEST,
        "calc/calc.gust": CALC,
        "calc/calc_test.go": CALC_TEST,
        "cmd/hello/main.gust": HELLO,
        # Skipped, as `go build ./...` skips them (this one does not even check).
        "textkit/testdata/broken.gust": "fn main() { let x: i32 = \"no\"; }\n",
        "_drafts/draft.gust": "fn main() { undefined(); }\n",
    })
    return tmp_path


@needs_go
def test_gust_packages_build_vet_and_test_inside_a_go_module(module: Path) -> None:
    built = gust(module, "build")
    assert built.returncode == 0, built.stderr
    assert sorted(built.stdout.split()) == sorted([
        "cmd/hello/main.go", "cmd/hello/gust_runtime.go", "scoring/score.go",
        "scoring/gust_runtime.go", "textkit/shapes.go", "textkit/tokens.go",
        "textkit/gust_runtime.go", "errs/errs.go", "errs/gust_runtime.go", "calc/calc.go",
        "calc/gust_runtime.go", "internal/gustrt/gust_types.go"])
    assert not (module / "textkit" / "go.mod").exists()  # the module's own go.mod is used
    # calc imports the Gust packages it uses, and calls their Go-facing functions.
    calc = (module / "calc" / "calc.go").read_text(encoding="utf-8")
    assert '\t"example.com/shop/errs"\n' in calc and '\t"example.com/shop/textkit"\n' in calc
    assert "gustResultFromGo[int64, errs.ParseError](errs.Parse(" in calc
    result = go(module, "build", "./...")
    for args in (["vet", "./..."], ["test", "./..."]):
        assert result.returncode == 0, f"{result.stdout}{result.stderr}"
        result = go(module, *args)
    assert result.returncode == 0, f"go test ./...:\n{result.stdout}{result.stderr}"
    for package in ("textkit", "scoring", "report", "errs", "calc"):
        assert f"ok  \texample.com/shop/{package}" in result.stdout
    ran = go(module, "run", "./cmd/hello")
    assert ran.stdout == "hello from gust in go (3 words)\n", ran.stderr


@needs_go
def test_gust_run_builds_a_program_with_the_gust_packages_it_uses(module: Path) -> None:
    write(module, {"cmd/count/main.gust": """\
use textkit::Token;

fn main() {
    let toks: Vec<Token> = textkit::tokenize("gust in go");
    println!("{} tokens, first {}", toks.len(), toks[0]);
    match errs::parse("x") {
        Ok(n) => println!("{}", n),
        Err(e) => println!("error: {}", e),
    }
}
"""})
    ran = gust(module, "run", "cmd/count")
    assert ran.returncode == 0, ran.stderr
    assert ran.stdout == '3 tokens, first gust@0\nerror: bad input "x"\n'


STATS_GO = """\
package stats

import (
	"fmt"
	"strconv"
)

// Mean is the average of xs.
func Mean(xs []float64) float64 {
	total := 0.0
	for _, x := range xs {
		total += x
	}
	return total / float64(len(xs))
}

// Parse reads a count.
func Parse(s string) (int, error) {
	n, err := strconv.Atoi(s)
	if err != nil {
		return 0, fmt.Errorf("not a count: %q", s)
	}
	return n, nil
}
"""

TOOL = """\
use go "example.com/tools/stats";

fn main() {
    let args: Vec<String> = std::env::args().skip(1).collect();
    let mut counts: Vec<f64> = Vec::new();
    for arg in &args {
        match stats::Parse(arg) {
            Ok(n) => counts.push(n as f64),
            Err(e) => println!("{}", e),
        }
    }
    println!("{}", greet::hello("tools"));
    println!("mean {}", stats::Mean(&counts));
}
"""


def _tree(root: Path) -> dict[str, bytes]:
    return {str(p.relative_to(root)): p.read_bytes() for p in sorted(root.rglob("*"))
            if p.is_file()}


@needs_go
def test_gust_run_uses_the_go_packages_of_its_own_module_without_writing_there(
        tmp_path: Path) -> None:
    """A program inside a Go module uses a Go package of that module (`use go` of
    `example.com/tools/stats`) and a Gust library of it: `gust run` builds it as a
    package of the module, and leaves the module as it was."""
    write(tmp_path, {
        "go.mod": f"module example.com/tools\n\ngo {GO_VERSION}\n",
        "stats/stats.go": STATS_GO,
        "greet/greet.gust": "pub fn hello(name: &str) -> String {\n"
                            "    format!(\"hello from {}\", name)\n}\n",
        "cmd/tool/main.gust": TOOL,
        # Left by an earlier `gust build` of a file since removed: not part of the run.
        "cmd/tool/old.go": "// Code generated by gust from cmd/tool/old.gust. DO NOT EDIT.\n\n"
                           "package main\n\nfunc main() {}\n",
    })
    before = _tree(tmp_path)
    for target in ("cmd/tool", "cmd/tool/main.gust"):
        ran = gust(tmp_path, "run", target, "--", "3", "x", "6")
        assert ran.returncode == 0, ran.stderr
        assert ran.stdout == 'not a count: "x"\nhello from tools\nmean 4.5\n'
    # From elsewhere, by its path.
    ran = gust(tmp_path / "stats", "run", str(tmp_path / "cmd/tool/main.gust"), "--", "2")
    assert ran.stdout == "hello from tools\nmean 2\n", ran.stderr
    assert _tree(tmp_path) == before


@needs_go
def test_the_generated_go_exports_pub_items_only(module: Path) -> None:
    assert gust(module, "build", "textkit").returncode == 0
    tokens = (module / "textkit" / "tokens.go").read_text(encoding="utf-8")
    runtime = (module / "textkit" / "gust_runtime.go").read_text(encoding="utf-8")
    assert tokens.startswith("// Code generated by gust from textkit/tokens.gust. DO NOT EDIT.\n")
    assert runtime.startswith("// Code generated by gust. DO NOT EDIT.\n")
    assert "\npackage textkit\n" in tokens and "\npackage textkit\n" in runtime
    for declared in ("func Tokenize(input string) []Token", "func CountWords(",
                     "func NewToken(", "func (self *Token) End() int", "\tText   string",
                     "const MaxTokens int = 100",
                     # not `pub`: unexported
                     "func classify(c Char) Kind", "func (self *Token) is_word() bool",
                     "\toffset int", "const separator Char", "type config struct"):
        assert declared in tokens, declared
    # `fn config` beside `struct Config` (lowered to `config`): the type keeps the name.
    assert "func config_() config" in tokens
    # //line directives name the .gust file from the Go file's directory.
    assert "//line tokens.gust:" in tokens


@needs_go
def test_a_go_panic_in_a_library_points_at_the_gust_line(tmp_path: Path) -> None:
    write(tmp_path, {
        "go.mod": f"module example.com/m\n\ngo {GO_VERSION}\n",
        "pick/pick.gust": "pub fn pick(v: &[i32], i: usize) -> i32 {\n    v[i]\n}\n",
        "pick/pick_test.go": 'package pick\n\nimport "testing"\n\nfunc TestPick(t *testing.T) '
                             "{\n\tPick([]int32{1}, 5)\n}\n",
    })
    assert gust(tmp_path, "build").returncode == 0
    result = go(tmp_path, "test", "./pick")
    assert result.returncode != 0
    assert f"{tmp_path / 'pick' / 'pick.gust'}:2" in result.stdout + result.stderr


SAME_NAMES = """\
pub mod parse;

pub mod render {
    pub struct Config {
        pub width: usize,
    }

    impl Config {
        pub fn new(width: usize) -> Config {
            Config { width }
        }
    }

    pub fn load(c: &super::parse::Config) -> String {
        format!("{:>w$}", c.name, w = 6)
    }

    pub const LIMIT: u32 = 20;
}

pub fn describe(text: &str) -> String {
    let p = parse::load(text);
    format!("[{}] {} {}", render::load(&p), parse::LIMIT, render::Config::new(2).width)
}
"""

SAME_NAMES_PARSE = """\
pub struct Config {
    pub name: String,
    pub retries: u32,
}

impl Config {
    pub fn new(name: &str) -> Config {
        Config { name: name.to_string(), retries: 3 }
    }
}

pub fn load(text: &str) -> Config {
    Config::new(text.trim())
}

fn helper() -> u32 {
    1
}

pub const LIMIT: u32 = 10;

pub fn checked() -> u32 {
    helper() + LIMIT
}
"""

SAME_NAMES_TEST = """\
package cfg

import "testing"

func TestSameNames(t *testing.T) {
\tif got := Describe(" gw "); got != "[    gw] 10 2" {
\t\tt.Fatalf("Describe: %q", got)
\t}
\tc := NewParseConfig("x")
\tr := NewRenderConfig(4)
\tif c.Retries != 3 || r.Width != 4 || ParseLimit != 10 || RenderLimit != 20 {
\t\tt.Fatal("fields and constants")
\t}
\tif ParseLoad("y").Name != "y" || RenderLoad(&c) != "     x" || Checked() != 11 {
\t\tt.Fatal("functions")
\t}
}
"""


@needs_go
def test_a_library_names_items_of_one_name_after_their_modules(tmp_path: Path) -> None:
    """`parse::Config` and `render::Config` of one library (`mod parse;` in its own file):
    `ParseConfig` and `RenderConfig` for Go code, `NewParseConfig`, `ParseLoad`,
    `ParseLimit`; an item whose name is unique keeps it (`Checked`, `helper`)."""
    write(tmp_path, {
        "go.mod": f"module example.com/m\n\ngo {GO_VERSION}\n",
        "cfg/cfg.gust": SAME_NAMES,
        "cfg/parse.gust": SAME_NAMES_PARSE,
        "cfg/cfg_test.go": SAME_NAMES_TEST,
    })
    built = gust(tmp_path, "build")
    assert built.returncode == 0, built.stderr
    assert (tmp_path / "cfg" / "parse.go").exists()
    vet = go(tmp_path, "vet", "./...")
    assert vet.returncode == 0, vet.stdout + vet.stderr
    result = go(tmp_path, "test", "./cfg")
    assert result.returncode == 0, result.stdout + result.stderr


@needs_go
def test_output_dir_and_existing_go_files_decide_the_package_name(tmp_path: Path) -> None:
    write(tmp_path, {
        "go.mod": f"module example.com/m\n\ngo {GO_VERSION}\n",
        "src/score.gust": SCORE,
        "text-kit/helpers.go": "package textkit\n\n// Twice is hand-written Go.\n"
                               "func Twice(n int64) int64 { return ClampScore(2*n, 100) }\n",
        "text-kit/score.gust": SCORE,
    })
    assert gust(tmp_path, "build", "-o", "gen/scorer", "src").returncode == 0
    assert "\npackage scorer\n" in (tmp_path / "gen/scorer/score.go").read_text()
    assert not (tmp_path / "src" / "score.go").exists()
    # Beside hand-written Go, the package is the one those files declare.
    assert gust(tmp_path, "build", "text-kit").returncode == 0
    assert "\npackage textkit\n" in (tmp_path / "text-kit/score.go").read_text()
    result = go(tmp_path, "vet", "./...")
    assert result.returncode == 0, result.stderr


@needs_go
def test_a_single_package_outside_a_module_gets_its_own_go_mod(tmp_path: Path) -> None:
    write(tmp_path, {"scoring/score.gust": SCORE})
    assert gust(tmp_path, "build", "scoring").returncode == 0
    assert (tmp_path / "scoring/go.mod").read_text().startswith("module scoring\n")
    result = go(tmp_path / "scoring", "vet", ".")
    assert result.returncode == 0, result.stderr


def test_bad_uses_are_one_line_errors(tmp_path: Path) -> None:
    write(tmp_path, {
        "empty/notes.txt": "no gust here\n",
        "a/a.gust": "pub fn one() -> i32 {\n    1\n}\n",
        "b/b.gust": "pub fn two() -> i32 {\n    2\n}\n",
        "c/c.gust": "pub fn three() -> i32 {\n    3\n}\n",
        "c/c.go": "package c\n",
        "d/main.gust": "fn main() {}\n",
        "d/lib.go": "package d\n",
    })
    cases = {
        ("build", "empty"): "no .gust files in empty",
        ("build", "missing"): "no such file or directory: missing",
        ("build", "empty/notes.txt"): "not a .gust file: empty/notes.txt",
        # two packages outside any Go module would be two unrelated modules
        ("build", "a", "b"): "is not inside a Go module",
        ("build", "c"): "c.go exists and was not generated by gust; not overwriting it",
        ("run", "a"): "a has no `fn main`: it is a library package",
        ("build", "d"): "the Go files in d are package d, but the Gust package has `fn main`",
    }
    for args, message in cases.items():
        result = gust(tmp_path, *args)
        assert result.returncode == 2, (args, result.stderr)
        lines = result.stderr.splitlines()
        assert len(lines) == 1 and lines[0].startswith("gust: error: ") and message in lines[0], \
            (args, result.stderr)
    assert not (tmp_path / "a" / "a.go").exists()  # nothing written on a usage error


def test_go_names_of_gust_names() -> None:
    assert exported("count_tokens") == "CountTokens"
    assert exported("MAX_LEN") == "MaxLen"
    assert exported("Token") == "Token"
    assert exported("utf8_len") == "Utf8Len"
    assert unexported("TokenKind") == "tokenKind"
    assert unexported("MAX_LEN") == "maxLen"
    assert unexported("helper_fn") == "helper_fn"
    assert go_package_name("/work/my-lib") == "mylib"
    assert go_package_name("Text_Kit") == "text_kit"
    assert go_package_name("main") == "main_" and go_package_name("type") == "type_"
    assert go_package_name("2d") == "gust2d"


# Differential programs (tests/programs) made libraries: their `fn main` a `pub fn`, once as
# written (mostly private items: unexported Go names) and once with every item and method
# `pub` (exported names). Traits, generics, enums, modules and threads under both naming
# modes must still make Go that vets clean.
LIBRARY_PROGRAMS = ("generics_traits_tour", "lru_cache_vec", "shared_state", "modules_geometry",
                    "same_method_names")
ROOT = Path(__file__).resolve().parent.parent


def _all_pub(text: str) -> str:
    text = re.sub(r"^(fn|struct|enum|trait|const|static|mod) ", r"pub \1 ", text, flags=re.M)
    # Methods of inherent impls only: Rust forbids `pub` in a trait or a trait impl.
    out: list[str] = []
    inherent = False
    for line in text.split("\n"):
        if line.startswith(("impl", "pub trait", "trait")):
            inherent = line.startswith("impl") and " for " not in line
        if inherent and line.startswith("    fn "):
            line = "    pub " + line[4:]
        out.append(line)
    return "\n".join(out)


@needs_go
def test_programs_as_libraries_vet_clean_with_either_naming(tmp_path: Path) -> None:
    files = {"go.mod": f"module example.com/libs\n\ngo {GO_VERSION}\n"}
    for name in LIBRARY_PROGRAMS:
        text = (ROOT / "tests" / "programs" / f"{name}.gust").read_text(encoding="utf-8")
        text = re.sub(r"^fn main\(\)", "pub fn run_main()", text, flags=re.M)
        files[f"private_{name}/{name}.gust"] = text
        files[f"public_{name}/{name}.gust"] = _all_pub(text)
    write(tmp_path, files)
    built = gust(tmp_path, "build")
    assert built.returncode == 0, built.stderr
    generics = (tmp_path / "public_generics_traits_tour/generics_traits_tour.go").read_text()
    assert "func NewStack[T any]() Stack[T]" in generics
    assert "func (self *Stack[T]) Push(x T)" in generics
    private = (tmp_path / "private_generics_traits_tour/generics_traits_tour.go").read_text()
    assert "func stack_new[T any]() stack[T]" in private
    # An inherent method and two traits' methods of one name: each trait's is named after
    # its trait too (Go has one method per name on a type).
    same = (tmp_path / "public_same_method_names/same_method_names.go").read_text()
    for declared in ("func (self *Robot) Name() string", "func (self Robot) NamedName() string",
                     "func (self Robot) LabeledName() string", "\tNamedName() string\n"):
        assert declared in same, declared
    vetted = go(tmp_path, "vet", "./...")
    assert vetted.returncode == 0, vetted.stdout + vetted.stderr


INVENTORY = """\
use std::collections::HashMap;
use std::fmt;

#[derive(Debug, Clone, PartialEq)]
pub struct Item {
    pub sku: String,
    pub name: String,
    pub price_cents: i64,
    pub qty: u32,
}

#[derive(Debug, Clone, PartialEq)]
pub enum StockError {
    Unknown(String),
    NotEnough { sku: String, wanted: u32, have: u32 },
}

impl fmt::Display for StockError {
    fn fmt(&self, f: &mut fmt::Formatter) -> fmt::Result {
        match self {
            StockError::Unknown(sku) => write!(f, "unknown sku {}", sku),
            StockError::NotEnough { sku, wanted, have } =>
                write!(f, "not enough {}: wanted {}, have {}", sku, wanted, have),
        }
    }
}

impl std::error::Error for StockError {}

pub struct Store {
    items: HashMap<String, Item>,
    pub log: Vec<String>,
}

impl Store {
    pub fn new() -> Store {
        Store { items: HashMap::new(), log: Vec::new() }
    }

    pub fn add(&mut self, item: Item) {
        self.log.push(format!("add {}", item.sku));
        self.items.insert(item.sku.clone(), item);
    }

    pub fn get(&self, sku: &str) -> Option<Item> {
        self.items.get(sku).cloned()
    }

    pub fn take(&mut self, sku: &str, n: u32) -> Result<u32, StockError> {
        let item = self.items.get_mut(sku).ok_or(StockError::Unknown(sku.to_string()))?;
        if item.qty < n {
            return Err(StockError::NotEnough { sku: sku.to_string(), wanted: n, have: item.qty });
        }
        item.qty -= n;
        self.log.push(format!("take {} {}", sku, n));
        Ok(item.qty)
    }

    pub fn names_where(&self, keep: impl Fn(&Item) -> bool) -> Vec<String> {
        let mut out: Vec<String> =
            self.items.values().filter(|i| keep(i)).map(|i| i.name.clone()).collect();
        out.sort();
        out
    }
}

pub fn find_sku(items: &[Item], name: &str) -> Option<String> {
    items.iter().find(|i| i.name == name).map(|i| i.sku.clone())
}

pub fn parse_qty(s: &str) -> Result<u32, String> {
    s.trim().parse::<u32>().map_err(|e| format!("bad quantity {:?}: {}", s, e))
}

pub fn apply(items: &mut Vec<Item>, f: impl Fn(&mut Item)) {
    for i in items.iter_mut() {
        f(i);
    }
}
"""

INVENTORY_TEST = """\
package inventory_test

import (
	"encoding/json"
	"errors"
	"strings"
	"testing"

	"example.com/shop/inventory"
)

func TestStore(t *testing.T) {
	s := inventory.NewStore()
	s.Add(inventory.Item{Sku: "A", Name: "apple", PriceCents: 50, Qty: 1})
	s.Add(inventory.Item{Sku: "B", Name: "bread", PriceCents: 300, Qty: 4})
	// An enum with payloads and `impl Error`: each variant is a Go error.
	_, err := s.Take("A", 2)
	var short inventory.StockErrorNotEnough
	if !errors.As(err, &short) || short.Wanted != 2 || short.Have != 1 {
		t.Fatalf("Take: %#v", err)
	}
	if err.Error() != "not enough A: wanted 2, have 1" {
		t.Fatal(err)
	}
	var any inventory.StockError
	if _, err := s.Take("Z", 1); !errors.As(err, &any) || err.Error() != "unknown sku Z" {
		t.Fatalf("Take: %#v", err)
	}
	if left, err := s.Take("B", 3); left != 1 || err != nil {
		t.Fatal(left, err)
	}
	// `get` is Go's `Get` (no other method of the type is named so).
	if item, ok := s.Get("B"); !ok || item.Qty != 1 {
		t.Fatal(item, ok)
	}
	if _, ok := s.Get("nope"); ok {
		t.Fatal("found nope")
	}
	if strings.Join(s.Log, ",") != "add A,add B,take B 3" {
		t.Fatal(s.Log)
	}
	// A Go func for an `impl Fn(&Item) -> bool` parameter.
	if got := inventory.StoreNamesWhere(&s, func(i *inventory.Item) bool { return i.PriceCents > 100 }); len(got) != 1 || got[0] != "bread" {
		t.Fatal(got)
	}
}

func TestFunctions(t *testing.T) {
	items := []inventory.Item{{Sku: "X", Name: "x", PriceCents: 5, Qty: 3}}
	if sku, ok := inventory.FindSku(items, "x"); !ok || sku != "X" {
		t.Fatal(sku, ok)
	}
	if _, ok := inventory.FindSku(items, "y"); ok {
		t.Fatal("found y")
	}
	if n, err := inventory.ParseQty(" 12 "); n != 12 || err != nil {
		t.Fatal(n, err)
	}
	if _, err := inventory.ParseQty("-1"); err == nil || err.Error() != `bad quantity "-1": invalid digit found in string` {
		t.Fatal(err)
	}
	inventory.Apply(&items, func(i *inventory.Item) { i.Qty *= 2 })
	if items[0].Qty != 6 {
		t.Fatal(items)
	}
	// `pub` fields are exported with their Gust names as JSON keys.
	data, err := json.Marshal(items[0])
	if err != nil || string(data) != `{"sku":"X","name":"x","price_cents":5,"qty":6}` {
		t.Fatal(string(data), err)
	}
	var back inventory.Item
	if err := json.Unmarshal([]byte(`{"sku":"Q","price_cents":7}`), &back); err != nil || back.Sku != "Q" || back.PriceCents != 7 {
		t.Fatal(back, err)
	}
}
"""


@needs_go
def test_go_code_calls_a_gust_library_with_structs_errors_and_callbacks(tmp_path: Path
                                                                          ) -> None:
    write(tmp_path, {
        "go.mod": f"module example.com/shop\n\ngo {GO_VERSION}\n",
        "inventory/inventory.gust": INVENTORY,
        "inventory/inventory_test.go": INVENTORY_TEST,
    })
    built = gust(tmp_path, "build")
    assert built.returncode == 0, built.stderr
    for args in (["vet", "./..."], ["test", "./..."]):
        result = go(tmp_path, *args)
        assert result.returncode == 0, f"go {args[0]}:\n{result.stdout}{result.stderr}"
    assert "ok  \texample.com/shop/inventory" in result.stdout
    # gofmt-clean, doc comments of generated methods included (a `//line` directive
    # inside one is moved by gofmt).
    goroot = go(tmp_path, "env", "GOROOT").stdout.strip()
    unformatted = subprocess.run([str(Path(goroot) / "bin" / "gofmt"), "-l", "."],
                                 cwd=tmp_path, text=True, capture_output=True, check=False)
    assert unformatted.stdout == "", unformatted.stdout
