// The rules for an app's file paths, as the build checks them
// (worker/src/compiler/source-files.ts), so the Code tab can refuse a bad new
// file's name in words before anything is built. The limits are the build's own.
import { IGNORED_CONFIG_FILES, RESERVED_DIRECTORY, SOURCE_LIMITS } from "$shapes/source-rules";

/** Extensions the build compiles (code) or imports as text. */
export const SOURCE_EXTENSIONS = [
  ".ts",
  ".tsx",
  ".js",
  ".jsx",
  ".mts",
  ".mjs",
  ".html",
  ".css",
  ".txt",
  ".md",
  ".svg",
  ".json",
] as const;

const MAX_PATH_LENGTH = SOURCE_LIMITS.maxPathLength;
const CONFIG_FILES = new Set(IGNORED_CONFIG_FILES);

/**
 * Why `rawPath` cannot be a new file of the app (in words a person can act on),
 * or null when it can. `existing` are the paths the app already has.
 */
export function newFilePathProblem(rawPath: string, existing: Iterable<string>): string | null {
  const path = rawPath.trim();
  if (path === "") return "Type a path for the new file, such as src/routes.ts.";
  if (path.length > MAX_PATH_LENGTH) return `That path is longer than ${MAX_PATH_LENGTH} characters.`;
  // Control characters, backslashes and drive letters mean different files to different tools.
  // biome-ignore lint/suspicious/noControlCharactersInRegex: rejecting control characters in a path is the point.
  if (/[\u0000-\u001f\u007f\\:]/.test(path))
    return "A path may not contain \\, : or control characters; separate folders with /.";
  if (path.startsWith("/")) return "Use a path inside the app, like src/routes.ts, without a leading /.";
  const segments = path.split("/");
  if (segments.includes("..")) return 'A path may not use "..": every file stays inside the app.';
  if (segments.some((s) => s === "" || s === "."))
    return 'A folder name is empty or "." (check for // or a trailing /).';
  if (segments.includes("node_modules"))
    return "Files may not go in node_modules; Kiln provides hono, zod and kiln itself.";
  if (segments[0] === RESERVED_DIRECTORY) return `${RESERVED_DIRECTORY}/ is a folder Kiln reserves for itself.`;
  if (CONFIG_FILES.has(path)) return `Kiln sets the build up itself and ignores ${path}.`;
  const name = segments.at(-1) ?? path;
  if (!SOURCE_EXTENSIONS.some((extension) => name.endsWith(extension) && name.length > extension.length)) {
    return `End the name with one of ${SOURCE_EXTENSIONS.join(", ")} (for example src/${name.includes(".") ? name.slice(0, name.indexOf(".")) || "helpers" : name}.ts).`;
  }
  for (const other of existing) {
    if (other === path) return `${path} already exists.`;
    if (other.startsWith(`${path}/`)) return `${path} is already a folder.`;
    if (path.startsWith(`${other}/`)) return `${other} is a file, so it cannot hold other files.`;
  }
  return null;
}
