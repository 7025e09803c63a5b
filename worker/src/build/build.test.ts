import { env } from "cloudflare:workers";
import { describe, expect, it, vi } from "vitest";
import type { Diagnostic } from "../errors";
import { buildApp, type AppBundle, type SourceFiles } from "./index";
import { installTypescriptLibFetch, RegistryFetchRefusedError } from "./typescript-libs";

const HONO_APP = `import { Hono } from "hono";
import { cors } from "hono/cors";
import { z } from "zod";
import { defineTables, type AppEnv } from "kiln";

export const tables = defineTables({
  todos: { title: "text", done: "boolean", due: "datetime?" },
});

const Todo = z.object({ title: z.string().min(1) });
const app = new Hono<{ Bindings: AppEnv<typeof tables> }>();
app.use("*", cors());
app.get("/", (c) => c.text("Hello from Kiln"));
app.post("/todos", async (c) => {
  const parsed = Todo.safeParse(await c.req.json());
  return parsed.success ? c.json(parsed.data, 201) : c.json({ error: parsed.error.issues[0]?.message }, 400);
});
export default app;
`;

/** Loads a bundle the way the platform will; `harness` lets a test stand in for the network. */
function load(bundle: AppBundle, harness?: string, appEnv: Record<string, unknown> = {}): WorkerStub {
  const modules: Record<string, string> = { ...bundle.modules };
  let mainModule = bundle.mainModule;
  if (harness !== undefined) {
    // Evaluated before the bundle, so the wrapper's fetch sits on top of this stand-in.
    modules["harness/network.js"] = harness;
    modules["harness/main.js"] = [
      `import "./network.js";`,
      `export * from "../${bundle.mainModule}";`,
      `export { default } from "../${bundle.mainModule}";`,
    ].join("\n");
    mainModule = "harness/main.js";
  }
  return env.LOADER.load({ compatibilityDate: "2026-11-01", compatibilityFlags: ["nodejs_compat"], mainModule, modules, env: appEnv, globalOutbound: null });
}

async function build(files: SourceFiles): Promise<AppBundle> {
  const result = await buildApp(files);
  if (!result.ok) throw new Error(`build failed: ${JSON.stringify(result)}`);
  expect(result.warnings).toEqual([]);
  expect(Object.keys(result.bundle.modules).every((name) => name.endsWith(".js"))).toBe(true);
  return result.bundle;
}

async function failure(files: SourceFiles): Promise<{ message: string; diagnostics: Diagnostic[] }> {
  const result = await buildApp(files);
  if (result.ok) throw new Error("expected the build to fail");
  return result;
}

// First: its first build is this file's first, so it sees the language service being created.
const TARBALL_URL = "https://registry.npmjs.org/typescript/-/typescript-6.0.2.tgz";

async function gunzip(bytes: Uint8Array<ArrayBuffer>): Promise<Uint8Array> {
  const stream = new Blob([bytes]).stream().pipeThrough(new DecompressionStream("gzip"));
  return new Uint8Array(await new Response(stream).arrayBuffer());
}

function urlOf(input: RequestInfo | URL): string {
  return input instanceof Request ? input.url : input instanceof URL ? input.href : String(input);
}

describe("building without the network", { timeout: 30_000 }, () => {
  it("builds a hono + zod + kiln app while every fetch it makes is answered inside the isolate", async () => {
    installTypescriptLibFetch();
    // Spying on top of Kiln's wrapper sees every URL the build asks for, whoever answers it.
    const spy = vi.spyOn(globalThis, "fetch");
    try {
      const result = await buildApp({
        "src/index.ts": `import { Hono } from "hono";
import { z } from "zod";
import { defineTables } from "kiln";
export const tables = defineTables({ notes: { body: "text" } });
const app = new Hono();
app.get("/", (c) => c.text(z.string().parse("ok")));
export default app;`,
      });
      expect(result.ok && result.warnings).toEqual([]);
      // The only request is TypeScript's lib tarball (this file's first build creates the language
      // service), and it was answered inside the isolate, not downloaded.
      expect(spy.mock.calls.map(([input]) => urlOf(input))).toEqual([TARBALL_URL]);
      // A fetched response carries its URL; one built inside the isolate has none.
      for (const result of spy.mock.results) expect((await (result.value as Promise<Response>)).url).toBe("");
    } finally {
      spy.mockRestore();
    }
  });

  it("serves TypeScript's lib files from an embedded tarball", async () => {
    installTypescriptLibFetch();
    const response = await fetch(TARBALL_URL);
    const tar = new TextDecoder().decode(await gunzip(new Uint8Array(await response.arrayBuffer())));
    expect(tar).toContain("package/lib/lib.es5.d.ts");
    expect(tar).toContain("package/lib/lib.es2023.array.d.ts");
    expect(tar).toContain("interface ReadonlyArray<T>");
  });

  it("refuses every other npm registry request loudly", async () => {
    installTypescriptLibFetch();
    await expect(fetch("https://registry.npmjs.org/hono")).rejects.toThrow(RegistryFetchRefusedError);
    await expect(fetch(new Request("https://registry.npmjs.org/zod/-/zod-4.0.0.tgz"))).rejects.toThrow("Kiln builds never use the network");
  });
});

