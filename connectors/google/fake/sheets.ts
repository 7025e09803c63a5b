// Google Sheets v4 as the fake serves it under /v4/spreadsheets: create, get, batchUpdate (sheets-structure.ts), and
// values get / batchGet / update / batchUpdate / append / clear (sheets-values.ts) with Google's range, input and
// render rules. Every spreadsheet is also a file of the Drive fake.
import { randomBytes } from "node:crypto";
import type { sheets_v4 } from "@googleapis/sheets";
import { parseA1, type A1Range } from "./a1-notation.ts";
import { type DriveStore, SPREADSHEET_MIME } from "./drive.ts";
import { apiError, requireScope } from "./errors.ts";
import { applyFieldMask, parseFieldMask } from "./fields.ts";
import { json, type FakeRequest, type FakeResponse } from "../../testing/fake-http.ts";
import type { TokenInfo } from "./oauth.ts";
import { DEMO_SPREADSHEET_ID, demoSignups } from "./seed.ts";
import { batchUpdate, type Cell, type Sheet, type Spreadsheet, spreadsheetResource } from "./sheets-structure.ts";
import { appendValues, clearValues, inputOption, readValues, rowsOf, updateValues } from "./sheets-values.ts";

const AUTH = "https://www.googleapis.com/auth/";
const READ_SCOPES = ["drive", "drive.file", "drive.readonly", "spreadsheets", "spreadsheets.readonly"].map(
  (s) => AUTH + s,
);
const WRITE_SCOPES = ["drive", "drive.file", "spreadsheets"].map((s) => AUTH + s);
const SERVICE = "sheets.googleapis.com";

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
    return spreadsheetResource(spreadsheet);
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

  /** `values.update` on a sheet of this store; Drive sees the spreadsheet change. */
  private update(
    spreadsheetId: string,
    sheet: Sheet,
    range: A1Range,
    rangeText: string,
    rows: unknown[][],
    option: string,
  ): sheets_v4.Schema$UpdateValuesResponse {
    const answer = updateValues(spreadsheetId, sheet, range, rangeText, rows, option);
    this.drive.changed(spreadsheetId);
    return answer;
  }

  /** `values.append` on a sheet of this store; Drive sees the spreadsheet change. */
  private append(
    spreadsheetId: string,
    sheet: Sheet,
    range: A1Range,
    rows: unknown[][],
    option: string,
    insert: string,
  ): sheets_v4.Schema$AppendValuesResponse {
    const answer = appendValues(spreadsheetId, sheet, range, rows, option, insert);
    this.drive.changed(spreadsheetId);
    return answer;
  }

  /** `values.clear` of `rangeText`; Drive sees the spreadsheet change. */
  private clear(spreadsheetId: string, rangeText: string): string {
    const { sheet, range } = this.locate(spreadsheetId, rangeText);
    const cleared = clearValues(sheet, range);
    this.drive.changed(spreadsheetId);
    return cleared;
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
        return json(200, this.masked(spreadsheetResource(this.spreadsheet(spreadsheetId)), query));
      }
      if (action === "batchUpdate" && method === "POST") {
        write("BatchUpdateSpreadsheet");
        return json(
          200,
          batchUpdate(
            this.spreadsheet(spreadsheetId),
            body() as sheets_v4.Schema$BatchUpdateSpreadsheetRequest,
            this.drive,
          ),
        );
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
          return readValues(sheet, range, query);
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
      return json(200, readValues(sheet, range, query));
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
