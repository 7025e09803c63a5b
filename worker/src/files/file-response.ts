import type { StoredFile } from "./file-bucket";

/**
 * Types a browser shows inline without running anything in the page's origin. Everything else (HTML, SVG, XML,
 * scripts, unknown types) is a download: a file an app's visitor uploaded must never script the app's host.
 */
const INLINE_TYPES = new Set([
  "image/png",
  "image/jpeg",
  "image/gif",
  "image/webp",
  "image/avif",
  "application/pdf",
  "text/plain",
  "audio/mpeg",
  "audio/ogg",
  "audio/wav",
  "video/mp4",
  "video/webm",
]);

/** The bare media type of a Content-Type value (`text/plain; charset=utf-8` → `text/plain`). */
export function mediaType(contentType: string): string {
  return contentType.split(";")[0]!.trim().toLowerCase();
}

/**
 * A file as a response with headers that keep it inert on the app's origin: `nosniff`, a CSP sandbox (no script,
 * no forms, no plugins, even for types a browser would render) and `attachment` for anything not in INLINE_TYPES.
 * The same headers whether a visitor follows a signed link or the app streams the file itself with `get()`.
 */
export function fileResponse(name: string, file: StoredFile, extra: HeadersInit = {}): Response {
  const type = mediaType(file.contentType);
  const headers = new Headers(extra);
  headers.set("content-type", file.contentType);
  headers.set("content-length", String(file.size));
  headers.set("etag", file.etag);
  headers.set("last-modified", new Date(file.uploaded).toUTCString());
  headers.set("x-content-type-options", "nosniff");
  headers.set(
    "content-security-policy",
    "sandbox; default-src 'none'; img-src 'self' data:; media-src 'self'; style-src 'unsafe-inline'",
  );
  headers.set("content-disposition", `${INLINE_TYPES.has(type) ? "inline" : "attachment"}; ${dispositionName(name)}`);
  return new Response(file.body, { headers });
}

// The last part of the name, as plain ASCII for old browsers and exactly (RFC 6266 / 5987) for the rest.
function dispositionName(name: string): string {
  const base = name.slice(name.lastIndexOf("/") + 1);
  const ascii = base.replace(/[^\x20-\x7e]|["\\]/g, "_");
  return `filename="${ascii}"; filename*=UTF-8''${encodeURIComponent(base)}`;
}
