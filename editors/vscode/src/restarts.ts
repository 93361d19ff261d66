// When the language server process dies on its own (a crash, a kill), whether to start it
// again: yes, up to MAX_RESTARTS times within WINDOW_MS; a server that keeps dying is left
// stopped rather than restarted forever. Decided without VS Code: this module imports
// nothing, so tests run it with plain Node (tests/test_vscode_extension.py).

export const MAX_RESTARTS = 4;
export const WINDOW_MS = 3 * 60 * 1000;
/** The output channel the messages send the user to (the client's, see extension.ts). */
export const OUTPUT_NAME = 'Gust Language Server';

export interface RestartDecision {
    restart: boolean;
    /** The crashes that still count (those within the window), this one included. */
    recent: number[];
    /** What to tell the user. */
    message: string;
}

/** The decision for a crash at `now`, given the times of the earlier ones. */
export function decideRestart(
    earlier: readonly number[],
    now: number,
    maxRestarts: number = MAX_RESTARTS,
    windowMs: number = WINDOW_MS,
): RestartDecision {
    const recent = [...earlier.filter((t) => now - t <= windowMs), now];
    const minutes = Math.round(windowMs / 60_000);
    if (recent.length <= maxRestarts) {
        return {
            restart: true,
            recent,
            message:
                'Gust: the language server gust-lsp stopped unexpectedly and has been restarted. ' +
                `What it printed is in the "${OUTPUT_NAME}" output.`,
        };
    }
    return {
        restart: false,
        recent,
        message:
            `Gust: the language server gust-lsp stopped unexpectedly ${recent.length} times in ` +
            `${minutes} minutes and will not be restarted again. See the "${OUTPUT_NAME}" output ` +
            'for what went wrong, then use Gust: Restart Server.',
    };
}
