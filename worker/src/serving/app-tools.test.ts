import { env } from "cloudflare:test";
import { describe, expect, it } from "vitest";
import { newUser, visit } from "../../test/api-client";
import { appWithSource, eventually } from "../../test/fixtures";
import { mcpClient, toolsApp } from "../../test/tools-app";
import type { RequestEntry } from "../core/api-shapes/requests";
import { bundleKey } from "../isolates/bundle-store";

/** The tools app with its `tools` no longer exported: same tables, and its own `/mcp` route (418). */
const noToolsApp = {
  "src/index.ts": toolsApp["src/index.ts"]!.replace("export const tools:", "export const helpers:"),
};

async function publicToolsApp(files = toolsApp) {
  const user = await newUser();
  const app = await appWithSource(user, `tools ${crypto.randomUUID().slice(0, 6)}`, files);
  expect((await user.call("PUT", `/api/apps/${app.id}/access/preview`, { rule: "public" })).status).toBe(200);
  return { user, app };
}

/** A browser's preflight of `url`. */
function preflightOf(url: string, headers: Record<string, string>) {
  return visit(url, { method: "OPTIONS", headers });
}

/** One JSON-RPC message to an app host's `/mcp`, as a client sends it. */
function postMcp(hostUrl: string, body: string, headers: Record<string, string> = {}) {
  return visit(`${hostUrl}mcp`, {
    method: "POST",
    headers: { "content-type": "application/json", accept: "application/json, text/event-stream", ...headers },
    body,
  });
}

