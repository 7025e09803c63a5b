import { describe, expect, it } from "vitest";
import { buildFileTree, foldersOf, offsetOf, visibleRows } from "./file-tree";

describe("the Code tab's file tree", () => {
  const tree = buildFileTree(["src/index.ts", "README.md", "src/lib/db.ts", "src/api.ts", "public/app.css"]);

  it("nests folders, folders first, each level sorted by name", () => {
    const names = visibleRows(tree, new Set()).map(
      (row) => `${"  ".repeat(row.depth)}${row.name}${row.kind === "folder" ? "/" : ""}`,
    );
    expect(names).toEqual([
      "public/",
      "  app.css",
      "src/",
      "  lib/",
      "    db.ts",
      "  api.ts",
      "  index.ts",
      "README.md",
    ]);
  });

  it("hides what a collapsed folder holds", () => {
    expect(visibleRows(tree, new Set(["src"])).map((row) => row.path)).toEqual([
      "public",
      "public/app.css",
      "src",
      "README.md",
    ]);
    expect(visibleRows(tree, new Set(["src/lib"])).map((row) => row.path)).not.toContain("src/lib/db.ts");
  });

  it("names the folders holding a file", () => {
    expect(foldersOf("src/lib/db.ts")).toEqual(["src", "src/lib"]);
    expect(foldersOf("index.ts")).toEqual([]);
  });
});

describe("offsetOf", () => {
  const text = "ab\ncdef\n\nxyz";
  it("finds a 1-based line and column", () => {
    expect(offsetOf(text, 1, 1)).toBe(0);
    expect(offsetOf(text, 2, 3)).toBe(5);
    expect(text[offsetOf(text, 4, 2)]).toBe("y");
  });
  it("clamps past the end of a line or of the text", () => {
    expect(offsetOf(text, 1, 99)).toBe(2);
    expect(offsetOf(text, 3, 5)).toBe(8);
    expect(offsetOf(text, 40, 1)).toBe(text.length);
  });
});
