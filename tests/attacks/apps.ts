// Sources of the apps the attack tests upload: one well-behaved app with data,
// and one app per attack. Every attack app answers "/" normally (Kiln's smoke
// start requests "/" on upload) and attacks only on /attack.
import type { Files } from "./harness";

/** A Hono app with a table: "/" is the probe, /notes reads and writes its database. */
export function goodApp(marker: string): Files {
  return {
    "src/index.ts": `import { Hono } from "hono";
import { defineTables, type AppEnv } from "kiln";

export const tables = defineTables({ notes: { body: "text" } });

const app = new Hono<{ Bindings: AppEnv<typeof tables> }>();
app.get("/", (c) => c.text("good app ${marker}"));
app.get("/notes", async (c) => c.json(await c.env.DB.list("notes", { orderBy: "id", limit: 1000 })));
app.post("/notes", async (c) => c.json(await c.env.DB.insert("notes", await c.req.json()), 201));
app.get("/slow", async (c) => {
  await new Promise((resolve) => setTimeout(resolve, Number(c.req.query("ms") ?? 4000)));
  return c.text("slow but fine");
});
export default app;
`,
    "src/README.md": `The well-behaved app of the attack tests (${marker}).\n`,
  };
}

/** An object-style app whose /attack runs `body` (TypeScript statements; must return or never finish). */
export function attackApp(name: string, body: string, marker = ""): Files {
  return {
    "src/index.ts": `// ${name} ${marker}
export default {
  async fetch(request: Request, env: unknown, ctx: ExecutionContext): Promise<Response> {
    if (new URL(request.url).pathname !== "/attack") return new Response("${name}: fine until /attack");
${body}
  },
};
`,
  };
}

/** The attacks, as the statements of /attack. */
export const ATTACKS = {
  loop: `    while (true) {}`,
  recursion: `    const down = (n: number): number => down(n + 1) + 1;
    return new Response(String(down(0)));`,
  // 2^40 backtracking steps inside one RegExp exec: nothing in the isolate can interrupt it.
  regex: `    return new Response(String(/^(a+)+$/.test("a".repeat(40) + "!")));`,
  // One builtin call (JSON.parse) that allocates ~100 million objects: no loop of the app's own for a guard to count.
  heap: `    const rows = JSON.parse("[" + "{},".repeat(1e8) + "{}]") as unknown[];
    return new Response(String(rows.length));`,
  // 4 GiB of typed arrays, one statement each (a loop would be stopped by the guard after its first slow step).
  buffers: `    const a = new Uint8Array(2 ** 30).fill(1);
    const b = new Uint8Array(2 ** 30).fill(2);
    const c = new Uint8Array(2 ** 30).fill(3);
    const d = new Uint8Array(2 ** 30).fill(4);
    return new Response(String(a[0]! + b[0]! + c[0]! + d[0]!));`,
  // Each microtask queues the next: the isolate never gets back to its event loop by itself.
  microtasks: `    const again = (): Promise<void> => Promise.resolve().then(again);
    again();
    await new Promise(() => {});
    return new Response("never");`,
  // Thousands of lines, yielding between batches so the CPU guard does not cut the flood short.
  logs: `    for (let i = 0; i < 3000; i++) {
      console.log("flood line " + i);
      if (i % 250 === 249) await new Promise((resolve) => setTimeout(resolve, 1));
    }
    return new Response("logged 3000 lines");`,
  // The same flood without yielding: the CPU guard stops it after ~1,500 lines.
  logsUntilStopped: `    for (let i = 0; i < 20000; i++) console.log("flood line " + i);
    return new Response("logged 20000 lines");`,
  // Answers at once, then hangs the runner in ctx.waitUntil: no call into the runner is in flight any more.
  regexAfterResponse: `    ctx.waitUntil(
      (async () => {
        await new Promise((resolve) => setTimeout(resolve, 100));
        return /^(a+)+$/.test("a".repeat(40) + "!");
      })(),
    );
    return new Response("answered; now hanging in waitUntil");`,
  // 300 outbound calls at once.
  subrequests: `    const results = await Promise.allSettled(Array.from({ length: 300 }, (_, i) => fetch("https://example.com/flood/" + i)));
    const errors = results.filter((r): r is PromiseRejectedResult => r.status === "rejected").map((r) => String(r.reason));
    const overBudget = errors.filter((m) => m.includes("more than 50 outbound calls")).length;
    return new Response(JSON.stringify({ calls: results.length, refused: errors.length, overBudget }), { headers: { "content-type": "application/json" } });`,
} as const;
