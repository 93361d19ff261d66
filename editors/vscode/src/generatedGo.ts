// "Gust: Show Generated Go": the Go that gust-lsp generates for a .gust file, in a read-only
// Go editor beside it. The view refreshes when the server says the Go changed
// (`gust/generatedGoChanged`), follows the active .gust editor, and keeps the two cursors in
// step through the source map: moving in one reveals and highlights the matching lines in
// the other.
//
// Feedback loops: only selection changes made by the user (keyboard, mouse) are mirrored;
// the selections this file sets itself arrive with another kind and are ignored.

import * as vscode from 'vscode';
import type { LanguageClient } from 'vscode-languageclient/node';
import { generatedGoRequest } from './protocol';
import { goLinesFor, gustSpanFor, type MapEntry, parseSourceMap, type Span } from './sourceMap';

/** Scheme of the virtual documents that show generated Go. */
export const GO_SCHEME = 'gust-go';
const STALE_HEADER = '// Gust: out of date; the .gust file has errors. Last Go generated without errors:\n\n';
// JSON-RPC's InvalidParams: what the server answers for a document it has not been sent yet.
const INVALID_PARAMS = -32602;
// LSP's ContentModified: the document changed while the server worked on the answer (right
// after a start, the file can be opened, then reloaded); the spec says to ask again.
const CONTENT_MODIFIED = -32801;
// Asking right after a file was opened can reach a starting server before the client has sent it
// the document, or while it still changes: ask again, every RETRY_MS, for at most RETRY_LIMIT
// times.
const RETRY_MS = 500;
const RETRY_LIMIT = 60;

/** What a Go view shows: its source map applies when `version` is the .gust document's. */
interface Shown {
    version: number;
    stale: boolean;
    /** Lines added above the server's text (the stale header). */
    lineOffset: number;
    entries: MapEntry[];
}

export class GeneratedGoView implements vscode.TextDocumentContentProvider, vscode.Disposable {
    private readonly changed = new vscode.EventEmitter<vscode.Uri>();
    readonly onDidChange = this.changed.event;
    private readonly shown = new Map<string, Shown>();
    private readonly retries = new Map<string, number>();
    private readonly disposables: vscode.Disposable[] = [];
    private readonly highlight = vscode.window.createTextEditorDecorationType({
        backgroundColor: new vscode.ThemeColor('gust.generatedGoHighlight'),
        isWholeLine: true,
    });

    constructor(private readonly client: () => Promise<LanguageClient | undefined>) {
        this.disposables.push(
            this.changed,
            this.highlight,
            vscode.workspace.registerTextDocumentContentProvider(GO_SCHEME, this),
            vscode.window.onDidChangeTextEditorSelection((event) => this.selectionChanged(event)),
            vscode.window.onDidChangeActiveTextEditor((editor) => void this.follow(editor)),
            vscode.workspace.onDidCloseTextDocument((doc) => {
                if (doc.uri.scheme === GO_SCHEME) {
                    this.shown.delete(doc.uri.toString());
                }
            }),
        );
    }

    dispose(): void {
        for (const d of this.disposables) {
            d.dispose();
        }
    }

    static uriFor(source: vscode.Uri): vscode.Uri {
        // The path is the .gust path plus `.go` (the tab reads `main.gust.go`), the query the
        // full URI of the .gust document (docs/lsp.md names the same URIs).
        return vscode.Uri.from({ scheme: GO_SCHEME, path: `${source.path}.go`, query: source.toString() });
    }

    static sourceOf(goUri: vscode.Uri): vscode.Uri {
        return vscode.Uri.parse(goUri.query);
    }

    // ------------------------------------------------------------ content

    async provideTextDocumentContent(uri: vscode.Uri, token: vscode.CancellationToken): Promise<string> {
        const client = await this.client();
        if (client === undefined) {
            this.shown.delete(uri.toString());
            return '// Gust: the language server gust-lsp is not running, so there is no generated Go.\n';
        }
        try {
            const result = await client.sendRequest(generatedGoRequest, { textDocument: { uri: uri.query } }, token);
            const lineOffset = result.stale ? STALE_HEADER.split('\n').length - 1 : 0;
            this.shown.set(uri.toString(), {
                version: result.version,
                stale: result.stale,
                lineOffset,
                entries: parseSourceMap(result.sourceMap ?? []),
            });
            this.retries.delete(uri.toString());
            // Keep the last good Go visible, but say plainly that it is not the current file.
            return result.stale ? STALE_HEADER + result.text : result.text;
        } catch (error) {
            this.shown.delete(uri.toString());
            if (this.retryLater(uri, error)) {
                return '// Gust: waiting for the language server to open the file...\n';
            }
            const reason = error instanceof Error ? error.message : String(error);
            return `// Gust: could not get the generated Go: ${reason}\n`;
        }
    }

