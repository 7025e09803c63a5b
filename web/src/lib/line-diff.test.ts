import { describe, expect, it } from "vitest";
import { type DiffLine, diffLines, segmentDiff, splitLines } from "./line-diff";
import { diffSources } from "./source-diff";

/** A diff in unified form (" a", "-b", "+c"), for readable expectations. */
function unified(before: string, after: string): string[] {
  const diff = diffLines(before, after);
  if (diff.kind !== "diff") throw new Error("expected a diff");
  return diff.lines.map((l) => `${l.op === "same" ? " " : l.op === "add" ? "+" : "-"}${l.text}`);
}

/** Applies a diff to its old text: the result must be the new text. */
function apply(lines: readonly DiffLine[]): string[] {
  return lines.filter((l) => l.op !== "del").map((l) => l.text);
}

describe("splitLines", () => {
  it("treats a final newline as the end of the last line", () => {
    expect(splitLines("a\nb\n")).toEqual({ lines: ["a", "b"], endsWithNewline: true });
    expect(splitLines("a\r\nb")).toEqual({ lines: ["a", "b"], endsWithNewline: false });
    expect(splitLines("")).toEqual({ lines: [], endsWithNewline: true });
  });
});

describe("diffLines", () => {
  it("finds a shortest edit script with both sides' line numbers", () => {
    const diff = diffLines("a\nb\nc\nd\n", "a\nc\nd\ne\n");
    expect(diff).toMatchObject({ kind: "diff", added: 1, removed: 1 });
    if (diff.kind !== "diff") return;
    expect(diff.lines).toEqual([
      { op: "same", text: "a", oldNumber: 1, newNumber: 1 },
      { op: "del", text: "b", oldNumber: 2, newNumber: null },
      { op: "same", text: "c", oldNumber: 3, newNumber: 2 },
      { op: "same", text: "d", oldNumber: 4, newNumber: 3 },
      { op: "add", text: "e", oldNumber: null, newNumber: 4 },
    ]);
  });

  it("shows a replaced line as a removal and an addition", () => {
    expect(unified("one\ntwo\nthree\n", "one\n2\nthree\n")).toEqual([" one", "-two", "+2", " three"]);
  });

  it("diffs empty texts, added files and removed files", () => {
    expect(unified("", "")).toEqual([]);
    expect(unified("", "x\ny\n")).toEqual(["+x", "+y"]);
    expect(unified("x\ny\n", "")).toEqual(["-x", "-y"]);
  });

  it("counts a lost final newline as a change of the last line", () => {
    const diff = diffLines("a\nb\n", "a\nb");
    if (diff.kind !== "diff") throw new Error("expected a diff");
    expect(diff.lines.map((l) => [l.op, l.text, l.noNewlineAtEnd ?? false])).toEqual([
      ["same", "a", false],
      ["del", "b", false],
      ["add", "b", true],
    ]);
  });

  it("turns the old text into the new one, for many random edits with as few edits as possible", () => {
    let seed = 7;
    const random = () => {
      seed = (seed * 1103515245 + 12345) % 2 ** 31;
      return seed / 2 ** 31;
    };
    for (let round = 0; round < 200; round++) {
      const before = Array.from({ length: Math.floor(random() * 30) }, () => "abcde"[Math.floor(random() * 5)]!);
      const after = before.filter(() => random() > 0.2).flatMap((line) => (random() > 0.8 ? [line, "new"] : [line]));
      const diff = diffLines(before.map((l) => `${l}\n`).join(""), after.map((l) => `${l}\n`).join(""));
      if (diff.kind !== "diff") throw new Error("expected a diff");
      expect(apply(diff.lines)).toEqual(after);
      expect(diff.lines.filter((l) => l.op !== "add").map((l) => l.text)).toEqual(before);
      // A shortest edit script keeps a longest common subsequence.
      expect(diff.added + diff.removed).toBe(before.length + after.length - 2 * lcsLength(before, after));
    }
  });

  it("refuses texts over the line limit or needing too many edits, instead of working for seconds", () => {
    const many = (prefix: string, count: number) => Array.from({ length: count }, (_, i) => `${prefix}${i}\n`).join("");
    expect(diffLines(many("a", 30), many("a", 30), { maxLines: 50, maxEdits: 10 })).toEqual({
      kind: "too_large",
      reason: "too_many_lines",
      lineCount: 60,
    });
    expect(diffLines(many("a", 20), many("b", 20), { maxLines: 100, maxEdits: 10 })).toMatchObject({
      kind: "too_large",
      reason: "too_many_changes",
    });
    // The same change count within the bound is diffed.
    expect(diffLines(many("a", 20), many("b", 20), { maxLines: 100, maxEdits: 40 })).toMatchObject({
      kind: "diff",
      added: 20,
      removed: 20,
    });
  });

  it("diffs a 5,000-line file with a few edits quickly", () => {
    const lines = Array.from({ length: 5000 }, (_, i) => `const line${i} = ${i};`);
    const changed = [...lines];
    changed[100] = "// edited";
    changed.splice(4000, 3);
    const started = Date.now();
    const diff = diffLines(lines.join("\n"), changed.join("\n"));
    expect(Date.now() - started).toBeLessThan(1000);
    expect(diff).toMatchObject({ kind: "diff", added: 1, removed: 4 });
  });
});

