// A1 notation as Google Sheets reads it: "Sheet1!A1:C10", "'My sheet'!A:C",
// "Sheet1!2:5", "Sheet1", "A1:B2" (first sheet). Rows and columns are 0-based here.

/** A parsed range; an absent end means "to the edge of the sheet". */
export interface A1Range {
  sheetTitle?: string;
  startRow: number;
  startColumn: number;
  /** Exclusive. */
  endRow?: number;
  /** Exclusive. */
  endColumn?: number;
}

const CELL = /^([A-Z]*)(\d*)$/i;

function columnIndex(letters: string): number {
  let index = 0;
  for (const letter of letters.toUpperCase()) index = index * 26 + (letter.charCodeAt(0) - 64);
  return index - 1;
}

/** "A" for 0, "AA" for 26. */
export function columnLetters(index: number): string {
  let letters = "";
  for (let n = index + 1; n > 0; n = Math.floor((n - 1) / 26))
    letters = String.fromCharCode(65 + ((n - 1) % 26)) + letters;
  return letters;
}

function isReference(text: string): boolean {
  return text.split(":").every((part) => part !== "" && CELL.test(part)) && text.split(":").length <= 2;
}

/**
 * Parses `range` against the spreadsheet's sheet titles (a bare "Sheet1" is a
 * sheet, not column SHEET row 1), or returns null when Google would answer "Unable to parse range".
 */
export function parseA1(range: string, sheetTitles: readonly string[]): A1Range | null {
  let sheetTitle: string | undefined;
  let cells = range;
  const quoted = /^'((?:[^']|'')+)'(?:!(.*))?$/.exec(range);
  if (quoted) {
    sheetTitle = quoted[1].replace(/''/g, "'");
    cells = quoted[2] ?? "";
  } else if (range.includes("!")) {
    sheetTitle = range.slice(0, range.lastIndexOf("!"));
    cells = range.slice(range.lastIndexOf("!") + 1);
  } else if (sheetTitles.includes(range) || !isReference(range)) {
    sheetTitle = range;
    cells = "";
  }
  if (cells === "") return { sheetTitle, startRow: 0, startColumn: 0 };
  if (!isReference(cells)) return null;
  const [first, last = first] = cells.split(":").map((part) => CELL.exec(part) as RegExpExecArray);
  const [, firstColumn, firstRow] = first;
  const [, lastColumn, lastRow] = last;
  const parsed: A1Range = {
    sheetTitle,
    startRow: firstRow ? Number(firstRow) - 1 : 0,
    startColumn: firstColumn ? columnIndex(firstColumn) : 0,
    endRow: lastRow ? Number(lastRow) : undefined,
    endColumn: lastColumn ? columnIndex(lastColumn) + 1 : undefined,
  };
  if (parsed.startRow < 0 || (parsed.endRow !== undefined && parsed.endRow <= parsed.startRow)) return null;
  if (parsed.endColumn !== undefined && parsed.endColumn <= parsed.startColumn) return null;
  return parsed;
}

/** "Sheet1!A1:C3" (the title quoted when Google would quote it); ends inclusive, 0-based. */
export function formatA1(
  sheetTitle: string,
  startRow: number,
  startColumn: number,
  lastRow: number,
  lastColumn: number,
): string {
  const title = /^[A-Za-z0-9_]+$/.test(sheetTitle) ? sheetTitle : `'${sheetTitle.replace(/'/g, "''")}'`;
  const from = `${columnLetters(startColumn)}${startRow + 1}`;
  const to = `${columnLetters(lastColumn)}${lastRow + 1}`;
  return from === to ? `${title}!${from}` : `${title}!${from}:${to}`;
}
