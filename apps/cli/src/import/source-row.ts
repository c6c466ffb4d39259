/** One row of the log as read, before the mapping: its place in the file and its columns by name. */
export interface SourceRow {
  /** 1-based line in the file (XES: the line of the `<event>` tag; CSV: the record's first line) */
  line: number;
  fields: Record<string, string>;
}

/** A row the reader could not make a row of (CSV: a malformed record). */
export interface UnreadableRow {
  line: number;
  reason: RejectReason;
  message: string;
  /** the case id, when the reader could still tell it */
  caseId?: string;
}

/** The rows of one case, in file order. */
export interface SourceCase {
  caseId: string;
  rows: SourceRow[];
}

export type RejectReason =
  'malformed_line' | 'missing_field' | 'bad_timestamp' | 'unknown_activity' | 'out_of_order' | 'case_not_contiguous' | 'refused_by_rules';
