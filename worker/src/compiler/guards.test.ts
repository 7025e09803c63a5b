// Loop and time guards, end to end: real builds loaded by the real Worker Loader.
// A guard that fails here hangs the whole workerd (and this test run) instead of failing one test.
import { describe, expect, it } from "vitest";
import { newUser, visit } from "../../test/api-client";
import { appWithSource, eventually } from "../../test/fixtures";
import { RECURSION_MESSAGE, stoppedAtStartMessage, stoppedMessage } from "./guard-runtime";
import { buildApp } from "./index";
import { build, load } from "../../test/builds";

const STOPPED = stoppedMessage(50);
/** Budget plus generous slack for a loaded CI machine; a hang would take forever instead. */
const QUICK_MS = 1500;

/** An object-style app whose fetch runs `body` (TypeScript statements; `request` and `url` are in scope). */
function handlerApp(body: string, preamble = ""): Record<string, string> {
  return {
    "src/index.ts": `${preamble}
export default {
  async fetch(request: Request): Promise<Response> {
    const url = new URL(request.url);
    void url;
    ${body}
  },
};
`,
  };
}

/** A busy wait of `ms`, written as app code (so its loop is guarded). */
const BUSY = `function busy(ms: number): number { const end = Date.now() + ms; let n = 0; while (Date.now() < end) n++; return n; }`;

/** Fetches `path` and returns how long it took and its outcome (a rejection's message or the response text). */
async function timed(worker: WorkerStub, path: string): Promise<{ ms: number; status: number | null; text: string }> {
  const started = Date.now();
  try {
    const response = await worker.getEntrypoint().fetch(`http://app.test${path}`);
    return { ms: Date.now() - started, status: response.status, text: await response.text() };
  } catch (error) {
    return { ms: Date.now() - started, status: null, text: error instanceof Error ? error.message : String(error) };
  }
}

async function expectStopped(worker: WorkerStub, path: string, message = STOPPED): Promise<void> {
  const outcome = await timed(worker, path);
  expect(outcome.text).toContain(message);
  expect(outcome.status).toBeNull();
  expect(outcome.ms).toBeLessThan(QUICK_MS);
}