    /** Schedules another request if the server does not have the document yet (it is still
     * starting) or it changed meanwhile, while the .gust document is open here; false when
     * that is not the case. */
    private retryLater(uri: vscode.Uri, error: unknown): boolean {
        const code = (error as { code?: unknown } | undefined)?.code;
        const source = GeneratedGoView.sourceOf(uri).toString();
        const open = vscode.workspace.textDocuments.some((d) => d.uri.toString() === source);
        const tries = this.retries.get(uri.toString()) ?? 0;
        if ((code !== INVALID_PARAMS && code !== CONTENT_MODIFIED) || !open || tries >= RETRY_LIMIT) {
            this.retries.delete(uri.toString());
            return false;
        }
        this.retries.set(uri.toString(), tries + 1);
        setTimeout(() => this.changed.fire(uri), RETRY_MS);
        return true;
    }

    /** Called for `gust/generatedGoChanged`: re-fetch the Go view of that .gust URI, if open. */
    sourceChanged(sourceUri: string): void {
        // Compare in VS Code's normal form: the server may encode the URI differently.
        const source = vscode.Uri.parse(sourceUri).toString();
        for (const doc of vscode.workspace.textDocuments) {
            if (doc.uri.scheme === GO_SCHEME && GeneratedGoView.sourceOf(doc.uri).toString() === source) {
                this.changed.fire(doc.uri);
            }
        }
    }

    refreshAll(): void {
        for (const doc of vscode.workspace.textDocuments) {
            if (doc.uri.scheme === GO_SCHEME) {
                this.changed.fire(doc.uri);
            }
        }
    }

    // ------------------------------------------------------------ the command

    /** The command; `resource` is set when it is run from the editor title bar. */
    async show(resource?: vscode.Uri): Promise<void> {
        const active = vscode.window.activeTextEditor?.document;
        const source = resource ?? (active?.languageId === 'gust' ? active.uri : undefined);
        if (source === undefined) {
            void vscode.window.showInformationMessage('Gust: open a .gust file to see the Go generated for it.');
            return;
        }
        await this.open(source, vscode.ViewColumn.Beside);
    }

    private async open(source: vscode.Uri, column: vscode.ViewColumn): Promise<vscode.TextEditor> {
        const doc = await vscode.workspace.openTextDocument(GeneratedGoView.uriFor(source));
        // A content provider cannot set the language, and `.go` maps to Go only while an
        // extension contributes that language: set it explicitly.
        const goDoc = doc.languageId === 'go' ? doc : await vscode.languages.setTextDocumentLanguage(doc, 'go');
        const editor = await vscode.window.showTextDocument(goDoc, { viewColumn: column, preserveFocus: true, preview: false });
        const sourceEditor = vscode.window.visibleTextEditors.find((e) => e.document.uri.toString() === source.toString());
        if (sourceEditor !== undefined) {
            this.mirrorFromGust(sourceEditor, editor);
        }
        return editor;
    }

    /** The active editor became another .gust file while a Go view is visible: show its Go there. */
    private async follow(editor: vscode.TextEditor | undefined): Promise<void> {
        if (editor === undefined || editor.document.languageId !== 'gust') {
            return;
        }
        const goEditor = vscode.window.visibleTextEditors.find((e) => e.document.uri.scheme === GO_SCHEME);
        if (goEditor === undefined || goEditor.viewColumn === undefined) {
            return;
        }
        const wanted = GeneratedGoView.uriFor(editor.document.uri).toString();
        if (goEditor.document.uri.toString() === wanted) {
            return;
        }
        const old = goEditor.document.uri.toString();
        await this.open(editor.document.uri, goEditor.viewColumn);
        // One Go view per column: the tab of the previous file's Go goes.
        for (const group of vscode.window.tabGroups.all) {
            for (const tab of group.tabs) {
                if (tab.input instanceof vscode.TabInputText && tab.input.uri.toString() === old) {
                    await vscode.window.tabGroups.close(tab, true);
                }
            }
        }
    }

