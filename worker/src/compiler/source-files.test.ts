import { describe, expect, it } from "vitest";
import { validateSourceFiles } from "./source-files";
import { SOURCE_LIMITS } from "../core/api-shapes/source-rules";
import type { SourceFiles } from "./types";

const ENTRY = `export default { fetch: () => new Response("ok") };`;

function problems(files: SourceFiles): { file: string; message: string }[] {
  const result = validateSourceFiles(files);
  if (result.ok) return [];
  return result.diagnostics.map(({ file, message }) => ({ file, message }));
}

describe("validateSourceFiles", () => {
  it("accepts a normal app and picks src/index.ts as entry", () => {
    const result = validateSourceFiles({
      "src/index.ts": ENTRY,
      "src/lib/util.ts": "export const x = 1;",
      "index.ts": ENTRY,
    });
    expect(result.ok && result.sources.entry).toBe("src/index.ts");
  });

  it.each(["src/index.tsx", "src/index.js", "index.ts", "index.tsx", "index.js"])(
    "accepts %s as the entry",
    (entry) => {
      const result = validateSourceFiles({ [entry]: ENTRY });
      expect(result.ok && result.sources.entry).toBe(entry);
    },
  );

  it("normalises a leading ./", () => {
    const result = validateSourceFiles({ "./src/index.ts": ENTRY });
    expect(result.ok && [...result.sources.files.keys()]).toEqual(["src/index.ts"]);
  });

  it("asks for an entry file when there is none", () => {
    expect(problems({ "src/app.ts": ENTRY })).toEqual([
      { file: "src/index.ts", message: expect.stringContaining("needs an entry file, src/index.ts") },
    ]);
    expect(problems({})).toHaveLength(1);
  });

  it.each([
    ["../escape.ts", '".."'],
    ["src/../../escape.ts", '".."'],
    ["/etc/passwd", "relative path"],
    ["node_modules/hono/index.js", "node_modules"],
    ["src/node_modules/x.js", "node_modules"],
    ["__kiln/main.js", "reserves"],
    ["src//index2.ts", "empty"],
    ["src/./a.ts", "empty"],
    ["C:/x.ts", "characters"],
    ["src\\index2.ts", "characters"],
    ["a\u0000b.ts", "characters"],
    ["", "empty name"],
    [`${"a/".repeat(101)}x.ts`, "longer than"],
  ])("refuses the path %j", (path, fragment) => {
    const found = problems({ "src/index.ts": ENTRY, [path]: "x" });
    expect(found).toEqual([{ file: path, message: expect.stringContaining(fragment) }]);
  });

  it("refuses binary and non-text contents", () => {
    expect(problems({ "src/index.ts": ENTRY, "logo.png": "\u0089PNG\u0000\u0000" })[0]?.message).toContain("binary");
    const notText = { "src/index.ts": ENTRY, "data.json": 42 } as unknown as SourceFiles;
    expect(problems(notText)[0]).toEqual({ file: "data.json", message: "data.json must be text." });
  });

  it("enforces the file count, file size and total size limits", () => {
    const many: SourceFiles = { "src/index.ts": ENTRY };
    for (let i = 0; i < SOURCE_LIMITS.maxFiles; i++) many[`src/f${i}.ts`] = "export {};";
    expect(problems(many)).toEqual([
      { file: "", message: `The app has ${SOURCE_LIMITS.maxFiles + 1} files; Kiln accepts at most 200.` },
    ]);

    const big = "x".repeat(SOURCE_LIMITS.maxFileBytes + 1);
    expect(problems({ "src/index.ts": ENTRY, "src/big.ts": big })).toEqual([
      { file: "src/big.ts", message: "src/big.ts is 1.0 MB; a file may be at most 1 MB." },
    ]);

    const large: SourceFiles = { "src/index.ts": ENTRY };
    for (let i = 0; i < 6; i++) large[`src/part${i}.ts`] = "é".repeat(450_000); // 900 KB each in UTF-8
    expect(problems(large)).toEqual([{ file: "", message: expect.stringContaining("the limit is 5 MB") }]);
  });

  it("ignores configuration files with a warning", () => {
    const result = validateSourceFiles({
      "src/index.ts": ENTRY,
      "package.json": '{"dependencies":{"lodash":"*"}}',
      "tsconfig.json": "{}",
    });
    expect(result.ok && [...result.sources.files.keys()]).toEqual(["src/index.ts"]);
    expect(result.ok && result.sources.warnings).toEqual([
      expect.stringContaining("package.json was ignored"),
      expect.stringContaining("tsconfig.json was ignored"),
    ]);
  });

  it("refuses input that is not a path → text map", () => {
    expect(problems(null as unknown as SourceFiles)).toHaveLength(1);
    expect(problems(["src/index.ts"] as unknown as SourceFiles)).toHaveLength(1);
  });
});
