/** Characters that make a spreadsheet read a cell as a formula (or hide one behind a tab or CR). */
const FORMULA_START = /^[=+\-@\t\r]/;

/**
 * One CSV cell (RFC 4180): quoted when it holds a comma, quote or line break, quotes doubled.
 * A cell that a spreadsheet would run as a formula (= + - @, or a leading tab/CR) is defused
 * with a leading ' and always quoted, so "=HYPERLINK(…)" stays text in Excel and Sheets.
 */
export function csvField(value: string | number | boolean | Date | null | undefined): string {
  if (value === null || value === undefined) return "";
  let text = value instanceof Date ? value.toISOString() : String(value);
  let quote = /[",\r\n]/.test(text);
  if (FORMULA_START.test(text)) {
    text = `'${text}`;
    quote = true;
  }
  return quote ? `"${text.replace(/"/g, '""')}"` : text;
}

export function csvRow(values: ReadonlyArray<Parameters<typeof csvField>[0]>): string {
  return values.map(csvField).join(",");
}

/** One CSV record with its CRLF line end (RFC 4180), so records can be streamed one batch at a time. */
export function csvLine(values: ReadonlyArray<Parameters<typeof csvField>[0]>): string {
  return `${csvRow(values)}\r\n`;
}
