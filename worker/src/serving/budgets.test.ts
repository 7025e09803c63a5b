import { describe, expect, it } from "vitest";
import { newUser, visit } from "../../test/api-client";
import { appWithSource, eventually } from "../../test/fixtures";
import { DEFAULT_BUDGETS, SMALL_BODY_BYTES, admit, limitResponseBody } from "./budgets";

describe("serving budgets", () => {
  it("queues a burst past the app's concurrent budget instead of turning it away", async () => {
    const user = await newUser();
    const app = await appWithSource(user, "slow", {
      "src/index.ts": `let running = 0;
let most = 0;
export default { async fetch(req: Request) {
  if (new URL(req.url).pathname === "/most") return new Response(String(most));
  running++;
  most = Math.max(most, running);
  await new Promise((r) => setTimeout(r, 300));
  running--;
  return new Response("done");
} };`,
    });
    const attempts = DEFAULT_BUDGETS.maxInFlightPerApp + 16;
    const pages = await Promise.all(Array.from({ length: attempts }, () => visit(`${app.previewUrl}slow`)));
    expect(pages.map((p) => p.status)).toEqual(Array.from({ length: attempts }, () => 200));
    // Never more than the budget inside the app at once: the rest waited their turn.
    expect(Number((await visit(`${app.previewUrl}most`)).text)).toBe(DEFAULT_BUDGETS.maxInFlightPerApp);
  });

  it("turns a visitor away once the queue is full or the wait runs out, and hands turns over in order", async () => {
    const budgets = { ...DEFAULT_BUDGETS, maxInFlightPerApp: 2, maxQueuedPerApp: 2, maxQueueWaitMs: 200 };
    const key = `test:${crypto.randomUUID()}`;
    const first = await admit(key, budgets);
    const second = await admit(key, budgets);
    expect(first && second).toBeTruthy();
    const order: string[] = [];
    const noting = (name: string) => (release: (() => void) | null) => {
      order.push(name);
      return release;
    };
    const third = admit(key, budgets).then(noting("third"));
    const fourth = admit(key, budgets).then(noting("fourth"));
    expect(await admit(key, budgets)).toBeNull();
    first!();
    second!();
    const [thirdRelease, fourthRelease] = await Promise.all([third, fourth]);
    expect(order).toEqual(["third", "fourth"]);
    expect(thirdRelease && fourthRelease).toBeTruthy();
    // Both turns are taken: a fifth waits 200 ms in vain.
    const started = Date.now();
    expect(await admit(key, budgets)).toBeNull();
    expect(Date.now() - started).toBeGreaterThanOrEqual(150);
    thirdRelease!();
    fourthRelease!();
    const again = await admit(key, budgets);
    expect(again).toBeTruthy();
    again!();
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

  it("answers a small body that arrived whole as one buffer, and never holds back a stream the app writes over time", async () => {
    const small = await limitResponseBody(new Response(new Blob(["hello"]).stream()), 1024, () => {});
    expect(await small!.text()).toBe("hello");

    let release!: () => void;
    const later = new Promise<void>((resolve) => (release = resolve));
    const text = new TextEncoder();
    const body = new ReadableStream<Uint8Array>({
      async start(controller) {
        controller.enqueue(text.encode("first "));
        await later;
        controller.enqueue(text.encode("second"));
        controller.close();
      },
    });
    // Resolves while the second chunk is still to come: the visitor gets the first at once.
    const streamed = await limitResponseBody(new Response(body), 1024, () => {});
    const reader = streamed!.body!.getReader();
    expect(new TextDecoder().decode((await reader.read()).value)).toBe("first ");
    release();
    expect(new TextDecoder().decode((await reader.read()).value)).toBe("second");
    expect((await reader.read()).done).toBe(true);
  });

  it("cuts off a body past the budget once more than the small-body buffer arrived at once", async () => {
    let exceeded = 0;
    const chunk = new Uint8Array(SMALL_BODY_BYTES);
    const body = new ReadableStream<Uint8Array>({
      pull(controller) {
        controller.enqueue(chunk);
      },
    });
    const limited = await limitResponseBody(new Response(body), 3 * SMALL_BODY_BYTES, () => exceeded++);
    await expect(limited!.arrayBuffer()).rejects.toThrow(/larger than/);
    expect(exceeded).toBe(1);
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