    // ------------------------------------------------------------ cursors in step

    private selectionChanged(event: vscode.TextEditorSelectionChangeEvent): void {
        // Only what the user did: selections set by this code (kind Command or undefined) would
        // otherwise bounce between the two editors.
        if (event.kind !== vscode.TextEditorSelectionChangeKind.Keyboard &&
            event.kind !== vscode.TextEditorSelectionChangeKind.Mouse) {
            return;
        }
        if (!vscode.workspace.getConfiguration('gust').get<boolean>('generatedGo.followCursor', true)) {
            return;
        }
        const editor = event.textEditor;
        if (editor.document.uri.scheme === GO_SCHEME) {
            const source = GeneratedGoView.sourceOf(editor.document.uri).toString();
            const gustEditor = vscode.window.visibleTextEditors.find((e) => e.document.uri.toString() === source);
            if (gustEditor !== undefined) {
                this.mirrorFromGo(editor, gustEditor);
            }
        } else if (editor.document.languageId === 'gust') {
            const goUri = GeneratedGoView.uriFor(editor.document.uri).toString();
            const goEditor = vscode.window.visibleTextEditors.find((e) => e.document.uri.toString() === goUri);
            if (goEditor !== undefined) {
                this.mirrorFromGust(editor, goEditor);
            }
        }
    }

    /** The map of a Go view, if it describes the .gust document's current text. */
    private entriesFor(goEditor: vscode.TextEditor, gustDoc: vscode.TextDocument): Shown | undefined {
        const shown = this.shown.get(goEditor.document.uri.toString());
        if (shown === undefined || shown.stale || shown.version !== gustDoc.version) {
            return undefined; // positions of another text would point at the wrong code
        }
        return shown;
    }

    private mirrorFromGust(gustEditor: vscode.TextEditor, goEditor: vscode.TextEditor): void {
        const shown = this.entriesFor(goEditor, gustEditor.document);
        const found = shown && goLinesFor(shown.entries, gustEditor.selection.active);
        if (shown === undefined || found === undefined || found.goLines.length === 0) {
            goEditor.setDecorations(this.highlight, []);
            gustEditor.setDecorations(this.highlight, []);
            return;
        }
        const lines = found.goLines.map((l) => l + shown.lineOffset).filter((l) => l < goEditor.document.lineCount);
        if (lines.length === 0) {
            return;
        }
        const first = new vscode.Position(lines[0], 0);
        goEditor.setDecorations(this.highlight, lines.map((l) => new vscode.Range(l, 0, l, 0)));
        gustEditor.setDecorations(this.highlight, [toRange(found.gust)]);
        goEditor.selection = new vscode.Selection(first, first);
        goEditor.revealRange(new vscode.Range(first, new vscode.Position(lines[lines.length - 1], 0)),
            vscode.TextEditorRevealType.InCenterIfOutsideViewport);
    }

    private mirrorFromGo(goEditor: vscode.TextEditor, gustEditor: vscode.TextEditor): void {
        const shown = this.entriesFor(goEditor, gustEditor.document);
        const span = shown && gustSpanFor(shown.entries, goEditor.selection.active.line - shown.lineOffset);
        if (shown === undefined || span === undefined) {
            goEditor.setDecorations(this.highlight, []);
            gustEditor.setDecorations(this.highlight, []);
            return;
        }
        const range = toRange(span);
        const goLines = shown.entries
            .filter((e) => e.gust.start.line === span.start.line && e.gust.start.character === span.start.character &&
                e.gust.end.line === span.end.line && e.gust.end.character === span.end.character)
            .map((e) => e.goLine + shown.lineOffset);
        gustEditor.setDecorations(this.highlight, [range]);
        goEditor.setDecorations(this.highlight, goLines.map((l) => new vscode.Range(l, 0, l, 0)));
        gustEditor.selection = new vscode.Selection(range.start, range.start);
        gustEditor.revealRange(range, vscode.TextEditorRevealType.InCenterIfOutsideViewport);
    }
}

function toRange(span: Span): vscode.Range {
    return new vscode.Range(span.start.line, span.start.character, span.end.line, span.end.character);
}
