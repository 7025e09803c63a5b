import { describe, expect, it } from "vitest";
import { build, failure, load } from "../../test/builds";

describe("buildApp: diagnostics", { timeout: 30_000 }, () => {
  it("reports a type error at its file, line and column", async () => {
    const result = await failure({
      "src/index.ts": `import { price } from "./price";\nexport default { fetch: () => new Response(String(price)) };`,
      "src/price.ts": `export const price: number =\n  "free";`,
    });
    expect(result.message).toBe("1 problem in the app's code must be fixed before it can run.");
    expect(result.diagnostics).toEqual([
      { file: "src/price.ts", line: 1, column: 14, message: "Type 'string' is not assignable to type 'number'." },
    ]);
  });

  it("checks every uploaded file, also ones nothing imports, and honours the app's own .d.ts", async () => {
    const { diagnostics } = await failure({
      "src/index.ts": `export default { fetch: () => new Response(APP_NAME) };`,
      "src/globals.d.ts": `declare const APP_NAME: string;`,
      "src/unused.ts": `export const n: number = true;`,
    });
    expect(diagnostics).toEqual([
      { file: "src/unused.ts", line: 1, column: 14, message: "Type 'boolean' is not assignable to type 'number'." },
    ]);
  });

  it("type-checks against strict mode, the Workers types and the seeded libraries", async () => {
    const { diagnostics } = await failure({
      "src/index.ts": `import { z } from "zod";
export default {
  fetch(request: Request, env: unknown, ctx: ExecutionContext) {
    const n = z.number().parse(request.url);
    ctx.waitUntil(Promise.resolve());
    return new Response(n.toFixed(2).notAMethod());
  },
};
function untyped(x) { return x; }
`,
    });
    expect(diagnostics.map((d) => [d.line, d.column, d.message])).toEqual([
      [6, 38, "Property 'notAMethod' does not exist on type 'string'."],
      [9, 18, "Parameter 'x' implicitly has an 'any' type."],
    ]);
  });

  it("refuses a package outside the allowed set at the import's line", async () => {
    const { diagnostics } = await failure({
      "src/index.ts": `import { Hono } from "hono";\nimport _ from "lodash";\nexport default new Hono();`,
    });
    expect(diagnostics).toEqual([
      {
        file: "src/index.ts",
        line: 2,
        column: 15,
        message:
          "'lodash' cannot be imported: Kiln apps can import hono, kiln and zod (and subpaths like hono/cors) and the service connectors kiln/ai, kiln/airtable, kiln/google and kiln/stripe.",
      },
    ]);
  });

  it("refuses imports from plain .js files too (the bundler's check)", async () => {
    const result = await failure({
      "src/index.ts": `import { pad } from "./pad.js";\nexport default { fetch: () => new Response(pad("x")) };`,
      "src/pad.js": `// helpers\nimport leftPad from "left-pad";\nexport const pad = (s) => leftPad(s, 3);`,
    });
    expect(result.message).toBe("1 problem stopped the app's code from being packaged.");
    expect(result.diagnostics).toEqual([
      { file: "src/pad.js", line: 2, column: 21, message: expect.stringContaining("'left-pad' cannot be imported") },
    ]);
  });

  it.each([
    ["node:fs", "Web APIs"],
    ["cloudflare:email", "only cloudflare:workers"],
    ["hono/bun", "not part of hono"],
    ["https://esm.sh/lodash", "cannot load code from URLs"],
  ])("explains why %s cannot be imported", async (specifier, fragment) => {
    const { diagnostics } = await failure({
      "src/index.ts": `import * as m from ${JSON.stringify(specifier)};\nexport default { fetch: () => new Response(String(m)) };`,
    });
    expect(diagnostics).toEqual([
      { file: "src/index.ts", line: 1, column: 20, message: expect.stringContaining(fragment) },
    ]);
  });

  it("explains Node.js-only globals in plain words", async () => {
    const { diagnostics } = await failure({
      "src/index.ts": `const pad = require("left-pad");\nexport default { fetch: () => new Response(pad("x")) };`,
    });
    expect(diagnostics).toEqual([
      {
        file: "src/index.ts",
        line: 1,
        column: 13,
        message: "Cannot find name 'require': Kiln apps run on Web APIs, not Node.js.",
      },
    ]);
  });

  it("allows the runtime module cloudflare:workers, and refuses raw sockets in words", async () => {
    const worker = load(
      await build({
        "src/index.ts": `import { RpcTarget } from "cloudflare:workers";
class Counter extends RpcTarget { n = 1; }
export default { fetch: () => new Response(String(new Counter().n)) };`,
      }),
    );
    expect(await (await worker.getEntrypoint().fetch("http://app.test/")).text()).toBe("1");
    const { diagnostics } = await failure({
      "src/index.ts": `import { connect } from "cloudflare:sockets";\nexport default { fetch: () => new Response(String(connect)) };`,
    });
    expect(diagnostics[0]?.message).toBe(
      "'cloudflare:sockets' cannot be imported: apps cannot open raw network connections. Reach a service through its connector (kiln/ai, kiln/airtable, kiln/google and kiln/stripe); Kiln adds the owner's credentials.",
    );
  });

  it("reports a missing relative file", async () => {
    const { diagnostics } = await failure({
      "src/index.ts": `import { x } from "./nowhere";\nexport default { fetch: () => new Response(x) };`,
    });
    expect(diagnostics).toEqual([
      { file: "src/index.ts", line: 1, column: 19, message: "'./nowhere' does not match any of the app's files." },
    ]);
  });

  it("reports a syntax error", async () => {
    const { diagnostics } = await failure({
      "src/index.ts": `export default {\n  fetch() {\n    return new Response("x";\n  },\n};`,
    });
    expect(diagnostics[0]).toEqual({ file: "src/index.ts", line: 3, column: 28, message: "')' expected." });
  });

  it("reports a syntax error in a .js file", async () => {
    const { diagnostics } = await failure({
      "src/index.js": `export default {\n  fetch() { return new Response(1 +); },\n};`,
    });
    expect(diagnostics).toEqual([{ file: "src/index.js", line: 2, column: 36, message: "Expression expected." }]);
  });

  it.each([
    ["has no default export", `export const x = 1;`, 1],
    ["default-exports something without fetch", `const app = { get() {} };\n\nexport default app;`, 3],
    [
      "default-exports a class",
      `import { WorkerEntrypoint } from "cloudflare:workers";\nexport default class extends WorkerEntrypoint {}`,
      2,
    ],
  ])("refuses an entry that %s", async (_, source, line) => {
    const { diagnostics } = await failure({ "src/index.ts": source });
    expect(diagnostics).toEqual([
      {
        file: "src/index.ts",
        line,
        column: 1,
        message:
          "src/index.ts must `export default` an object with a fetch(request, env, ctx) method that returns a Response, or a Hono app.",
      },
    ]);
  });

  it("reports upload problems before reading any code", async () => {
    const result = await failure({ "src/app.ts": "export {};", "../secrets.ts": "x", "/abs.ts": "x" });
    expect(result.message).toBe("The upload cannot be built: some files are missing or not allowed.");
    expect(result.diagnostics.map((d) => d.file)).toEqual(["../secrets.ts", "/abs.ts"]);
    const missing = await failure({ "src/app.ts": "export {};" });
    expect(missing.diagnostics).toEqual([
      { file: "src/index.ts", line: 1, column: 1, message: expect.stringContaining("needs an entry file") },
    ]);
  });
});
