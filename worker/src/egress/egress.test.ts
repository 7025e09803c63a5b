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

  it("refuses raw sockets too", async () => {
    const user = await newUser();
    const app = await appWithSource(user, "sockets", {
      "src/index.ts": `import { connect } from "cloudflare:sockets";
export default {
  async fetch(): Promise<Response> {
    try {
      const socket = connect({ hostname: "db.example.com", port: 5432 });
      await socket.opened;
      const writer = socket.writable.getWriter();
      await writer.write(new TextEncoder().encode("hello"));
      const read = await socket.readable.getReader().read();
      return new Response(read.done ? "closed" : "connected");
    } catch (error) {
      return new Response("refused: " + (error as Error).message);
    }
  },
};`,
    });
    const page = await visit(app.previewUrl);
    expect(page.text).toMatch(/^refused: |^closed$/);
    const logs = await eventually(async () => {
      const res = await user.call("GET", `/api/apps/${app.id}/logs?level=warn`);
      return res.body.logs.find((l: { message: string }) => l.message.includes("raw socket")) ?? null;
    });
    expect(logs.environment).toBe("preview");
  });
});
