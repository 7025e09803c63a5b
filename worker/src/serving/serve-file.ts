import type { Environment } from "../core/env";
import { FileError } from "../files/file-error";
import { readCurrentFile } from "../files/current-file";
import { type LinkedFile, verifyFileLink } from "../files/file-links";
import { fileScope } from "../files/file-scope";
import { fileResponse } from "../files/file-response";
import type { FilesBackend } from "../files/files-backend";
import { visitorPage } from "./pages";

/**
 * Answers a signed file link (`/_kiln/files/<name>?upload&exp&sig`) on an app host, after the environment's access
 * rule has admitted the visitor (serve-app.ts): the signature must be Kiln's, for this app, environment and file, and
 * not expired, and the upload it names must still be the file in the index (a later upload is not what was shared).
 * The file goes out with the headers that keep it inert on the app's origin (files/file-response.ts).
 */
export async function serveFileLink(
  request: Request,
  url: URL,
  target: { appId: string; environment: Environment },
  files: Pick<FilesBackend, "bucket" | "index" | "linkKey">,
): Promise<Response> {
  if (request.method !== "GET" && request.method !== "HEAD")
    return visitorPage(405, "Not allowed", "File links can only be opened, not sent to.");
  let linked: LinkedFile;
  try {
    linked = await verifyFileLink(await files.linkKey(), target, url);
  } catch (error) {
    if (error instanceof FileError && error.kind === "invalid_link")
      return visitorPage(403, "Link not valid", error.message);
    throw error;
  }
  const index = files.index(fileScope(target).database);
  const read = await readCurrentFile(files.bucket, index, linked.name, linked.upload);
  if (!read.file) {
    if (read.gone === "replaced")
      return visitorPage(
        410,
        "File replaced",
        "This file has been replaced by a newer one since this link was made. Ask for a new link.",
      );
    return visitorPage(404, "File not found", "This file is no longer there. It may have been deleted.");
  }
  const response = fileResponse(linked.name, read.file, {
    "cache-control": "private, max-age=300",
    "referrer-policy": "no-referrer",
  });
  if (request.method === "HEAD") {
    await read.file.body.cancel();
    return new Response(null, { headers: response.headers });
  }
  return response;
}
