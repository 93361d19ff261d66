// Tokenizes Gust with the extension's grammar exactly as VS Code does (vscode-textmate with
// the Oniguruma regular expressions of VS Code), for tests/test_vscode_extension.py:
//   node test/tokenize.js syntaxes/gust.tmLanguage.json < file.gust
// prints one JSON line per source line: [[text, [scopes...]], ...].
'use strict';
const fs = require('node:fs');
const path = require('node:path');
const textmate = require('vscode-textmate');
const oniguruma = require('vscode-oniguruma');

async function main() {
    const grammarPath = process.argv[2];
    const wasm = fs.readFileSync(path.join(path.dirname(require.resolve('vscode-oniguruma')), 'onig.wasm'));
    await oniguruma.loadWASM(wasm.buffer.slice(wasm.byteOffset, wasm.byteOffset + wasm.byteLength));
    const registry = new textmate.Registry({
        onigLib: Promise.resolve({
            createOnigScanner: (patterns) => new oniguruma.OnigScanner(patterns),
            createOnigString: (s) => new oniguruma.OnigString(s),
        }),
        loadGrammar: async () => textmate.parseRawGrammar(fs.readFileSync(grammarPath, 'utf8'), grammarPath),
    });
    const grammar = await registry.loadGrammar('source.gust');
    let state = textmate.INITIAL;
    const out = [];
    for (const line of fs.readFileSync(0, 'utf8').split('\n')) {
        const result = grammar.tokenizeLine(line, state);
        out.push(JSON.stringify(result.tokens.map((t) => [line.slice(t.startIndex, t.endIndex), t.scopes])));
        state = result.ruleStack;
    }
    process.stdout.write(out.join('\n') + '\n');
}

main().catch((error) => {
    process.stderr.write(String(error && error.stack || error) + '\n');
    process.exit(1);
});
