// The runner answers app hosts from a routing table the control plane pushes: every change of what a host serves
// (upload, publish, rollback, config, delete) must show on the very next visitor request, through the real
// front door and runner that `npm start` runs. (Pausing and resuming are proven the same way by the attack
// tests, which pause a version by bringing the runner down twice.)
import { mkdtempSync, rmSync } from "node:fs";
import { tmpdir } from "node:os";
import path from "node:path";
import { afterAll, beforeAll, describe, expect, test } from "vitest";
import { type Kiln, Owner, type TestApp, freePort, startKiln, visit } from "../attacks/harness";

let kiln: Kiln;
let persistTo: string;
let owner: Owner;

beforeAll(async () => {
  persistTo = mkdtempSync(path.join(tmpdir(), "kiln-routing-"));
  kiln = await startKiln({ port: await freePort(), persistTo });
  owner = await Owner.signUp(kiln.port, "routing");
}, 180_000);

afterAll(async () => {
  await kiln?.stop();
  if (persistTo) rmSync(persistTo, { recursive: true, force: true });
}, 30_000);

/** An app that says which of its versions answers, and its GREETING setting. */
const saying = (word: string) => ({
  "src/index.ts": `export default {
  fetch(_request: Request, env: { CONFIG: Record<string, string> }) {
    return new Response(${JSON.stringify(word)} + " " + (env.CONFIG.GREETING ?? "-"));
  },
};
`,
});

async function text(app: TestApp, environment: "live" | "preview"): Promise<string> {
  const reply = await visit(kiln.port, app, environment);
  return `${reply.status} ${reply.text.includes("<!doctype html>") ? (/<h1>(.*?)<\/h1>/.exec(reply.text)?.[1] ?? "") : reply.text}`;
}

describe("the runner's routing table", () => {
  test("publish, upload, rollback, config and delete take effect on the next request", async () => {
    const app = await owner.createApp("routing", saying("one"));
    const first = app.version;
    expect(await text(app, "preview")).toBe("200 one -");
    // Visited before its first publish: the runner learns there is no live version yet...
    expect(await text(app, "live")).toBe("404 routing");
    await owner.publish(app);
    // ...and the publish replaces that row at once.
    expect(await text(app, "live")).toBe("200 one -");

    await owner.upload(app, saying("two"));
    expect(await text(app, "preview")).toBe("200 two -");
    expect(await text(app, "live")).toBe("200 one -");
    await owner.publish(app);
    expect(await text(app, "live")).toBe("200 two -");

    const rolledBack = await owner.api("POST", `/api/apps/${app.id}/rollback`, { version: first });
    expect(rolledBack.status).toBe(200);
    expect(await text(app, "live")).toBe("200 one -");

    expect((await owner.api("PUT", `/api/apps/${app.id}/config`, { values: { GREETING: "hello" } })).status).toBe(200);
    expect(await text(app, "live")).toBe("200 one hello");
    expect(await text(app, "preview")).toBe("200 two hello");

    expect((await owner.api("DELETE", `/api/apps/${app.id}`)).status).toBe(200);
    expect(await text(app, "live")).toBe("404 App not found");
    expect(await text(app, "preview")).toBe("404 App not found");
  });

  test("a visitor cannot pass a request id or a Kiln event header through the front door", async () => {
    const app = await owner.createApp("headers", {
      "src/index.ts": `export default {
  fetch(request: Request) {
    return Response.json([...request.headers.keys()].filter((name) => name.startsWith("x-kiln")));
  },
};
`,
    });
    const reply = await visit(kiln.port, app, "preview", "/", {
      headers: {
        "x-kiln-request-id": "req_aaaaaaaaaaaaaaaaaaaa",
        "x-kiln-front": "guess",
        "x-kiln-invoke": "automation",
      },
    });
    expect(reply.status).toBe(200);
    expect(reply.json).toEqual([]);
    expect(reply.headers["x-kiln-request-id"]).toMatch(/^req_[0-9a-f]{20}$/);
    expect(reply.headers["x-kiln-request-id"]).not.toBe("req_aaaaaaaaaaaaaaaaaaaa");
  });
});
