// Google Drive v3 files as the fake serves them under /drive/v3/files: list (Drive's `q` query language and orderBy,
// see drive-query.ts; pageSize/pageToken, `fields`), get, create (metadata only: a spreadsheet mimeType makes a
// Sheets spreadsheet too), update (PATCH: name, description, trashed, starred, addParents/removeParents) and delete.
// Every spreadsheet of the Sheets fake is a file here. Scopes as on Google: `drive.file` sees and changes only the
// files this app created; `drive.metadata.readonly` (or drive, drive.readonly) sees every file's metadata.
import { randomBytes } from "node:crypto";
import type { drive_v3 } from "@googleapis/drive";
import { GOOGLE_FAKE_CLIENT_ID } from "./credentials.ts";
import {
  driveError,
  FOLDER_MIME,
  fieldMask,
  invalid,
  notFound,
  ROOT_FOLDER_ID,
  resource,
  SPREADSHEET_MIME,
  type StoredFile,
} from "./drive-resource.ts";
import { parseDriveQuery, sorter } from "./drive-query.ts";
import { requireScope } from "./errors.ts";
import { applyFieldMask } from "./fields.ts";
import { json, type FakeRequest, type FakeResponse } from "../../testing/fake-http.ts";
import type { TokenInfo } from "./oauth.ts";

/** Re-exported for the files that import them from drive.ts. */
export { FOLDER_MIME, ROOT_FOLDER_ID, SPREADSHEET_MIME } from "./drive-resource.ts";
export { parseDriveQuery } from "./drive-query.ts";

const AUTH = "https://www.googleapis.com/auth/";
const SEE_ALL = ["drive", "drive.readonly", "drive.metadata", "drive.metadata.readonly"].map((s) => AUTH + s);
const READ_SCOPES = [...SEE_ALL, `${AUTH}drive.file`];
const WRITE_SCOPES = [`${AUTH}drive`, `${AUTH}drive.file`];
const SERVICE = "drive.googleapis.com";
const DEFAULT_FILE_FIELDS = "kind,id,name,mimeType";
const DEFAULT_LIST_FIELDS = `kind,incompleteSearch,nextPageToken,files(${DEFAULT_FILE_FIELDS})`;

/** What the Sheets fake does when Drive makes, renames or deletes a spreadsheet. */
export interface SpreadsheetHooks {
  create(id: string, title: string): void;
  rename(id: string, title: string): void;
  remove(id: string): void;
}

/** A new file id shaped like Google's. */
function fileId(): string {
  return `1${randomBytes(32).toString("base64url").slice(0, 43)}`;
}

/** Every file of the fake's one account. */
export class DriveStore {
  private readonly files = new Map<string, StoredFile>();
  /** Set by the Sheets fake: Drive's spreadsheets are its spreadsheets. */
  spreadsheets?: SpreadsheetHooks;

  constructor() {
    this.add({ id: ROOT_FOLDER_ID, name: "My Drive", mimeType: FOLDER_MIME, appCreated: false, parents: [] });
  }

  /** Adds a file (a spreadsheet the Sheets fake made, or one the owner made in Google's pages). */
  add(input: { id?: string; name: string; mimeType: string; appCreated: boolean; parents?: string[] }): StoredFile {
    const now = new Date().toISOString();
    const file: StoredFile = {
      id: input.id ?? fileId(),
      name: input.name,
      mimeType: input.mimeType,
      parents: input.parents ?? [ROOT_FOLDER_ID],
      trashed: false,
      starred: false,
      createdTime: now,
      modifiedTime: now,
      appCreated: input.appCreated,
    };
    this.files.set(file.id, file);
    return file;
  }

  /** A spreadsheet's new title or content, as Drive shows it. */
  changed(id: string, name?: string): void {
    const file = this.files.get(id);
    if (!file) return;
    if (name !== undefined) file.name = name;
    file.modifiedTime = new Date().toISOString();
  }

  private canSee(token: TokenInfo, file: StoredFile): boolean {
    return (
      SEE_ALL.some((scope) => token.scopes.has(scope)) || (token.scopes.has(`${AUTH}drive.file`) && file.appCreated)
    );
  }

  private visible(token: TokenInfo, id: string): StoredFile {
    const file = this.files.get(id === "root" ? ROOT_FOLDER_ID : id);
    // My Drive itself is every app's to put files in.
    if (!file || (file.id !== ROOT_FOLDER_ID && !this.canSee(token, file))) throw notFound(id);
    return file;
  }

  private writable(token: TokenInfo, id: string): StoredFile {
    requireScope(token.scopes, WRITE_SCOPES, SERVICE, "google.apps.drive.v3.DriveFiles.Update");
    const file = this.visible(token, id);
    if (!token.scopes.has(`${AUTH}drive`) && !file.appCreated)
      throw driveError(
        403,
        "appNotAuthorizedToFile",
        `The user has not granted the app ${GOOGLE_FAKE_CLIENT_ID.split("-")[0]} write access to the file ${id}.`,
        "fileId",
      );
    return file;
  }

