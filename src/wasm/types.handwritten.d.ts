// Hand-written: the shapes JavaScript adds around the generated Rust values.

/**
 * What `addFile` returns: for an order export or a bill the `FileInfo` of its first table (`files()`
 * lists every table an archive gave), for a fund-flow input its info, for a carry state what it held.
 */
export type Added = FileInfo | FundInputInfo | CarryInfo;
/** One file of a built-in sample, to give to `addFile(side, name, bytes)`. */
export interface SampleFile { side: InputKind; name: string; bytes: Uint8Array }
/** The built-in fund-flow sample: its files, profile JSON and date. */
export interface FundFlowSample { files: SampleFile[]; profile: string; date: string }
/**
 * What `detectSide` says a file is, from its first bytes: `side` the input it belongs to (null when
 * the content does not decide), `format` the layout that claimed it, `order_table` true for a plain
 * table of orders (an order export or a simple channel bill: only the name can tell), `why` the
 * reason content did not decide.
 */
export interface SideDetection {
  side: Exclude<InputKind, "internal"> | null; format: Format | null; order_table: boolean; why: Undecided | null;
}
/** Every error thrown by this module is an Error with these fields. */
export interface DuizhangError extends Error { code: ErrorCode; file?: string; line?: number; column?: number }
