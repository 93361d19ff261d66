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
// assignment to an immutable variable, E0384) and hello/hello.gust (a correct program).
// Each scenario waits for what a user would wait for (a Problems entry, a hover, a view), never
// for a fixed time, records what is on screen, and saves a screenshot; a scenario that fails
// records its error and the next one still runs.

import { mkdirSync } from 'node:fs';
import { join } from 'node:path';
import { pathToFileURL } from 'node:url';

const [url, artifacts, playwrightCore, only] = process.argv.slice(2);
const { chromium } = await import(pathToFileURL(join(playwrightCore, 'index.mjs')).href);
const CHROMIUM = process.env.GUST_E2E_CHROMIUM ?? '/usr/bin/chromium';
// The first diagnostic needs code-server's extension host, the extension and the Python server
// to start: about 20 s here, more on a loaded machine.
const FIRST_DIAGNOSTIC_MS = Number(process.env.GUST_E2E_FIRST_DIAGNOSTIC_MS ?? 120_000);
const STEP_MS = 30_000;

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
    await dir.waitFor({ timeout: STEP_MS });
    if ((await dir.getAttribute('aria-expanded')) !== 'true') {
        await dir.click();
    }
    await page.getByRole('treeitem', { name: file, exact: true }).click({ timeout: STEP_MS });
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

// ---------------------------------------------------------------- scenarios

/** The use after move shows in the Problems panel with its code, and as a squiggle. */
async function diagnostics(page) {
    const t0 = Date.now();
    const ed = await openFromExplorer(page, 'moves', 'moves.gust');
    const entries = await until(() => problems(page), (rows) => rows.some((r) => r.includes('E0382')), FIRST_DIAGNOSTIC_MS);
    const seconds = (Date.now() - t0) / 1000;
    // The squiggles come with the same update as the Problems entries; give them a moment to paint.
    const squiggles = await until(() => ed.locator('.squiggly-error').count(), (n) => n >= 2, 5_000);
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

/** The "make it mutable" quick fix, from Ctrl+., removes the E0384 diagnostic. */
async function quickFix(page) {
    const ed = await openFromExplorer(page, 'moves', 'moves.gust');
    await goTo(page, ed, 12, 5); // `n = n + 1;`, the assignment E0384 points at
    await page.keyboard.press('Control+.');
    const menu = page.locator('.action-widget:not(.action-list-submenu-panel)').first();
    await menu.waitFor({ state: 'visible', timeout: STEP_MS });
    const actions = await menu.locator('.monaco-list-row').evaluateAll((rows) => rows.map((r) => r.textContent));
    await menu.locator('.monaco-list-row', { hasText: 'mutable' }).first().click();
    const after = await until(() => problems(page), (rows) => !rows.some((r) => r.includes('E0384')), STEP_MS);
    const squiggles = await until(() => ed.locator('.squiggly-error').count(), (n) => n < 2, 5_000);
    return { actions, problems: after, squiggles, text: await editorText(ed) };
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

/** Right after the window (and so the server) starts, Show Generated Go on a file just opened
 * still gets its Go: the first request may reach the server before the file does. */
async function goRightAfterStart(page) {
    await runCommand(page, 'Developer: Reload Window');
    await page.locator('.monaco-workbench').waitFor({ timeout: 90_000 });
    await openFromExplorer(page, 'hello', 'hello.gust');
    await runCommand(page, 'Gust: Show Generated Go');
    const go = page.locator('.monaco-editor[data-uri^="gust-go:"]').first();
    await go.locator('.view-lines').waitFor({ timeout: STEP_MS });
    const text = await until(() => editorText(go), (t) => t.includes('func main()'), FIRST_DIAGNOSTIC_MS);
    return { text };
}

// quickFix edits moves.gust, so it comes after the others that read it; goRightAfterStart
// reloads the window (a new server, its answers still coming in), so it comes last of all.
const SCENARIOS = {
    diagnostics, hover, languageStatus, explainError, generatedGo, goCursorSync, quickFix, goRightAfterStart,
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
        await page.locator('.monaco-workbench').waitFor({ timeout: 90_000 });
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
    process.stdout.write(`${JSON.stringify(results)}\n`);
}

await main();
