// Google Sheets v4 values from inside the app isolate (https://sheets.googleapis.com/v4).
import type { sheets_v4 } from "@googleapis/sheets";
import { callGoogle, queryString, type Fetch } from "./google-request";
import type * as Api from "./index";

const SPREADSHEETS = "https://sheets.googleapis.com/v4/spreadsheets";

// A range travels as one path segment: its ":", spaces and "/" are escaped.
function valuesPath(spreadsheetId: string, range: string): string {
  return `${SPREADSHEETS}/${encodeURIComponent(spreadsheetId)}/values/${encodeURIComponent(range)}`;
}

function toUpdate(update: sheets_v4.Schema$UpdateValuesResponse | undefined): Api.SheetUpdate {
  return {
    updatedRange: update?.updatedRange ?? "",
    updatedRows: update?.updatedRows ?? 0,
    updatedColumns: update?.updatedColumns ?? 0,
    updatedCells: update?.updatedCells ?? 0,
  };
}

/** Sheets operations over `fetchFn`. */
export function sheetsClient(fetchFn: Fetch): Api.GoogleSheets {
  const call = <T>(method: string, url: string, body?: unknown) =>
    callGoogle<T>(fetchFn, "Google Sheets", method, url, body);
  return {
    async createSpreadsheet(title, sheetTitles = []) {
      const body: sheets_v4.Schema$Spreadsheet = {
        properties: { title },
        sheets: sheetTitles.map((sheetTitle) => ({ properties: { title: sheetTitle } })),
      };
      const created = await call<sheets_v4.Schema$Spreadsheet>("POST", SPREADSHEETS, body);
      return { spreadsheetId: created.spreadsheetId ?? "", url: created.spreadsheetUrl ?? "" };
    },
    async getValues(spreadsheetId, range, options = {}) {
      const url = `${valuesPath(spreadsheetId, range)}${queryString({ valueRenderOption: options.valueRenderOption, majorDimension: options.majorDimension })}`;
      const answer = await call<sheets_v4.Schema$ValueRange>("GET", url);
      // Google leaves `values` out when the range is empty.
      return (answer.values ?? []) as Api.CellValue[][];
    },
    async appendValues(spreadsheetId, range, rows, options = {}) {
      const query = queryString({
        valueInputOption: options.valueInputOption ?? "USER_ENTERED",
        insertDataOption: options.insertDataOption,
      });
      const body: sheets_v4.Schema$ValueRange = { majorDimension: "ROWS", values: rows };
      const answer = await call<sheets_v4.Schema$AppendValuesResponse>(
        "POST",
        `${valuesPath(spreadsheetId, range)}:append${query}`,
        body,
      );
      return toUpdate(answer.updates);
    },
    async updateValues(spreadsheetId, range, rows, options = {}) {
      const query = queryString({ valueInputOption: options.valueInputOption ?? "USER_ENTERED" });
      const body: sheets_v4.Schema$ValueRange = { range, majorDimension: "ROWS", values: rows };
      return toUpdate(
        await call<sheets_v4.Schema$UpdateValuesResponse>("PUT", `${valuesPath(spreadsheetId, range)}${query}`, body),
      );
    },
  };
}
