// Line diffs of two texts (Myers' O(ND) algorithm) and their grouping into the
// hunks a reviewer reads: changed lines with a little context, long unchanged
// runs folded away. Pure and bounded, so the Versions tab can diff in the browser.

/** One line of a diff: kept (`same`), only in the new text (`add`) or only in the old one (`del`). */
export interface DiffLine {
  op: "same" | "add" | "del";
  text: string;
  /** 1-based line number in the old text; null for an added line. */
  oldNumber: number | null;
  /** 1-based line number in the new text; null for a removed line. */
  newNumber: number | null;
  /** The text's last line, with no newline after it. */
  noNewlineAtEnd?: true;
}

/** A diff, or why none was computed (the UI says so instead of freezing). */
export type LineDiff =
  | { kind: "diff"; lines: DiffLine[]; added: number; removed: number }
  | { kind: "too_large"; reason: "too_many_lines" | "too_many_changes"; lineCount: number };

/** Where diffing stops: larger inputs or more edits than this are reported as too large. */
export interface DiffLimits {
  /** Lines of both texts together. */
  maxLines: number;
  /** Inserted plus deleted lines (Myers' D); the work grows with lines × this. */
  maxEdits: number;
}

/** About 40 million comparison steps at worst: well under a second in a browser. */
export const DEFAULT_DIFF_LIMITS: DiffLimits = { maxLines: 20_000, maxEdits: 2_000 };

interface SplitText {
  lines: string[];
  /** False when the text does not end with a newline (and is not empty). */
  endsWithNewline: boolean;
}

/** Splits text into lines; a final newline ends the last line rather than starting an empty one. */
export function splitLines(text: string): SplitText {
  if (text === "") return { lines: [], endsWithNewline: true };
  const lines = text.split(/\r?\n/);
  const endsWithNewline = lines[lines.length - 1] === "";
  if (endsWithNewline) lines.pop();
  return { lines, endsWithNewline };
}

/**
 * Diffs `before` against `after` line by line (a shortest edit script).
 * A last line that lost or gained its newline counts as changed.
 */
export function diffLines(before: string, after: string, limits: DiffLimits = DEFAULT_DIFF_LIMITS): LineDiff {
  const a = splitLines(before);
  const b = splitLines(after);
  const lineCount = a.lines.length + b.lines.length;
  if (lineCount > limits.maxLines) return { kind: "too_large", reason: "too_many_lines", lineCount };

  // Lines are compared as small integers; a last line without a newline gets its own id.
  const ids = new Map<string, number>();
  const idsOf = (split: SplitText) =>
    Int32Array.from(split.lines, (line, i) => {
      const key = i === split.lines.length - 1 && !split.endsWithNewline ? `${line}\u0000no-newline` : line;
      let id = ids.get(key);
      if (id === undefined) {
        id = ids.size;
        ids.set(key, id);
      }
      return id;
    });
  const ops = editScript(idsOf(a), idsOf(b), limits.maxEdits);
  if (!ops) return { kind: "too_large", reason: "too_many_changes", lineCount };

  const lines: DiffLine[] = [];
  let x = 0;
  let y = 0;
  let added = 0;
  let removed = 0;
  const lastOld = a.endsWithNewline ? -1 : a.lines.length - 1;
  const lastNew = b.endsWithNewline ? -1 : b.lines.length - 1;
  for (const op of ops) {
    if (op === "same") {
      lines.push(withEnd({ op, text: a.lines[x] ?? "", oldNumber: x + 1, newNumber: y + 1 }, x === lastOld));
      x++;
      y++;
    } else if (op === "del") {
      lines.push(withEnd({ op, text: a.lines[x] ?? "", oldNumber: x + 1, newNumber: null }, x === lastOld));
      x++;
      removed++;
    } else {
      lines.push(withEnd({ op, text: b.lines[y] ?? "", oldNumber: null, newNumber: y + 1 }, y === lastNew));
      y++;
      added++;
    }
  }
  return { kind: "diff", lines, added, removed };
}

function withEnd(line: DiffLine, last: boolean): DiffLine {
  return last ? { ...line, noNewlineAtEnd: true } : line;
}

/**
 * Myers' greedy shortest edit script between two id sequences, or null when it
 * needs more than `maxEdits` insertions and deletions. Common prefix and suffix
 * are trimmed first; the trace keeps only the live diagonals of each step (O(D²) memory).
 */
