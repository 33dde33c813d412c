// The messages between the page and its worker (www/worker.js), as discriminated unions on `type`:
// types only, for JSDoc (`import('./protocol.js').Request`), checked by `tsc` (tsconfig.json). The
// engine's own types (Summary, Page, InputDetection, …) come from the generated pkg/duizhang.d.ts.
//
// A run's messages carry its `run` id back, so the page can ignore what a cancelled run still says;
// `id` pairs a page or detect answer with its request. Money stays the engine's strings end to end.

/**
 * @typedef {import('../pkg/duizhang.js').CarryInfo} CarryInfo
 * @typedef {import('../pkg/duizhang.js').ClearingSummary} ClearingSummary
 * @typedef {import('../pkg/duizhang.js').ClearingClass} ClearingClass
 * @typedef {import('../pkg/duizhang.js').ClearingException} ClearingException
 * @typedef {import('../pkg/duizhang.js').Exception} Exception
 * @typedef {import('../pkg/duizhang.js').Format} Format
 * @typedef {import('../pkg/duizhang.js').FundFlowSummary} FundFlowSummary
 * @typedef {import('../pkg/duizhang.js').FundInputInfo} FundInputInfo
 * @typedef {import('../pkg/duizhang.js').FundOutcome} FundOutcome
 * @typedef {import('../pkg/duizhang.js').InputKind} InputKind
 * @typedef {import('../pkg/duizhang.js').ItemView} ItemView
 * @typedef {import('../pkg/duizhang.js').MatchView} MatchView
 * @typedef {import('../pkg/duizhang.js').Outcome} Outcome
 * @typedef {import('../pkg/duizhang.js').RowIssue} RowIssue
 * @typedef {import('../pkg/duizhang.js').InputDetection} InputDetection
 * @typedef {import('../pkg/duizhang.js').Summary} Summary
 * @typedef {import('../pkg/duizhang.js').Action} Action
 * @typedef {import('../pkg/duizhang.js').HandlingReport} HandlingReport
 */
/**
 * @template T
 * @typedef {import('../pkg/duizhang.js').Page<T>} Page
 */

// ---------------------------------------------------------------------------------------------
// page → worker

/**
 * One input of a run. The page sends the picked `File` (`blob`), which the worker reads into one
 * buffer in chunks; bytes (the samples', or a caller's) are used as they are, an ArrayBuffer is
 * transferred. `format` forces how an internal or channel file is read (the per-file override).
 * @typedef {{input: InputKind, name: string, format?: Format} & ({blob: Blob} | {bytes: ArrayBuffer | Uint8Array})} RunFile
 */

/**
 * What every run message may carry: `run`, echoed on its progress, summary and error; `cancel`, a
 * flag on a SharedArrayBuffer the page sets ([0] = 1) to stop the run (cross-origin isolation only).
 * @typedef {{run?: number, cancel?: Int32Array}} RunControl
 */

/**
 * Reconciles the files. Internal and channel files are optional with a `bank` file (fund flow);
 * `bookBalance` (an amount string) goes to setBookBalance(); `profile` is the profile JSON text;
 * `date` is YYYY-MM-DD (absent: inferred).
 * @typedef {RunControl & {type: 'run', files: RunFile[], bookBalance?: string, profile?: string, date?: string}} RunRequest
 */

/**
 * Runs the sample day embedded in the module (sampleDay() with sampleProfile(); no fetch);
 * `formats[i]` forces the format of the i-th file.
 * @typedef {RunControl & {type: 'sample', date?: string, formats?: Formats}} SampleRequest
 */

/**
 * Runs the fund-flow sample embedded in the module (sampleFundFlow(): its files, profile and date).
 * @typedef {RunControl & {type: 'fund_sample', date?: string, formats?: Formats}} FundSampleRequest
 */

/** A Format per input index. @typedef {Partial<Record<number, Format>>} Formats */

/** @typedef {'exceptions' | 'issues' | 'fund_matches' | 'fund_exceptions' | 'clearing_exceptions'} PageKind */

/**
 * One page of a table of the last result: exceptions (of one outcome), row issues, fund-flow matches
 * (fundFlowMatches()), or open fund-flow items (fundFlowExceptions(), of one fund outcome).
 * @typedef {{type: 'page', offset: number, limit: number, id?: number} & (
 *   {what: 'exceptions', outcome?: Outcome} | {what: 'issues'} | {what: 'fund_matches', merchant?: string}
 *   | {what: 'fund_exceptions', outcome?: FundOutcome, merchant?: string}
 *   | {what: 'clearing_exceptions', class?: ClearingClass, merchant?: string})} PageRequest
 */

