// Reading and writing a sheet's values as `spreadsheets.values` does: A1 ranges, `valueInputOption` (RAW or
// USER_ENTERED), `valueRenderOption`, `majorDimension`, update bounds, append's table detection and clear.
import type { sheets_v4 } from "@googleapis/sheets";
import { columnLetters, formatA1, type A1Range } from "./a1-notation.ts";
import { apiError } from "./errors.ts";
import type { Cell, Sheet } from "./sheets-structure.ts";

/** A written value: `undefined` empties the cell, `null` leaves it as it is (Google skips nulls). */
function inputCell(value: unknown, option: string, where: string): Cell | undefined | null {
  if (value === null) return null;
  if (typeof value === "number" || typeof value === "boolean") return value;
  if (typeof value !== "string") throw apiError(400, `Invalid values${where}: struct_value`);
  if (value === "") return undefined;
  if (option === "RAW") return value;
  // USER_ENTERED: read like text typed into the sheet. Formulas are kept as typed, not calculated.
  if (value.startsWith("'")) return value.slice(1);
  if (/^[+-]?(\d+\.?\d*|\.\d+)$/.test(value.trim())) return Number(value);
  if (/^(true|false)$/i.test(value.trim())) return value.trim().toUpperCase() === "TRUE";
  return value;
}

function rendered(cell: Cell | undefined, option: string): Cell {
  if (cell === undefined) return "";
  if (option !== "FORMATTED_VALUE") return cell;
  if (typeof cell === "boolean") return cell ? "TRUE" : "FALSE";
  return String(cell);
}

/** The lines of a written ValueRange as rows (a COLUMNS range is turned around). */
export function rowsOf(body: unknown): unknown[][] {
  const { values, majorDimension } = (body ?? {}) as { values?: unknown; majorDimension?: unknown };
  if (values === undefined) return [];
  if (!Array.isArray(values) || values.some((row) => !Array.isArray(row)))
    throw apiError(400, "Invalid JSON payload received. 'values' must be a list of lists.");
  const lines = values as unknown[][];
  if (majorDimension !== "COLUMNS") return lines;
  const height = Math.max(0, ...lines.map((line) => line.length));
  return Array.from({ length: height }, (_, r) => lines.map((line) => line[r] ?? null));
}

/** The required `valueInputOption` of a write. */
export function inputOption(option: string | null): string {
  if (option === null) throw apiError(400, "'valueInputOption' is required but not specified");
  if (option !== "RAW" && option !== "USER_ENTERED")
    throw apiError(
      400,
      `Invalid value at 'value_input_option' (type.googleapis.com/google.apps.sheets.v4.ValueInputOption), "${option}"`,
    );
  return option;
}

/** The values of `range` as `values.get` answers them, rendered and laid out as the query asks. */
export function readValues(sheet: Sheet, range: A1Range, query: URLSearchParams): sheets_v4.Schema$ValueRange {
  const render = query.get("valueRenderOption") ?? "FORMATTED_VALUE";
  if (!["FORMATTED_VALUE", "UNFORMATTED_VALUE", "FORMULA"].includes(render))
    throw apiError(400, `Invalid value at 'value_render_option', "${render}"`);
  const dimension = query.get("majorDimension") ?? "ROWS";
  if (dimension !== "ROWS" && dimension !== "COLUMNS")
    throw apiError(400, `Invalid value at 'major_dimension', "${dimension}"`);
  const endRow = Math.min(range.endRow ?? sheet.rowCount, sheet.rowCount);
  const endColumn = Math.min(range.endColumn ?? sheet.columnCount, sheet.columnCount);
  const grid: (Cell | undefined)[][] = [];
  for (let r = range.startRow; r < endRow; r += 1) grid.push((sheet.rows[r] ?? []).slice(range.startColumn, endColumn));
  const lines =
    dimension === "ROWS"
      ? grid
      : Array.from({ length: endColumn - range.startColumn }, (_, c) => grid.map((row) => row[c]));
  // Google leaves out trailing empty cells of each line, then trailing empty lines.
  const values = lines.map((line) => {
    let end = line.length;
    while (end > 0 && line[end - 1] === undefined) end -= 1;
    return line.slice(0, end).map((cell) => rendered(cell, render));
  });
  while (values.length > 0 && values[values.length - 1].length === 0) values.pop();
  const answer: sheets_v4.Schema$ValueRange = {
    range: formatA1(sheet.title, range.startRow, range.startColumn, endRow - 1, endColumn - 1),
    majorDimension: dimension,
  };
  if (values.length > 0) answer.values = values;
  return answer;
}

/**
 * Writes `rows` with their top-left cell at (row, column); the counts Google reports.
 * The caller tells Drive the spreadsheet changed.
 */
