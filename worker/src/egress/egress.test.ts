import { describe, expect, it } from "vitest";
import { newUser, visit } from "../../test/api-client";
import { appWithSource, eventually, notesApp } from "../../test/fixtures";

describe("egress gate", () => {
  it("refuses an app's fetch to any host with a clear error and logs the attempt with its request id", async () => {
    const user = await newUser();
    const app = await appWithSource(user, "egress", notesApp());
    const page = await visit(`${app.previewUrl}outbound`);
    expect(page.text).toBe(
      "refused: network access to api.example.com is not allowed for this app (it uses no connectors)",
    );
    const requestId = page.headers.get("x-kiln-request-id");
    const logs = await eventually(async () => {
      const res = await user.call("GET", `/api/apps/${app.id}/logs?level=warn`);
      return res.body.logs.find((l: { message: string }) => l.message.includes("api.example.com")) ?? null;
    });
    expect(logs).toMatchObject({ requestId, environment: "preview" });
    expect(logs.message).toMatch(/Blocked network access: GET https:\/\/api\.example\.com\/steal/);
    expect(logs.message).not.toContain("x=1");
  });

  it("refuses raw sockets too: the build refuses cloudflare:sockets in words, and a computed import of it at run time", async () => {
    const user = await newUser();
    const created = await user.call("POST", "/api/apps", { name: "sockets" });
    const refused = await user.call("PUT", `/api/apps/${created.body.id}/source`, {
      files: {
        "src/index.ts": `import { connect } from "cloudflare:sockets";\nexport default { fetch: () => new Response(String(connect)) };`,
      },
    });
    expect(refused.status).toBe(422);
    expect(refused.body.diagnostics[0].message).toContain("apps cannot open raw network connections");
    // A computed import gets past the build, not past the runtime (and EgressProxy.connect refuses any socket anyway).
    const app = await appWithSource(user, "sockets", {
      "src/index.ts": `const moduleName = ["cloudflare", "sockets"].join(":");
export default {
  async fetch(): Promise<Response> {
    try {
      const { connect } = (await import(moduleName)) as { connect(address: { hostname: string; port: number }): { opened: Promise<unknown> } };
      await connect({ hostname: "db.example.com", port: 5432 }).opened;
      return new Response("connected");
    } catch (error) {
      return new Response("refused: " + (error as Error).message);
    }
  },
};`,
    });
    const page = await visit(app.previewUrl);
    expect(page.text).toBe(
      'refused: import("cloudflare:sockets") cannot load code while the app runs: Kiln bundles the app\'s files when it is built, so import them with a fixed name.',
    );
  });
});
