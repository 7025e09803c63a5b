/** What a set of written files does to the current ones. */
export interface FileChanges {
  files: { path: string; change: "created" | "changed"; bytes: number }[];
  /** Current files the answer leaves as they are. */
  unchanged: number;
}

/** Which written files are new or different; a file written back identical counts as unchanged. */
export function describeFileChanges(
  current: Readonly<Record<string, string>>,
  written: Readonly<Record<string, string>>,
): FileChanges {
  const files: FileChanges["files"] = [];
  for (const [path, text] of Object.entries(written).sort(([a], [b]) => a.localeCompare(b))) {
    if (current[path] === text) continue;
    files.push({
      path,
      change: path in current ? "changed" : "created",
      bytes: new TextEncoder().encode(text).byteLength,
    });
  }
  const touched = new Set(files.map((f) => f.path));
  return { files, unchanged: Object.keys(current).filter((path) => !touched.has(path)).length };
}