function lcsLength(a: readonly string[], b: readonly string[]): number {
  const table = Array.from({ length: a.length + 1 }, () => new Array<number>(b.length + 1).fill(0));
  for (let i = 1; i <= a.length; i++) {
    for (let j = 1; j <= b.length; j++) {
      table[i]![j] = a[i - 1] === b[j - 1] ? table[i - 1]![j - 1]! + 1 : Math.max(table[i - 1]![j]!, table[i]![j - 1]!);
    }
  }
  return table[a.length]![b.length]!;
}

describe("segmentDiff", () => {
  it("keeps three lines of context around changes and folds longer unchanged runs", () => {
    const before = Array.from({ length: 20 }, (_, i) => `line ${i + 1}`).join("\n");
    const after = before.replace("line 10", "line ten");
    const diff = diffLines(before, after);
    if (diff.kind !== "diff") throw new Error("expected a diff");
    const segments = segmentDiff(diff.lines);
    expect(segments.map((s) => [s.kind, s.lines.length])).toEqual([
      ["folded", 6],
      ["shown", 8],
      ["folded", 7],
    ]);
    expect(segments[1]!.lines[0]).toMatchObject({ text: "line 7", oldNumber: 7, newNumber: 7 });
  });

  it("shows a one-line gap between two changes rather than folding it", () => {
    const before = Array.from({ length: 9 }, (_, i) => `${i}`).join("\n");
    const after = before.replace("0", "zero").replace("8", "eight");
    const diff = diffLines(before, after);
    if (diff.kind !== "diff") throw new Error("expected a diff");
    expect(segmentDiff(diff.lines).map((s) => s.kind)).toEqual(["shown"]);
  });
});

describe("diffSources", () => {
  it("lists added, removed and changed files with their line counts", () => {
    const result = diffSources(
      { "src/index.ts": "a\nb\n", "src/old.ts": "gone\n", "README.md": "same\n" },
      { "src/index.ts": "a\nc\n", "src/new.ts": "x\ny\n", "README.md": "same\n" },
    );
    expect(result.files.map((f) => [f.path, f.change])).toEqual([
      ["src/index.ts", "changed"],
      ["src/new.ts", "added"],
      ["src/old.ts", "removed"],
    ]);
    expect(result).toMatchObject({ added: 3, removed: 2, unchanged: 1 });
  });

  it("treats a first version as adding every file", () => {
    const result = diffSources(null, { "src/index.ts": "one\n" });
    expect(result.files).toEqual([expect.objectContaining({ path: "src/index.ts", change: "added" })]);
    expect(result.added).toBe(1);
  });
});
