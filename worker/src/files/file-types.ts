/** Types by extension, for uploads that carry none (a string, bytes, a stream, a File the browser could not type). */
const BY_EXTENSION: Record<string, string> = {
  png: "image/png",
  jpg: "image/jpeg",
  jpeg: "image/jpeg",
  gif: "image/gif",
  webp: "image/webp",
  avif: "image/avif",
  svg: "image/svg+xml",
  pdf: "application/pdf",
  txt: "text/plain; charset=utf-8",
  csv: "text/csv; charset=utf-8",
  json: "application/json",
  html: "text/html; charset=utf-8",
  mp3: "audio/mpeg",
  mp4: "video/mp4",
  webm: "video/webm",
  zip: "application/zip",
};

/**
 * The Content-Type a file is stored with: the one given when it is a well-formed type, else one implied by the
 * name's extension, else `application/octet-stream`. Serving decides from it what may be shown inline.
 */
export function contentTypeFor(name: string, given: string | undefined): string {
  if (given && given.length <= 200 && /^[\w.+-]+\/[\w.+-]+(\s*;[\x20-\x7e]*)?$/.test(given)) return given;
  const extension = name.slice(name.lastIndexOf(".") + 1).toLowerCase();
  return BY_EXTENSION[extension] ?? "application/octet-stream";
}
