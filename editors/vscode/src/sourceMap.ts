// The source map of `gust/generatedGo` (docs/lsp.md), both ways, without VS Code: this module
// imports nothing, so tests run it with plain Node (tests/test_vscode_extension.py).
//
// The server sends 5 integers per Go line that comes from a Gust construct: the Go line, then
// the construct's range in the Gust text (start line, start character, end line, end
// character; 0-based, UTF-16). Constructs nest (a statement inside a `match` arm inside a
// function), so a Gust position is inside several entries: the innermost one is meant.

export interface Pos {
    line: number;
    character: number;
}

export interface Span {
    start: Pos;
    end: Pos;
}

export interface MapEntry {
    goLine: number;
    gust: Span;
}

export function parseSourceMap(flat: readonly number[]): MapEntry[] {
    const entries: MapEntry[] = [];
    for (let i = 0; i + 4 < flat.length; i += 5) {
        entries.push({
            goLine: flat[i],
            gust: {
                start: { line: flat[i + 1], character: flat[i + 2] },
                end: { line: flat[i + 3], character: flat[i + 4] },
            },
        });
    }
    return entries;
}

function before(a: Pos, b: Pos): boolean {
    return a.line < b.line || (a.line === b.line && a.character < b.character);
}

function contains(span: Span, pos: Pos): boolean {
    return !before(pos, span.start) && !before(span.end, pos);
}

/** Lines and characters spanned, compared as (lines, characters): smaller is more inner. */
function size(span: Span): [number, number] {
    const lines = span.end.line - span.start.line;
    const chars = lines === 0 ? span.end.character - span.start.character : span.end.character;
    return [lines, chars];
}

function smaller(a: Span, b: Span): boolean {
    const [al, ac] = size(a);
    const [bl, bc] = size(b);
    return al < bl || (al === bl && ac < bc);
}

function sameSpan(a: Span, b: Span): boolean {
    return (
        a.start.line === b.start.line &&
        a.start.character === b.start.character &&
        a.end.line === b.end.line &&
        a.end.character === b.end.character
    );
}

/**
 * Gust -> Go: the innermost construct around `pos` and the Go lines generated from it (in
 * order), or undefined when no construct is there. A position before the first construct
 * of its line (in the indentation) means that construct, not the block around the line.
 */
export function goLinesFor(entries: readonly MapEntry[], pos: Pos): { gust: Span; goLines: number[] } | undefined {
    let best: Span | undefined;
    for (const entry of entries) {
        if (contains(entry.gust, pos) && (best === undefined || smaller(entry.gust, best))) {
            best = entry.gust;
        }
    }
    if (best === undefined || best.start.line < pos.line) {
        let first: Span | undefined;
        for (const entry of entries) {
            const start = entry.gust.start;
            if (start.line !== pos.line || start.character < pos.character) {
                continue;
            }
            if (first === undefined || before(start, first.start) ||
                (!before(first.start, start) && smaller(first, entry.gust))) {
                first = entry.gust;
            }
        }
        best = first ?? best;
    }
    if (best === undefined) {
        return undefined;
    }
    const span = best;
    const goLines = entries.filter((e) => sameSpan(e.gust, span)).map((e) => e.goLine);
    goLines.sort((a, b) => a - b);
    return { gust: span, goLines };
}

/**
 * Go -> Gust: the construct a Go line comes from, or undefined for Go lines of their own
 * (a closing `}`, imports, `//line` directives).
 */
export function gustSpanFor(entries: readonly MapEntry[], goLine: number): Span | undefined {
    let exact: Span | undefined;
    for (const entry of entries) {
        if (entry.goLine === goLine && (exact === undefined || smaller(entry.gust, exact))) {
            exact = entry.gust;
        }
    }
    return exact;
}
