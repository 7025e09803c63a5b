// Google Sheets v4 as the fake serves it under /v4/spreadsheets: create, and
// values get / update / append with Google's range, input and render rules.
import { randomBytes } from "node:crypto";
import type { sheets_v4 } from "@googleapis/sheets";
import { columnLetters, formatA1, parseA1, type A1Range } from "./a1-notation.ts";
import { apiError, requireScope } from "./errors.ts";
import { json, type FakeRequest, type FakeResponse } from "../../testing/fake-http.ts";
import type { TokenInfo } from "./oauth.ts";
import { DEMO_SPREADSHEET_ID, demoSignups } from "./seed.ts";

type Cell = string | number | boolean;

interface Sheet {
  sheetId: number;
  title: string;
  rows: (Cell | undefined)[][];
  rowCount: number;
  columnCount: number;
}

interface Spreadsheet {
  spreadsheetId: string;
  title: string;
  sheets: Sheet[];
}

const AUTH = "https://www.googleapis.com/auth/";
const READ_SCOPES = ["drive", "drive.file", "drive.readonly", "spreadsheets", "spreadsheets.readonly"].map(
  (s) => AUTH + s,
);
const WRITE_SCOPES = ["drive", "drive.file", "spreadsheets"].map((s) => AUTH + s);
const SERVICE = "sheets.googleapis.com";

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

function rowsOf(body: unknown): unknown[][] {
  const values = (body as { values?: unknown })?.values;
  if (values === undefined) return [];
  if (!Array.isArray(values) || values.some((row) => !Array.isArray(row)))
    throw apiError(400, "Invalid JSON payload received. 'values' must be a list of lists.");
  return values as unknown[][];
}

/** Every spreadsheet of the fake's one account. */
export class SheetsStore {
  private readonly spreadsheets = new Map<string, Spreadsheet>();

  constructor() {
    const created = this.create(
      { properties: { title: demoSignups.title }, sheets: [{ properties: { title: demoSignups.sheetTitle } }] },
      DEMO_SPREADSHEET_ID,
    );
    const sheet = this.spreadsheets.get(created.spreadsheetId as string)?.sheets[0] as Sheet;
    sheet.rows = demoSignups.rows.map((row) => [...row]);
  }

  private create(
    body: sheets_v4.Schema$Spreadsheet,
    id = randomBytes(33).toString("base64url"),
  ): sheets_v4.Schema$Spreadsheet {
    const titles = (body.sheets ?? []).map((sheet, index) => sheet.properties?.title ?? `Sheet${index + 1}`);
    if (titles.length === 0) titles.push("Sheet1");
    if (new Set(titles).size !== titles.length)
      throw apiError(400, "Invalid requests: a sheet with that name already exists. Please enter another name.");
    const spreadsheet: Spreadsheet = {
      spreadsheetId: id,
      title: body.properties?.title ?? "Untitled spreadsheet",
      sheets: titles.map((title, index) => ({
        sheetId: index === 0 ? 0 : 1_000_000 + index,
        title,
        rows: [],
        rowCount: 1000,
        columnCount: 26,
      })),
    };
    this.spreadsheets.set(id, spreadsheet);
    return {
      spreadsheetId: id,
      properties: { title: spreadsheet.title, locale: "en_US", autoRecalc: "ON_CHANGE", timeZone: "Etc/GMT" },
      sheets: spreadsheet.sheets.map((sheet, index) => ({
        properties: {
          sheetId: sheet.sheetId,
          title: sheet.title,
          index,
          sheetType: "GRID",
          gridProperties: { rowCount: sheet.rowCount, columnCount: sheet.columnCount },
        },
      })),
      spreadsheetUrl: `https://docs.google.com/spreadsheets/d/${id}/edit`,
    };
  }

  private locate(spreadsheetId: string, range: string): { sheet: Sheet; range: A1Range } {
    const spreadsheet = this.spreadsheets.get(spreadsheetId);
    if (!spreadsheet) throw apiError(404, "Requested entity was not found.", "notFound");
    const parsed = parseA1(
      range,
      spreadsheet.sheets.map((sheet) => sheet.title),
    );
    const sheet =
      parsed &&
      (parsed.sheetTitle === undefined
        ? spreadsheet.sheets[0]
        : spreadsheet.sheets.find((s) => s.title === parsed.sheetTitle));
    if (!parsed || !sheet) throw apiError(400, `Unable to parse range: ${range}`, "badRequest");
    return { sheet, range: parsed };
  }