function editScript(a: Int32Array, b: Int32Array, maxEdits: number): DiffLine["op"][] | null {
  let start = 0;
  while (start < a.length && start < b.length && a[start] === b[start]) start++;
  let endA = a.length;
  let endB = b.length;
  while (endA > start && endB > start && a[endA - 1] === b[endB - 1]) {
    endA--;
    endB--;
  }
  const n = endA - start;
  const m = endB - start;
  const middle: DiffLine["op"][] = [];
  if (n === 0 || m === 0) {
    for (let i = 0; i < n; i++) middle.push("del");
    for (let i = 0; i < m; i++) middle.push("add");
  } else {
    const found = middleScript(a.subarray(start, endA), b.subarray(start, endB), maxEdits);
    if (!found) return null;
    middle.push(...found);
  }
  const same = (count: number): DiffLine["op"][] => Array.from({ length: count }, () => "same");
  return [...same(start), ...middle, ...same(a.length - endA)];
}

function middleScript(a: Int32Array, b: Int32Array, maxEdits: number): DiffLine["op"][] | null {
  const n = a.length;
  const m = b.length;
  const max = Math.min(n + m, maxEdits);
  const offset = max + 1;
  const v = new Int32Array(2 * max + 3);
  // trace[d][k + d]: the furthest x on diagonal k after d edits.
  const trace: Int32Array[] = [];
  for (let d = 0; d <= max; d++) {
    for (let k = -d; k <= d; k += 2) {
      const down = k === -d || (k !== d && (v[offset + k - 1] ?? 0) < (v[offset + k + 1] ?? 0));
      let x = down ? (v[offset + k + 1] ?? 0) : (v[offset + k - 1] ?? 0) + 1;
      let y = x - k;
      while (x < n && y < m && a[x] === b[y]) {
        x++;
        y++;
      }
      v[offset + k] = x;
      if (x >= n && y >= m) {
        trace.push(v.slice(offset - d, offset + d + 1));
        return backtrack(trace, n, m);
      }
    }
    trace.push(v.slice(offset - d, offset + d + 1));
  }
  return null;
}

function backtrack(trace: Int32Array[], n: number, m: number): DiffLine["op"][] {
  const reversed: DiffLine["op"][] = [];
  let x = n;
  let y = m;
  for (let d = trace.length - 1; d > 0; d--) {
    const previous = trace[d - 1]!;
    const at = (k: number) => previous[k + d - 1] ?? 0;
    const k = x - y;
    const down = k === -d || (k !== d && at(k - 1) < at(k + 1));
    const previousK = down ? k + 1 : k - 1;
    const previousX = at(previousK);
    const previousY = previousX - previousK;
    while (x > previousX && y > previousY) {
      reversed.push("same");
      x--;
      y--;
    }
    reversed.push(down ? "add" : "del");
    x = previousX;
    y = previousY;
  }
  while (x > 0 && y > 0) {
    reversed.push("same");
    x--;
    y--;
  }
  return reversed.reverse();
}

/** A stretch of a diff as shown: lines in full, or an unchanged run folded behind "show N more lines". */
export type DiffSegment = { kind: "shown"; lines: DiffLine[] } | { kind: "folded"; lines: DiffLine[] };

/**
 * Groups diff lines for display: every change with `context` unchanged lines
 * around it; longer unchanged runs are folded (a fold of one line is not worth a button, so it is shown).
 */
export function segmentDiff(lines: readonly DiffLine[], context = 3): DiffSegment[] {
  const keep = new Array<boolean>(lines.length).fill(false);
  lines.forEach((line, i) => {
    if (line.op === "same") return;
    for (let j = Math.max(0, i - context); j <= Math.min(lines.length - 1, i + context); j++) keep[j] = true;
  });
  const segments: DiffSegment[] = [];
  let i = 0;
  while (i < lines.length) {
    const shown = keep[i]!;
    let j = i;
    while (j < lines.length && keep[j] === shown) j++;
    const run = lines.slice(i, j);
    const kind = shown || run.length <= 1 ? "shown" : "folded";
    const last = segments[segments.length - 1];
    if (kind === "shown" && last?.kind === "shown") last.lines.push(...run);
    else segments.push({ kind, lines: run });
    i = j;
  }
  return segments;
}
