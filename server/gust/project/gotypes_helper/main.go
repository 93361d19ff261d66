// Command gotypes-helper prints the exported API of Go packages as JSON, in the shape of
// gust.sema.golang's data model, so that Gust can type-check calls into Go.
//
// Usage:
//
//	gotypes-helper [-go GO] [-C DIR] [-importer auto|source|export] PKG...
//
// It uses the standard library only (the Go module proxy is never needed):
//
//   - `go list -e -json` (run in DIR, the user's module) finds each package's directory and
//     source files, which are parsed for doc comments;
//   - standard-library packages are type-checked from source (go/importer "source"): about
//     two seconds for net/http with a cold build cache, where compiling export data would
//     take half a minute; the results are cached on disk by the caller per Go version;
//   - other packages (the user's own) are read from compiler export data
//     (`go list -export -deps`, go/importer "gc"): their dependencies stay compiled in the
//     Go build cache, so re-reading a package after an edit takes a fraction of a second.
//
// The output is one JSON object: {"packages": [...], "errors": {"path": "message"}}.
// Type encoding (see gust/sema/golang.py): a basic type, "error" or "any" is a string;
// other types are objects keyed by their kind: {"named": "path.Name", "args": [...],
// "iface": true (when it is an interface type)},
// {"ptr": T}, {"slice": T}, {"array": T, "len": N}, {"map": [K, V]}, {"chan": T, "dir":
// "send"|"recv"}, {"func": {"params": [...], "results": [...], "variadic": true}},
// {"struct": [fields]}, {"interface": [methods], "embeds": [...]}, {"param": "T"},
// {"union": [{"type": T, "tilde": true}]}.
package main

import (
	"bytes"
	"encoding/json"
	"flag"
	"fmt"
	"go/ast"
	"go/build"
	"go/constant"
	"go/importer"
	"go/parser"
	"go/token"
	"go/types"
	"io"
	"math"
	"os"
	"os/exec"
	"path/filepath"
	"strconv"
	"strings"
)

// Output is everything the helper prints.
type Output struct {
	Packages []*Package        `json:"packages"`
	Errors   map[string]string `json:"errors,omitempty"`
}

// Package is the exported API of one Go package.
type Package struct {
	Path   string  `json:"path"`
	Name   string  `json:"name"`
	Consts []Const `json:"consts,omitempty"`
	Funcs  []Func  `json:"funcs,omitempty"`
	Types  []Named `json:"types,omitempty"`
	Vars   []Var   `json:"vars,omitempty"`
}

// Param is a parameter or result; Name is empty when Go's declaration has none.
type Param struct {
	Name string `json:"name,omitempty"`
	Type any    `json:"type"`
}

// TypeParam is a generic type parameter with its constraint.
type TypeParam struct {
	Name       string `json:"name"`
	Constraint any    `json:"constraint"`
}

// Sig is a function type: a func-typed value, or the signature part of a Func.
type Sig struct {
	Params   []Param `json:"params,omitempty"`
	Results  []Param `json:"results,omitempty"`
	Variadic bool    `json:"variadic,omitempty"`
}

// Func is a package-level function or a method (then PtrRecv and Promoted apply).
type Func struct {
	Name    string      `json:"name"`
	TParams []TypeParam `json:"tparams,omitempty"`
	Sig
	PtrRecv  bool   `json:"ptr_recv,omitempty"`
	Promoted bool   `json:"promoted,omitempty"`
	Doc      string `json:"doc,omitempty"`
}

// Named is a declared type (or an alias, then AliasOf is the aliased type).
type Named struct {
	Name       string      `json:"name"`
	TParams    []TypeParam `json:"tparams,omitempty"`
	Underlying any         `json:"underlying"`
	AliasOf    any         `json:"alias_of,omitempty"`
	Methods    []Func      `json:"methods,omitempty"`
	Doc        string      `json:"doc,omitempty"`
}

// Field is an exported struct field.
type Field struct {
	Name     string `json:"name"`
	Type     any    `json:"type"`
	Embedded bool   `json:"embedded,omitempty"`
	Doc      string `json:"doc,omitempty"`
}

// Const is an exported constant; Value is Go's spelling of its value.
type Const struct {
	Name  string `json:"name"`
	Type  any    `json:"type"`
	Value string `json:"value"`
	Doc   string `json:"doc,omitempty"`
}

