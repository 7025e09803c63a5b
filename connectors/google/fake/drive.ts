// Google Drive v3 files as the fake serves them under /drive/v3/files: list (Drive's `q` query language: name,
// mimeType, trashed, starred, fullText, created/modified times, `'…' in parents|owners`, joined with and/or/not and
// parentheses; orderBy, pageSize/pageToken, `fields`), get, create (metadata only: a spreadsheet mimeType makes a
// Sheets spreadsheet too), update (PATCH: name, description, trashed, starred, addParents/removeParents) and delete.
// Every spreadsheet of the Sheets fake is a file here. Scopes as on Google: `drive.file` sees and changes only the
// files this app created; `drive.metadata.readonly` (or drive, drive.readonly) sees every file's metadata.
import { randomBytes } from "node:crypto";
import type { drive_v3 } from "@googleapis/drive";
import { GOOGLE_FAKE_CLIENT_ID, GOOGLE_FAKE_USER } from "./credentials.ts";
import { GoogleFakeError, requireScope } from "./errors.ts";
import { applyFieldMask, parseFieldMask, type FieldMask } from "./fields.ts";
import { json, type FakeRequest, type FakeResponse } from "../../testing/fake-http.ts";
import type { TokenInfo } from "./oauth.ts";

export const SPREADSHEET_MIME = "application/vnd.google-apps.spreadsheet";
export const FOLDER_MIME = "application/vnd.google-apps.folder";
/** The owner's "My Drive" folder: "root" in queries and `parents`. */
export const ROOT_FOLDER_ID = "0AKilnFakeRootFolderUk9PVA";

const AUTH = "https://www.googleapis.com/auth/";
const SEE_ALL = ["drive", "drive.readonly", "drive.metadata", "drive.metadata.readonly"].map((s) => AUTH + s);
const READ_SCOPES = [...SEE_ALL, `${AUTH}drive.file`];
const WRITE_SCOPES = [`${AUTH}drive`, `${AUTH}drive.file`];
const SERVICE = "drive.googleapis.com";
const DEFAULT_FILE_FIELDS = "kind,id,name,mimeType";
const DEFAULT_LIST_FIELDS = `kind,incompleteSearch,nextPageToken,files(${DEFAULT_FILE_FIELDS})`;

/** A file as the fake keeps it. */
interface StoredFile {
  id: string;
  name: string;
  mimeType: string;
  parents: string[];
  description?: string;
  trashed: boolean;
  starred: boolean;
  createdTime: string;
  modifiedTime: string;
  /** Created through the API (this app may see it with `drive.file`), not by the owner in Google's own pages. */
  appCreated: boolean;
}

/** What the Sheets fake does when Drive makes, renames or deletes a spreadsheet. */
export interface SpreadsheetHooks {
  create(id: string, title: string): void;
  rename(id: string, title: string): void;
  remove(id: string): void;
}

/** Drive's own error shape: `{ error: { code, message, errors: [{ reason, location… }] } }`. */
function driveError(code: number, reason: string, message: string, location?: string): GoogleFakeError {
  const detail: Record<string, string> = { message, domain: "global", reason };
  if (location) Object.assign(detail, { location, locationType: "parameter" });
  return new GoogleFakeError(json(code, { error: { code, message, errors: [detail] } }));
}

function notFound(id: string): GoogleFakeError {
  return driveError(404, "notFound", `File not found: ${id}.`, "fileId");
}

function invalid(location: string, why?: string): GoogleFakeError {
  return driveError(400, "invalid", why ? `Invalid Value (${why})` : "Invalid Value", location);
}

function fileId(): string {
  return `1${randomBytes(32).toString("base64url").slice(0, 43)}`;
}

function webViewLink(file: StoredFile): string {
  if (file.mimeType === SPREADSHEET_MIME) return `https://docs.google.com/spreadsheets/d/${file.id}/edit?usp=drivesdk`;
  if (file.mimeType === FOLDER_MIME) return `https://drive.google.com/drive/folders/${file.id}`;
  return `https://drive.google.com/file/d/${file.id}/view?usp=drivesdk`;
}

