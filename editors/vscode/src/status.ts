// The language status item ({} next to "Gust" in the status bar of a .gust editor): the
// server's state (starting, ready, busy while a change is being checked, error), and a click
// that opens the server's output.

import * as vscode from 'vscode';

/** How long a check may run before the item shows "checking" (avoids a flicker per keystroke). */
const BUSY_DELAY_MS = 400;
/** A check whose diagnostics never come (the server skipped that version) stops counting. */
const BUSY_TIMEOUT_MS = 15_000;

export class ServerStatus implements vscode.Disposable {
    private readonly item: vscode.LanguageStatusItem;
    private readonly pending = new Map<string, ReturnType<typeof setTimeout>>();
    private busyTimer: ReturnType<typeof setTimeout> | undefined;
    private isReady = false;

    constructor() {
        this.item = vscode.languages.createLanguageStatusItem('gust.server', { language: 'gust' });
        this.item.name = 'Gust Language Server';
        this.showOutputOnClick();
    }

    dispose(): void {
        this.clearPending();
        this.item.dispose();
    }

    starting(serverPath: string): void {
        this.isReady = false;
        this.clearPending();
        this.set('Gust: starting', `Starting ${serverPath}`, vscode.LanguageStatusSeverity.Information, true);
    }

    ready(): void {
        this.isReady = true;
        this.set('$(check) Gust', 'gust-lsp is running', vscode.LanguageStatusSeverity.Information, false);
    }

    stopped(): void {
        this.isReady = false;
        this.clearPending();
        this.set('$(error) Gust: stopped', 'The language server is not running', vscode.LanguageStatusSeverity.Error, false);
        this.item.command = { title: 'Restart', command: 'gust.restartServer', tooltip: 'Restart the Gust language server' };
    }

    failed(message: string): void {
        this.isReady = false;
        this.clearPending();
        this.set('$(error) Gust: error', message, vscode.LanguageStatusSeverity.Error, false);
    }

    missing(message: string): void {
        this.isReady = false;
        this.set('$(error) Gust: no server', message, vscode.LanguageStatusSeverity.Error, false);
        this.item.command = {
            title: 'Open Settings',
            command: 'workbench.action.openSettings',
            arguments: ['gust.server.path'],
        };
    }

    restricted(): void {
        this.isReady = false;
        this.set(
            '$(shield) Gust: Restricted Mode',
            'The workspace is not trusted: syntax highlighting only, the language server is not started.',
            vscode.LanguageStatusSeverity.Warning,
            false,
        );
        this.item.command = { title: 'Manage Trust', command: 'workbench.trust.manage' };
    }

    /** A change of `uri` was sent: busy until its diagnostics arrive. */
    checking(uri: string): void {
        if (!this.isReady || !vscode.workspace.getConfiguration('gust').get<boolean>('checkOnType', true)) {
            return;
        }
        const old = this.pending.get(uri);
        if (old !== undefined) {
            clearTimeout(old);
        }
        this.pending.set(uri, setTimeout(() => this.checked(uri), BUSY_TIMEOUT_MS));
        if (this.busyTimer === undefined) {
            this.busyTimer = setTimeout(() => {
                this.busyTimer = undefined;
                if (this.pending.size > 0 && this.isReady) {
                    this.set('Gust: checking', 'Checking the change', vscode.LanguageStatusSeverity.Information, true);
                }
            }, BUSY_DELAY_MS);
        }
    }

    /** Diagnostics of `uri` arrived. */
    checked(uri: string): void {
        const timer = this.pending.get(uri);
        if (timer === undefined) {
            return;
        }
        clearTimeout(timer);
        this.pending.delete(uri);
        if (this.pending.size === 0 && this.isReady) {
            this.ready();
        }
    }

    private clearPending(): void {
        for (const timer of this.pending.values()) {
            clearTimeout(timer);
        }
        this.pending.clear();
        if (this.busyTimer !== undefined) {
            clearTimeout(this.busyTimer);
            this.busyTimer = undefined;
        }
    }

    private set(text: string, detail: string, severity: vscode.LanguageStatusSeverity, busy: boolean): void {
        this.item.text = text;
        this.item.detail = detail;
        this.item.severity = severity;
        this.item.busy = busy;
        this.showOutputOnClick();
    }

    private showOutputOnClick(): void {
        this.item.command = { title: 'Show Output', command: 'gust.showOutput', tooltip: 'Show the output of gust-lsp' };
    }
}