describe("loop guards stop runaway code and the isolate keeps serving", { timeout: 20_000 }, () => {
  const runaways: Record<string, string> = {
    "/while": `while (true) {}`,
    "/for-try": `let x = 0; for (;;) { try { x++; } catch {} }`,
    "/catch-inner": `for (;;) { try { while (true) {} } catch {} }`,
    "/finally-continue": `for (;;) { try { for (;;); } finally { continue; } }`,
    "/callback": `[1, 2].forEach(() => { while (true) {} }); return new Response("unreachable");`,
    "/recursion-retry": `const f = (): number => { try { return f() + 1; } catch { return f() + 1; } }; return new Response(String(f()));`,
    "/microtasks": `for (;;) await null;`,
    "/awaited-async": `const one = async (): Promise<number> => 1; let n = 0; for (;;) n += await one();`,
    "/then-chain": `const spin = (): Promise<void> => Promise.resolve().then(spin); await spin();`,
    "/promise-all": `for (;;) await Promise.all([1, 2, 3].map(async (x) => x * 2));`,
    "/across-awaits": `${BUSY.replace("function busy", "const busy = function")}; for (;;) { try { busy(1000); } catch {} await scheduler.wait(1); }`,
    "/swallowed": `try { while (true) {} } catch {} return new Response("answered anyway");`,
    // Each iteration is one check but milliseconds of native work: the clock must be read at every one.
    "/slow-iterations": `const text = JSON.stringify(new Array(300_000).fill(12345)); for (;;) JSON.parse(text);`,
  };
  const source = handlerApp(
    `${Object.entries(runaways)
      .map(([path, code]) => `if (url.pathname === ${JSON.stringify(path)}) { ${code} }`)
      .join("\n    ")}
    return new Response("still serving");`,
  );

  // A catch that retries the recursion is stopped at its first stack overflow, in the recursion's words.
  const expectedMessage: Record<string, string> = { "/recursion-retry": RECURSION_MESSAGE };
  for (const path of Object.keys(runaways)) {
    it(`stops ${path} with the guard's message, then serves the next request`, async () => {
      const worker = load(await build(source));
      await expectStopped(worker, path, expectedMessage[path]);
      expect(await timed(worker, "/")).toMatchObject({ status: 200, text: "still serving" });
    });
  }

  it("makes unbounded recursion a plain error (V8's stack overflow is survivable)", async () => {
    const worker = load(
      await build(handlerApp(`const f = (n: number): number => f(n + 1) + 1; return new Response(String(f(0)));`)),
    );
    const outcome = await timed(worker, "/");
    expect(outcome).toMatchObject({ status: null, text: RECURSION_MESSAGE });
    expect(outcome.ms).toBeLessThan(QUICK_MS);
    expect(await timed(worker, "/")).toMatchObject({ status: null, text: RECURSION_MESSAGE });
  });

  it("stops a loop in a Hono handler with the guard's message although Hono answers 500 itself", async () => {
    const worker = load(
      await build({
        "src/index.ts": `import { Hono } from "hono";
const app = new Hono();
app.get("/", (c) => c.text("home"));
app.get("/spin", (c) => { let i = 0; while (i >= 0) i = (i + 1) % 10; return c.text("never"); });
export default app;`,
      }),
    );
    await expectStopped(worker, "/spin");
    expect(await timed(worker, "/")).toMatchObject({ status: 200, text: "home" });
  });

  it("stops a loop at module level when the app starts, instead of hanging the load", async () => {
    const worker = load(
      await build({
        "src/index.ts": `let n = 0;\nwhile (true) n++;\nexport default { fetch: () => new Response(String(n)) };`,
      }),
    );
    await expectStopped(worker, "/", stoppedAtStartMessage(50));
  });

  it("stops a runaway request while a concurrent request waiting on I/O still succeeds", async () => {
    const worker = load(
      await build(
        handlerApp(
          `if (url.pathname === "/spin") { while (true) {} }\n    await scheduler.wait(200);\n    return new Response("waited " + busy(20));`,
          BUSY,
        ),
      ),
    );
    const [spin, waited] = await Promise.all([timed(worker, "/spin"), timed(worker, "/wait")]);
    expect(spin.text).toContain(STOPPED);
    expect(waited.status).toBe(200);
  });

  it("stops a runaway ReadableStream pull() that runs after the handler returned", async () => {
    const worker = load(
      await build(
        // The first pull() runs inside the invocation; later ones run with no invocation context.
        handlerApp(`if (url.pathname === "/") return new Response("ok");
    let pulls = 0;
    return new Response(new ReadableStream({ pull(controller) { if (++pulls < 3) { controller.enqueue(new Uint8Array([65])); return; } while (true) {} } }));`),
      ),
    );
    const started = Date.now();
    const response = await worker.getEntrypoint().fetch("http://app.test/stream");
    await expect(response.text()).rejects.toThrow();
    expect(Date.now() - started).toBeLessThan(QUICK_MS);
    expect(await timed(worker, "/")).toMatchObject({ status: 200, text: "ok" });
  });
});

