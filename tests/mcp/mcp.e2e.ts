// Kiln's MCP server as `npm start` runs it: an agent's client (the real MCP SDK, over HTTP through the front door)
// reaches the control plane, whose `execute` runs each snippet on an app runner — a separate workerd process — where
// the snippet's `kiln.*` calls come back to the control plane over the runner's line to it.
import { mkdtempSync, rmSync } from "node:fs";
import { tmpdir } from "node:os";
import path from "node:path";
import { Client } from "@modelcontextprotocol/sdk/client/index.js";
import { StreamableHTTPClientTransport } from "@modelcontextprotocol/sdk/client/streamableHttp.js";
import { afterAll, beforeAll, describe, expect, test } from "vitest";
import { type Kiln, Owner, freePort, startKiln } from "../attacks/harness";

let kiln: Kiln;
let persistTo: string;
let owner: Owner;
let client: Client;

beforeAll(async () => {
  persistTo = mkdtempSync(path.join(tmpdir(), "kiln-mcp-"));
  kiln = await startKiln({ port: await freePort(), persistTo });
  owner = await Owner.signUp(kiln.port, "mcp");
  client = new Client({ name: "e2e-agent", version: "1.0.0" });
  await client.connect(
    new StreamableHTTPClientTransport(new URL(`http://127.0.0.1:${kiln.port}/mcp`), {
      requestInit: { headers: { authorization: `Bearer ${owner.token}` } },
    }),
  );
}, 180_000);

afterAll(async () => {
  await client?.close();
  await kiln?.stop();
  if (persistTo) rmSync(persistTo, { recursive: true, force: true });
}, 30_000);

async function execute(code: string): Promise<{ ok: boolean; result?: unknown; error?: string; logs: string[] }> {
  const answer = await client.callTool({ name: "execute", arguments: { code } });
  return JSON.parse((answer.content as { text: string }[])[0]!.text);
}

const APP = `import { Hono } from "hono";
import { defineTables, type AppEnv } from "kiln";
export const tables = defineTables({ notes: { text: "text" } });
const app = new Hono<{ Bindings: AppEnv<typeof tables> }>();
app.get("/", async (c) => c.json(await c.env.DB.list("notes")));
export default app;
`;

describe("Kiln's MCP server on a running Kiln", () => {
  test("a snippet runs on the app runner and builds, seeds and reads an app through the typed client", async () => {
    const outcome = await execute(`const app = await kiln.apps.create({ name: "Notes" });
const build = await kiln.source.write({ appId: app.id, files: { "src/index.ts": ${JSON.stringify(APP)} } });
if (!build.ok) return build;
await kiln.data.insert({ appId: app.id, table: "notes", row: { text: "from an agent" } });
const page = await kiln.data.rows({ appId: app.id, table: "notes" });
console.log("rows", page.total);
return { appId: app.id, texts: page.rows.map((r) => r.text) };`);
    expect(outcome).toMatchObject({ ok: true, result: { texts: ["from an agent"] }, logs: ["log: rows 1"] });
    // The same app, as the owner's API shows it.
    const { appId } = outcome.result as { appId: string };
    const rows = await owner.api("GET", `/api/apps/${appId}/data/notes`);
    expect((rows.json as { rows: { text: string }[] }).rows[0]?.text).toBe("from an agent");
  });

  test("a runaway snippet is stopped on the runner, and the next one runs", async () => {
    const loop = await execute("let n = 0;\nwhile (true) n++;");
    expect(loop.ok).toBe(false);
    expect(loop.error).toMatch(/stopped|CPU/);
    expect(await execute("return (await kiln.apps.list()).length;")).toMatchObject({ ok: true, result: 1 });
  });
});
