// A spreadsheet's structure: as the fake keeps it (sheets of cells with their grid size), as Sheets answers it, and
// `spreadsheets.batchUpdate`'s structural requests (addSheet, deleteSheet, updateSpreadsheetProperties,
// updateSheetProperties).
import type { sheets_v4 } from "@googleapis/sheets";
import type { DriveStore } from "./drive.ts";
import { apiError } from "./errors.ts";

/** One cell's value; an empty cell is `undefined`. */
export type Cell = string | number | boolean;

/** One sheet (tab): its rows of cells and its grid size. */
export interface Sheet {
  sheetId: number;
  title: string;
  rows: (Cell | undefined)[][];
  rowCount: number;
  columnCount: number;
}

/** One spreadsheet: its title and sheets, in order. */
export interface Spreadsheet {
  spreadsheetId: string;
  title: string;
  sheets: Sheet[];
}

/** The `properties` of a sheet at `index`, as Sheets answers them. */
export function sheetProperties(sheet: Sheet, index: number): sheets_v4.Schema$SheetProperties {
  return {
    sheetId: sheet.sheetId,
    title: sheet.title,
    index,
    sheetType: "GRID",
    gridProperties: { rowCount: sheet.rowCount, columnCount: sheet.columnCount },
  };
}

/** The `Spreadsheet` resource Sheets answers for a stored spreadsheet. */
export function spreadsheetResource(spreadsheet: Spreadsheet): sheets_v4.Schema$Spreadsheet {
  return {
    spreadsheetId: spreadsheet.spreadsheetId,
    properties: { title: spreadsheet.title, locale: "en_US", autoRecalc: "ON_CHANGE", timeZone: "Etc/GMT" },
    sheets: spreadsheet.sheets.map((sheet, index) => ({ properties: sheetProperties(sheet, index) })),
    spreadsheetUrl: `https://docs.google.com/spreadsheets/d/${spreadsheet.spreadsheetId}/edit`,
  };
}

/**
 * `spreadsheets.batchUpdate`: the structural requests apps use most; each reply in order.
 * Tells `drive` of the new title and the change.
 */
export function batchUpdate(
  spreadsheet: Spreadsheet,
  body: sheets_v4.Schema$BatchUpdateSpreadsheetRequest,
  drive: DriveStore,
): unknown {
  const spreadsheetId = spreadsheet.spreadsheetId;
  const requests = body.requests ?? [];
  if (requests.length === 0) throw apiError(400, "Invalid requests: must have at least one request.");
  const replies = requests.map((request, index) => {
    const kinds = Object.keys(request);
    const kind = kinds[0] ?? "";
    const where = `Invalid requests[${index}].${kind}`;
    if (kinds.length !== 1) throw apiError(400, `Invalid requests[${index}]: exactly one kind of request is allowed.`);
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
      return { addSheet: { properties: sheetProperties(sheet, at) } };
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
        drive.changed(spreadsheetId, title);
      }
      return {};
    }
    throw apiError(400, `Invalid requests[${index}]: the Google fake does not simulate ${kind} requests.`);
  });
  drive.changed(spreadsheetId);
  const answer: sheets_v4.Schema$BatchUpdateSpreadsheetResponse = { spreadsheetId, replies };
  if (body.includeSpreadsheetInResponse) answer.updatedSpreadsheet = spreadsheetResource(spreadsheet);
  return answer;
}