describe("an app's tools over MCP", () => {
  it("the real SDK client lists and calls a public app's tools; input is validated before run", async () => {
    const { app } = await publicToolsApp();
    const client = await mcpClient(app.previewUrl);
    expect(client.getServerVersion()?.name).toMatch(/^tools /);
    const { tools } = await client.listTools();
    // countLeads needs the role sales: an anonymous caller does not see it.
    expect(tools.map((tool) => tool.name).sort()).toEqual(["addLead", "explode", "whoAmI"]);
    const addLead = tools.find((tool) => tool.name === "addLead")!;
    expect(addLead.description).toBe("Add a lead to the CRM");
    expect(addLead.inputSchema).toMatchObject({ type: "object", required: ["name", "email"] });

    const added = await client.callTool({ name: "addLead", arguments: { name: "Ada", email: "ada@example.com" } });
    expect(added.isError).toBeFalsy();
    expect(added.structuredContent).toMatchObject({ name: "Ada", email: "ada@example.com", added_by: null });
    expect(JSON.parse((await visit(`${app.previewUrl}leads`)).text)).toHaveLength(1);

    const invalid = await client.callTool({ name: "addLead", arguments: { name: "Bob", email: "not an email" } });
    expect(invalid.isError).toBe(true);
    expect(JSON.stringify(invalid.content)).toContain("email");
    expect(JSON.parse((await visit(`${app.previewUrl}leads`)).text)).toHaveLength(1);

    const failed = await client.callTool({ name: "explode", arguments: {} });
    expect(failed.isError).toBe(true);
    expect(JSON.stringify(failed.content)).toContain("the tool exploded");
    await expect(client.callTool({ name: "countLeads", arguments: {} })).rejects.toThrow(/only for sales/);
    await expect(client.callTool({ name: "nope", arguments: {} })).rejects.toThrow(/no tool named/);
    await client.close();
  });

  it("the request log shows tool calls as such, named by the tool", async () => {
    const { user, app } = await publicToolsApp();
    const client = await mcpClient(app.previewUrl);
    await client.listTools();
    await client.callTool({ name: "whoAmI", arguments: {} });
    await client.close();
    const rows = await eventually(async () => {
      const page = await user.call("GET", `/api/apps/${app.id}/requests?kind=tool`);
      const requests = page.body.requests as RequestEntry[];
      return requests.length >= 2 ? requests : null;
    }, 10_000);
    expect(rows.map((row) => [row.kind, row.method, row.path, row.status]).sort()).toEqual([
      ["tool", "POST", "/__kiln/tools", 200],
      ["tool", "POST", "/__kiln/tools/whoAmI", 200],
    ]);
  });

  it("/mcp and the OAuth metadata stay the app's own paths on a version without tools", async () => {
    const { user, app } = await publicToolsApp(noToolsApp);
    const own = await postMcp(app.previewUrl, '{"jsonrpc":"2.0","id":1,"method":"initialize","params":{}}');
    expect([own.status, own.text]).toEqual([418, "the app's own /mcp"]);
    expect((await visit(`${app.previewUrl}mcp`, { method: "OPTIONS" })).status).toBe(418);
    expect((await visit(`${app.previewUrl}.well-known/oauth-protected-resource`)).status).toBe(404);

    // A version with tools takes them; going back to one without gives them back, as the routing table says.
    expect((await user.call("PUT", `/api/apps/${app.id}/source`, { files: toolsApp })).status).toBe(200);
    const kiln = await postMcp(app.previewUrl, '{"jsonrpc":"2.0","id":1,"method":"initialize","params":{}}');
    expect(JSON.parse(kiln.text).result.serverInfo.name).toMatch(/^tools /);
    expect((await visit(`${app.previewUrl}.well-known/oauth-protected-resource`)).status).toBe(200);
    expect((await user.call("PUT", `/api/apps/${app.id}/source`, { files: noToolsApp })).status).toBe(200);
    expect((await postMcp(app.previewUrl, "{}")).status).toBe(418);
  });

  it("tools/list that the app cannot answer is a JSON-RPC error saying why, never an empty list", async () => {
    const { user, app } = await publicToolsApp();
    // The version's code gone from storage before its isolate ever started: the isolate cannot be loaded.
    await env.BUNDLES.delete(bundleKey(app.id, app.version));
    const listed = await postMcp(app.previewUrl, '{"jsonrpc":"2.0","id":7,"method":"tools/list"}');
    const answer = JSON.parse(listed.text);
    expect(answer.result).toBeUndefined();
    expect(answer).toMatchObject({ id: 7, error: { code: -32603 } });
    expect(answer.error.message).toMatch(/^The app ran into an error \(request req_\w+\); its owner can see why/);
    const logs = await user.call("GET", `/api/apps/${app.id}/logs`);
    expect(JSON.stringify(logs.body)).toContain("Kiln could not run a tool call: The code of version");
  });

  it("browser-based clients may call /mcp from any origin, without cookies, and read the OAuth challenge", async () => {
    const user = await newUser();
    const app = await appWithSource(user, `tools ${crypto.randomUUID().slice(0, 6)}`, toolsApp);
    // Invited visitors only: a call without a token is the 401 that starts OAuth.
    expect((await user.call("PUT", `/api/apps/${app.id}/access/preview`, { rule: "invited" })).status).toBe(200);
    const origin = { origin: "https://assistant.example" };
    const preflight = await preflightOf(`${app.previewUrl}mcp`, {
      ...origin,
      "access-control-request-method": "POST",
      "access-control-request-headers": "authorization, content-type, mcp-protocol-version",
    });
    expect(preflight.status).toBe(204);
    expect(preflight.headers.get("access-control-allow-origin")).toBe("*");
    expect(preflight.headers.get("access-control-allow-credentials")).toBeNull();
    expect(preflight.headers.get("access-control-allow-methods")).toContain("POST");
    const allowed = preflight.headers.get("access-control-allow-headers") ?? "";
    for (const header of ["content-type", "authorization", "mcp-protocol-version", "mcp-session-id"])
      expect(allowed).toContain(header);
    const metadataPreflight = await preflightOf(`${app.previewUrl}.well-known/oauth-protected-resource`, origin);
    expect(metadataPreflight.headers.get("access-control-allow-headers")).toContain("mcp-protocol-version");

    const refused = await postMcp(app.previewUrl, '{"jsonrpc":"2.0","id":1,"method":"initialize","params":{}}', origin);
    expect(refused.status).toBe(401);
    expect(refused.headers.get("access-control-allow-origin")).toBe("*");
    expect(refused.headers.get("access-control-expose-headers")).toContain("www-authenticate");
    expect(refused.headers.get("access-control-expose-headers")).toContain("mcp-session-id");
    expect((await user.call("PUT", `/api/apps/${app.id}/access/preview`, { rule: "public" })).status).toBe(200);
    const answered = await postMcp(app.previewUrl, '{"jsonrpc":"2.0","id":1,"method":"ping"}', origin);
    expect(JSON.parse(answered.text).result).toEqual({});
    expect(answered.headers.get("access-control-allow-origin")).toBe("*");
  });

  it("/mcp is Kiln's: GET is 405, bad JSON-RPC gets JSON-RPC errors, and a visitor's x-kiln-* headers never reach a tool", async () => {
    const { app } = await publicToolsApp();
    expect((await visit(`${app.previewUrl}mcp`)).status).toBe(405);
    const post = (body: string, headers: Record<string, string> = {}) =>
      visit(`${app.previewUrl}mcp`, {
        method: "POST",
        headers: { "content-type": "application/json", accept: "application/json, text/event-stream", ...headers },
        body,
      });
    expect(JSON.parse((await post("{nope")).text).error.code).toBe(-32700);
    expect(JSON.parse((await post('{"jsonrpc":"2.0","id":1,"method":"resources/list"}')).text).error.code).toBe(-32601);
    const init = JSON.parse(
      (await post('{"jsonrpc":"2.0","id":1,"method":"initialize","params":{"protocolVersion":"1999-01-01"}}')).text,
    );
    expect(init.result.protocolVersion).toBe("2025-11-25");
    expect((await post('{"jsonrpc":"2.0","method":"notifications/initialized"}')).status).toBe(202);
    const forged = await post(
      '{"jsonrpc":"2.0","id":2,"method":"tools/call","params":{"name":"whoAmI","arguments":{}}}',
      {
        "x-kiln-visitor": '{"id":"x","email":"boss@example.com","roles":["owner"]}',
        "x-kiln-invoke": "automation",
      },
    );
    expect(JSON.parse(forged.text).result.structuredContent).toEqual({ caller: null });
    const metadata = JSON.parse((await visit(`${app.previewUrl}.well-known/oauth-protected-resource`)).text);
    expect(metadata).toMatchObject({
      resource: `${app.previewUrl}mcp`,
      authorization_servers: [app.previewUrl.slice(0, -1)],
    });
  });

  it("a malformed tools declaration fails the build, saying what to write", async () => {
    const user = await newUser();
    const created = await user.call("POST", "/api/apps", { name: "bad tools" });
    const upload = await user.call("PUT", `/api/apps/${created.body.id}/source`, {
      files: {
        "src/index.ts": `import { z } from "zod";
export const tools = {
  "add lead": { description: "x", input: z.object({}), run: async () => 1 },
  noDescription: { input: z.object({}), run: async () => 1 },
  notAnObject: { description: "x", input: z.string(), run: async () => 1 },
  roleless: { description: "x", input: z.object({}), roles: ["sales"], run: async () => 1 },
};
export default { fetch: () => new Response("ok") };
`,
      },
    });
    expect(upload.status).toBe(422);
    const diagnostics = upload.body.diagnostics as { message: string; line: number }[];
    expect(diagnostics[0]!.line).toBe(2); // the `export const tools` line
    const messages = diagnostics.map((d) => d.message);
    expect(messages).toEqual([
      'tool "add lead": a name may use only letters, digits, "-" and "_" (1 to 64).',
      'tool "noDescription" needs a description: one sentence telling an assistant when to use it.',
      'tool "notAnObject": input must be a z.object({ … }): assistants send a tool\'s arguments as one object.',
      'tool "roleless": the role "sales" is not in `export const roles`; declare it there (owners give roles to invitees).',
    ]);
  });
});
