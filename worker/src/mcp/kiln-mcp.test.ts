import { env, SELF } from "cloudflare:test";
import { Client } from "@modelcontextprotocol/sdk/client/index.js";
import { StreamableHTTPClientTransport } from "@modelcontextprotocol/sdk/client/streamableHttp.js";
import { describe, expect, it } from "vitest";
import { recordFailure } from "../auth/attempt-limit";
import { callApi, newUser, PLATFORM } from "../../test/api-client";
import { admitSnippet, snippetKillKey } from "./snippet-admission";

// The real MCP SDK client, speaking Streamable HTTP to Kiln's own entry (`/mcp` on the platform host), as an agent
// such as Claude Desktop or Cursor would with the owner's API token.
async function connect(token: string | null): Promise<Client> {
  const transport = new StreamableHTTPClientTransport(new URL(`${PLATFORM}/mcp`), {
    fetch: (url, init) => SELF.fetch(url, init),
    requestInit: token ? { headers: { authorization: `Bearer ${token}` } } : {},
  });
  const client = new Client({ name: "scripted-agent", version: "1.0.0" });
  await client.connect(transport);
  return client;
}

interface Outcome {
  ok: boolean;
  result?: unknown;
  error?: string;
  diagnostics?: { file: string; line: number; column: number; message: string }[];
  logs: string[];
}

async function execute(client: Client, code: string): Promise<Outcome & { isError: boolean }> {
  const answer = await client.callTool({ name: "execute", arguments: { code } });
  const content = answer.content as { type: string; text: string }[];
  return { ...(JSON.parse(content[0]!.text) as Outcome), isError: answer.isError === true };
}

async function search(client: Client, query: string): Promise<string> {
  const answer = await client.callTool({ name: "search", arguments: { query } });
  return (answer.content as { text: string }[])[0]!.text;
}

const appSource = (listCall: string) => `import { Hono } from "hono";
import { defineTables, type AppEnv, type Automations } from "kiln";

export const tables = defineTables({ items: { name: "text" } });
type Env = AppEnv<typeof tables>;

const app = new Hono<{ Bindings: Env }>();
app.get("/", async (c) => c.json(await c.env.DB.${listCall}("items")));

export const automations: Automations<typeof tables> = {
  tally: { cron: "0 9 * * *", run: async (_run, env) => ({ count: await env.DB.count("items") }) },
};
export default app;
`;

