// Drives the Gust extension in code-server the way a user would, with Playwright in Debian's
// chromium, and prints what it saw as one JSON object on stdout (tests/test_vscode_e2e.py asserts
// on it). Progress goes to stderr.
//
//   node drive.mjs URL ARTIFACTS_DIR PLAYWRIGHT_CORE_DIR [SCENARIO,...]
//
// PLAYWRIGHT_CORE_DIR is the installed playwright-core package (install.sh puts it in a cache
// outside the clone, shared by every work tree).
//
// The workspace (made by the test) has moves/moves.gust (a use after move, E0382, and an
// assignment to an immutable variable, E0384), hello/hello.gust and borrows/borrows.gust
// (correct programs; the second has shared and mutable borrows). GUST_E2E_PGID is the
// process group of the code-server under test: the crash scenario kills the gust-lsp of that
// group, and no other.
// Each scenario waits for what a user would wait for (a Problems entry, a hover, a view), never
// for a fixed time, records what is on screen, and saves a screenshot; a scenario that fails
// records its error and the next one still runs.

import { execFileSync } from 'node:child_process';
import { mkdirSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { pathToFileURL } from 'node:url';

const [url, artifacts, playwrightCore, only] = process.argv.slice(2);
const { chromium } = await import(pathToFileURL(join(playwrightCore, 'index.mjs')).href);
const CHROMIUM = process.env.GUST_E2E_CHROMIUM ?? '/usr/bin/chromium';
// The first diagnostic needs code-server's extension host, the extension and the Python server
// to start: about 20 s here, more on a loaded machine.
const FIRST_DIAGNOSTIC_MS = Number(process.env.GUST_E2E_FIRST_DIAGNOSTIC_MS ?? 120_000);
// Each step's wait (a view to open, a widget to show): generous, since the machines that run
// this may be loaded; the waits poll, so a quick step costs no more.
const STEP_MS = Number(process.env.GUST_E2E_STEP_MS ?? 60_000);

const started = Date.now();
const log = (msg) => process.stderr.write(`[drive ${((Date.now() - started) / 1000).toFixed(1)}s] ${msg}\n`);

// ---------------------------------------------------------------- workbench helpers

/** The Monaco editor showing a document whose URI ends with `suffix`. */
function editor(page, suffix) {
    return page.locator(`.monaco-editor[data-uri$="${suffix}"]`).first();
}

/** The text of an editor's rendered lines, in line order (Monaco positions them absolutely). */
async function editorText(ed) {
    return ed.evaluate((node) => {
        const lines = [...node.querySelectorAll('.view-lines .view-line')];
        lines.sort((a, b) => parseFloat(a.style.top) - parseFloat(b.style.top));
        return lines.map((l) => l.textContent.replace(/\u00a0/g, ' ')).join('\n');
    });
}

/** Opens a file by clicking it in the explorer (the quick-open shortcut is unreliable headless). */
async function openFromExplorer(page, folder, file) {
    const dir = page.getByRole('treeitem', { name: folder, exact: true });
    const item = page.getByRole('treeitem', { name: file, exact: true });
    await dir.waitFor({ timeout: STEP_MS });
    // Expand the folder until the file shows: the explorer may still be restoring the state it
    // had (and collapse the folder again after a click).
    await until(
        async () => {
            if (!(await item.isVisible()) && (await dir.getAttribute('aria-expanded')) !== 'true') {
                await dir.click();
                await item.waitFor({ state: 'visible', timeout: 2_000 }).catch(() => {});
            }
            return item.isVisible();
        },
        (visible) => visible,
        STEP_MS,
    );
    await item.click({ timeout: STEP_MS });
    const ed = editor(page, `/${folder}/${file}`);
    await ed.locator('.view-lines').waitFor({ timeout: STEP_MS });
    return ed;
}

async function quickInput(page) {
    const input = page.locator('.quick-input-widget .quick-input-box input');
    await input.waitFor({ state: 'visible', timeout: STEP_MS });
    return input;
}

/** Runs a command from the command palette by its title, as a user types it. */
async function runCommand(page, title) {
    await page.keyboard.press('F1');
    const input = await quickInput(page);
    await input.fill(`>${title}`);
    // Exactly that title: "View: Close All Editors" must not pick "... in Group".
    const exact = new RegExp(`^${title.replace(/[.*+?^${}()|[\]\\]/g, '\\$&')}$`);
    const row = page.locator('.quick-input-list .monaco-list-row')
        .filter({ has: page.locator('.label-name', { hasText: exact }) })
        .first();
    await row.waitFor({ timeout: STEP_MS });
    await row.click();
}

/** Puts the cursor at a 1-based line and column with Go to Line (Ctrl+G). */
async function goTo(page, ed, line, column) {
    await ed.locator('.view-lines').click();
    await page.keyboard.press('Control+G');
    const input = await quickInput(page);
    await input.fill(`:${line}:${column}`);
    await input.press('Enter');
    await page.locator('.quick-input-widget').waitFor({ state: 'hidden', timeout: STEP_MS });
}

/** Opens the Problems panel (if it is not open) and returns its entries' texts. */
async function problems(page) {
    const panel = page.locator('.markers-panel');
    if (!(await panel.isVisible())) {
        await runCommand(page, 'Problems: Focus on Problems View');
        await panel.waitFor({ state: 'visible', timeout: STEP_MS });
    }
    return panel.locator('.monaco-list-row').evaluateAll((rows) =>
        rows.map((r) => r.textContent.replace(/\u00a0/g, ' ')),
    );
}

/** Polls `probe` until `done(value)` holds or `ms` pass; returns the last value either way. */
async function until(probe, done, ms) {
    const deadline = Date.now() + ms;
    let value = await probe();
    while (!done(value) && Date.now() < deadline) {
        await new Promise((r) => setTimeout(r, 250));
        value = await probe();
    }
    return value;
}

/** The 1-based numbers of the lines on which an editor paints a decoration (Monaco draws
 * them as `.cdr` boxes in its `.view-overlays` layer, one row per line) whose computed `property`
 * is the theme colour `color` (a contributed colour id such as `gust.borrowShared`). */
async function paintedLines(ed, property, color) {
    return ed.evaluate((node, [prop, id]) => {
        // The colour as the browser computes it, for comparison with the boxes' styles.
        const probe = document.createElement('div');
        probe.style.color = `var(--vscode-${id.replace('.', '-')})`;
        node.appendChild(probe);
        const wanted = getComputedStyle(probe).color;
        probe.remove();
        const numbers = new Map([...node.querySelectorAll('.margin-view-overlays .line-numbers')]
            .map((n) => [n.parentElement.style.top, Number(n.textContent)]));
        const lines = new Set();
        for (const box of node.querySelectorAll('.view-overlays .cdr')) {
            if (getComputedStyle(box)[prop] === wanted) {
                lines.add(numbers.get(box.parentElement.style.top) ?? -1);
            }
        }
        return [...lines].sort((a, b) => a - b);
    }, [property, color]);
}

/** The pids of the language servers that the code-server under test started. */
function serverPids() {
    const group = process.env.GUST_E2E_PGID;
    if (group === undefined) {
        throw new Error('GUST_E2E_PGID is not set: which gust-lsp to kill is not known');
    }
    return execFileSync('ps', ['-eo', 'pid=,pgid=,args='], { encoding: 'utf8' })
        .split('\n')
        .map((line) => line.trim().split(/\s+/))
        .filter(([, pgid, ...args]) => pgid === group && args.some((a) => a.endsWith('/gust-lsp') || a === 'gust-lsp'))
        .map(([pid]) => Number(pid));
}

/** The text of a notification that contains `text`, as a toast or, once the toast has gone,
 * in the notification centre. */
async function notification(page, text, ms) {
    const toast = page.locator('.notifications-toasts .notification-toast', { hasText: text }).first();
    const found = await toast.waitFor({ state: 'visible', timeout: ms }).then(() => true, () => false);
    const read = async (where, node) => ({
        where,
        text: await node.locator('.notification-list-item-message').textContent(),
        buttons: await node.locator('.monaco-button').allTextContents(),
    });
    if (found) {
        return read('toast', toast);
    }
    await runCommand(page, 'Notifications: Show Notifications');
    const item = page.locator('.notifications-center .notification-list-item', { hasText: text }).first();
    await item.waitFor({ state: 'visible', timeout: STEP_MS });
    return read('center', item);
}

// ---------------------------------------------------------------- scenarios

/** The use after move shows in the Problems panel with its code, and as a squiggle. */
async function diagnostics(page) {
    const t0 = Date.now();
    const ed = await openFromExplorer(page, 'moves', 'moves.gust');
    const entries = await until(() => problems(page), (rows) => rows.some((r) => r.includes('E0382')), FIRST_DIAGNOSTIC_MS);
    const seconds = (Date.now() - t0) / 1000;
    // The squiggles come with the same update as the Problems entries; give them a moment to paint.
    const squiggles = await until(() => ed.locator('.squiggly-error').count(), (n) => n >= 2, STEP_MS);
    return { problems: entries, squiggles, seconds, text: await editorText(ed) };
}

/** Hovering a variable shows its type. */
async function hover(page) {
    const ed = await openFromExplorer(page, 'moves', 'moves.gust');
    const line = ed.locator('.view-line', { hasText: 'let total' });
    const word = line.locator('span span', { hasText: /^total$/ }).first();
    const widget = page.locator('.monaco-hover-content', { hasText: 'total' }).first();
    // Monaco shows a hover after the mouse rests; moving onto the word again restarts that.
    const text = await until(
        async () => {
            await page.mouse.move(0, 0);
            await word.hover();
            await widget.waitFor({ state: 'visible', timeout: 5_000 }).catch(() => {});
            return (await widget.isVisible()) ? widget.textContent() : '';
        },
        (t) => t !== '',
        STEP_MS,
    );
    return { text };
}

/** The language status item says the server is ready; its "Show Output" opens the server's log. */
async function languageStatus(page) {
    await openFromExplorer(page, 'moves', 'moves.gust');
    const entry = page.locator('[id="status.languageStatus"]');
    const label = await until(() => entry.getAttribute('aria-label'), (l) => (l ?? '').includes('running'), STEP_MS);
    await entry.hover();
    const item = page.locator('.hover-language-status', { hasText: 'Gust' }).first();
    await item.waitFor({ state: 'visible' });
    const hoverText = await item.textContent();
    await item.locator('a.monaco-link', { hasText: 'Show Output' }).click();
    const output = page.locator('.monaco-editor[data-uri^="output:"]').first();
    await output.locator('.view-lines').waitFor();
    const text = await until(() => editorText(output), (t) => t.includes('ready'), STEP_MS);
    return { label, hover: hoverText, outputUri: await output.getAttribute('data-uri'), output: text };
}

/** "Gust: Explain Error" on the use after move opens the explanation of E0382 beside the code. */
async function explainError(page) {
    const ed = await openFromExplorer(page, 'moves', 'moves.gust');
    await goTo(page, ed, 19, 33); // `origin.x`, used after the move
    await runCommand(page, 'Gust: Explain Error');
    const tab = page.locator('.tabs-container .tab', { hasText: 'E0382' }).first();
    await tab.waitFor();
    // The Markdown preview is a webview: its text is in a frame of its own.
    const text = await until(
        async () => {
            for (const frame of page.frames()) {
                if (frame === page.mainFrame() || !frame.url().includes('/webview/')) {
                    continue;
                }
                const body = await frame.evaluate(() => document.body?.innerText ?? '').catch(() => '');
                if (body.includes('E0382')) {
                    return body;
                }
            }
            return '';
        },
        (t) => t !== '',
        STEP_MS,
    );
    return { tab: await tab.getAttribute('aria-label'), text };
}

/** "Gust: Show Generated Go" opens the Go of the active .gust file beside it. */
async function generatedGo(page) {
    await openFromExplorer(page, 'hello', 'hello.gust');
    await runCommand(page, 'Gust: Show Generated Go');
    const go = page.locator('.monaco-editor[data-uri^="gust-go:"]').first();
    await go.locator('.view-lines').waitFor({ timeout: STEP_MS });
    const text = await until(() => editorText(go), (t) => t.includes('func main()'), STEP_MS);
    const tabs = await page.locator('.tabs-container .tab').evaluateAll((els) => els.map((e) => e.getAttribute('aria-label')));
    return { uri: await go.getAttribute('data-uri'), text, tabs };
}

/** Ctrl+. at the cursor, until the code action menu shows. A press can be lost headless:
 *  once VS Code cancelled its code action request (a diagnostics update came in between)
 *  and no menu came, though the lightbulb was there; so press again, within STEP_MS. */
async function openQuickFixMenu(page) {
    const menu = page.locator('.action-widget:not(.action-list-submenu-panel)').first();
    const deadline = Date.now() + STEP_MS;
    for (;;) {
        await page.keyboard.press('Control+.');
        try {
            await menu.waitFor({ state: 'visible', timeout: Math.min(10_000, Math.max(1, deadline - Date.now())) });
            return menu;
        } catch (error) {
            if (Date.now() >= deadline) {
                throw error;
            }
            await page.keyboard.press('Escape');
        }
    }
}

/** The "make it mutable" quick fix, from Ctrl+., removes the E0384 diagnostic. */
async function quickFix(page) {
    const ed = await openFromExplorer(page, 'moves', 'moves.gust');
    await goTo(page, ed, 12, 5); // `n = n + 1;`, the assignment E0384 points at
    const menu = await openQuickFixMenu(page);
    const actions = await menu.locator('.monaco-list-row').evaluateAll((rows) => rows.map((r) => r.textContent));
    await menu.locator('.monaco-list-row', { hasText: 'mutable' }).first().click();
    const text = await until(() => editorText(ed), (t) => t.includes('let mut n'), STEP_MS);
    const after = await until(() => problems(page), (rows) => !rows.some((r) => r.includes('E0384')), STEP_MS);
    const squiggles = await until(() => ed.locator('.squiggly-error').count(), (n) => n < 2, STEP_MS);
    return { actions, problems: after, squiggles, text };
}

/** The 1-based number and text of the line an editor's cursor is on (its highlighted line). */
async function cursorLine(ed) {
    return ed.evaluate((node) => {
        const current = node.querySelector('.view-overlays .current-line, .view-overlays .current-line-exact');
        if (current === null) {
            return null;
        }
        const top = current.parentElement.style.top;
        const line = [...node.querySelectorAll('.view-lines .view-line')].find((l) => l.style.top === top);
        const number = [...node.querySelectorAll('.margin-view-overlays .line-numbers')]
            .find((n) => n.parentElement.style.top === top);
        return { number: Number(number?.textContent ?? 0), text: (line?.textContent ?? '').replace(/\u00a0/g, ' ') };
    });
}

/** With the Go view open, moving the cursor in one file moves it to the matching code in the other. */
async function goCursorSync(page) {
    const gust = await openFromExplorer(page, 'hello', 'hello.gust');
    await runCommand(page, 'Gust: Show Generated Go');
    const go = page.locator('.monaco-editor[data-uri^="gust-go:"]').first();
    await until(() => editorText(go), (t) => t.includes('func main()'), STEP_MS);
    await gust.locator('.view-line', { hasText: 'println!' }).click();
    const inGo = await until(() => cursorLine(go), (c) => (c?.text ?? '').includes('gustPrintln'), STEP_MS);
    await go.locator('.view-line', { hasText: 'return gustFormat' }).click();
    const inGust = await until(() => cursorLine(gust), (c) => (c?.text ?? '').includes('format!'), STEP_MS);
    return { inGo, inGust };
}

/** With the Go view open, making another .gust file the active editor shows that file's Go
 * in the view, in place of the first file's. */
async function goFollowsEditor(page) {
    await openFromExplorer(page, 'hello', 'hello.gust');
    await runCommand(page, 'Gust: Show Generated Go');
    const helloGo = page.locator('.monaco-editor[data-uri^="gust-go:"][data-uri*="/hello.gust.go"]').first();
    const first = await until(() => editorText(helloGo), (t) => t.includes('func greet('), STEP_MS);
    // The explorer opens the file in the group of the .gust editor, the active one.
    await openFromExplorer(page, 'borrows', 'borrows.gust');
    const go = page.locator('.monaco-editor[data-uri^="gust-go:"][data-uri*="/borrows.gust.go"]').first();
    const text = await until(
        async () => ((await go.count()) > 0 ? editorText(go) : ''),
        (t) => t.includes('func longest('),
        STEP_MS,
    );
    // The first file's Go view is closed, not left behind.
    const tabs = await until(
        () => page.locator('.tabs-container .tab').evaluateAll((els) => els.map((e) => e.getAttribute('aria-label'))),
        (labels) => !labels.some((l) => (l ?? '').startsWith('hello.gust.go')),
        STEP_MS,
    );
    return { first, text, tabs };
}

/** "Gust: Show Borrows" with the cursor in `main` paints where each of its loans is live (shared
 * and mutable in their two colours, the borrow itself underlined); "Gust: Hide Borrows" clears
 * them. */
async function borrows(page) {
    const ed = await openFromExplorer(page, 'borrows', 'borrows.gust');
    await goTo(page, ed, 13, 9); // `let first = &words[0];`, in `main`
    await runCommand(page, 'Gust: Show Borrows');
    const paint = async () => ({
        shared: await paintedLines(ed, 'backgroundColor', 'gust.borrowShared'),
        mutable: await paintedLines(ed, 'backgroundColor', 'gust.borrowMutable'),
        origins: await paintedLines(ed, 'borderBottomColor', 'gust.borrowBorder'),
    });
    const shown = await until(paint, (p) => p.shared.length > 0 && p.mutable.length > 0 && p.origins.length > 0, STEP_MS);
    await page.screenshot({ path: join(artifacts, 'borrows-shown.png') }).catch(() => {});
    await runCommand(page, 'Gust: Hide Borrows');
    const hidden = await until(paint, (p) => p.shared.length + p.mutable.length + p.origins.length === 0, STEP_MS);
    return { shown, hidden };
}

/** The language server process dies: the extension says so in a notification and starts it
 * again, and the new server checks the file (undoing the quick fix brings E0384 back). */
async function serverCrash(page) {
    const ed = await openFromExplorer(page, 'moves', 'moves.gust');
    const status = page.locator('[id="status.languageStatus"]');
    await until(() => status.getAttribute('aria-label'), (l) => (l ?? '').includes('running'), STEP_MS);
    const killed = serverPids();
    if (killed.length === 0) {
        throw new Error(`no gust-lsp in process group ${process.env.GUST_E2E_PGID}`);
    }
    for (const pid of killed) {
        process.kill(pid, 'SIGKILL');
    }
    const notice = await notification(page, 'stopped unexpectedly', STEP_MS);
    await page.screenshot({ path: join(artifacts, 'serverCrash-notice.png') }).catch(() => {});
    const restarted = await until(
        () => serverPids().filter((pid) => !killed.includes(pid)),
        (pids) => pids.length > 0,
        FIRST_DIAGNOSTIC_MS,
    );
    const label = await until(() => status.getAttribute('aria-label'), (l) => (l ?? '').includes('running'), FIRST_DIAGNOSTIC_MS);
    // Only a live server can report the E0384 that the undo brings back.
    await ed.locator('.view-lines').click();
    await page.keyboard.press('Control+Z');
    const text = await until(() => editorText(ed), (t) => t.includes('let n'), STEP_MS);
    const rows = await until(() => problems(page), (r) => r.some((row) => row.includes('E0384')), FIRST_DIAGNOSTIC_MS);
    return { killed, restarted, notice, label, problems: rows, text };
}

/** Right after the window (and so the server) starts, Show Generated Go on a file just opened
 * still gets its Go: the first request may reach the server before the file does. */
async function goRightAfterStart(page) {
    await runCommand(page, 'Developer: Reload Window');
    await page.locator('.monaco-workbench').waitFor({ timeout: FIRST_DIAGNOSTIC_MS });
    await openFromExplorer(page, 'hello', 'hello.gust');
    await runCommand(page, 'Gust: Show Generated Go');
    const go = page.locator('.monaco-editor[data-uri^="gust-go:"]').first();
    await go.locator('.view-lines').waitFor({ timeout: STEP_MS });
    const text = await until(() => editorText(go), (t) => t.includes('func main()'), FIRST_DIAGNOSTIC_MS);
    return { text };
}

// quickFix edits moves.gust, so it comes after the others that read it; serverCrash kills the
// server (and undoes the quick fix), so it comes after those that need a steady one;
// goRightAfterStart reloads the window (a new server, its answers still coming in), so it comes
// last of all.
const SCENARIOS = {
    diagnostics,
    hover,
    languageStatus,
    explainError,
    generatedGo,
    goCursorSync,
    goFollowsEditor,
    borrows,
    quickFix,
    serverCrash,
    goRightAfterStart,
};

// ---------------------------------------------------------------- main

async function main() {
    mkdirSync(artifacts, { recursive: true });
    const results = {};
    const browser = await chromium.launch({
        executablePath: CHROMIUM,
        headless: true,
        args: ['--no-sandbox', '--disable-gpu', '--disable-background-networking', '--disable-component-update'],
    });
    try {
        const page = await browser.newPage({ viewport: { width: 1400, height: 900 } });
        page.setDefaultTimeout(STEP_MS);
        await page.goto(url);
        await page.locator('.monaco-workbench').waitFor({ timeout: FIRST_DIAGNOSTIC_MS });
        log('workbench loaded');
        let n = 0;
        for (const [name, scenario] of Object.entries(SCENARIOS)) {
            if (only !== undefined && !only.split(',').includes(name)) {
                continue;
            }
            n += 1;
            const t0 = Date.now();
            try {
                results[name] = await scenario(page);
            } catch (error) {
                results[name] = { error: String(error?.stack ?? error) };
            }
            results[name].screenshot = join(artifacts, `${String(n).padStart(2, '0')}-${name}.png`);
            await page.screenshot({ path: results[name].screenshot }).catch(() => {});
            log(`${name}: ${results[name].error ? 'failed' : 'done'} in ${((Date.now() - t0) / 1000).toFixed(1)}s`);
            // The next scenario starts from an editor area with nothing open (the files stay
            // open in the server: closing an editor keeps the workspace's diagnostics).
            await page.keyboard.press('Escape');
            await runCommand(page, 'View: Close All Editors').catch((e) => log(`closing editors: ${e}`));
        }
    } finally {
        await browser.close();
    }
    // Kept beside the screenshots, for a look at what a failing scenario saw.
    writeFileSync(join(artifacts, 'results.json'), `${JSON.stringify(results, null, 2)}\n`);
    process.stdout.write(`${JSON.stringify(results)}\n`);
}

await main();
