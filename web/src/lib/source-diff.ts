// What changed between two versions' source files: which files were added,
// removed or changed, each with its line diff, and the totals (+x −y).
import { DEFAULT_DIFF_LIMITS, type DiffLimits, type LineDiff, diffLines } from "./line-diff";

/** How a file differs between the two versions. */
export type FileChange = "added" | "removed" | "changed";

/** One file that differs, with its line diff (which may be "too large"). */
export interface FileDiff {
  path: string;
  change: FileChange;
  diff: LineDiff;
}

/** Every differing file (sorted by path) and the line totals of those that could be diffed. */
export interface SourceDiff {
  files: FileDiff[];
  added: number;
  removed: number;
  unchanged: number;
}

/** Diffs two versions' files (`path → text`); `before` null means "no earlier version": every file is added. */
export function diffSources(
  before: Readonly<Record<string, string>> | null,
  after: Readonly<Record<string, string>>,
  limits: DiffLimits = DEFAULT_DIFF_LIMITS,
): SourceDiff {
  const old = before ?? {};
  const paths = [...new Set([...Object.keys(old), ...Object.keys(after)])].sort();
  const files: FileDiff[] = [];
  let unchanged = 0;
  for (const path of paths) {
    const a = Object.hasOwn(old, path) ? old[path] : undefined;
    const b = Object.hasOwn(after, path) ? after[path] : undefined;
    if (a === b) {
      unchanged++;
      continue;
    }
    const change: FileChange = a === undefined ? "added" : b === undefined ? "removed" : "changed";
    files.push({ path, change, diff: diffLines(a ?? "", b ?? "", limits) });
  }
  let added = 0;
  let removed = 0;
  for (const file of files) {
    if (file.diff.kind !== "diff") continue;
    added += file.diff.added;
    removed += file.diff.removed;
  }
  return { files, added, removed, unchanged };
}
