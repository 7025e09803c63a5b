// A Drive file as the fake keeps it and as Drive answers it: the stored record, its `drive#file` resource, the
// `fields` mask of an answer, and Drive's own error bodies.
import type { drive_v3 } from "@googleapis/drive";
import { GOOGLE_FAKE_USER } from "./credentials.ts";
import { GoogleFakeError } from "./errors.ts";
import { parseFieldMask, type FieldMask } from "./fields.ts";
import { json } from "../../testing/fake-http.ts";

/** The mimeType of a Google Sheets spreadsheet. */
export const SPREADSHEET_MIME = "application/vnd.google-apps.spreadsheet";
/** The mimeType of a Drive folder. */
export const FOLDER_MIME = "application/vnd.google-apps.folder";
/** The owner's "My Drive" folder: "root" in queries and `parents`. */
export const ROOT_FOLDER_ID = "0AKilnFakeRootFolderUk9PVA";

/** A file as the fake keeps it. */
export interface StoredFile {
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

/** Drive's own error shape: `{ error: { code, message, errors: [{ reason, location… }] } }`. */
export function driveError(code: number, reason: string, message: string, location?: string): GoogleFakeError {
  const detail: Record<string, string> = { message, domain: "global", reason };
  if (location) Object.assign(detail, { location, locationType: "parameter" });
  return new GoogleFakeError(json(code, { error: { code, message, errors: [detail] } }));
}

/** 404 notFound for a file id this token may not see or that does not exist. */
export function notFound(id: string): GoogleFakeError {
  return driveError(404, "notFound", `File not found: ${id}.`, "fileId");
}

/** 400 "Invalid Value" for the parameter at `location`, with an optional reason. */
export function invalid(location: string, why?: string): GoogleFakeError {
  return driveError(400, "invalid", why ? `Invalid Value (${why})` : "Invalid Value", location);
}

function webViewLink(file: StoredFile): string {
  if (file.mimeType === SPREADSHEET_MIME) return `https://docs.google.com/spreadsheets/d/${file.id}/edit?usp=drivesdk`;
  if (file.mimeType === FOLDER_MIME) return `https://drive.google.com/drive/folders/${file.id}`;
  return `https://drive.google.com/file/d/${file.id}/view?usp=drivesdk`;
}

/** The `drive#file` resource Drive answers for a stored file. */
export function resource(file: StoredFile): drive_v3.Schema$File {
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

/** The request's `fields` mask (or `fallback`); 400 invalidParameter when it does not parse. */
export function fieldMask(query: URLSearchParams, fallback: string): FieldMask {
  const text = query.get("fields") ?? fallback;
  const mask = parseFieldMask(text);
  if (mask === null) throw driveError(400, "invalidParameter", `Invalid field selection ${text}`, "fields");
  return mask;
}
