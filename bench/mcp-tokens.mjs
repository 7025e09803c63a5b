// Kiln's MCP server in Code Mode, in tokens: what an agent reads for three typical tasks — the tool list (two tools)
// plus what `search` answers for each — against the same operations exposed the usual way, one MCP tool each with
// JSON schemas (generated here from the typed client's own declaration, which the server offers as a resource).
// Runs from `npm run bench` against its Kiln, or standalone (`node bench/mcp-tokens.mjs`, starting one).
import { mkdtempSync, rmSync, writeFileSync } from "node:fs";
import { tmpdir } from "node:os";
import path from "node:path";
import { pathToFileURL } from "node:url";
import { Client } from "@modelcontextprotocol/sdk/client/index.js";
import { StreamableHTTPClientTransport } from "@modelcontextprotocol/sdk/client/streamableHttp.js";
import { countTokens } from "gpt-tokenizer";
import { clientToolDefinitions } from "./context-tokens.mjs";

const TARGET_FEWER = 0.8;

/** Three things agents ask Kiln for, as an agent would phrase its search. */
export const TYPICAL_TASKS = [
  "create an app and write its source code, then read the build diagnostics",
  "publish a version and seed rows into the live database",
  "run an automation and read its run and logs",
];

/**
 * The same operations as one MCP tool each, with JSON schemas of input and result generated from the client's own
 * declaration by TypeScript's checker (as bench/context-tokens.mjs does for the connectors).
 */
export function perOperationTools(declaration) {
  const folder = mkdtempSync(path.join(tmpdir(), "kiln-client-"));
  try {
    const file = path.join(folder, "kiln-client.d.ts");
    writeFileSync(file, `${declaration}\nexport declare const kiln: Kiln;\n`);
    return clientToolDefinitions([{ file, client: "kiln" }]);
  } finally {
    rmSync(folder, { recursive: true, force: true });
  }
}

/** Counts both ways against a running Kiln at `url` with an owner's API token. */
export async function mcpTokens(url, token) {
  const transport = new StreamableHTTPClientTransport(new URL("/mcp", url), {
    requestInit: { headers: { authorization: `Bearer ${token}` } },
  });
  const client = new Client({ name: "bench", version: "1.0.0" });
  await client.connect(transport);
  try {
    const { tools } = await client.listTools();
    const toolList = countTokens(JSON.stringify(tools));
    const searches = [];
    for (const task of TYPICAL_TASKS) {
      const answer = await client.callTool({ name: "search", arguments: { query: task } });
      searches.push({ task, tokens: countTokens(answer.content.map((c) => c.text).join("\n")) });
    }
    const resource = await client.readResource({ uri: "kiln://client.d.ts" });
    const perOperation = perOperationTools(resource.contents[0].text);
    return {
      toolList,
      searches,
      codeMode: toolList + searches.reduce((sum, s) => sum + s.tokens, 0),
      operations: perOperation.length,
      perOperation: countTokens(JSON.stringify(perOperation)),
    };
  } finally {
    await client.close();
  }
}

/** Prints the figures and the target's ✓/✗. */
export function printMcpTokens(figures) {
  const fewer = 1 - figures.codeMode / figures.perOperation;
  console.log("\nKiln as an MCP server (tokens, o200k_base)");
  console.log(`  tool list (search, execute)              ${figures.toolList}`);
  for (const s of figures.searches) console.log(`  search: ${s.task.padEnd(72)} ${s.tokens}`);
  console.log(`  Code Mode total                          ${figures.codeMode}`);
  console.log(`  ${figures.operations} operations, one tool each (JSON schema) ${figures.perOperation}`);
  console.log(
    `  ${fewer >= TARGET_FEWER ? "✓" : "✗"} ${(fewer * 100).toFixed(0)}% fewer tokens (target ≥ ${TARGET_FEWER * 100}%)`,
  );
  return fewer;
}

if (import.meta.url === pathToFileURL(process.argv[1] ?? "").href) {
  const { startKiln, freePort } = await import("../scripts/local-server.mjs");
  const persistTo = mkdtempSync(path.join(tmpdir(), "kiln-mcp-bench-"));
  const port = await freePort();
  const kiln = await startKiln({ port, persistTo });
  try {
    const url = `http://127.0.0.1:${port}`;
    const signup = await fetch(`${url}/api/auth/signup`, {
      method: "POST",
      headers: { "content-type": "application/json" },
      body: JSON.stringify({ email: `bench${Date.now()}@example.com`, password: "benchmark password" }),
    });
    const cookie = String(signup.headers.get("set-cookie")).split(";")[0];
    const made = await fetch(`${url}/api/tokens`, {
      method: "POST",
      headers: { "content-type": "application/json", cookie },
      body: JSON.stringify({ name: "bench" }),
    });
    printMcpTokens(await mcpTokens(url, (await made.json()).token));
  } finally {
    await kiln.stop();
    rmSync(persistTo, { recursive: true, force: true });
  }
}
