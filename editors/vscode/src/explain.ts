// "Gust: Explain Error": the explanation of the error code of the diagnostic under the cursor
// (or of one picked from the file's diagnostics), as a rendered Markdown preview. The text
// comes from the server (`gust/explain`, the text `gust explain E0382` prints); a server
// without that request falls back to the diagnostic's `codeDescription` link.

import * as vscode from 'vscode';
import type { LanguageClient } from 'vscode-languageclient/node';
import { explainRequest } from './protocol';

const EXPLAIN_SCHEME = 'gust-explain';
const CODE = /^E\d{4}$/;

/** Serves `gust-explain:/E0382.md` documents: read-only, kept for the session. */
class ExplanationProvider implements vscode.TextDocumentContentProvider {
    readonly texts = new Map<string, string>();

    provideTextDocumentContent(uri: vscode.Uri): string {
        return this.texts.get(uri.path) ?? `# ${uri.path}\n\nNo explanation.\n`;
    }
}

let provider: ExplanationProvider | undefined;

function explanationProvider(): ExplanationProvider {
    if (provider === undefined) {
        provider = new ExplanationProvider();
        vscode.workspace.registerTextDocumentContentProvider(EXPLAIN_SCHEME, provider);
    }
    return provider;
}

interface CodedDiagnostic {
    code: string;
    diagnostic: vscode.Diagnostic;
}

function codeOf(diagnostic: vscode.Diagnostic): string | undefined {
    const code = diagnostic.code;
    const value = typeof code === 'object' ? code.value : code;
    return value === undefined ? undefined : String(value);
}

function gustDiagnostics(uri: vscode.Uri): CodedDiagnostic[] {
    const out: CodedDiagnostic[] = [];
    for (const diagnostic of vscode.languages.getDiagnostics(uri)) {
        const code = codeOf(diagnostic);
        if (code !== undefined && CODE.test(code)) {
            out.push({ code, diagnostic });
        }
    }
    return out;
}

/** The code to explain: the diagnostic under the cursor, else the user's pick. */
async function chooseCode(): Promise<CodedDiagnostic | string | undefined> {
    const editor = vscode.window.activeTextEditor;
    const coded = editor?.document.languageId === 'gust' ? gustDiagnostics(editor.document.uri) : [];
    if (editor !== undefined) {
        const here = coded.filter((c) => c.diagnostic.range.contains(editor.selection.active));
        if (here.length > 0) {
            // The narrowest diagnostic under the cursor is the one the user is looking at.
            here.sort((a, b) => spanOf(a.diagnostic.range) - spanOf(b.diagnostic.range));
            return here[0];
        }
    }
    if (coded.length > 0) {
        const items = coded.map((c) => ({
            label: c.code,
            description: `line ${c.diagnostic.range.start.line + 1}`,
            detail: c.diagnostic.message.split('\n')[0],
            coded: c,
        }));
        const picked = await vscode.window.showQuickPick(items, {
            title: 'Gust: Explain Error',
            placeHolder: 'The error to explain',
            matchOnDetail: true,
        });
        return picked?.coded;
    }
    const typed = await vscode.window.showInputBox({
        title: 'Gust: Explain Error',
        prompt: 'No Gust errors with a code here. Error code to explain:',
        placeHolder: 'E0382',
        validateInput: (value) => (CODE.test(value.trim().toUpperCase()) ? undefined : 'An error code looks like E0382'),
    });
    return typed?.trim().toUpperCase();
}

function spanOf(range: vscode.Range): number {
    return (range.end.line - range.start.line) * 10_000 + (range.end.character - range.start.character);
}

/** The command; `requested` (e.g. "E0382") skips choosing, for keybindings and other extensions. */
export async function explainError(client: LanguageClient | undefined, requested?: unknown): Promise<void> {
    const chosen = typeof requested === 'string' && CODE.test(requested.trim().toUpperCase())
        ? requested.trim().toUpperCase()
        : await chooseCode();
    if (chosen === undefined) {
        return;
    }
    const code = typeof chosen === 'string' ? chosen : chosen.code;
    let markdown: string | undefined;
    let failure: string | undefined;
    if (client !== undefined) {
        try {
            const result = await client.sendRequest(explainRequest, { code });
            if (result === null) {
                void vscode.window.showWarningMessage(`Gust: there is no explanation for ${code}.`);
                return;
            }
            markdown = result.markdown;
        } catch (error) {
            failure = error instanceof Error ? error.message : String(error);
        }
    } else {
        failure = 'the language server is not running';
    }
    if (markdown === undefined) {
        // An older server, or none: the diagnostic links its explanation (docs/lsp.md).
        const target = typeof chosen === 'string' ? undefined : linkOf(chosen.diagnostic);
        if (target !== undefined) {
            await openLink(target);
            return;
        }
        void vscode.window.showErrorMessage(`Gust: could not explain ${code}: ${failure ?? 'no explanation'}.`);
        return;
    }
    const uri = vscode.Uri.from({ scheme: EXPLAIN_SCHEME, path: `${code}.md` });
    explanationProvider().texts.set(uri.path, markdown);
    await showMarkdown(uri);
}

function linkOf(diagnostic: vscode.Diagnostic): vscode.Uri | undefined {
    const code = diagnostic.code;
    return typeof code === 'object' ? code.target : undefined;
}

async function openLink(target: vscode.Uri): Promise<void> {
    if (target.scheme === 'file' && target.path.endsWith('.md')) {
        await showMarkdown(target);
    } else {
        await vscode.env.openExternal(target);
    }
}

async function showMarkdown(uri: vscode.Uri): Promise<void> {
    try {
        // The built-in Markdown extension renders it beside the code, read-only.
        await vscode.commands.executeCommand('markdown.showPreviewToSide', uri);
    } catch {
        // Markdown extension disabled: the source, read-only for a gust-explain: document.
        const doc = await vscode.workspace.openTextDocument(uri);
        await vscode.window.showTextDocument(doc, { viewColumn: vscode.ViewColumn.Beside, preview: true });
    }
}