function resource(file: StoredFile): drive_v3.Schema$File {
  const out: drive_v3.Schema$File = {
    kind: "drive#file",
    id: file.id,
    name: file.name,
    mimeType: file.mimeType,
    parents: file.parents,
    starred: file.starred,
    trashed: file.trashed,
    explicitlyTrashed: file.trashed,
    createdTime: file.createdTime,
    modifiedTime: file.modifiedTime,
    webViewLink: webViewLink(file),
    iconLink: `https://drive-thirdparty.googleusercontent.com/16/type/${file.mimeType}`,
    spaces: ["drive"],
    version: "1",
    ownedByMe: true,
    owners: [
      {
        kind: "drive#user",
        displayName: GOOGLE_FAKE_USER.name,
        emailAddress: GOOGLE_FAKE_USER.email,
        me: true,
        permissionId: GOOGLE_FAKE_USER.sub,
      },
    ],
    isAppAuthorized: file.appCreated,
  };
  if (file.description !== undefined) out.description = file.description;
  return out;
}

function fieldMask(query: URLSearchParams, fallback: string): FieldMask {
  const text = query.get("fields") ?? fallback;
  const mask = parseFieldMask(text);
  if (mask === null) throw driveError(400, "invalidParameter", `Invalid field selection ${text}`, "fields");
  return mask;
}

// --- Drive's query language (https://developers.google.com/workspace/drive/api/guides/ref-search-terms) ---

type Token = { kind: "string" | "word" | "op" | "paren"; text: string };
type Predicate = (file: StoredFile) => boolean;

function tokenize(q: string): Token[] {
  const tokens: Token[] = [];
  let i = 0;
  while (i < q.length) {
    const rest = q.slice(i);
    if (/^\s/.test(rest)) i += 1;
    else if (rest[0] === "'") {
      let text = "";
      i += 1;
      while (i < q.length && q[i] !== "'") {
        if (q[i] === "\\") i += 1;
        text += q[i] ?? "";
        i += 1;
      }
      if (i >= q.length) throw invalid("q");
      i += 1;
      tokens.push({ kind: "string", text });
    } else if (rest[0] === "(" || rest[0] === ")") {
      tokens.push({ kind: "paren", text: rest[0] });
      i += 1;
    } else {
      const op = /^(!=|<=|>=|=|<|>)/.exec(rest)?.[1];
      const word = /^[A-Za-z_][\w.]*/.exec(rest)?.[0];
      const text = op ?? word;
      if (text === undefined) throw invalid("q");
      tokens.push({ kind: op ? "op" : "word", text });
      i += text.length;
    }
  }
  return tokens;
}

/** Whether some word of `name` (or the whole name) starts with `text`: Drive's `name contains`. */
function namePrefix(name: string, text: string): boolean {
  const lower = name.toLowerCase();
  const wanted = text.toLowerCase();
  for (let i = 0; i < lower.length; i += 1)
    if ((i === 0 || /[^\p{L}\p{N}]/u.test(lower[i - 1] as string)) && lower.startsWith(wanted, i)) return true;
  return false;
}

function compare(op: string, left: string | boolean | number, right: string | boolean | number): boolean {
  if (op === "=") return left === right;
  if (op === "!=") return left !== right;
  if (typeof left !== "number" || typeof right !== "number") throw invalid("q");
  if (op === "<") return left < right;
  if (op === "<=") return left <= right;
  if (op === ">") return left > right;
  return left >= right;
}