/** @typedef {'csv' | 'json' | 'fund_csv' | 'carry' | 'clearing_csv' | 'merchant_csv' | 'audit' | 'documents'} ExportFormat */

/**
 * An export of the last result: the exceptions CSV, the report JSON, the fund-flow CSV
 * (exportFundFlowCsv()), tomorrow's state file (carryState()), the 结算单 (exportClearingCsv()), the
 * audit log of 差错处理 (auditLog(): its lines can no longer be undone) or its documents (documents()).
 * @typedef {{type: 'export', format: ExportFormat, merchant?: string}} ExportRequest
 */

/**
 * Which input each file is, by content: detectInput() on the first 64 KiB of each file only.
 * @typedef {{type: 'detect', files: Blob[], id?: number}} DetectRequest
 */

/**
 * Resolves one item of the last result (差错处理): resolve(); `at` is the page's timestamp (the engine
 * never reads the clock). Or undoes the item's last resolution: unresolve().
 * @typedef {{type: 'resolve', id: string, action: Action, note: string, by: string, at: string}
 *   | {type: 'unresolve', id: string}} ResolveRequest
 */

/** @typedef {RunRequest | SampleRequest | FundSampleRequest | PageRequest | ExportRequest | DetectRequest | ResolveRequest} Request */

// ---------------------------------------------------------------------------------------------
// worker → page

/** Once, after init(). @typedef {{type: 'ready', version: string}} ReadyReply */

/**
 * How far the run is: `done`/`total` are thousandths of the run; at most every 50 ms, also during one
 * long addFile()/run(). `file`: the file being read.
 * @typedef {{type: 'progress', phase: 'read' | 'match' | 'done', done: number, total: number, file: string | null, run?: number}} ProgressReply
 */

/** What addFile() said of a fund-flow input, with `source`, its index in the run's files. @typedef {(FundInputInfo | CarryInfo) & {source: number}} FundInput */

/**
 * A finished run. `summary`: run()'s Summary; `sources[i]`: the index (in the run's files) of the
 * input that gave summary.files[i] (an archive gives several tables); `inputs`: the fund-flow inputs;
 * `fund`: fundFlow() (null without bank, payouts or carry input); `clearing`: clearing() (null
 * without a clearing profile section or fund-flow input); `handling`: handling() (null without
 * resolutions files or a state file's log); `converted`: the names of the spreadsheets read through
 * the sheets module.
 * @typedef {{type: 'summary', summary: Summary, sources: number[], inputs: FundInput[], fund: FundFlowSummary | null, clearing: ClearingSummary | null, handling: HandlingReport | null, converted: string[], run?: number}} SummaryReply
 */

/**
 * One page, `id` echoed from the request.
 * @typedef {{type: 'page', id?: number} & (
 *   {what: 'exceptions', page: Page<Exception>} | {what: 'issues', page: Page<RowIssue>}
 *   | {what: 'fund_matches', page: Page<MatchView>} | {what: 'fund_exceptions', page: Page<ItemView>}
 *   | {what: 'clearing_exceptions', page: Page<ClearingException>})} PageReply
 */

/** An export's bytes, in a buffer of their own (transferred). @typedef {{type: 'export', format: ExportFormat, bytes: Uint8Array<ArrayBuffer>}} ExportReply */

/**
 * One detection per file, in order; null when the file could not be read (its name decides).
 * @typedef {{type: 'detected', results: (InputDetection | null)[], id?: number}} DetectedReply
 */

/**
 * The engine's error as it crosses: a stable code and where. Code `cancelled`: the run stopped
 * because the page set the cancel flag.
 * @typedef {{code: string, message: string, file: string | null, line: number | null, column: number | null}} WireError
 */

/**
 * A request failed. `fatal`: the module cannot be used any more (a failed init or a Wasm trap);
 * the page replaces the worker. `run`: the run that failed, for run messages.
 * @typedef {{type: 'error', error: WireError, fatal?: true, run?: number}} ErrorReply
 */

/**
 * What a resolve or unresolve did: the 差错处理 section after it, or why it was refused (nothing changed).
 * @typedef {{type: 'resolved', id: string, handling: HandlingReport | null, error: WireError | null}} ResolvedReply
 */

/** @typedef {ReadyReply | ProgressReply | SummaryReply | PageReply | ExportReply | DetectedReply | ResolvedReply | ErrorReply} Reply */

/**
 * The worker's global as the protocol uses it (the program is checked with the DOM library, where
 * `self` is a Window).
 * @typedef {{postMessage(message: Reply, transfer?: Transferable[]): void, onmessage: ((event: MessageEvent<Request>) => void) | null}} WorkerScope
 */

export {};