describe("buildApp: working apps", { timeout: 30_000 }, () => {
  it("builds a Hono app using hono, hono/cors, zod and kiln, and the bundle serves requests", async () => {
    const worker = load(await build({ "src/index.ts": HONO_APP }));
    const home = await worker.getEntrypoint().fetch("http://app.test/", { headers: { origin: "https://elsewhere.test" } });
    expect(home.status).toBe(200);
    expect(await home.text()).toBe("Hello from Kiln");
    expect(home.headers.get("access-control-allow-origin")).toBe("*");

    const invalid = await worker.getEntrypoint().fetch("http://app.test/todos", { method: "POST", body: JSON.stringify({ title: "" }) });
    expect(invalid.status).toBe(400);
    const created = await worker.getEntrypoint().fetch("http://app.test/todos", { method: "POST", body: JSON.stringify({ title: "milk" }) });
    expect(await created.json()).toEqual({ title: "milk" });
  });

  it("exposes the declared tables through KilnMeta.describe()", async () => {
    const worker = load(await build({ "src/index.ts": HONO_APP }));
    const meta = worker.getEntrypoint("KilnMeta") as unknown as { describe(): Promise<{ tables: unknown }> };
    expect(await meta.describe()).toEqual({ tables: { todos: { title: "text", done: "boolean", due: "datetime?" } } });
  });

  it("serves an object-style app (defineApp) with no tables from index.ts", async () => {
    const worker = load(
      await build({
        "index.ts": `import { defineApp } from "kiln";
export default defineApp({
  async fetch(request, env) {
    return Response.json({ path: new URL(request.url).pathname, greeting: env.CONFIG["greeting"] ?? null });
  },
});`,
      }),
      undefined,
      { CONFIG: { greeting: "hej" } },
    );
    const response = await worker.getEntrypoint().fetch("http://app.test/hi");
    expect(await response.json()).toEqual({ path: "/hi", greeting: "hej" });
    const meta = worker.getEntrypoint("KilnMeta") as unknown as { describe(): Promise<{ tables: unknown }> };
    expect(await meta.describe()).toEqual({ tables: null });
  });

  it("resolves relative imports between the app's files, including ./x.js → x.ts and JSON", async () => {
    const worker = load(
      await build({
        "src/index.ts": `import { greet } from "./lib/greet.js";
import { shout } from "./lib/shout";
import data from "./data.json";
export default { fetch: () => new Response(shout(greet(data.name))) };`,
        "src/lib/greet.ts": `export const greet = (name: string): string => "hello " + name;`,
        "src/lib/shout.js": `export function shout(text) { return text.toUpperCase(); }`,
        "src/data.json": `{ "name": "kiln" }`,
      }),
    );
    expect(await (await worker.getEntrypoint().fetch("http://app.test/")).text()).toBe("HELLO KILN");
  });

  it("renders hono/jsx in a .tsx entry", async () => {
    const worker = load(
      await build({
        "src/index.tsx": `import { Hono } from "hono";
import { html } from "hono/html";
const Page = (props: { name: string }) => <h1>Hi {props.name}</h1>;
const app = new Hono();
app.get("/", (c) => c.html(<Page name="Ada" />));
app.get("/raw", (c) => c.html(html\`<p>\${"<raw>"}</p>\`));
export default app;`,
      }),
    );
    expect(await (await worker.getEntrypoint().fetch("http://app.test/")).text()).toBe("<h1>Hi Ada</h1>");
    expect(await (await worker.getEntrypoint().fetch("http://app.test/raw")).text()).toBe("<p>&lt;raw&gt;</p>");
  });

  it("keeps concurrent builds apart", async () => {
    const variant = (word: string): SourceFiles => ({
      "src/index.ts": `import { word } from "./word";\nexport default { fetch: () => new Response(word) };`,
      "src/word.ts": `export const word: string = ${JSON.stringify(word)};`,
    });
    const [a, b] = await Promise.all([build(variant("alpha")), build(variant("beta"))]);
    expect(await (await load(a).getEntrypoint().fetch("http://app.test/")).text()).toBe("alpha");
    expect(await (await load(b).getEntrypoint().fetch("http://app.test/")).text()).toBe("beta");
  });

  it("ignores an uploaded package.json instead of installing from it", async () => {
    const result = await buildApp({
      "src/index.ts": `export default { fetch: () => new Response("ok") };`,
      "package.json": JSON.stringify({ dependencies: { "left-pad": "^1.3.0" } }),
    });
    expect(result.ok && result.warnings).toEqual([expect.stringContaining("package.json was ignored")]);
  });
});