/** Parses `q` into a test of one file; throws Google's 400 "Invalid Value" (location q) for what Drive refuses. */
export function parseDriveQuery(q: string): Predicate {
  const tokens = tokenize(q);
  let at = 0;
  const peekWord = (word: string) => tokens[at]?.kind === "word" && tokens[at]?.text.toLowerCase() === word;
  const next = () => tokens[at++] ?? (invalid("q") as never);
  const take = (kind: Token["kind"]) => {
    const token = tokens[at++];
    if (token?.kind !== kind) throw invalid("q");
    return token.text;
  };
  const boolean = () => {
    const word = take("word").toLowerCase();
    if (word !== "true" && word !== "false") throw invalid("q");
    return word === "true";
  };
  const term = (): Predicate => {
    const first = next();
    if (first.kind === "string") {
      if (!peekWord("in")) throw invalid("q");
      at += 1;
      const collection = take("word");
      if (collection === "parents") {
        const parent = first.text === "root" ? ROOT_FOLDER_ID : first.text;
        return (file) => file.parents.includes(parent);
      }
      if (["owners", "writers", "readers"].includes(collection)) {
        const me = first.text === "me" || first.text.toLowerCase() === GOOGLE_FAKE_USER.email;
        return () => me;
      }
      throw invalid("q");
    }
    if (first.kind !== "word") throw invalid("q");
    const field = first.text;
    if (field === "sharedWithMe") return () => false;
    let operator = "contains";
    if (peekWord("contains")) at += 1;
    else operator = take("op");
    switch (field) {
      case "name":
      case "mimeType": {
        const value = take("string");
        if (operator === "contains")
          return field === "name"
            ? (file) => namePrefix(file.name, value)
            : (file) => file.mimeType.toLowerCase().includes(value.toLowerCase());
        if (operator !== "=" && operator !== "!=") throw invalid("q");
        return (file) => compare(operator, file[field], value);
      }
      case "fullText": {
        if (operator !== "contains") throw invalid("q");
        const value = take("string").toLowerCase();
        return (file) => `${file.name}\n${file.description ?? ""}`.toLowerCase().includes(value);
      }
      case "trashed":
      case "starred": {
        if (operator !== "=" && operator !== "!=") throw invalid("q");
        const value = boolean();
        return (file) => compare(operator, file[field], value);
      }
      case "createdTime":
      case "modifiedTime": {
        if (operator === "contains") throw invalid("q");
        const value = Date.parse(take("string"));
        if (Number.isNaN(value)) throw invalid("q");
        return (file) => compare(operator, Date.parse(file[field]), value);
      }
      default:
        throw invalid("q", `the Google fake does not simulate '${field}' in q`);
    }
  };
  const unary = (): Predicate => {
    if (peekWord("not")) {
      at += 1;
      const inner = unary();
      return (file) => !inner(file);
    }
    if (tokens[at]?.kind === "paren" && tokens[at]?.text === "(") {
      at += 1;
      const inner = or();
      if (take("paren") !== ")") throw invalid("q");
      return inner;
    }
    return term();
  };
  const and = (): Predicate => {
    let left = unary();
    while (peekWord("and")) {
      at += 1;
      const [l, right] = [left, unary()];
      left = (file) => l(file) && right(file);
    }
    return left;
  };
  const or = (): Predicate => {
    let left = and();
    while (peekWord("or")) {
      at += 1;
      const [l, right] = [left, and()];
      left = (file) => l(file) || right(file);
    }
    return left;
  };
  const predicate = or();
  if (at !== tokens.length) throw invalid("q");
  return predicate;
}

const ORDER_KEYS: Record<string, (file: StoredFile) => string | number> = {
  name: (file) => file.name.toLowerCase(),
  name_natural: (file) => file.name.toLowerCase(),
  createdTime: (file) => Date.parse(file.createdTime),
  modifiedTime: (file) => Date.parse(file.modifiedTime),
  recency: (file) => Date.parse(file.modifiedTime),
  folder: (file) => (file.mimeType === FOLDER_MIME ? 0 : 1),
  starred: (file) => (file.starred ? 0 : 1),
};

function sorter(orderBy: string | null): ((a: StoredFile, b: StoredFile) => number) | null {
  if (!orderBy) return null;
  const keys = orderBy.split(",").map((part) => {
    const [key = "", direction, ...extra] = part.trim().split(/\s+/);
    const read = ORDER_KEYS[key];
    if (!read || extra.length > 0 || (direction !== undefined && direction !== "desc")) throw invalid("orderBy");
    return { read, sign: direction === "desc" ? -1 : 1 };
  });
  return (a, b) => {
    for (const { read, sign } of keys) {
      const [x, y] = [read(a), read(b)];
      if (x < y) return -sign;
      if (x > y) return sign;
    }
    return 0;
  };
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
