// An app's tools as an assistant reaches them on a running Kiln: the real MCP SDK client through the front door to
// the app's host, where the runner answers `/mcp` and runs each call in the app's own isolate.
import http from "node:http";
import { mkdtempSync, rmSync } from "node:fs";
import { tmpdir } from "node:os";
import path from "node:path";
import { Client } from "@modelcontextprotocol/sdk/client/index.js";
import { StreamableHTTPClientTransport } from "@modelcontextprotocol/sdk/client/streamableHttp.js";
import { afterAll, beforeAll, describe, expect, test } from "vitest";
import { type Kiln, Owner, freePort, startKiln, visit } from "../attacks/harness";

let kiln: Kiln;
let persistTo: string;
let owner: Owner;

beforeAll(async () => {
  persistTo = mkdtempSync(path.join(tmpdir(), "kiln-app-tools-"));
  kiln = await startKiln({ port: await freePort(), persistTo });
  owner = await Owner.signUp(kiln.port, "tools");
}, 180_000);

afterAll(async () => {
  await kiln?.stop();
  if (persistTo) rmSync(persistTo, { recursive: true, force: true });
}, 30_000);

/** Node's fetch can neither resolve `*.localhost` nor send another Host: this one does both, for the SDK client. */
function hostFetch(port: number, host: string) {
  return (url: string | URL, init?: RequestInit): Promise<Response> =>
    new Promise((resolve, reject) => {
      const target = new URL(url);
      const headers = Object.fromEntries(new Headers(init?.headers).entries());
      const request = http.request(
        {
          host: "127.0.0.1",
          port,
          method: init?.method ?? "GET",
          path: target.pathname + target.search,
          headers: { ...headers, host },
        },
        (response) => {
          const chunks: Buffer[] = [];
          response.on("data", (chunk: Buffer) => chunks.push(chunk));
          response.on("end", () => {
            const answer = new Headers();
            for (const [name, value] of Object.entries(response.headers))
              if (typeof value === "string") answer.set(name, value);
            const status = response.statusCode ?? 500;
            const body = status === 202 || status === 204 ? null : Buffer.concat(chunks);
            resolve(new Response(body, { status, headers: answer }));
          });
        },
      );
      request.on("error", reject);
      if (typeof init?.body === "string") request.write(init.body);
      request.end();
    });
}

const CRM = {
  "src/index.ts": `import { Hono } from "hono";
import { z } from "zod";
import { defineTables, type AppEnv, type Tools } from "kiln";

export const tables = defineTables({ leads: { name: "text", email: "text" } });
const app = new Hono<{ Bindings: AppEnv<typeof tables> }>();
app.get("/", async (c) => c.json(await c.env.DB.list("leads")));

export const tools: Tools<typeof tables> = {
  addLead: {
    description: "Add a person to the CRM as a lead.",
    input: z.object({ name: z.string().min(1), email: z.string().email() }),
    run: async (input, env) => env.DB.insert("leads", { name: input.name, email: input.email }),
  },
};
export default app;
`,
};

describe("an app's tools on a running Kiln", () => {
  test("an assistant lists and calls a public app's tool through the runner", async () => {
    const app = await owner.createApp("leads", CRM);
    const host = `${app.slug}--preview.localhost:${kiln.port}`;
    const client = new Client({ name: "e2e-assistant", version: "1.0.0" });
    await client.connect(
      new StreamableHTTPClientTransport(new URL(`http://${host}/mcp`), { fetch: hostFetch(kiln.port, host) }),
    );
    try {
      const { tools } = await client.listTools();
      expect(tools.map((t) => t.name)).toEqual(["addLead"]);
      expect(tools[0]?.inputSchema).toMatchObject({ properties: { name: {}, email: {} } });
      const added = await client.callTool({ name: "addLead", arguments: { name: "Ada", email: "ada@example.com" } });
      expect(added.isError).toBeFalsy();
      expect(added.structuredContent).toMatchObject({ name: "Ada", email: "ada@example.com" });
      const refused = await client.callTool({ name: "addLead", arguments: { name: "Bob", email: "not an email" } });
      expect(refused.isError).toBe(true);
    } finally {
      await client.close();
    }
    // What the tool wrote is the app's own data, as its pages see it.
    const page = await visit(kiln.port, app, "preview");
    expect(JSON.parse(page.text)).toEqual([expect.objectContaining({ name: "Ada", email: "ada@example.com" })]);
  });
});