describe("Kiln as an MCP server in Code Mode", () => {
  it("offers two tools, and an agent builds, fixes, publishes, seeds and runs an app with them", async () => {
    const user = await newUser();
    const client = await connect(user.token);
    const { tools } = await client.listTools();
    expect(tools.map((t) => t.name).sort()).toEqual(["execute", "search"]);

    // search answers declarations of the typed client, with the types they use.
    const found = await search(client, "publish a version");
    expect(found).toContain("publish(input: { appId: string; version: string;");
    expect(await search(client, "write the app's source code and read build diagnostics")).toContain(
      "interface BuildFailure",
    );
    expect(await search(client, "refund a stripe charge")).toMatch(/stripe\.refunds/);

    // First attempt: the code has a type error; the agent reads the diagnostics from the build's result.
    const first = await execute(
      client,
      `const app = await kiln.apps.create({ name: "Stock" });
const build = await kiln.source.write({ appId: app.id, files: { "src/index.ts": ${JSON.stringify(appSource("lst"))} } });
return { appId: app.id, build };`,
    );
    expect(first.ok).toBe(true);
    const { appId, build } = first.result as {
      appId: string;
      build: { ok: boolean; diagnostics: { file: string; line: number; message: string }[] };
    };
    expect(build.ok).toBe(false);
    expect(build.diagnostics[0]).toMatchObject({ file: "src/index.ts", line: 8 });
    expect(build.diagnostics[0]!.message).toMatch(/lst/);

    // The fix, publish, seed the live data, run the automation and read its run: one snippet.
    const second = await execute(
      client,
      `const appId = ${JSON.stringify(appId)};
const build = await kiln.source.write({ appId, files: { "src/index.ts": ${JSON.stringify(appSource("list"))} } });
if (!build.ok) return build;
console.log("built", build.version);
const live = await kiln.versions.publish({ appId, version: build.version });
for (const name of ["bolts", "nuts", "washers"]) await kiln.data.insert({ appId, table: "items", env: "live", row: { name } });
const started = await kiln.automations.run({ appId, name: "tally" });
const run = await kiln.runs.get({ runId: started.run.id });
return { liveUrl: live.liveUrl, status: run.run.status, output: run.run.output };`,
    );
    expect(second.error).toBeUndefined();
    expect(second.result).toMatchObject({ status: "succeeded", output: { count: 3 } });
    expect(second.logs).toEqual([expect.stringMatching(/^log: built [0-9a-f]{16}$/)]);
    // What the snippet did is what the API shows.
    const rows = await user.call("GET", `/api/apps/${appId}/data/items?env=live`);
    expect(rows.body.rows.map((r: { name: string }) => r.name).sort()).toEqual(["bolts", "nuts", "washers"]);
  });

  it("type-checks a snippet against the client and answers problems at the snippet's own lines", async () => {
    const client = await connect((await newUser()).token);
    const outcome = await execute(client, `const apps = await kiln.apps.list();\nreturn apps.map((a) => a.nmae);`);
    expect(outcome.isError).toBe(true);
    expect(outcome.diagnostics?.[0]).toMatchObject({ file: "snippet", line: 2 });
    expect(outcome.diagnostics?.[0]?.message).toMatch(/nmae/);
  });

  it("refuses what the API refuses, in the API's words, and another owner's apps do not exist for a snippet", async () => {
    const owner = await newUser();
    const app = (await owner.call("POST", "/api/apps", { name: "Private" })).body as { id: string };
    const stranger = await connect((await newUser()).token);
    const outcome = await execute(stranger, `return await kiln.apps.get({ appId: ${JSON.stringify(app.id)} });`);
    expect(outcome.isError).toBe(true);
    expect(outcome.error).toMatch(/KilnError: .*not found/);
    const bad = await execute(stranger, `return await kiln.data.rows({ appId: "x", table: "" });`);
    expect(bad.error).toMatch(/kiln\.data\.rows: table/);
    // A dot segment would resolve into another route of the API: refused before anything is sent.
    const dotted = await execute(stranger, `return await kiln.access.uninvite({ appId: "x", email: ".." });`);
    expect(dotted.error).toMatch(/cannot be "\." or "\.\."/);
  });

  it("gives a snippet no network, a call budget, and stops a runaway loop", async () => {
    const client = await connect((await newUser()).token);
    const network = await execute(client, `const r = await fetch("https://example.com/"); return r.status;`);
    expect(network.isError).toBe(true);
    expect(network.error).toBeTruthy();

    const greedy = await execute(client, `let n = 0;\nfor (;;) { await kiln.apps.list(); n++; console.log(n); }`);
    expect(greedy.isError).toBe(true);
    expect(greedy.error).toMatch(/made 50 kiln calls/);
    expect(greedy.logs).toHaveLength(50);

    const loop = await execute(client, `let i = 0;\nwhile (true) { i++; }`);
    expect(loop.isError).toBe(true);
    expect(loop.error).toMatch(/stopped|CPU/);
  });

  it("pauses an owner's snippets after they bring a runner down twice, and bounds how many run a minute", async () => {
    const user = await newUser();
    const client = await connect(user.token);
    expect((await execute(client, "return 1;")).result).toBe(1);
    // What the control plane records when the runner's marks name one of this owner's snippets as the culprit.
    await recordFailure(env.DB, [snippetKillKey(user.id)]);
    await recordFailure(env.DB, [snippetKillKey(user.id)]);
    const paused = await execute(client, "return 1;");
    expect(paused.isError).toBe(true);
    expect(paused.error).toMatch(
      /brought an app runner down 2 times in 10 minutes, so execute is paused for 10 minutes/,
    );
    // Another owner is not paused; and one owner's runs are bounded per minute.
    const other = `usr_rate_${Date.now()}`;
    for (let run = 0; run < 30; run++) expect(await admitSnippet(env.DB, other)).toBeNull();
    expect(await admitSnippet(env.DB, other)).toMatch(/You ran 30 snippets in a minute/);
  });

  it("answers only with the owner's token", async () => {
    const response = await callApi("POST", "/mcp", {
      jsonrpc: "2.0",
      id: 1,
      method: "initialize",
      params: { protocolVersion: "2025-06-18", capabilities: {}, clientInfo: { name: "x", version: "1" } },
    });
    expect(response.status).toBe(401);
    expect(response.headers.get("www-authenticate")).toMatch(/^Bearer /);
    await expect(connect("kiln_pat_not-a-real-token")).rejects.toThrow();
  });
});