  private list(token: TokenInfo, query: URLSearchParams): unknown {
    const q = query.get("q");
    const matches = q ? parseDriveQuery(q) : () => true;
    const pageSize = Number(query.get("pageSize") ?? 100);
    if (!Number.isInteger(pageSize) || pageSize < 1 || pageSize > 1000) throw invalid("pageSize");
    let offset = 0;
    const pageToken = query.get("pageToken");
    if (pageToken) {
      offset = Number(Buffer.from(pageToken, "base64url").toString());
      if (!Number.isInteger(offset) || offset < 0) throw invalid("pageToken");
    }
    const order = sorter(query.get("orderBy"));
    const found = [...this.files.values()].filter(
      (file) => file.id !== ROOT_FOLDER_ID && this.canSee(token, file) && matches(file),
    );
    if (order) found.sort(order);
    const page: drive_v3.Schema$FileList = {
      kind: "drive#fileList",
      incompleteSearch: false,
      files: found.slice(offset, offset + pageSize).map(resource),
    };
    if (offset + pageSize < found.length)
      page.nextPageToken = Buffer.from(String(offset + pageSize)).toString("base64url");
    return applyFieldMask(page, fieldMask(query, DEFAULT_LIST_FIELDS));
  }

  private create(token: TokenInfo, request: FakeRequest): unknown {
    requireScope(token.scopes, WRITE_SCOPES, SERVICE, "google.apps.drive.v3.DriveFiles.Create");
    const body = JSON.parse(request.body || "{}") as drive_v3.Schema$File;
    const parents = (body.parents ?? ["root"]).map((parent) => {
      const folder = this.visible(token, parent);
      if (folder.mimeType !== FOLDER_MIME) throw driveError(400, "invalidParent", "The parent is not a folder.");
      return folder.id;
    });
    const file = this.add({
      name: body.name ?? "Untitled",
      mimeType: body.mimeType ?? "application/octet-stream",
      appCreated: true,
      parents,
    });
    if (body.description) file.description = body.description;
    if (body.starred) file.starred = true;
    if (file.mimeType === SPREADSHEET_MIME) this.spreadsheets?.create(file.id, file.name);
    return applyFieldMask(resource(file), fieldMask(request.url.searchParams, DEFAULT_FILE_FIELDS));
  }

  private update(token: TokenInfo, request: FakeRequest, id: string): unknown {
    const file = this.writable(token, id);
    const body = JSON.parse(request.body || "{}") as drive_v3.Schema$File;
    if (typeof body.name === "string" && body.name !== file.name) {
      file.name = body.name;
      if (file.mimeType === SPREADSHEET_MIME) this.spreadsheets?.rename(file.id, file.name);
    }
    if (typeof body.description === "string") file.description = body.description;
    if (typeof body.trashed === "boolean") file.trashed = body.trashed;
    if (typeof body.starred === "boolean") file.starred = body.starred;
    const query = request.url.searchParams;
    const ids = (name: string) => (query.get(name) ?? "").split(",").filter(Boolean);
    for (const parent of ids("removeParents")) file.parents = file.parents.filter((p) => p !== parent);
    for (const parent of ids("addParents")) {
      const folder = this.visible(token, parent);
      if (!file.parents.includes(folder.id)) file.parents.push(folder.id);
    }
    file.modifiedTime = new Date().toISOString();
    return applyFieldMask(resource(file), fieldMask(query, DEFAULT_FILE_FIELDS));
  }

  /** Answers a `/drive/v3/…` request made with a valid token. */
  handle(request: FakeRequest, token: TokenInfo): FakeResponse {
    const parts = request.url.pathname.split("/").slice(3).map(decodeURIComponent);
    const method = request.method;
    if (parts[0] !== "files" || parts.length > 2) throw driveError(404, "notFound", "Not Found");
    if (parts.length === 1) {
      if (method === "GET") {
        requireScope(token.scopes, READ_SCOPES, SERVICE, "google.apps.drive.v3.DriveFiles.List");
        return json(200, this.list(token, request.url.searchParams));
      }
      if (method === "POST") return json(200, this.create(token, request));
      throw driveError(404, "notFound", "Not Found");
    }
    const id = parts[1] as string;
    if (method === "GET") {
      requireScope(token.scopes, READ_SCOPES, SERVICE, "google.apps.drive.v3.DriveFiles.Get");
      const file = this.visible(token, id);
      if (request.url.searchParams.get("alt") === "media") {
        if (file.mimeType.startsWith("application/vnd.google-apps."))
          throw driveError(
            403,
            "fileNotDownloadable",
            "Only files with binary content can be downloaded. Use Export with Docs Editors files.",
            "alt",
          );
        return { status: 200, headers: { "content-type": file.mimeType }, body: "" };
      }
      return json(200, applyFieldMask(resource(file), fieldMask(request.url.searchParams, DEFAULT_FILE_FIELDS)));
    }
    if (method === "PATCH") return json(200, this.update(token, request, id));
    if (method === "DELETE") {
      const file = this.writable(token, id);
      this.files.delete(file.id);
      if (file.mimeType === SPREADSHEET_MIME) this.spreadsheets?.remove(file.id);
      return { status: 204 };
    }
    throw driveError(404, "notFound", "Not Found");
  }
}
