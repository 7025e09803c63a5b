import { describe, expect, it } from "vitest";
import { newUser } from "../../../test/api-client";
import { appWithSource, notesApp } from "../../../test/fixtures";

const HELPERS = `/** Says hello to someone. */\nexport function hello(name: string): string {\n  return "hello " + name;\n}\n`;

describe("the Code tab's editor API (/api/apps/:id/code/…)", { timeout: 60_000 }, () => {
  it("answers completions, hover, problems and formatting of unsaved text over the saved version", async () => {
    const user = await newUser();
    const app = await appWithSource(user, "intel", { ...notesApp(), "src/helpers.ts": HELPERS });
    // Typed but not saved: the entry calls the saved helper and a method of the app's database.
    const text = `import { hello } from "./helpers";\nimport { type AppEnv } from "kiln";\nexport default {\n  fetch(request: Request, env: AppEnv) {\n    env.DB.\n    return new Response(hello(42));\n  },\n};\n`;
    const base = { path: "src/index.ts", text };

    const completions = await user.call("POST", `/api/apps/${app.id}/code/completions`, {
      ...base,
      position: text.indexOf("env.DB.") + "env.DB.".length,
    });
    expect(completions.status).toBe(200);
    expect(completions.body.member).toBe(true);
    expect(completions.body.entries.map((e: { label: string }) => e.label)).toContain("insert");

    const hover = await user.call("POST", `/api/apps/${app.id}/code/hover`, {
      ...base,
      version: app.version,
      position: text.indexOf("hello(42)") + 1,
    });
    expect(hover.status).toBe(200);
    expect(hover.body.hover).toMatchObject({
      display: "(alias) hello(name: string): string\nimport hello",
      documentation: "Says hello to someone.",
    });

    const problems = await user.call("POST", `/api/apps/${app.id}/code/diagnostics`, base);
    expect(problems.status).toBe(200);
    const messages = problems.body.diagnostics.map((d: { line: number; message: string }) => [d.line, d.message]);
    expect(messages).toContainEqual([6, "Argument of type 'number' is not assignable to parameter of type 'string'."]);

    // An unsaved edit of another file counts: with hello taking a number, that problem is gone.
    const edited = await user.call("POST", `/api/apps/${app.id}/code/diagnostics`, {
      ...base,
      edits: { "src/helpers.ts": "export function hello(n: number): string { return String(n); }\n" },
    });
    expect(edited.body.diagnostics.map((d: { line: number }) => d.line)).not.toContain(6);

    const unformatted = "export function hello(name: string): string {\nreturn name\n}\n";
    const format = await user.call("POST", `/api/apps/${app.id}/code/format`, {
      path: "src/helpers.ts",
      text: unformatted,
    });
    expect(format.status).toBe(200);
    const at = unformatted.indexOf("return");
    expect(format.body.edits).toEqual([{ from: at, to: at, insert: "  " }]);
  });

  it("answers only the app's owner, as every app route does", async () => {
    const owner = await newUser();
    const stranger = await newUser();
    const app = await appWithSource(owner, "private-intel", notesApp());
    const body = { path: "src/index.ts", text: "export default 1;\n", position: 0 };
    for (const route of ["completions", "hover", "diagnostics", "format"]) {
      const answer = await stranger.call("POST", `/api/apps/${app.id}/code/${route}`, body);
      expect(answer.status).toBe(404);
      expect(answer.body.error).toEqual({ code: "not_found", message: "This app was not found." });
    }
  });

  it("refuses oversized or malformed input with a clear error", async () => {
    const user = await newUser();
    const app = await appWithSource(user, "bounded-intel", notesApp());
    const big = await user.call("POST", `/api/apps/${app.id}/code/diagnostics`, {
      path: "src/index.ts",
      text: "// x\n".repeat(220_000),
    });
    expect(big.status).toBe(413);
    expect(big.body.error).toEqual({
      code: "payload_too_large",
      message:
        "src/index.ts is 1.0 MB; a file may be at most 1 MB. The editor's checks read what a build accepts, no more.",
    });
    const past = await user.call("POST", `/api/apps/${app.id}/code/hover`, {
      path: "src/index.ts",
      text: "x",
      position: 5,
    });
    expect(past.status).toBe(400);
    expect(past.body.error.message).toBe("position 5 is past the end of the text (1).");
    const noPath = await user.call("POST", `/api/apps/${app.id}/code/format`, { text: "x" });
    expect(noPath.status).toBe(400);
    expect(noPath.body.error.message).toMatch(/^path: path must name the open file/);
    const unknown = await user.call("POST", `/api/apps/${app.id}/code/format`, {
      path: "src/index.ts",
      text: "x",
      version: "0123456789abcdef",
    });
    expect(unknown.status).toBe(404);
  });
});
