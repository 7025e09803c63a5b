import { env } from "cloudflare:test";
import { describe, expect, it } from "vitest";
import { newUser, visit } from "../../test/api-client";
import { appWithSource, eventually, notesApp } from "../../test/fixtures";

describe("secrets never leak", () => {
  it("no API response, app log or audit record contains a password, its hash, a session or a token", async () => {
    const user = await newUser();
    const app = await appWithSource(user, "leaky", notesApp());
    const { password_hash: passwordHash } = (await env.DB.prepare("SELECT password_hash FROM users WHERE id = ?")
      .bind(user.id)
      .first<{ password_hash: string }>())!;
    const session = user.cookie.split("=")[1]!;
    const forbidden = ["correct horse battery", passwordHash, passwordHash.split("$")[3]!, session, user.token];

    // A visitor sends credentials to the app; the app logs what it sees.
    const visited = await visit(`${app.previewUrl}log?q=hello`, {
      headers: { authorization: `Bearer ${user.token}`, cookie: user.cookie },
    });
    expect(visited.status).toBe(200);
    await eventually(async () => (await user.call("GET", `/api/apps/${app.id}/logs`)).body.logs.length > 0);

    const responses = await Promise.all([
      user.call("GET", "/api/auth/me"),
      user.call("GET", "/api/tokens"),
      user.call("GET", "/api/apps"),
      user.call("GET", `/api/apps/${app.id}`),
      user.call("GET", `/api/apps/${app.id}/versions`),
      user.call("GET", `/api/apps/${app.id}/source`),
      user.call("GET", `/api/apps/${app.id}/data`),
      user.call("GET", `/api/apps/${app.id}/logs`),
      user.call("POST", "/api/auth/login", { email: user.email, password: "correct horse battery" }),
    ]);
    for (const res of responses) {
      expect(res.status).toBeLessThan(300);
      for (const secret of forbidden) expect(res.text).not.toContain(secret);
      expect(res.text).not.toContain("kiln_pat_");
    }
    const audit = await env.DB.prepare("SELECT detail_json FROM audit_events WHERE user_id = ?")
      .bind(user.id)
      .all<{ detail_json: string }>();
    for (const row of audit.results) for (const secret of forbidden) expect(row.detail_json).not.toContain(secret);
  });

  it("the app's own logs record what the app printed, but request headers with credentials never reach the logs", async () => {
    const user = await newUser();
    const app = await appWithSource(user, "headers-log", {
      "src/index.ts": `export default { fetch: (req: Request) => { console.log("headers", [...req.headers.keys()].join(",")); return new Response("ok"); } };`,
    });
    await visit(app.previewUrl, {
      headers: { authorization: "Bearer kiln_pat_visitor_secret", cookie: "kiln_session=abc123secret" },
    });
    const logs = await eventually(async () => {
      const res = await user.call("GET", `/api/apps/${app.id}/logs`);
      return res.body.logs.length > 0 ? res.text : null;
    });
    expect(logs).not.toContain("kiln_pat_visitor_secret");
    expect(logs).not.toContain("abc123secret");
  });
});