describe("loop guards leave working apps alone", { timeout: 20_000 }, () => {
  it("serves a request that awaits 200 ms of timers between short bursts of work", async () => {
    const worker = load(
      await build(
        handlerApp(
          `const a = busy(30);\n    await scheduler.wait(100);\n    const b = busy(30);\n    await new Promise((r) => setTimeout(r, 100));\n    return new Response(a > 0 && b > 0 ? "done" : "no");`,
          BUSY,
        ),
      ),
    );
    const outcome = await timed(worker, "/");
    expect(outcome).toMatchObject({ status: 200, text: "done" });
    expect(outcome.ms).toBeGreaterThanOrEqual(200);
  });

  // Three times the default budget: a busy-wait on the wall clock gets less CPU than it waits on a loaded machine,
  // and the guard does not count a pause of the process as the app's time.
  it("stops a 150 ms busy loop but not with a larger configured budget, and names the budget", async () => {
    const source = handlerApp(
      `if (url.pathname === "/spin") { while (true) {} }
    return new Response("busy " + (busy(150) > 0));`,
      BUSY,
    );
    await expectStopped(load(await build(source)), "/");
    expect(await timed(load(await build(source, { cpuBudgetMs: 500 })), "/")).toMatchObject({
      status: 200,
      text: "busy true",
    });
    await expectStopped(load(await build(source, { cpuBudgetMs: 20 })), "/spin", stoppedMessage(20));
  });

  it("gives a Hono app the same answers with and without guards", async () => {
    const files = {
      "src/index.ts": `import { Hono } from "hono";
import { z } from "zod";
const Item = z.object({ name: z.string().min(1), qty: z.number().int().positive() });
const app = new Hono();
const fib = (n: number): number => (n < 2 ? n : fib(n - 1) + fib(n - 2));
app.get("/", (c) => c.text("hello"));
app.get("/fib/:n", (c) => c.json({ fib: fib(Number(c.req.param("n"))) }));
app.get("/sum", (c) => { let s = 0; for (let i = 0; i < 100_000; i++) s += i % 7; return c.json({ s }); });
app.post("/items", async (c) => {
  const parsed = Item.safeParse(await c.req.json());
  return parsed.success ? c.json(parsed.data, 201) : c.json({ error: parsed.error.issues.map((i) => i.path.join(".")) }, 400);
});
export default app;`,
    };
    const guarded = load(await build(files));
    const plain = load(await build(files, { guards: false }));
    const requests: [string, RequestInit?][] = [
      ["/"],
      ["/fib/20"],
      ["/sum"],
      ["/items", { method: "POST", body: JSON.stringify({ name: "nail", qty: 3 }) }],
      ["/items", { method: "POST", body: JSON.stringify({ name: "", qty: -1 }) }],
      ["/missing"],
    ];
    for (const [path, init] of requests) {
      const [a, b] = await Promise.all(
        [guarded, plain].map((w) => w.getEntrypoint().fetch(`http://app.test${path}`, init)),
      );
      expect([a!.status, await a!.text()]).toEqual([b!.status, await b!.text()]);
    }
  });

  it("refuses import() of a computed name, which could otherwise load Kiln's own modules", async () => {
    const worker = load(
      await build(
        handlerApp(
          `const name = ["./__kiln", "guard.js"].join("/");\n    try { await import(name); return new Response("loaded"); } catch (e) { return new Response(String(e)); }`,
        ),
      ),
    );
    expect((await timed(worker, "/")).text).toContain(
      `import("./__kiln/guard.js") cannot load code while the app runs`,
    );
  });

  it("rejects a budget that is not a whole number of ms", async () => {
    await expect(buildApp(handlerApp(`return new Response("x");`), { cpuBudgetMs: 0 })).rejects.toThrow(RangeError);
  });
});

describe("loop guards on the platform", { timeout: 60_000 }, () => {
  it("answers 500 and logs the guard's and the recursion's messages in plain words", async () => {
    const user = await newUser();
    const app = await appWithSource(user, "runaway", {
      "src/index.ts": `import { Hono } from "hono";
const app = new Hono();
const down = (n: number): number => down(n + 1) + 1;
app.get("/", (c) => c.text("fine"));
app.get("/spin", (c) => { for (;;) {} return c.text("never"); });
app.get("/recurse", (c) => c.text(String(down(0))));
export default app;`,
    });
    expect((await visit(`${app.previewUrl}spin`)).status).toBe(500);
    expect((await visit(`${app.previewUrl}recurse`)).status).toBe(500);
    expect(await visit(app.previewUrl)).toMatchObject({ status: 200, text: "fine" });
    const messages = await eventually(async () => {
      const res = await user.call("GET", `/api/apps/${app.id}/logs`);
      const all: string[] = res.body.logs.map((l: { message: string }) => l.message);
      return all.some((m) => m.includes(RECURSION_MESSAGE)) && all.some((m) => m.includes(STOPPED)) ? all : null;
    });
    expect(messages.join("\n")).not.toContain("Maximum call stack size exceeded");
  });
});