  private get(sheet: Sheet, range: A1Range, query: URLSearchParams): sheets_v4.Schema$ValueRange {
    const render = query.get("valueRenderOption") ?? "FORMATTED_VALUE";
    if (!["FORMATTED_VALUE", "UNFORMATTED_VALUE", "FORMULA"].includes(render))
      throw apiError(400, `Invalid value at 'value_render_option', "${render}"`);
    const dimension = query.get("majorDimension") ?? "ROWS";
    if (dimension !== "ROWS" && dimension !== "COLUMNS")
      throw apiError(400, `Invalid value at 'major_dimension', "${dimension}"`);
    const endRow = Math.min(range.endRow ?? sheet.rowCount, sheet.rowCount);
    const endColumn = Math.min(range.endColumn ?? sheet.columnCount, sheet.columnCount);
    const grid: (Cell | undefined)[][] = [];
    for (let r = range.startRow; r < endRow; r += 1)
      grid.push((sheet.rows[r] ?? []).slice(range.startColumn, endColumn));
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

  /** Writes `rows` with their top-left cell at (row, column); the counts Google reports. */
  private write(
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

  private update(
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
    return this.write(spreadsheetId, sheet, range.startRow, range.startColumn, rows, option);
  }

  /** Google's append: find the table in the range, write after its last row from its first column. */
  private append(
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
    answer.updates = this.write(spreadsheetId, sheet, row, column, rows, option);
    return answer;
  }

  /** Answers a `/v4/spreadsheets…` request made with a valid token. */
  handle(request: FakeRequest, token: TokenInfo): FakeResponse {
    const parts = request.url.pathname.split("/").slice(3);
    if (parts.length === 0 && request.method === "POST") {
      requireScope(token.scopes, WRITE_SCOPES, SERVICE, "google.apps.sheets.v4.SpreadsheetsService.CreateSpreadsheet");
      return json(200, this.create(JSON.parse(request.body || "{}") as sheets_v4.Schema$Spreadsheet));
    }
    if (parts.length !== 3 || parts[1] !== "values") throw apiError(404, "Requested entity was not found.", "notFound");
    const spreadsheetId = decodeURIComponent(parts[0]);
    const appending = parts[2].endsWith(":append");
    const rangeText = decodeURIComponent(appending ? parts[2].slice(0, -":append".length) : parts[2]);
    const method = request.method;
    if (method === "GET" && !appending) {
      requireScope(token.scopes, READ_SCOPES, SERVICE, "google.apps.sheets.v4.SpreadsheetsService.GetValues");
      const { sheet, range } = this.locate(spreadsheetId, rangeText);
      return json(200, this.get(sheet, range, request.url.searchParams));
    }
    if ((method === "PUT" && !appending) || (method === "POST" && appending)) {
      requireScope(
        token.scopes,
        WRITE_SCOPES,
        SERVICE,
        `google.apps.sheets.v4.SpreadsheetsService.${appending ? "AppendValues" : "UpdateValues"}`,
      );
      const option = request.url.searchParams.get("valueInputOption");
      if (option === null) throw apiError(400, "'valueInputOption' is required but not specified");
      if (option !== "RAW" && option !== "USER_ENTERED")
        throw apiError(
          400,
          `Invalid value at 'value_input_option' (type.googleapis.com/google.apps.sheets.v4.ValueInputOption), "${option}"`,
        );
      const insert = request.url.searchParams.get("insertDataOption") ?? "OVERWRITE";
      if (insert !== "OVERWRITE" && insert !== "INSERT_ROWS")
        throw apiError(400, `Invalid value at 'insert_data_option', "${insert}"`);
      const { sheet, range } = this.locate(spreadsheetId, rangeText);
      const rows = rowsOf(JSON.parse(request.body || "{}"));
      return json(
        200,
        appending
          ? this.append(spreadsheetId, sheet, range, rows, option, insert)
          : this.update(spreadsheetId, sheet, range, rangeText, rows, option),
      );
    }
    throw apiError(404, "Requested entity was not found.", "notFound");
  }
}
