import { InMemoryFileSystem } from "@cloudflare/worker-bundler";
import { createTypescriptLanguageService } from "@cloudflare/worker-bundler/typescript";
import { describe, expect, it, vi } from "vitest";
import { buildApp, type SourceFiles } from "./index";
import { build, load } from "../../test/builds";
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

const TARBALL_URL = "https://registry.npmjs.org/typescript/-/typescript-6.0.2.tgz";

async function gunzip(bytes: Uint8Array<ArrayBuffer>): Promise<Uint8Array> {
  const stream = new Blob([bytes]).stream().pipeThrough(new DecompressionStream("gzip"));
  return new Uint8Array(await new Response(stream).arrayBuffer());
}

function urlOf(input: RequestInfo | URL): string {
  return input instanceof Request ? input.url : input instanceof URL ? input.href : String(input);
}

describe("building without the network", { timeout: 30_000 }, () => {
  it("creates the TypeScript language service with no download: its one fetch is answered inside the isolate", async () => {
    installTypescriptLibFetch();
    // Spying on top of Kiln's wrapper sees every URL asked for, whoever answers it.
    const spy = vi.spyOn(globalThis, "fetch");
    try {
      const { languageService } = await createTypescriptLanguageService({
        fileSystem: new InMemoryFileSystem({
          "tsconfig.json": JSON.stringify({ compilerOptions: { lib: ["es2023"], strict: true } }),
          "a.ts": "export const doubled: number[] = [1, 2].map((n) => n * 2).toSorted();",
        }),
      });
      // Clean diagnostics prove the lib files arrived (else: "Cannot find global type 'Array'").
      expect(languageService.getSemanticDiagnostics("a.ts")).toEqual([]);
      expect(spy.mock.calls.map(([input]) => urlOf(input))).toEqual([TARBALL_URL]);
      // A fetched response carries its URL; one made inside the isolate has none.
      for (const result of spy.mock.results) expect((await (result.value as Promise<Response>)).url).toBe("");
    } finally {
      spy.mockRestore();
    }
  });

  it("builds a hono + zod + kiln app while every fetch it makes (if any) is answered inside the isolate", async () => {
    installTypescriptLibFetch();
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
      // The language service may already exist (shared isolate); if this build made it, the tarball was its only fetch.
      for (const [input] of spy.mock.calls) expect(urlOf(input)).toBe(TARBALL_URL);
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
    await expect(fetch(new Request("https://registry.npmjs.org/zod/-/zod-4.0.0.tgz"))).rejects.toThrow(
      "Kiln builds never use the network",
    );
  });
});

describe("buildApp: working apps", { timeout: 30_000 }, () => {
  it("builds a Hono app using hono, hono/cors, zod and kiln, and the bundle serves requests", async () => {
    const worker = load(await build({ "src/index.ts": HONO_APP }));
    const home = await worker
      .getEntrypoint()
      .fetch("http://app.test/", { headers: { origin: "https://elsewhere.test" } });
    expect(home.status).toBe(200);
    expect(await home.text()).toBe("Hello from Kiln");
    expect(home.headers.get("access-control-allow-origin")).toBe("*");

    const invalid = await worker
      .getEntrypoint()
      .fetch("http://app.test/todos", { method: "POST", body: JSON.stringify({ title: "" }) });
    expect(invalid.status).toBe(400);
    const created = await worker
      .getEntrypoint()
      .fetch("http://app.test/todos", { method: "POST", body: JSON.stringify({ title: "milk" }) });
    expect(await created.json()).toEqual({ title: "milk" });
  });

  it("exposes the declared tables through KilnMeta.describe()", async () => {
    const worker = load(await build({ "src/index.ts": HONO_APP }));
    const meta = worker.getEntrypoint("KilnMeta") as unknown as { describe(): Promise<{ tables: unknown }> };
    expect(await meta.describe()).toEqual({
      tables: { todos: { title: "text", done: "boolean", due: "datetime?" } },
      checks: null,
      automations: null,
      roles: null,
      access: null,
      setup: null,
      tools: null,
    });
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
    expect(await meta.describe()).toEqual({
      tables: null,
      checks: null,
      automations: null,
      roles: null,
      access: null,
      setup: null,
      tools: null,
    });
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

  it("imports non-code files (HTML, CSS, text) as their text", async () => {
    const worker = load(
      await build({
        "src/index.ts": `import page from "./page.html";
import style from "./style.css";
export default { fetch: () => new Response(page.replace("STYLE", style.trim())) };`,
        "src/page.html": "<style>STYLE</style><h1>Hi</h1>",
        "src/style.css": "h1 { color: red }\n",
      }),
    );
    expect(await (await worker.getEntrypoint().fetch("http://app.test/")).text()).toBe(
      "<style>h1 { color: red }</style><h1>Hi</h1>",
    );
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
    const response = await worker
      .getEntrypoint()
      .fetch("http://app.test/", { headers: { "x-kiln-request-id": "req-42" } });
    expect(await response.json()).toEqual({
      incoming: null,
      outgoing: { url: "https://api.example.com/v1/things", headers: { "x-app": "1", "x-kiln-request-id": "req-42" } },
    });
  });

  it("keeps each concurrent request's id apart", async () => {
    const worker = load(await build({ "src/index.ts": ECHO_APP }), NETWORK);
    const ids = ["a", "b", "c", "d"];
    const bodies = await Promise.all(
      ids.map(async (id) =>
        (await worker.getEntrypoint().fetch("http://app.test/", { headers: { "x-kiln-request-id": id } })).json(),
      ),
    );
    expect(
      bodies.map((b) => (b as { outgoing: { headers: Record<string, string> } }).outgoing.headers["x-kiln-request-id"]),
    ).toEqual(ids);
  });

  it("sends one call past the budget to the egress proxy and refuses the rest in the isolate", async () => {
    const FLOOD_APP = `export default { async fetch() {
  const results = await Promise.allSettled(Array.from({ length: 300 }, (_, i) => fetch("https://example.com/" + i)));
  const refused = results.filter((r) => r.status === "rejected").map((r) => String((r as PromiseRejectedResult).reason));
  return Response.json({ refused: refused.length, sample: refused[0] ?? null, sent: (globalThis as unknown as { sent: number }).sent });
} };`;
    const counting = `globalThis.sent = 0;
globalThis.fetch = async () => { globalThis.sent += 1; return new Response("ok"); };`;
    const worker = load(await build({ "src/index.ts": FLOOD_APP }), counting);
    const answer = async (id: string) =>
      (await worker.getEntrypoint().fetch("http://app.test/", { headers: { "x-kiln-request-id": id } })).json();
    expect(await answer("r1")).toEqual({
      refused: 249,
      sample:
        "Error: this request made more than 50 outbound calls, the most one request may make; the call was refused",
      sent: 51,
    });
    // The count is per request: the next one gets its own budget.
    expect(await answer("r2")).toMatchObject({ refused: 249, sent: 102 });
  });

  it("adds nothing when the platform sent no id, and fetch still fails without an outbound", async () => {
    const bundle = await build({ "src/index.ts": ECHO_APP });
    const echoed = await load(bundle, NETWORK).getEntrypoint().fetch("http://app.test/");
    expect(await echoed.json()).toEqual({
      incoming: null,
      outgoing: { url: "https://api.example.com/v1/things", headers: { "x-app": "1" } },
    });
    // With globalOutbound: null the platform's refusal reaches the app through the wrapper unchanged.
    const refused = await load(bundle)
      .getEntrypoint()
      .fetch("http://app.test/", { headers: { "x-kiln-request-id": "r1" } });
    expect(refused.status).toBe(500);
  });
});