export function writeValues(
  spreadsheetId: string,
  sheet: Sheet,
  row: number,
  column: number,
  rows: unknown[][],
  option: string,
): sheets_v4.Schema$UpdateValuesResponse {
  const width = Math.max(0, ...rows.map((line) => line.length));
  let updatedCells = 0;
  const touchedRows = new Set<number>();
  const touchedColumns = new Set<number>();
  rows.forEach((line, r) => {
    line.forEach((value, c) => {
      const cell = inputCell(value, option, `[${r}][${c}]`);
      if (cell === null) return;
      sheet.rows[row + r] ??= [];
      sheet.rows[row + r]![column + c] = cell;
      updatedCells += 1;
      touchedRows.add(r);
      touchedColumns.add(c);
    });
  });
  const answer: sheets_v4.Schema$UpdateValuesResponse = {
    spreadsheetId,
    updatedRows: touchedRows.size,
    updatedColumns: touchedColumns.size,
    updatedCells,
  };
  if (rows.length > 0 && width > 0)
    answer.updatedRange = formatA1(sheet.title, row, column, row + rows.length - 1, column + width - 1);
  return answer;
}

/** `values.update`: writes `rows` at the range's top-left cell, refusing what overflows the range or the grid. */
export function updateValues(
  spreadsheetId: string,
  sheet: Sheet,
  range: A1Range,
  rangeText: string,
  rows: unknown[][],
  option: string,
): sheets_v4.Schema$UpdateValuesResponse {
  const width = Math.max(0, ...rows.map((line) => line.length));
  if (range.endRow !== undefined && range.startRow + rows.length > range.endRow) {
    throw apiError(
      400,
      `Requested writing within range [${rangeText}], but tried writing to row [${range.startRow + rows.length}]`,
    );
  }
  if (range.endColumn !== undefined && range.startColumn + width > range.endColumn) {
    throw apiError(
      400,
      `Requested writing within range [${rangeText}], but tried writing to column [${columnLetters(range.startColumn + width - 1)}]`,
    );
  }
  if (range.startRow + rows.length > sheet.rowCount || range.startColumn + width > sheet.columnCount) {
    throw apiError(
      400,
      `Range (${rangeText}) exceeds grid limits. Max rows: ${sheet.rowCount}, max columns: ${sheet.columnCount}`,
    );
  }
  return writeValues(spreadsheetId, sheet, range.startRow, range.startColumn, rows, option);
}

/** Google's append: find the table in the range, write after its last row from its first column. */
export function appendValues(
  spreadsheetId: string,
  sheet: Sheet,
  range: A1Range,
  rows: unknown[][],
  option: string,
  insert: string,
): sheets_v4.Schema$AppendValuesResponse {
  const endColumn = range.endColumn ?? sheet.columnCount;
  const endRow = range.endRow ?? sheet.rows.length;
  const filled = (r: number) =>
    (sheet.rows[r] ?? []).slice(range.startColumn, endColumn).some((cell) => cell !== undefined);
  let tableStart = range.startRow;
  while (tableStart < endRow && !filled(tableStart)) tableStart += 1;
  const answer: sheets_v4.Schema$AppendValuesResponse = { spreadsheetId };
  let row = range.startRow;
  let column = range.startColumn;
  if (tableStart < endRow) {
    let tableEnd = tableStart;
    while (filled(tableEnd + 1)) tableEnd += 1;
    const columns = sheet.rows
      .slice(tableStart, tableEnd + 1)
      .flatMap((line) =>
        line.flatMap((cell, c) => (cell !== undefined && c >= range.startColumn && c < endColumn ? [c] : [])),
      );
    column = Math.min(...columns);
    row = tableEnd + 1;
    answer.tableRange = formatA1(sheet.title, tableStart, column, tableEnd, Math.max(...columns));
  }
  if (insert === "INSERT_ROWS") {
    sheet.rows.splice(row, 0, ...rows.map(() => []));
    sheet.rowCount += rows.length;
  }
  sheet.rowCount = Math.max(sheet.rowCount, row + rows.length);
  answer.updates = writeValues(spreadsheetId, sheet, row, column, rows, option);
  return answer;
}

/** Empties the cells of `range`; the range cleared, in A1 (the caller tells Drive the spreadsheet changed). */
export function clearValues(sheet: Sheet, range: A1Range): string {
  const endRow = Math.min(range.endRow ?? sheet.rows.length, sheet.rows.length);
  for (let r = range.startRow; r < endRow; r += 1) {
    const row = sheet.rows[r] ?? [];
    for (let c = range.startColumn; c < Math.min(range.endColumn ?? row.length, row.length); c += 1) row[c] = undefined;
  }
  const lastRow = Math.min(range.endRow ?? sheet.rowCount, sheet.rowCount) - 1;
  const lastColumn = Math.min(range.endColumn ?? sheet.columnCount, sheet.columnCount) - 1;
  return formatA1(sheet.title, range.startRow, range.startColumn, lastRow, lastColumn);
}
