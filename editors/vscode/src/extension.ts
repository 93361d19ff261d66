// The Gust extension: starts the `gust-lsp` language server for .gust files, shows its state
// in the language status item, and adds the commands of the "Gust" category: the generated Go
// beside the editor (kept in step through the source map), borrow insight, error explanations.
//
// Everything language-specific (diagnostics, hover, quick fixes, the generated Go itself) lives
// in the server; this file finds the server, starts it, and wires the custom messages of
// docs/lsp.md. In an untrusted workspace the server is not started (syntax only).

import * as os from 'node:os';
import * as vscode from 'vscode';
import {
    CloseAction,
    type CloseHandlerResult,
    ErrorAction,
    type ErrorHandler,
    type ErrorHandlerResult,
    LanguageClient,
    type LanguageClientOptions,
    type Message,
    type ServerOptions,
    State,
    TransportKind,
} from 'vscode-languageclient/node';
import { BorrowView } from './borrows';
import { explainError } from './explain';
import { findServer } from './findServer';
import { GeneratedGoView } from './generatedGo';
import { generatedGoChanged } from './protocol';
import { decideRestart, OUTPUT_NAME } from './restarts';
import { ServerStatus } from './status';

/** Holds the language client across restarts; the other parts ask it for the running client. */
export class ServerManager {
    private client: LanguageClient | undefined;
    /** The current client's start; it never rejects, so stop() can always await it. */
    private starting: Promise<void> = Promise.resolve();
    private readonly stateListeners: Array<(running: boolean) => void> = [];

    constructor(
        readonly output: vscode.OutputChannel,
        readonly status: ServerStatus,
        private readonly goView: GeneratedGoView,
    ) {}

    /** The client if it is running (requests to a starting or stopped client would fail). */
    running(): LanguageClient | undefined {
        return this.client?.isRunning() ? this.client : undefined;
    }

    /** The client once its start has ended: running, or undefined if the start failed or
     * there is no server. What asks while the server starts (Show Generated Go right after a
     * window reload) waits for it instead of being told it is not running. */
    async whenStarted(): Promise<LanguageClient | undefined> {
        await this.starting;
        return this.running();
    }

    onDidChangeRunning(listener: (running: boolean) => void): void {
        this.stateListeners.push(listener);
    }

    async start(): Promise<void> {
        if (!vscode.workspace.isTrusted) {
            this.status.restricted();
            return; // Restricted Mode: grammar, snippets and brackets only; nothing is executed.
        }
        const location = findServer({
            configured: vscode.workspace.getConfiguration('gust').get<string>('server.path', ''),
            workspaceFolders: (vscode.workspace.workspaceFolders ?? []).map((f) => f.uri.fsPath),
            pathEnv: process.env.PATH ?? '',
            home: os.homedir(),
            platform: process.platform,
        });
        if (!location.found) {
            this.output.appendLine(location.message);
            this.status.missing(location.message);
            void reportMissingServer(location.message);
            return;
        }
        this.output.appendLine(`Gust: starting ${location.path} (found via ${location.source})`);
        this.status.starting(location.path);
        const serverOptions: ServerOptions = {
            command: location.path,
            transport: TransportKind.stdio,
            options: { cwd: vscode.workspace.workspaceFolders?.[0]?.uri.fsPath },
        };
        const status = this.status;
        const clientOptions: LanguageClientOptions = {
            // Untitled buffers set to Gust get diagnostics too, not just files on disk.
            documentSelector: [
                { scheme: 'file', language: 'gust' },
                { scheme: 'untitled', language: 'gust' },
            ],
            outputChannel: this.output,
            // A server that dies is restarted with a visible notice, not silently.
            errorHandler: new CrashNotices(),
            // Setting changes are announced to the server, which reads the `gust` section again.
            synchronize: { configurationSection: 'gust' },
            middleware: {
                // "busy" from an edit until the server publishes the diagnostics of the new text.
                didChange: async (event, next) => {
                    if (event.document.languageId === 'gust' && event.contentChanges.length > 0) {
                        status.checking(event.document.uri.toString());
                    }
                    return next(event);
                },
                handleDiagnostics: (uri, diagnostics, next) => {
                    status.checked(uri.toString());
                    next(uri, diagnostics);
                },
            },
        };
        // The id 'gust' makes the client read the `gust.trace.server` setting.
        const client = new LanguageClient('gust', 'Gust Language Server', serverOptions, clientOptions);
        client.onNotification(generatedGoChanged, (params) => this.goView.sourceChanged(params.uri));
        client.onDidChangeState((event) => {
            if (client !== this.client) {
                return; // an old client stopping after a restart
            }
            if (event.newState === State.Running) {
                status.ready();
                this.goView.refreshAll(); // fresh analyses after a (re)start
            } else if (event.newState === State.Starting) {
                status.starting(location.path);
            } else {
                status.stopped();
            }
            const running = event.newState === State.Running;
            void vscode.commands.executeCommand('setContext', 'gust.serverRunning', running);
            for (const listener of this.stateListeners) {
                listener(running);
            }
        });
        this.client = client;
        this.starting = client.start().catch((error: unknown) => {
            // The client has already shown the failure with a link to its output; logging here
            // keeps the rejection from surfacing as an unhandled error in the extension host.
            const message = `Gust: starting ${location.path} failed: ${String(error)}`;
            this.output.appendLine(message);
            if (client === this.client) {
                status.failed(message);
            }
        });
        await this.starting;
    }

