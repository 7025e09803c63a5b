import { describe, expect, it } from "vitest";
import { newUser, visit } from "../../test/api-client";
import { appWithSource, eventually } from "../../test/fixtures";
import { DEFAULT_BUDGETS } from "./budgets";

describe("serving budgets", () => {
  it("turns visitors away with a 503 once an app has too many requests in progress", async () => {
    const user = await newUser();
    const app = await appWithSource(user, "slow", {
      "src/index.ts": `export default { async fetch(req: Request) {
  if (new URL(req.url).pathname === "/slow") await new Promise((r) => setTimeout(r, 1500));
  return new Response("done");
} };`,
    });
    const attempts = DEFAULT_BUDGETS.maxInFlightPerApp + 6;
    const pages = await Promise.all(Array.from({ length: attempts }, () => visit(`${app.previewUrl}slow`)));
    const busy = pages.filter((p) => p.status === 503);
    expect(busy.length).toBeGreaterThanOrEqual(6);
    expect(busy[0]!.text).toContain("too many requests at once");
    expect(busy[0]!.headers.get("retry-after")).toBe("2");
    expect(pages.filter((p) => p.status === 200).length).toBeGreaterThan(0);
    expect((await visit(`${app.previewUrl}slow`)).status).toBe(200);
  });

  it("refuses a response whose declared size is over the budget, and cuts off a streamed one", async () => {
    const user = await newUser();
    const app = await appWithSource(user, "big", {
      "src/index.ts": `const MB = 1024 * 1024;
export default { fetch(req: Request) {
  const path = new URL(req.url).pathname;
  const chunk = new Uint8Array(MB);
  if (path === "/declared") {
    return new Response(new Uint8Array(30 * MB), { headers: { "content-length": String(30 * MB) } });
  }
  if (path === "/stream") {
    let sent = 0;
    return new Response(new ReadableStream({ pull(c) { if (sent++ < 30) c.enqueue(chunk); else c.close(); } }));
  }
  return new Response("small");
} };`,
    });
    const declared = await visit(`${app.previewUrl}declared`);
    expect(declared.status).toBe(502);
    expect(declared.text).toContain("too large");
    await expect(visit(`${app.previewUrl}stream`)).rejects.toThrow();
    const logs = await eventually(async () => {
      const res = await user.call("GET", `/api/apps/${app.id}/logs?level=error`);
      return res.body.logs.length >= 2 ? res.body.logs : null;
    });
    expect(logs[0].message).toMatch(/larger than 25 MB/);
    expect((await visit(app.previewUrl)).text).toBe("small");
  });

  it("stops an app's outbound calls after the per-request budget", async () => {
    const user = await newUser();
    const app = await appWithSource(user, "chatty", {
      "src/index.ts": `export default { async fetch() {
  let last = "";
  for (let i = 0; i < 60; i++) {
    try { await fetch("https://api.example.com/" + i); } catch (e) { last = (e as Error).message; }
  }
  return new Response(last);
} };`,
    });
    const page = await visit(app.previewUrl);
    expect(page.text).toMatch(/made more than 50 outbound calls/);
  });
});
