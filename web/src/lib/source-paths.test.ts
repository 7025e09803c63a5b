import { describe, expect, it } from "vitest";
import { newFilePathProblem } from "./source-paths";

describe("a new file's path", () => {
  const existing = ["src/index.ts", "src/lib/db.ts"];

  it("accepts code and text files inside the app", () => {
    expect(newFilePathProblem("src/routes.ts", existing)).toBeNull();
    expect(newFilePathProblem("  src/page.html ", existing)).toBeNull();
    expect(newFilePathProblem("src/lib/format.ts", existing)).toBeNull();
  });

  it("refuses what the build would refuse, saying why", () => {
    expect(newFilePathProblem("", existing)).toMatch(/Type a path/);
    expect(newFilePathProblem("/src/x.ts", existing)).toMatch(/leading \//);
    expect(newFilePathProblem("../x.ts", existing)).toMatch(/"\.\."/);
    expect(newFilePathProblem("src\\x.ts", existing)).toMatch(/\\/);
    expect(newFilePathProblem("src//x.ts", existing)).toMatch(/empty/);
    expect(newFilePathProblem("node_modules/x.ts", existing)).toMatch(/node_modules/);
    expect(newFilePathProblem("__kiln/x.ts", existing)).toMatch(/reserves/);
    expect(newFilePathProblem("package.json", existing)).toMatch(/ignores/);
    expect(newFilePathProblem("src/notes", existing)).toMatch(/End the name with/);
    expect(newFilePathProblem(`${"x".repeat(201)}.ts`, existing)).toMatch(/200/);
  });

  it("refuses a path taken by a file or folder", () => {
    expect(newFilePathProblem("src/index.ts", existing)).toMatch(/already exists/);
    expect(newFilePathProblem("src/lib", existing)).toMatch(/End the name|already a folder/);
    expect(newFilePathProblem("src/index.ts/x.ts", existing)).toMatch(/is a file/);
  });
});