describe("buildApp: request attribution", { timeout: 30_000 }, () => {
  const ECHO_APP = `import { Hono } from "hono";
const app = new Hono();
app.get("/", async (c) => {
  const upstream = await fetch("https://api.example.com/v1/things", { headers: { "x-app": "1" } });
  return c.json({ incoming: c.req.header("x-kiln-request-id") ?? null, outgoing: await upstream.json() });
});
export default app;`;
  // Stands in for the network (the egress proxy): echoes what an outgoing fetch carried.
  const NETWORK = `globalThis.fetch = async (input, init) => {
  const request = new Request(input, init);
  return Response.json({ url: request.url, headers: Object.fromEntries(request.headers) });
};`;

  it("strips x-kiln-request-id from the request and adds it to every outgoing fetch", async () => {
    const worker = load(await build({ "src/index.ts": ECHO_APP }), NETWORK);
    const response = await worker.getEntrypoint().fetch("http://app.test/", { headers: { "x-kiln-request-id": "req-42" } });
    expect(await response.json()).toEqual({
      incoming: null,
      outgoing: { url: "https://api.example.com/v1/things", headers: { "x-app": "1", "x-kiln-request-id": "req-42" } },
    });
  });

  it("keeps each concurrent request's id apart", async () => {
    const worker = load(await build({ "src/index.ts": ECHO_APP }), NETWORK);
    const ids = ["a", "b", "c", "d"];
    const bodies = await Promise.all(
      ids.map(async (id) => (await worker.getEntrypoint().fetch("http://app.test/", { headers: { "x-kiln-request-id": id } })).json()),
    );
    expect(bodies.map((b) => (b as { outgoing: { headers: Record<string, string> } }).outgoing.headers["x-kiln-request-id"])).toEqual(ids);
  });

  it("adds nothing when the platform sent no id, and fetch still fails without an outbound", async () => {
    const bundle = await build({ "src/index.ts": ECHO_APP });
    const echoed = await load(bundle, NETWORK).getEntrypoint().fetch("http://app.test/");
    expect(await echoed.json()).toEqual({ incoming: null, outgoing: { url: "https://api.example.com/v1/things", headers: { "x-app": "1" } } });
    // With globalOutbound: null the platform's refusal reaches the app through the wrapper unchanged.
    const refused = await load(bundle).getEntrypoint().fetch("http://app.test/", { headers: { "x-kiln-request-id": "r1" } });
    expect(refused.status).toBe(500);
  });
});

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
        message: "'lodash' cannot be imported: Kiln apps can import hono, kiln and zod (and subpaths like hono/cors).",
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
    ["cloudflare:sockets", "only cloudflare:workers"],
    ["hono/bun", "not part of hono"],
    ["https://esm.sh/lodash", "cannot load code from URLs"],
  ])("explains why %s cannot be imported", async (specifier, fragment) => {
    const { diagnostics } = await failure({
      "src/index.ts": `import * as m from ${JSON.stringify(specifier)};\nexport default { fetch: () => new Response(String(m)) };`,
    });
    expect(diagnostics).toEqual([{ file: "src/index.ts", line: 1, column: 20, message: expect.stringContaining(fragment) }]);
  });

  it("explains Node.js-only globals in plain words", async () => {
    const { diagnostics } = await failure({
      "src/index.ts": `const pad = require("left-pad");\nexport default { fetch: () => new Response(pad("x")) };`,
    });
    expect(diagnostics).toEqual([
      { file: "src/index.ts", line: 1, column: 13, message: "Cannot find name 'require': Kiln apps run on Web APIs, not Node.js." },
    ]);
  });

  it("allows cloudflare:workers", async () => {
    const bundle = await build({
      "src/index.ts": `import { WorkerEntrypoint } from "cloudflare:workers";
export default class extends WorkerEntrypoint { fetch() { return new Response("class"); } }`,
    }).catch((error: unknown) => error);
    // A default-exported class is refused by the handler check, but not for its import.
    expect(String(bundle)).not.toContain("cloudflare:workers' cannot");
  });

  it("reports a missing relative file", async () => {
    const { diagnostics } = await failure({
      "src/index.ts": `import { x } from "./nowhere";\nexport default { fetch: () => new Response(x) };`,
    });
    expect(diagnostics).toEqual([{ file: "src/index.ts", line: 1, column: 19, message: "'./nowhere' does not match any of the app's files." }]);
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
    ["default-exports a class", `import { WorkerEntrypoint } from "cloudflare:workers";\nexport default class extends WorkerEntrypoint {}`, 2],
  ])("refuses an entry that %s", async (_, source, line) => {
    const { diagnostics } = await failure({ "src/index.ts": source });
    expect(diagnostics).toEqual([
      {
        file: "src/index.ts",
        line,
        column: 1,
        message: "src/index.ts must `export default` an object with a fetch(request, env, ctx) method that returns a Response, or a Hono app.",
      },
    ]);
  });

  it("reports upload problems before reading any code", async () => {
    const result = await failure({ "src/app.ts": "export {};", "../secrets.ts": "x", "/abs.ts": "x" });
    expect(result.message).toBe("The upload cannot be built: some files are missing or not allowed.");
    expect(result.diagnostics.map((d) => d.file)).toEqual(["../secrets.ts", "/abs.ts"]);
    const missing = await failure({ "src/app.ts": "export {};" });
    expect(missing.diagnostics).toEqual([{ file: "src/index.ts", line: 1, column: 1, message: expect.stringContaining("needs an entry file") }]);
  });
});
