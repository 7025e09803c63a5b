// CSV encoding for data exports: RFC 4180 (comma separated, CRLF line ends,
// fields quoted when they hold a quote, comma or line break) with protection
// against spreadsheet formula injection. Pure, so the workerd tests cover it.

/** Line ending RFC 4180 prescribes. */
export const CSV_LINE_END = "\r\n";

/** First characters a spreadsheet reads as the start of a formula (or that hide one behind whitespace). */
const FORMULA_START = new Set(["=", "+", "-", "@", "\t", "\r"]);

/**
 * One field as CSV text. Null is an empty field, objects and lists are JSON; text that a
 * spreadsheet would run as a formula gets a leading `'` (numbers are left alone: `-5` is data).
 */
export function csvField(value: unknown): string {
  if (value === null || value === undefined) return "";
  let text: string;
  if (typeof value === "string") text = FORMULA_START.has(value.charAt(0)) ? `'${value}` : value;
  else if (typeof value === "number" || typeof value === "boolean" || typeof value === "bigint") text = String(value);
  else text = JSON.stringify(value) ?? "";
  return /[",\r\n]/.test(text) ? `"${text.replaceAll('"', '""')}"` : text;
}

/** One record: the fields joined with commas, ending in CRLF. */
export function csvRecord(values: readonly unknown[]): string {
  return values.map(csvField).join(",") + CSV_LINE_END;
}

/** Rows as records in `columns` order (a missing key is an empty field). */
export function csvRows(columns: readonly string[], rows: ReadonlyArray<Record<string, unknown>>): string {
  return rows.map((row) => csvRecord(columns.map((column) => row[column]))).join("");
}

/** A safe download name such as `my-shop-orders-live.csv` (only letters, digits, `-` and `_`). */
export function csvFileName(...parts: string[]): string {
  const safe = parts
    .map((part) => part.replace(/[^A-Za-z0-9_-]+/g, "-").replace(/^-+|-+$/g, ""))
    .filter((part) => part !== "");
  return `${safe.join("-") || "export"}.csv`;
}
