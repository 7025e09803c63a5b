// Access rules through the real front door and runner `npm start` runs: the runner checks a visitor's session in
// its own process (the app's database), relays Kiln's sign-in pages to the control plane, and never hands the
// session token or a forged identity to app code.
import { mkdtempSync, rmSync } from "node:fs";
import { tmpdir } from "node:os";
import path from "node:path";
import { afterAll, beforeAll, describe, expect, test } from "vitest";
import { type Kiln, Owner, freePort, startKiln, visit } from "../attacks/harness";

let kiln: Kiln;
let persistTo: string;
let owner: Owner;

beforeAll(async () => {
  persistTo = mkdtempSync(path.join(tmpdir(), "kiln-access-"));
  kiln = await startKiln({ port: await freePort(), persistTo });
  owner = await Owner.signUp(kiln.port, "access");
}, 180_000);

afterAll(async () => {
  await kiln?.stop();
  if (persistTo) rmSync(persistTo, { recursive: true, force: true });
}, 30_000);

const whoAmI = {
  "src/index.ts": `export default {
  fetch: (req: Request) => Response.json({ visitor: JSON.parse(req.headers.get("x-kiln-visitor") ?? "null"), cookie: req.headers.get("cookie") }),
};
`,
};

describe("visitor access through the runner", () => {
  test("invite-only live app: sign-in page, code from the outbox, session checked by the runner, removal ends it", async () => {
    const app = await owner.createApp("members only", whoAmI, { preview: "default" });
    await owner.publish(app);
    expect((await owner.api("PUT", `/api/apps/${app.id}/access/live`, { rule: "invited" })).status).toBe(200);
    expect(
      (await owner.api("POST", `/api/apps/${app.id}/visitors`, { email: "ann@example.com", roles: ["member"] })).status,
    ).toBe(201);

    const anonymous = await visit(kiln.port, app, "live", "/", { headers: { accept: "text/html" } });
    expect(anonymous.status).toBe(303);
    expect(anonymous.headers.location).toBe("/_kiln/sign-in?next=%2F");
    expect((await visit(kiln.port, app, "live", "/data.json")).status).toBe(401);
    // The preview keeps its own rule: only its owner, by default.
    expect((await visit(kiln.port, app, "preview")).status).toBe(401);

    const page = await visit(kiln.port, app, "live", "/_kiln/sign-in");
    expect(page.status).toBe(200);
    expect(page.text).toContain("Email me a code");
    const asked = await visit(kiln.port, app, "live", "/_kiln/sign-in", {
      method: "POST",
      form: { email: "ann@example.com", next: "/" },
    });
    expect(asked.status).toBe(200);
    const outbox = await owner.api("GET", `/api/apps/${app.id}/outbox`);
    const mail = (outbox.json as { mails: { to: string; subject: string }[] }).mails.find(
      (m) => m.to === "ann@example.com",
    );
    const code = /(\d{6})$/.exec(mail!.subject)![1]!;
    const signedIn = await visit(kiln.port, app, "live", "/_kiln/sign-in/code", {
      method: "POST",
      form: { email: "ann@example.com", code, next: "/" },
    });
    expect(signedIn.status).toBe(303);
    const cookie = String(signedIn.headers["set-cookie"]).split(";")[0]!;
    expect(cookie).toMatch(/^kiln_visitor=[0-9a-f]{64}$/);

    const inside = await visit(kiln.port, app, "live", "/", { headers: { cookie: `${cookie}; theme=dark` } });
    expect(inside.status).toBe(200);
    expect(inside.json).toMatchObject({
      visitor: { email: "ann@example.com", roles: ["member"] },
      cookie: "theme=dark",
    });

    expect((await owner.api("DELETE", `/api/apps/${app.id}/visitors/ann%40example.com`)).status).toBe(200);
    expect((await visit(kiln.port, app, "live", "/", { headers: { cookie } })).status).toBe(401);
  });

  test("the owner's one-time link signs them in on the runner's host, in a page or in the workspace's frame", async () => {
    const app = await owner.createApp("owner only", whoAmI, { preview: "default" });
    expect((await visit(kiln.port, app, "preview", "/")).status).toBe(401);
    const link = await owner.api("POST", `/api/apps/${app.id}/visit`, { environment: "preview" });
    const url = new URL((link.json as { url: string }).url);
    const entered = await visit(kiln.port, app, "preview", `${url.pathname}${url.search}`);
    expect(entered.status).toBe(303);
    const cookie = String(entered.headers["set-cookie"]).split(";")[0]!;
    const inside = await visit(kiln.port, app, "preview", "/", { headers: { cookie } });
    expect(inside.json).toMatchObject({ visitor: { roles: ["owner"] } });

    // The frame's link sets the partitioned cookie; it reads and navigates, but a cross-site write is anonymous.
    const framed = await owner.api("POST", `/api/apps/${app.id}/visit`, { environment: "preview", embed: true });
    const frameUrl = new URL((framed.json as { url: string }).url);
    const frameEntry = await visit(kiln.port, app, "preview", `${frameUrl.pathname}${frameUrl.search}`);
    const setCookie = String(frameEntry.headers["set-cookie"]);
    expect(setCookie).toMatch(
      /^kiln_embed=[0-9a-f]{64}; Path=\/; HttpOnly; SameSite=None; Max-Age=\d+; Secure; Partitioned$/,
    );
    const embed = setCookie.split(";")[0]!;
    const read = await visit(kiln.port, app, "preview", "/", {
      headers: { cookie: embed, "sec-fetch-site": "cross-site" },
    });
    expect(read.json).toMatchObject({ visitor: { roles: ["owner"] }, cookie: null });
    const ownWrite = await visit(kiln.port, app, "preview", "/", {
      method: "POST",
      headers: { cookie: embed, "sec-fetch-site": "same-origin" },
    });
    expect(ownWrite.json).toMatchObject({ visitor: { roles: ["owner"] } });
    const forged = await visit(kiln.port, app, "preview", "/", {
      method: "POST",
      headers: { cookie: embed, "sec-fetch-site": "cross-site" },
    });
    expect(forged.status).toBe(401);
  });
});
