/**
 * CSV as RFC 4180 describes it: a header row, CRLF line ends, and a field quoted (its quotes
 * doubled) when it holds a comma, a quote, CR or LF. Leading/trailing spaces are data, kept
 * as they are. Null and undefined are empty fields; instants are ISO-8601 in UTC.
 */
export type CsvValue = string | number | boolean | Date | null | undefined;

function field(value: CsvValue): string {
  if (value === null || value === undefined) return '';
  const text = value instanceof Date ? value.toISOString() : String(value);
  return /[",\r\n]/.test(text) ? `"${text.replace(/"/g, '""')}"` : text;
}

/** One record with its CRLF: the header when given the column names, a row when given a row. */
export function csvRecord(columns: readonly string[], row?: Readonly<Record<string, CsvValue>>): string {
  return `${columns.map((column) => field(row === undefined ? column : row[column])).join(',')}\r\n`;
}

export function toCsv(columns: readonly string[], rows: ReadonlyArray<Readonly<Record<string, CsvValue>>>): string {
  return [csvRecord(columns), ...rows.map((row) => csvRecord(columns, row))].join('');
}