// Var is an exported package-level variable.
type Var struct {
	Name string `json:"name"`
	Type any    `json:"type"`
	Doc  string `json:"doc,omitempty"`
}

// listedPackage is the part of `go list -json` the helper reads.
type listedPackage struct {
	ImportPath string
	Name       string
	Dir        string
	GoFiles    []string
	CgoFiles   []string
	Export     string
	Standard   bool
	Error      *struct{ Err string }
}

func main() {
	goBin := flag.String("go", "go", "the go command")
	dir := flag.String("C", "", "the directory to run go list in (the user's module)")
	mode := flag.String("importer", "auto", "auto, source or export")
	flag.Parse()
	out := load(*goBin, *dir, *mode, flag.Args())
	enc := json.NewEncoder(os.Stdout)
	enc.SetEscapeHTML(false)
	if err := enc.Encode(out); err != nil {
		fmt.Fprintln(os.Stderr, err)
		os.Exit(1)
	}
}

// load describes every requested package; a package that cannot be loaded gets an error
// message instead, so one bad import never hides the others.
func load(goBin, dir, mode string, paths []string) Output {
	out := Output{Packages: []*Package{}, Errors: map[string]string{}}
	listed, err := goList(goBin, dir, paths, false)
	if err != nil {
		for _, p := range paths {
			out.Errors[p] = err.Error()
		}
		return out
	}
	fset := token.NewFileSet()
	imp := newImporters(fset, goBin, dir, mode, paths, listed)
	for _, path := range paths {
		pkg, err := loadOne(fset, imp, listed[path], path)
		if err != nil {
			out.Errors[path] = err.Error()
			continue
		}
		out.Packages = append(out.Packages, pkg)
	}
	return out
}

func loadOne(fset *token.FileSet, imp *importers, lp *listedPackage, path string) (*Package, error) {
	if lp == nil {
		return nil, fmt.Errorf("package %s not found", path)
	}
	if lp.Error != nil {
		return nil, fmt.Errorf("%s", strings.TrimSpace(lp.Error.Err))
	}
	if lp.Name == "main" {
		return nil, fmt.Errorf("%s is a program (package main), not an importable package", path)
	}
	tpkg, err := imp.importPackage(lp)
	if err != nil {
		return nil, err
	}
	files := append(append([]string{}, lp.GoFiles...), lp.CgoFiles...)
	e := &encoder{fset: fset, pkg: tpkg, docs: collectDocs(lp.Dir, files)}
	return e.describe(), nil
}

// goList runs `go list -e -json` on the packages (with -export -deps when export data is
// wanted) and indexes the result by import path.
func goList(goBin, dir string, paths []string, export bool) (map[string]*listedPackage, error) {
	args := []string{"list", "-e", "-json=ImportPath,Name,Dir,GoFiles,CgoFiles,Export,Standard,Error"}
	if export {
		args = append(args, "-export", "-deps")
	}
	args = append(args, "--")
	cmd := exec.Command(goBin, append(args, paths...)...)
	cmd.Dir = dir
	var stderr bytes.Buffer
	cmd.Stderr = &stderr
	stdout, err := cmd.Output()
	if err != nil && len(stdout) == 0 {
		msg := strings.TrimSpace(stderr.String())
		if msg == "" {
			msg = err.Error()
		}
		return nil, fmt.Errorf("go list failed: %s", msg)
	}
	listed := map[string]*listedPackage{}
	dec := json.NewDecoder(bytes.NewReader(stdout))
	for dec.More() {
		lp := &listedPackage{}
		if err := dec.Decode(lp); err != nil {
			return nil, fmt.Errorf("go list printed bad JSON: %v", err)
		}
		listed[lp.ImportPath] = lp
		// Vendored packages of the standard library are imported without the prefix.
		if rest, ok := strings.CutPrefix(lp.ImportPath, "vendor/"); ok {
			listed[rest] = lp
		}
	}
	return listed, nil
}

// importers holds the source importer (standard library) and the export-data importer
// (everything else), each created only when needed.
type importers struct {
	source types.Importer
	export types.Importer
	mode   string
	err    error
}