    async stop(): Promise<void> {
        const old = this.client;
        this.client = undefined;
        // A client that is still starting cannot be stopped yet: let its start finish (or fail).
        await this.starting;
        if (old?.isRunning()) {
            await old.stop();
        }
        void vscode.commands.executeCommand('setContext', 'gust.serverRunning', false);
        for (const listener of this.stateListeners) {
            listener(false);
        }
    }

    async restart(): Promise<void> {
        await this.stop();
        await this.start();
    }
}

let manager: ServerManager | undefined;

export function activate(context: vscode.ExtensionContext): void {
    const output = vscode.window.createOutputChannel(OUTPUT_NAME);
    const status = new ServerStatus();
    const goView = new GeneratedGoView(async () => manager?.whenStarted());
    const serverManager = new ServerManager(output, status, goView);
    manager = serverManager;
    const borrows = new BorrowView(() => serverManager.running());
    serverManager.onDidChangeRunning((running) => {
        if (!running) {
            borrows.clearAll();
        }
    });
    context.subscriptions.push(
        output,
        status,
        goView,
        borrows,
        vscode.commands.registerCommand('gust.showGeneratedGo', (resource?: vscode.Uri) => goView.show(resource)),
        vscode.commands.registerCommand('gust.restartServer', async () => {
            output.appendLine('Gust: restarting the language server');
            await serverManager.restart();
        }),
        vscode.commands.registerCommand('gust.showOutput', () => output.show(true)),
        vscode.commands.registerCommand('gust.explainError', (code?: unknown) => explainError(serverManager.running(), code)),
        vscode.commands.registerCommand('gust.showBorrows', () => borrows.show()),
        vscode.commands.registerCommand('gust.hideBorrows', () => borrows.hide()),
        // A new server path takes effect at once, without reloading the window.
        vscode.workspace.onDidChangeConfiguration(async (event) => {
            if (event.affectsConfiguration('gust.server.path')) {
                await serverManager.restart();
            }
        }),
        // Trusting the workspace lifts Restricted Mode: start the server now.
        vscode.workspace.onDidGrantWorkspaceTrust(() => void serverManager.start()),
        { dispose: () => void serverManager.stop() },
    );
    // Not awaited: activation must not wait for the server's `initialize`, or a slow or hung
    // server would also hold up the commands (VS Code runs commands only after activation).
    void serverManager.start();
}

export async function deactivate(): Promise<void> {
    await manager?.stop();
}

/** What the client does when the connection to the server errs or closes: as
 * vscode-languageclient's default handler (restart a server that died, up to 4 times in 3
 * minutes), but each restart is shown in a notification, where the default only writes it to
 * the output, and giving up says how to start again. A new client (Gust: Restart Server)
 * starts with a new count. */
class CrashNotices implements ErrorHandler {
    private crashes: number[] = [];

    error(_error: Error, _message: Message | undefined, count: number | undefined): ErrorHandlerResult {
        // A few unreadable messages are survivable; a stream of them means the server is gone.
        return { action: count !== undefined && count <= 3 ? ErrorAction.Continue : ErrorAction.Shutdown };
    }

    closed(): CloseHandlerResult {
        const decision = decideRestart(this.crashes, Date.now());
        this.crashes = decision.recent;
        if (decision.restart) {
            void notify(vscode.window.showWarningMessage(decision.message, 'Show Output'));
            // `handled`: the client writes the message to the output but shows no toast of its own.
            return { action: CloseAction.Restart, message: decision.message, handled: true };
        }
        void notify(vscode.window.showErrorMessage(decision.message, 'Show Output', 'Restart Server'));
        return { action: CloseAction.DoNotRestart, message: decision.message, handled: true };
    }
}

async function notify(choice: Thenable<string | undefined>): Promise<void> {
    const picked = await choice;
    if (picked === 'Show Output') {
        await vscode.commands.executeCommand('gust.showOutput');
    } else if (picked === 'Restart Server') {
        await vscode.commands.executeCommand('gust.restartServer');
    }
}

async function reportMissingServer(message: string): Promise<void> {
    const choice = await vscode.window.showErrorMessage(message, 'Open Settings', 'Show Output');
    if (choice === 'Open Settings') {
        await vscode.commands.executeCommand('workbench.action.openSettings', 'gust.server.path');
    } else if (choice === 'Show Output') {
        await vscode.commands.executeCommand('gust.showOutput');
    }
}
