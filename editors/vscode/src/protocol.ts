// The custom messages of gust-lsp (docs/lsp.md, "Custom requests and notifications").

import { NotificationType, RequestType } from 'vscode-languageclient/node';

export interface LspPosition {
    line: number;
    character: number;
}

export interface LspRange {
    start: LspPosition;
    end: LspPosition;
}

export interface GeneratedGoParams {
    textDocument: { uri: string };
}

export interface GeneratedGoResult {
    uri: string;
    version: number;
    text: string;
    /** True while the .gust file has errors: `text` is then the last Go generated without them. */
    stale: boolean;
    /** 5 integers per Go line: Go line, then the Gust range it comes from (see sourceMap.ts). */
    sourceMap?: number[];
}

export interface GeneratedGoChangedParams {
    uri: string;
    version: number;
}

export const generatedGoRequest = new RequestType<GeneratedGoParams, GeneratedGoResult, void>(
    'gust/generatedGo',
);
export const generatedGoChanged = new NotificationType<GeneratedGoChangedParams>(
    'gust/generatedGoChanged',
);

export interface LoansParams {
    textDocument: { uri: string };
    position: LspPosition;
}

export interface Loan {
    place: string;
    kind: 'shared' | 'mut';
    origin: string;
    range: LspRange;
    liveRanges: LspRange[];
    lasting: boolean;
}

export interface Move {
    place: string;
    range: LspRange;
    into: string;
    laterUses: LspRange[];
}

export interface LoansResult {
    uri: string;
    version: number;
    function: { name: string; range: LspRange };
    loans: Loan[];
    moves: Move[];
}

export const loansRequest = new RequestType<LoansParams, LoansResult | null, void>('gust/loans');

export interface ExplainParams {
    code: string;
}

export interface ExplainResult {
    code: string;
    markdown: string;
}

export const explainRequest = new RequestType<ExplainParams, ExplainResult | null, void>('gust/explain');