func newImporters(fset *token.FileSet, goBin, dir, mode string, paths []string,
	listed map[string]*listedPackage) *importers {
	imp := &importers{mode: mode}
	var exported []string
	for _, p := range paths {
		if lp := listed[p]; lp != nil && lp.Error == nil && imp.useExport(lp) {
			exported = append(exported, p)
		}
	}
	if len(exported) > 0 {
		deps, err := goList(goBin, dir, exported, true)
		if err != nil {
			imp.err = err
		} else {
			imp.export = importer.ForCompiler(fset, "gc", exportLookup(deps))
		}
	}
	// The source importer finds the standard library through go/build, which must use the
	// same GOROOT as the go command (a helper built with -trimpath knows none of its own).
	if root, err := goEnv(goBin, dir, "GOROOT"); err == nil && root != "" {
		build.Default.GOROOT = root
	}
	// The exported API of the standard library does not depend on cgo; without it no C
	// compiler is needed.
	build.Default.CgoEnabled = false
	imp.source = importer.ForCompiler(fset, "source", nil)
	return imp
}

func goEnv(goBin, dir, name string) (string, error) {
	cmd := exec.Command(goBin, "env", name)
	cmd.Dir = dir
	out, err := cmd.Output()
	return strings.TrimSpace(string(out)), err
}

func (imp *importers) useExport(lp *listedPackage) bool {
	switch imp.mode {
	case "source":
		return false
	case "export":
		return true
	}
	return !lp.Standard
}

func (imp *importers) importPackage(lp *listedPackage) (*types.Package, error) {
	if !imp.useExport(lp) {
		return imp.source.Import(lp.ImportPath)
	}
	if imp.err != nil {
		return nil, imp.err
	}
	return imp.export.Import(lp.ImportPath)
}

func exportLookup(deps map[string]*listedPackage) importer.Lookup {
	return func(path string) (io.ReadCloser, error) {
		lp := deps[path]
		if lp == nil || lp.Export == "" {
			if lp != nil && lp.Error != nil {
				return nil, fmt.Errorf("%s", strings.TrimSpace(lp.Error.Err))
			}
			return nil, fmt.Errorf("no export data for %s (does it compile?)", path)
		}
		return os.Open(lp.Export)
	}
}

// ------------------------------------------------------------------ doc comments

// collectDocs maps "file.go:line" of each exported declaration's name to its doc comment.
// Objects read from export data only know their file and line, so that is the key.
func collectDocs(dir string, files []string) map[string]string {
	docs := map[string]string{}
	fset := token.NewFileSet()
	for _, name := range files {
		f, err := parser.ParseFile(fset, filepath.Join(dir, name), nil,
			parser.ParseComments|parser.SkipObjectResolution)
		if err != nil {
			continue
		}
		d := docCollector{fset: fset, docs: docs}
		for _, decl := range f.Decls {
			d.decl(decl)
		}
	}
	return docs
}

type docCollector struct {
	fset *token.FileSet
	docs map[string]string
}

func (d docCollector) add(pos token.Pos, groups ...*ast.CommentGroup) {
	for _, g := range groups {
		if text := strings.TrimSpace(g.Text()); text != "" {
			d.docs[posKey(d.fset.Position(pos))] = text
			return
		}
	}
}

func (d docCollector) decl(decl ast.Decl) {
	switch decl := decl.(type) {
	case *ast.FuncDecl:
		d.add(decl.Name.Pos(), decl.Doc)
	case *ast.GenDecl:
		for _, spec := range decl.Specs {
			d.spec(decl, spec)
		}
	}
}

func (d docCollector) spec(decl *ast.GenDecl, spec ast.Spec) {
	switch spec := spec.(type) {
	case *ast.TypeSpec:
		groupDoc := decl.Doc
		if len(decl.Specs) > 1 {
			groupDoc = nil
		}
		d.add(spec.Name.Pos(), spec.Doc, groupDoc, spec.Comment)
		ast.Inspect(spec.Type, d.fields)
	case *ast.ValueSpec:
		for _, name := range spec.Names {
			d.add(name.Pos(), spec.Doc, spec.Comment, decl.Doc)
		}
	}
}

// fields records the docs of struct fields and interface methods, at any depth.
func (d docCollector) fields(n ast.Node) bool {
	list, ok := n.(*ast.FieldList)
	if !ok {
		return true
	}
	for _, field := range list.List {
		if len(field.Names) == 0 {
			d.add(field.Type.Pos(), field.Doc, field.Comment)
		}
		for _, name := range field.Names {
			d.add(name.Pos(), field.Doc, field.Comment)
		}
	}
	return true
}

