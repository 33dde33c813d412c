// Hand-written: the shapes JavaScript adds around the generated Rust values.

/**
 * What `addFile` returns: for an order export or a bill the `FileInfo` of its first table (`files()`
 * lists every table an archive gave), for a fund-flow input its info, for a carry state what it held.
 */
export type Added = FileInfo | FundInputInfo | CarryInfo;
/** One file of a built-in sample, to give to `addFile(input, name, bytes)`. */
export interface SampleFile { input: InputKind; name: string; bytes: Uint8Array }
/** The built-in fund-flow sample: its files, profile JSON and date. */
export interface FundFlowSample { files: SampleFile[]; profile: string; date: string }
/** Every error thrown by this module is an Error with these fields. */
export interface DuizhangError extends Error { code: ErrorCode; file?: string; line?: number; column?: number }
