// "Gust: Show Borrows": the loans of the function at the cursor, as the borrow checker sees
// them (`gust/loans`, docs/lsp.md), painted as subtle backgrounds where each borrow is live,
// with the borrow expression outlined and a hover saying what is borrowed and until where.
// The paint is cleared by "Gust: Hide Borrows" and by any edit of the document (the ranges
// would no longer be true).

import * as vscode from 'vscode';
import type { LanguageClient } from 'vscode-languageclient/node';
import { type Loan, type LspRange, loansRequest } from './protocol';

interface Painted {
    editor: vscode.TextEditor;
    version: number;
}

export class BorrowView implements vscode.Disposable {
    private readonly shared = vscode.window.createTextEditorDecorationType({
        backgroundColor: new vscode.ThemeColor('gust.borrowShared'),
    });
    private readonly mutable = vscode.window.createTextEditorDecorationType({
        backgroundColor: new vscode.ThemeColor('gust.borrowMutable'),
    });
    private readonly origin = vscode.window.createTextEditorDecorationType({
        borderWidth: '0 0 1px 0',
        borderStyle: 'dotted',
        borderColor: new vscode.ThemeColor('gust.borrowBorder'),
    });
    private painted: Painted[] = [];
    private readonly disposables: vscode.Disposable[];

    constructor(private readonly client: () => LanguageClient | undefined) {
        this.disposables = [
            this.shared,
            this.mutable,
            this.origin,
            vscode.workspace.onDidChangeTextDocument((event) => {
                if (event.contentChanges.length > 0) {
                    this.clear((p) => p.editor.document === event.document);
                }
            }),
            vscode.workspace.onDidCloseTextDocument((doc) => this.clear((p) => p.editor.document === doc)),
        ];
    }

    dispose(): void {
        this.clearAll();
        for (const d of this.disposables) {
            d.dispose();
        }
    }

    async show(): Promise<void> {
        const editor = vscode.window.activeTextEditor;
        if (editor === undefined || editor.document.languageId !== 'gust') {
            void vscode.window.showInformationMessage('Gust: put the cursor in a function of a .gust file to see its borrows.');
            return;
        }
        const client = this.client();
        if (client === undefined) {
            void vscode.window.showWarningMessage('Gust: the language server is not running, so there are no borrows to show.');
            return;
        }
        const version = editor.document.version;
        let result;
        try {
            result = await client.sendRequest(loansRequest, {
                textDocument: { uri: client.code2ProtocolConverter.asUri(editor.document.uri) },
                position: { line: editor.selection.active.line, character: editor.selection.active.character },
            });
        } catch (error) {
            void vscode.window.showErrorMessage(`Gust: could not get the borrows: ${error instanceof Error ? error.message : String(error)}`);
            return;
        }
        if (editor.document.version !== version) {
            return; // edited meanwhile: these ranges are of an older text
        }
        if (result === null) {
            void vscode.window.showInformationMessage(
                'Gust: no borrows to show here: put the cursor in a function whose body type-checks.');
            return;
        }
        const onlyLasting = vscode.workspace.getConfiguration('gust').get<boolean>('borrows.onlyLasting', false);
        const loans = result.loans.filter((loan) => loan.lasting || !onlyLasting);
        this.clear((p) => p.editor === editor);
        const shared: vscode.DecorationOptions[] = [];
        const mutable: vscode.DecorationOptions[] = [];
        const origins: vscode.DecorationOptions[] = [];
        for (const loan of loans) {
            const hover = describe(loan);
            const target = loan.kind === 'mut' ? mutable : shared;
            for (const live of loan.liveRanges) {
                target.push({ range: toRange(live), hoverMessage: hover });
            }
            origins.push({ range: toRange(loan.range), hoverMessage: hover });
        }
        editor.setDecorations(this.shared, shared);
        editor.setDecorations(this.mutable, mutable);
        editor.setDecorations(this.origin, origins);
        this.painted.push({ editor, version });
        void vscode.commands.executeCommand('setContext', 'gust.borrowsShown', true);
        if (loans.length === 0) {
            void vscode.window.setStatusBarMessage(`Gust: ${result.function.name} borrows nothing`, 4000);
        } else {
            void vscode.window.setStatusBarMessage(
                `Gust: ${loans.length} borrow${loans.length === 1 ? '' : 's'} in ${result.function.name}`, 4000);
        }
    }

    hide(): void {
        this.clearAll();
    }

    clearAll(): void {
        this.clear(() => true);
    }

    private clear(which: (p: Painted) => boolean): void {
        const keep: Painted[] = [];
        for (const p of this.painted) {
            if (which(p)) {
                for (const type of [this.shared, this.mutable, this.origin]) {
                    p.editor.setDecorations(type, []);
                }
            } else {
                keep.push(p);
            }
        }
        this.painted = keep;
        void vscode.commands.executeCommand('setContext', 'gust.borrowsShown', keep.length > 0);
    }
}

const ORIGINS: Record<string, string> = {
    explicit: '',
    autoref: ' (the receiver of a method call)',
    index: ' (indexing)',
    format: ' (a formatting macro argument)',
    pattern: ' (a `ref` pattern)',
    reborrow: ' (an implicit reborrow)',
    iter: ' (a `for` loop)',
    closure: ' (captured by a closure)',
    call: ' (calling a closure)',
};

function describe(loan: Loan): vscode.MarkdownString {
    const how = loan.kind === 'mut' ? 'borrowed mutably' : 'borrowed';
    const last = loan.liveRanges[loan.liveRanges.length - 1];
    const until = last === undefined ? '' : `, live until ${last.end.line + 1}:${last.end.character + 1}`;
    const md = new vscode.MarkdownString();
    md.appendMarkdown(`\`${loan.place.replace(/`/g, '')}\` ${how} at ${loan.range.start.line + 1}:${loan.range.start.character + 1}${ORIGINS[loan.origin] ?? ''}${until}`);
    return md;
}

function toRange(range: LspRange): vscode.Range {
    return new vscode.Range(range.start.line, range.start.character, range.end.line, range.end.character);
}