func posKey(p token.Position) string {
	return filepath.Base(p.Filename) + ":" + strconv.Itoa(p.Line)
}

// ------------------------------------------------------------------ describing a package

type encoder struct {
	fset *token.FileSet
	pkg  *types.Package
	docs map[string]string
}

func (e *encoder) describe() *Package {
	out := &Package{Path: e.pkg.Path(), Name: e.pkg.Name()}
	scope := e.pkg.Scope()
	for _, name := range scope.Names() { // sorted
		obj := scope.Lookup(name)
		if !obj.Exported() {
			continue
		}
		switch obj := obj.(type) {
		case *types.Func:
			out.Funcs = append(out.Funcs, e.function(obj))
		case *types.TypeName:
			out.Types = append(out.Types, e.named(obj))
		case *types.Const:
			out.Consts = append(out.Consts, Const{Name: name, Type: e.typ(obj.Type()),
				Value: constValue(obj.Val()), Doc: e.doc(obj)})
		case *types.Var:
			out.Vars = append(out.Vars, Var{Name: name, Type: e.typ(obj.Type()), Doc: e.doc(obj)})
		}
	}
	return out
}

// doc is the doc comment of an object declared in this package ("" for others: their
// sources were not parsed).
func (e *encoder) doc(obj types.Object) string {
	if obj.Pkg() == nil || obj.Pkg().Path() != e.pkg.Path() || !obj.Pos().IsValid() {
		return ""
	}
	return e.docs[posKey(e.fset.Position(obj.Pos()))]
}

// constValue spells a constant's value: exactly for integers, strings and booleans, and
// floats as the shortest float64 that reads back the same (ExactString of math.Pi is a
// 60-digit fraction, String a 6-digit approximation).
func constValue(v constant.Value) string {
	switch v.Kind() {
	case constant.Float:
		if f, _ := constant.Float64Val(v); !math.IsInf(f, 0) {
			return strconv.FormatFloat(f, 'g', -1, 64)
		}
		return v.String()
	case constant.Complex:
		return v.String()
	}
	return v.ExactString()
}

func (e *encoder) function(f *types.Func) Func {
	sig := f.Type().(*types.Signature)
	return Func{Name: f.Name(), TParams: e.typeParams(sig.TypeParams()), Sig: e.signature(sig),
		Doc: e.doc(f)}
}

func (e *encoder) signature(sig *types.Signature) Sig {
	return Sig{Params: e.tuple(sig.Params()), Results: e.tuple(sig.Results()),
		Variadic: sig.Variadic()}
}

func (e *encoder) tuple(tup *types.Tuple) []Param {
	var out []Param
	for i := 0; i < tup.Len(); i++ {
		v := tup.At(i)
		name := v.Name()
		if name == "_" || strings.HasPrefix(name, "~") || strings.HasPrefix(name, "#") {
			name = "" // blank, or made up by the compiler for export data
		}
		out = append(out, Param{Name: name, Type: e.typ(v.Type())})
	}
	return out
}

func (e *encoder) typeParams(list *types.TypeParamList) []TypeParam {
	var out []TypeParam
	for i := 0; i < list.Len(); i++ {
		tp := list.At(i)
		out = append(out, TypeParam{Name: tp.Obj().Name(), Constraint: e.typ(tp.Constraint())})
	}
	return out
}

func (e *encoder) named(obj *types.TypeName) Named {
	out := Named{Name: obj.Name(), Doc: e.doc(obj)}
	target := obj.Type()
	if alias, ok := target.(*types.Alias); ok {
		out.TParams = e.typeParams(alias.TypeParams())
		target = types.Unalias(alias)
		out.AliasOf = e.typ(target)
	}
	out.Underlying = e.typ(target.Underlying())
	if named, ok := target.(*types.Named); ok {
		if out.AliasOf == nil {
			out.TParams = e.typeParams(named.TypeParams())
		}
		out.Methods = e.methods(named)
	}
	return out
}

