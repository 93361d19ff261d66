// Where the language server is, decided without VS Code: this module imports only Node's
// `fs` and `path`, so tests run it with plain Node (tests/test_vscode_extension.py).
//
// Order (docs in README.md): the `gust.server.path` setting; `<workspace>/.venv`; `PATH`.

import * as fs from 'node:fs';
import * as path from 'node:path';

export const SERVER_NAME = 'gust-lsp';

export interface ServerSearch {
    /** The `gust.server.path` setting as the user wrote it ('' when unset). */
    configured: string;
    /** The workspace folders' paths, first folder first. */
    workspaceFolders: readonly string[];
    /** The `PATH` environment variable. */
    pathEnv: string;
    /** The user's home directory, for `~` in the setting. */
    home: string;
    platform: NodeJS.Platform;
}

export type ServerLocation =
    | { found: true; path: string; source: 'setting' | 'venv' | 'path' }
    | { found: false; message: string; fromSetting: boolean };

/** The server to run, or why there is none, in words the user can act on. */
export function findServer(search: ServerSearch): ServerLocation {
    const windows = search.platform === 'win32';
    const configured = search.configured.trim();
    if (configured !== '') {
        const resolved = resolveConfiguredPath(configured, search);
        if (isExecutable(resolved, windows)) {
            return { found: true, path: resolved, source: 'setting' };
        }
        // An explicit setting wins: falling back silently would run a server the user did not ask for.
        return {
            found: false,
            fromSetting: true,
            message:
                `Gust: the language server set in gust.server.path (${resolved}) ` +
                'does not exist or is not executable.',
        };
    }
    const exe = windows ? `${SERVER_NAME}.exe` : SERVER_NAME;
    const venvBin = windows ? 'Scripts' : 'bin';
    for (const folder of search.workspaceFolders) {
        const candidate = path.join(folder, '.venv', venvBin, exe);
        if (isExecutable(candidate, windows)) {
            return { found: true, path: candidate, source: 'venv' };
        }
    }
    const delimiter = windows ? ';' : ':';
    for (const dir of search.pathEnv.split(delimiter)) {
        if (dir === '') {
            continue;
        }
        const candidate = path.join(dir, exe);
        if (isExecutable(candidate, windows)) {
            return { found: true, path: candidate, source: 'path' };
        }
    }
    return {
        found: false,
        fromSetting: false,
        message:
            `Gust: could not find the language server ${SERVER_NAME}: not in the workspace's ` +
            `.venv and not on PATH. Install Gust (pip install gust) into the workspace .venv or ` +
            'onto PATH, or set gust.server.path.',
    };
}

/** `~` means the home directory, and a relative path is relative to the first workspace folder. */
export function resolveConfiguredPath(configured: string, search: ServerSearch): string {
    let p = configured;
    if (p === '~' || p.startsWith('~/') || p.startsWith('~\\')) {
        p = path.join(search.home, p.slice(1));
    }
    const folder = search.workspaceFolders[0];
    if (!path.isAbsolute(p) && folder !== undefined) {
        p = path.join(folder, p);
    }
    return p;
}

function isExecutable(file: string, windows: boolean): boolean {
    try {
        if (!fs.statSync(file).isFile()) {
            return false;
        }
        if (!windows) {
            fs.accessSync(file, fs.constants.X_OK);
        }
        return true;
    } catch {
        return false;
    }
}
