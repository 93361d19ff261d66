// The Gust extension: starts the `gust-lsp` language server for .gust files and shows the Go
// that Gust generates for a file, live, in a read-only editor beside it.
//
// Everything language-specific (diagnostics, hover, the generated Go itself) lives in the server;
// this file only finds the server, starts it, and wires the two custom messages of docs/lsp.md.

import * as fs from 'node:fs';
import * as os from 'node:os';
import * as path from 'node:path';
import * as vscode from 'vscode';
import {
    LanguageClient,
    type LanguageClientOptions,
    NotificationType,
    RequestType,
    type ServerOptions,
    State,
    TransportKind,
} from 'vscode-languageclient/node';

// ---------------------------------------------------------------- protocol (docs/lsp.md)

interface GeneratedGoParams {
    textDocument: { uri: string };
}

interface GeneratedGoResult {
    uri: string;
    version: number;
    text: string;
    /** True while the .gust file has errors: `text` is then the last Go generated without them. */
    stale: boolean;
}

interface GeneratedGoChangedParams {
    uri: string;
    version: number;
}

const generatedGoRequest = new RequestType<GeneratedGoParams, GeneratedGoResult, void>(
    'gust/generatedGo',
);
const generatedGoChanged = new NotificationType<GeneratedGoChangedParams>(
    'gust/generatedGoChanged',
);

/** Scheme of the virtual documents that show generated Go. */
const GO_SCHEME = 'gust-go';
const SERVER_NAME = 'gust-lsp';

let client: LanguageClient | undefined;
/** The current client's start; it never rejects, so stopClient can always await it. */
let starting: Promise<void> = Promise.resolve();
let goProvider: GeneratedGoProvider;
/** One output channel for the whole session, so a restart does not add a second one. */
let outputChannel: vscode.OutputChannel;

// ---------------------------------------------------------------- activation

export function activate(context: vscode.ExtensionContext): void {
    goProvider = new GeneratedGoProvider();
    outputChannel = vscode.window.createOutputChannel('Gust Language Server');
    context.subscriptions.push(
        outputChannel,
        vscode.workspace.registerTextDocumentContentProvider(GO_SCHEME, goProvider),
        vscode.commands.registerCommand('gust.showGeneratedGo', showGeneratedGo),
        // A new server path takes effect at once, without reloading the window.
        vscode.workspace.onDidChangeConfiguration(async (event) => {
            if (event.affectsConfiguration('gust.server.path')) {
                await stopClient();
                await startClient();
            }
        }),
        { dispose: () => void stopClient() },
    );
    // Not awaited: activation must not wait for the server's `initialize`, or a slow or hung
    // server would also hold up the command (VS Code runs commands only after activation).
    void startClient();
}

export async function deactivate(): Promise<void> {
    await stopClient();
}

async function startClient(): Promise<void> {
    const serverPath = findServer();
    if (serverPath === undefined) {
        return; // findServer has told the user why.
    }
    const serverOptions: ServerOptions = {
        command: serverPath,
        transport: TransportKind.stdio,
        options: { cwd: vscode.workspace.workspaceFolders?.[0]?.uri.fsPath },
    };
    const clientOptions: LanguageClientOptions = {
        // Untitled buffers set to Gust get diagnostics too, not just files on disk.
        documentSelector: [
            { scheme: 'file', language: 'gust' },
            { scheme: 'untitled', language: 'gust' },
        ],
        outputChannel,
        // Setting changes are announced to the server, which reads the `gust` section again.
        synchronize: { configurationSection: 'gust' },
    };
    // The id 'gust' makes the client read the `gust.trace.server` setting.
    const newClient = new LanguageClient('gust', 'Gust Language Server', serverOptions, clientOptions);
    newClient.onNotification(generatedGoChanged, (params) => goProvider.sourceChanged(params.uri));
    // After a (re)start the server has fresh analyses: refresh every open Go view.
    newClient.onDidChangeState((event) => {
        if (event.newState === State.Running) {
            goProvider.refreshAll();
        }
    });
    client = newClient;
    starting = newClient.start().catch((error: unknown) => {
        // The client has already shown the failure with a link to its output; logging here keeps
        // the rejection from surfacing as an unhandled error in the extension host.
        outputChannel.appendLine(`Gust: starting ${serverPath} failed: ${String(error)}`);
    });
    await starting;
}

async function stopClient(): Promise<void> {
    const old = client;
    client = undefined;
    // A client that is still starting cannot be stopped yet: let its start finish (or fail).
    await starting;
    if (old?.isRunning()) {
        await old.stop();
    }
}

// ---------------------------------------------------------------- finding the server

/**
 * The server to run, in order: the `gust.server.path` setting, `<workspace>/.venv`, `PATH`.
 * Returns undefined after telling the user what is wrong: a missing server must never fail silently.
 */