// methods is the method set of *T (every method callable on an addressable T), each
// marked when it needs a pointer receiver or is promoted from an embedded field. For an
// interface type it is the interface's method set.
func (e *encoder) methods(named *types.Named) []Func {
	values := types.NewMethodSet(named)
	all := values
	isInterface := types.IsInterface(named)
	if !isInterface {
		all = types.NewMethodSet(types.NewPointer(named))
	}
	var out []Func
	for i := 0; i < all.Len(); i++ {
		sel := all.At(i)
		f := sel.Obj().(*types.Func)
		if !f.Exported() {
			continue
		}
		m := e.function(f)
		m.TParams = nil
		m.PtrRecv = !isInterface && values.Lookup(f.Pkg(), f.Name()) == nil
		m.Promoted = len(sel.Index()) > 1
		out = append(out, m)
	}
	return out
}

// typ encodes a type reference. Aliases are resolved, so a type has one name however it
// is spelled (os.FileMode is io/fs.FileMode).
func (e *encoder) typ(t types.Type) any {
	switch t := t.(type) {
	case *types.Alias:
		if t.Obj().Pkg() == nil && t.Obj().Name() == "any" {
			return "any"
		}
		return e.typ(types.Unalias(t))
	case *types.Basic:
		return t.Name()
	case *types.Named:
		return e.namedRef(t)
	case *types.Pointer:
		return map[string]any{"ptr": e.typ(t.Elem())}
	case *types.Slice:
		return map[string]any{"slice": e.typ(t.Elem())}
	case *types.Array:
		return map[string]any{"array": e.typ(t.Elem()), "len": t.Len()}
	case *types.Map:
		return map[string]any{"map": []any{e.typ(t.Key()), e.typ(t.Elem())}}
	case *types.Chan:
		return chanType(e.typ(t.Elem()), t.Dir())
	case *types.Signature:
		return map[string]any{"func": e.signature(t)}
	case *types.Struct:
		return map[string]any{"struct": e.structFields(t)}
	case *types.Interface:
		return e.interfaceType(t)
	case *types.TypeParam:
		return map[string]any{"param": t.Obj().Name()}
	case *types.Union:
		return e.union(t)
	}
	return t.String() // not reached for exported API; read as an opaque basic type
}

func (e *encoder) namedRef(t *types.Named) any {
	obj := t.Obj()
	if obj.Pkg() == nil { // error, comparable
		return obj.Name()
	}
	out := map[string]any{"named": obj.Pkg().Path() + "." + obj.Name()}
	if types.IsInterface(t) { // a nil-able result: Gust wraps it in Option
		out["iface"] = true
	}
	if args := t.TypeArgs(); args.Len() > 0 {
		list := make([]any, args.Len())
		for i := range list {
			list[i] = e.typ(args.At(i))
		}
		out["args"] = list
	}
	return out
}

func chanType(elem any, dir types.ChanDir) any {
	out := map[string]any{"chan": elem}
	switch dir {
	case types.SendOnly:
		out["dir"] = "send"
	case types.RecvOnly:
		out["dir"] = "recv"
	}
	return out
}

func (e *encoder) structFields(s *types.Struct) []Field {
	fields := []Field{}
	for i := 0; i < s.NumFields(); i++ {
		f := s.Field(i)
		if !f.Exported() {
			continue
		}
		fields = append(fields, Field{Name: f.Name(), Type: e.typ(f.Type()),
			Embedded: f.Embedded(), Doc: e.doc(f)})
	}
	return fields
}

func (e *encoder) interfaceType(t *types.Interface) any {
	if t.Empty() {
		return "any"
	}
	methods := []Func{}
	for i := 0; i < t.NumMethods(); i++ { // sorted, embedded interfaces' methods included
		f := t.Method(i)
		if f.Exported() {
			m := e.function(f)
			m.TParams = nil
			methods = append(methods, m)
		}
	}
	out := map[string]any{"interface": methods}
	var embeds []any
	for i := 0; i < t.NumEmbeddeds(); i++ {
		if emb := t.EmbeddedType(i); !types.IsInterface(emb) {
			embeds = append(embeds, e.typ(emb))
		} else if named, ok := types.Unalias(emb).(*types.Named); ok && named.Obj().Pkg() == nil {
			embeds = append(embeds, e.typ(emb)) // comparable
		}
	}
	if len(embeds) > 0 {
		out["embeds"] = embeds
	}
	return out
}

func (e *encoder) union(u *types.Union) any {
	terms := make([]any, u.Len())
	for i := range terms {
		term := u.Term(i)
		entry := map[string]any{"type": e.typ(term.Type())}
		if term.Tilde() {
			entry["tilde"] = true
		}
		terms[i] = entry
	}
	return map[string]any{"union": terms}
}
