// Google Sheets v4 as the fake serves it under /v4/spreadsheets: create, get, batchUpdate (addSheet, deleteSheet,
// updateSpreadsheetProperties, updateSheetProperties), and values get / batchGet / update / batchUpdate / append /
// clear with Google's range, input and render rules. Every spreadsheet is also a file of the Drive fake.
import { randomBytes } from "node:crypto";
import type { sheets_v4 } from "@googleapis/sheets";
import { columnLetters, formatA1, parseA1, type A1Range } from "./a1-notation.ts";
import { type DriveStore, SPREADSHEET_MIME } from "./drive.ts";
import { apiError, requireScope } from "./errors.ts";
import { applyFieldMask, parseFieldMask } from "./fields.ts";
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

/** The lines of a written ValueRange as rows (a COLUMNS range is turned around). */
function rowsOf(body: unknown): unknown[][] {
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
function inputOption(option: string | null): string {
  if (option === null) throw apiError(400, "'valueInputOption' is required but not specified");
  if (option !== "RAW" && option !== "USER_ENTERED")
    throw apiError(
      400,
      `Invalid value at 'value_input_option' (type.googleapis.com/google.apps.sheets.v4.ValueInputOption), "${option}"`,
    );
  return option;
}

/** A sheet to start a spreadsheet with: its title and, optionally, its rows (header first). */
export interface SheetSeed {
  title: string;
  rows?: Cell[][];
}

/** Every spreadsheet of the fake's one account. */
export class SheetsStore {
  private readonly spreadsheets = new Map<string, Spreadsheet>();
  private readonly drive: DriveStore;

  constructor(drive: DriveStore) {
    this.drive = drive;
    drive.spreadsheets = {
      create: (id, title) => {
        this.create({ properties: { title } }, { id, appCreated: true, inDrive: true });
      },
      rename: (id, title) => {
        const spreadsheet = this.spreadsheets.get(id);
        if (spreadsheet) spreadsheet.title = title;
      },
      remove: (id) => {
        this.spreadsheets.delete(id);
      },
    };
    this.createByOwner(
      demoSignups.title,
      [{ title: demoSignups.sheetTitle, rows: demoSignups.rows }],
      DEMO_SPREADSHEET_ID,
    );
  }

  /** A spreadsheet the owner made in Google's own pages (seed data, `POST /__fake/sheets/spreadsheets`). */
  createByOwner(title: string, sheets: SheetSeed[] = [], id?: string): sheets_v4.Schema$Spreadsheet {
    const created = this.create(
      { properties: { title }, sheets: sheets.map((sheet) => ({ properties: { title: sheet.title } })) },
      { id, appCreated: false, inDrive: false },
    );
    const spreadsheet = this.spreadsheets.get(created.spreadsheetId as string) as Spreadsheet;
    sheets.forEach((seed, index) => {
      (spreadsheet.sheets[index] as Sheet).rows = (seed.rows ?? []).map((row) => [...row]);
    });
    return created;
  }

  private create(
    body: sheets_v4.Schema$Spreadsheet,
    options: { id?: string; appCreated: boolean; inDrive: boolean },
  ): sheets_v4.Schema$Spreadsheet {
    const id = options.id ?? randomBytes(33).toString("base64url");
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
    if (!options.inDrive)
      this.drive.add({ id, name: spreadsheet.title, mimeType: SPREADSHEET_MIME, appCreated: options.appCreated });
    return this.resource(spreadsheet);
  }

  private resource(spreadsheet: Spreadsheet): sheets_v4.Schema$Spreadsheet {
    return {
      spreadsheetId: spreadsheet.spreadsheetId,
      properties: { title: spreadsheet.title, locale: "en_US", autoRecalc: "ON_CHANGE", timeZone: "Etc/GMT" },
      sheets: spreadsheet.sheets.map((sheet, index) => ({ properties: this.sheetProperties(sheet, index) })),
      spreadsheetUrl: `https://docs.google.com/spreadsheets/d/${spreadsheet.spreadsheetId}/edit`,
    };
  }

  private sheetProperties(sheet: Sheet, index: number): sheets_v4.Schema$SheetProperties {
    return {
      sheetId: sheet.sheetId,
      title: sheet.title,
      index,
      sheetType: "GRID",
      gridProperties: { rowCount: sheet.rowCount, columnCount: sheet.columnCount },
    };
  }

  private spreadsheet(spreadsheetId: string): Spreadsheet {
    const spreadsheet = this.spreadsheets.get(spreadsheetId);
    if (!spreadsheet) throw apiError(404, "Requested entity was not found.", "notFound");
    return spreadsheet;
  }

  private locate(spreadsheetId: string, range: string): { sheet: Sheet; range: A1Range } {
    const spreadsheet = this.spreadsheet(spreadsheetId);
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
    this.drive.changed(spreadsheetId);
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

  private clear(spreadsheetId: string, rangeText: string): string {
    const { sheet, range } = this.locate(spreadsheetId, rangeText);
    const endRow = Math.min(range.endRow ?? sheet.rows.length, sheet.rows.length);
    for (let r = range.startRow; r < endRow; r += 1) {
      const row = sheet.rows[r] ?? [];
      for (let c = range.startColumn; c < Math.min(range.endColumn ?? row.length, row.length); c += 1)
        row[c] = undefined;
    }
    this.drive.changed(spreadsheetId);
    const lastRow = Math.min(range.endRow ?? sheet.rowCount, sheet.rowCount) - 1;
    const lastColumn = Math.min(range.endColumn ?? sheet.columnCount, sheet.columnCount) - 1;
    return formatA1(sheet.title, range.startRow, range.startColumn, lastRow, lastColumn);
  }

  /** `spreadsheets.batchUpdate`: the structural requests apps use most; each reply in order. */
  private batchUpdate(spreadsheetId: string, body: sheets_v4.Schema$BatchUpdateSpreadsheetRequest): unknown {
    const spreadsheet = this.spreadsheet(spreadsheetId);
    const requests = body.requests ?? [];
    if (requests.length === 0) throw apiError(400, "Invalid requests: must have at least one request.");
    const replies = requests.map((request, index) => {
      const kinds = Object.keys(request);
      const kind = kinds[0] ?? "";
      const where = `Invalid requests[${index}].${kind}`;
      if (kinds.length !== 1)
        throw apiError(400, `Invalid requests[${index}]: exactly one kind of request is allowed.`);
      const sheetById = (sheetId: unknown) => {
        const sheet = spreadsheet.sheets.find((s) => s.sheetId === (sheetId ?? 0));
        if (!sheet) throw apiError(400, `${where}: No grid with id: ${String(sheetId)}`);
        return sheet;
      };
      const uniqueTitle = (title: string, except?: Sheet) => {
        if (spreadsheet.sheets.some((s) => s !== except && s.title.toLowerCase() === title.toLowerCase()))
          throw apiError(400, `${where}: A sheet with the name "${title}" already exists. Please enter another name.`);
        return title;
      };
      if (request.addSheet) {
        const properties = request.addSheet.properties ?? {};
        let number = spreadsheet.sheets.length + 1;
        while (spreadsheet.sheets.some((s) => s.title === `Sheet${number}`)) number += 1;
        const sheetId = properties.sheetId ?? Math.max(...spreadsheet.sheets.map((s) => s.sheetId)) + 1;
        if (spreadsheet.sheets.some((s) => s.sheetId === sheetId))
          throw apiError(400, `${where}: A sheet with id ${sheetId} already exists.`);
        const sheet: Sheet = {
          sheetId,
          title: uniqueTitle(properties.title ?? `Sheet${number}`),
          rows: [],
          rowCount: properties.gridProperties?.rowCount ?? 1000,
          columnCount: properties.gridProperties?.columnCount ?? 26,
        };
        const at = Math.min(Math.max(properties.index ?? spreadsheet.sheets.length, 0), spreadsheet.sheets.length);
        spreadsheet.sheets.splice(at, 0, sheet);
        return { addSheet: { properties: this.sheetProperties(sheet, at) } };
      }
      if (request.deleteSheet) {
        const sheet = sheetById(request.deleteSheet.sheetId);
        if (spreadsheet.sheets.length === 1)
          throw apiError(400, `${where}: You can't remove all the sheets in a document.`);
        spreadsheet.sheets.splice(spreadsheet.sheets.indexOf(sheet), 1);
        return {};
      }
      if (request.updateSheetProperties) {
        const properties = request.updateSheetProperties.properties ?? {};
        const sheet = sheetById(properties.sheetId);
        if (properties.title !== undefined && properties.title !== null)
          sheet.title = uniqueTitle(properties.title, sheet);
        return {};
      }
      if (request.updateSpreadsheetProperties) {
        const title = request.updateSpreadsheetProperties.properties?.title;
        if (title !== undefined && title !== null) {
          spreadsheet.title = title;
          this.drive.changed(spreadsheetId, title);
        }
        return {};
      }
      throw apiError(400, `Invalid requests[${index}]: the Google fake does not simulate ${kind} requests.`);
    });
    this.drive.changed(spreadsheetId);
    const answer: sheets_v4.Schema$BatchUpdateSpreadsheetResponse = { spreadsheetId, replies };
    if (body.includeSpreadsheetInResponse) answer.updatedSpreadsheet = this.resource(spreadsheet);
    return answer;
  }

  /** Answers a `/v4/spreadsheets…` request made with a valid token. */
  handle(request: FakeRequest, token: TokenInfo): FakeResponse {
    const parts = request.url.pathname.split("/").slice(3);
    const method = request.method;
    const query = request.url.searchParams;
    const read = (name: string) =>
      requireScope(token.scopes, READ_SCOPES, SERVICE, `google.apps.sheets.v4.SpreadsheetsService.${name}`);
    const write = (name: string) =>
      requireScope(token.scopes, WRITE_SCOPES, SERVICE, `google.apps.sheets.v4.SpreadsheetsService.${name}`);
    const body = () => JSON.parse(request.body || "{}") as Record<string, unknown>;
    const notFound = () => apiError(404, "Requested entity was not found.", "notFound");
    if (parts.length === 0) {
      if (method !== "POST") throw notFound();
      write("CreateSpreadsheet");
      const created = this.create(body() as sheets_v4.Schema$Spreadsheet, { appCreated: true, inDrive: false });
      return json(200, this.masked(created, query));
    }
    const [first = "", second, third] = parts;
    const [id, action] = decodeURIComponent(first).split(":");
    const spreadsheetId = id as string;
    if (parts.length === 1) {
      if (action === undefined && method === "GET") {
        read("GetSpreadsheet");
        return json(200, this.masked(this.resource(this.spreadsheet(spreadsheetId)), query));
      }
      if (action === "batchUpdate" && method === "POST") {
        write("BatchUpdateSpreadsheet");
        return json(200, this.batchUpdate(spreadsheetId, body() as sheets_v4.Schema$BatchUpdateSpreadsheetRequest));
      }
      throw notFound();
    }
    if (action !== undefined) throw notFound();
    if (parts.length === 2 && second?.startsWith("values:")) {
      const batch = second.slice("values:".length);
      if (batch === "batchGet" && method === "GET") {
        read("BatchGetValues");
        const valueRanges = query.getAll("ranges").map((rangeText) => {
          const { sheet, range } = this.locate(spreadsheetId, rangeText);
          return this.get(sheet, range, query);
        });
        return json(200, { spreadsheetId, valueRanges });
      }
      if (batch === "batchUpdate" && method === "POST") {
        write("BatchUpdateValues");
        const input = body() as sheets_v4.Schema$BatchUpdateValuesRequest;
        const option = inputOption(input.valueInputOption ?? null);
        const responses = (input.data ?? []).map((data) => {
          const rangeText = data.range ?? "";
          const { sheet, range } = this.locate(spreadsheetId, rangeText);
          return this.update(spreadsheetId, sheet, range, rangeText, rowsOf(data), option);
        });
        const total = (field: "updatedRows" | "updatedColumns" | "updatedCells") =>
          responses.reduce((sum, response) => sum + (response[field] ?? 0), 0);
        return json(200, {
          spreadsheetId,
          totalUpdatedRows: total("updatedRows"),
          totalUpdatedColumns: total("updatedColumns"),
          totalUpdatedCells: total("updatedCells"),
          totalUpdatedSheets: new Set(responses.map((response) => response.updatedRange?.split("!")[0])).size,
          responses,
        });
      }
      if (batch === "batchClear" && method === "POST") {
        write("BatchClearValues");
        const ranges = ((body() as sheets_v4.Schema$BatchClearValuesRequest).ranges ?? []).map((range) =>
          this.clear(spreadsheetId, range),
        );
        return json(200, { spreadsheetId, clearedRanges: ranges });
      }
      throw notFound();
    }
    if (parts.length !== 3 || second !== "values") throw notFound();
    const segment = third ?? "";
    const verb = /:(append|clear)$/.exec(segment)?.[1];
    const rangeText = decodeURIComponent(verb ? segment.slice(0, -(verb.length + 1)) : segment);
    if (method === "GET" && verb === undefined) {
      read("GetValues");
      const { sheet, range } = this.locate(spreadsheetId, rangeText);
      return json(200, this.get(sheet, range, query));
    }
    if (method === "POST" && verb === "clear") {
      write("ClearValues");
      return json(200, { spreadsheetId, clearedRange: this.clear(spreadsheetId, rangeText) });
    }
    if ((method === "PUT" && verb === undefined) || (method === "POST" && verb === "append")) {
      const appending = verb === "append";
      write(appending ? "AppendValues" : "UpdateValues");
      const option = inputOption(query.get("valueInputOption"));
      const insert = query.get("insertDataOption") ?? "OVERWRITE";
      if (insert !== "OVERWRITE" && insert !== "INSERT_ROWS")
        throw apiError(400, `Invalid value at 'insert_data_option', "${insert}"`);
      const { sheet, range } = this.locate(spreadsheetId, rangeText);
      const rows = rowsOf(body());
      return json(
        200,
        appending
          ? this.append(spreadsheetId, sheet, range, rows, option, insert)
          : this.update(spreadsheetId, sheet, range, rangeText, rows, option),
      );
    }
    throw notFound();
  }

  /** The answer cut to the request's `fields`, when it has one. */
  private masked(value: unknown, query: URLSearchParams): unknown {
    const fields = query.get("fields");
    if (fields === null) return value;
    const mask = parseFieldMask(fields);
    if (mask === null) throw apiError(400, `Request contains an invalid argument. Invalid field selection ${fields}`);
    return applyFieldMask(value, mask);
  }
}