function findServer(): string | undefined {
    const configured = vscode.workspace.getConfiguration('gust').get<string>('server.path', '').trim();
    if (configured !== '') {
        const resolved = resolveConfiguredPath(configured);
        if (isExecutable(resolved)) {
            return resolved;
        }
        // An explicit setting wins: falling back silently would run a server the user did not ask for.
        void reportMissingServer(
            `Gust: the language server set in gust.server.path (${resolved}) does not exist or is not executable.`,
        );
        return undefined;
    }
    const exe = process.platform === 'win32' ? `${SERVER_NAME}.exe` : SERVER_NAME;
    const venvBin = process.platform === 'win32' ? 'Scripts' : 'bin';
    for (const folder of vscode.workspace.workspaceFolders ?? []) {
        const candidate = path.join(folder.uri.fsPath, '.venv', venvBin, exe);
        if (isExecutable(candidate)) {
            return candidate;
        }
    }
    const onPath = findOnPath(exe);
    if (onPath !== undefined) {
        return onPath;
    }
    void reportMissingServer(
        `Gust: could not find the language server ${SERVER_NAME}. Install Gust (pip install gust) ` +
            'into the workspace .venv or onto PATH, or set gust.server.path.',
    );
    return undefined;
}

/** `~` means the home directory, and a relative path is relative to the first workspace folder. */
function resolveConfiguredPath(configured: string): string {
    let p = configured;
    if (p === '~' || p.startsWith('~/')) {
        p = path.join(os.homedir(), p.slice(1));
    }
    const folder = vscode.workspace.workspaceFolders?.[0];
    if (!path.isAbsolute(p) && folder !== undefined) {
        p = path.join(folder.uri.fsPath, p);
    }
    return p;
}

function findOnPath(exe: string): string | undefined {
    for (const dir of (process.env.PATH ?? '').split(path.delimiter)) {
        if (dir !== '' && isExecutable(path.join(dir, exe))) {
            return path.join(dir, exe);
        }
    }
    return undefined;
}

function isExecutable(file: string): boolean {
    try {
        if (!fs.statSync(file).isFile()) {
            return false;
        }
        fs.accessSync(file, fs.constants.X_OK);
        return true;
    } catch {
        return false;
    }
}

async function reportMissingServer(message: string): Promise<void> {
    const choice = await vscode.window.showErrorMessage(message, 'Open Settings');
    if (choice === 'Open Settings') {
        await vscode.commands.executeCommand('workbench.action.openSettings', 'gust.server.path');
    }
}

// ---------------------------------------------------------------- "Show Generated Go"

/**
 * Serves `gust-go:` documents. The URI's path is the .gust path plus `.go` (so the tab reads
 * `main.gust.go`), and its query is the full URI of the .gust document it shows.
 */
class GeneratedGoProvider implements vscode.TextDocumentContentProvider {
    private readonly changed = new vscode.EventEmitter<vscode.Uri>();
    readonly onDidChange = this.changed.event;

    static uriFor(source: vscode.Uri): vscode.Uri {
        return vscode.Uri.from({ scheme: GO_SCHEME, path: `${source.path}.go`, query: source.toString() });
    }

    async provideTextDocumentContent(uri: vscode.Uri, token: vscode.CancellationToken): Promise<string> {
        if (client === undefined) {
            return `// Gust: the language server ${SERVER_NAME} is not running, so there is no generated Go.\n`;
        }
        try {
            const result = await client.sendRequest(
                generatedGoRequest,
                { textDocument: { uri: uri.query } },
                token,
            );
            if (result.stale) {
                // Keep the last good Go visible, but say plainly that it is not the current file.
                return `// Gust: out of date; the .gust file has errors. Last Go generated without errors:\n\n${result.text}`;
            }
            return result.text;
        } catch (error) {
            const reason = error instanceof Error ? error.message : String(error);
            return `// Gust: could not get the generated Go: ${reason}\n`;
        }
    }

    /** Called for `gust/generatedGoChanged`: re-fetch the Go view of that .gust URI, if open. */
    sourceChanged(sourceUri: string): void {
        // Compare in VS Code's normal form: the server may encode the URI differently.
        const source = vscode.Uri.parse(sourceUri).toString();
        for (const doc of vscode.workspace.textDocuments) {
            if (doc.uri.scheme === GO_SCHEME && vscode.Uri.parse(doc.uri.query).toString() === source) {
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
}

/** The command; `resource` is set when it is run from the editor title bar. */
async function showGeneratedGo(resource?: vscode.Uri): Promise<void> {
    const active = vscode.window.activeTextEditor?.document;
    const source = resource ?? (active?.languageId === 'gust' ? active.uri : undefined);
    if (source === undefined) {
        void vscode.window.showInformationMessage('Gust: open a .gust file to see the Go generated for it.');
        return;
    }
    const doc = await vscode.workspace.openTextDocument(GeneratedGoProvider.uriFor(source));
    // A content provider cannot set the language, and `.go` maps to Go only while an extension
    // contributes that language (VS Code's built-in one can be disabled): set it explicitly.
    const goDoc = doc.languageId === 'go' ? doc : await vscode.languages.setTextDocumentLanguage(doc, 'go');
    await vscode.window.showTextDocument(goDoc, {
        viewColumn: vscode.ViewColumn.Beside,
        preserveFocus: true,
        preview: false,
    });
}
