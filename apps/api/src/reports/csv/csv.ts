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

export function toCsv(columns: readonly string[], rows: ReadonlyArray<Readonly<Record<string, CsvValue>>>): string {
  const lines = [columns.map(field).join(','), ...rows.map((row) => columns.map((column) => field(row[column])).join(','))];
  return `${lines.join('\r\n')}\r\n`;
}
