import type { TestUser } from "./api-client";

/** A Hono app with a table, a module-level counter (to observe isolate reuse) and routes that exercise the platform. */
export function notesApp(greeting = "hello"): Record<string, string> {
  return {
    "src/index.ts": `import { Hono } from "hono";
import { defineTables, type AppEnv } from "kiln";

export const tables = defineTables({
  notes: { text: "text", pinned: "boolean?" },
});

let served = 0;
const app = new Hono<{ Bindings: AppEnv<typeof tables> }>();
app.get("/", (c) => c.text("${greeting} from notes"));
app.get("/count", (c) => c.json({ served: ++served }));
app.get("/notes", async (c) => c.json(await c.env.DB.list("notes")));
app.get("/notes/:id", async (c) => c.json(await c.env.DB.get("notes", Number(c.req.param("id")))));
app.post("/notes", async (c) => {
  const body = await c.req.json<{ text: string }>();
  return c.json(await c.env.DB.insert("notes", { text: body.text }), 201);
});
app.get("/config", (c) => c.json(c.env.CONFIG));
app.get("/env-keys", (c) => c.json(Object.keys(c.env)));
app.get("/log", (c) => {
  console.log("visitor asked for", c.req.query("q"));
  console.warn("careful");
  return c.text("logged");
});
app.get("/flood", (c) => {
  for (let i = 0; i < 500; i++) console.log("line " + i);
  return c.text("flooded");
});
app.get("/boom", () => {
  throw new Error("kaboom in notes");
});
app.get("/outbound", async (c) => {
  try {
    await fetch("https://api.example.com/steal?x=1");
    return c.text("reached");
  } catch (error) {
    return c.text("refused: " + (error as Error).message);
  }
});
app.get("/sql", async (c) => c.json(await c.env.DB.query("select count(*) as n from notes")));
export default app;
`,
  };
}

/** A plain object-style app that throws outside Hono (an uncaught exception). */
export const throwingApp: Record<string, string> = {
  "src/index.ts": `export default {
  async fetch(request: Request): Promise<Response> {
    if (new URL(request.url).pathname === "/crash") throw new Error("uncaught crash for the logs");
    return new Response("fine");
  },
};
`,
};

/** Creates an app for `user` and uploads `files`; fails the test on any non-200. */
export async function appWithSource(user: TestUser, name: string, files: Record<string, string>) {
  const app = await user.call("POST", "/api/apps", { name });
  if (app.status !== 201) throw new Error(`create failed: ${app.text}`);
  const upload = await user.call("PUT", `/api/apps/${app.body.id}/source`, { files });
  if (upload.status !== 200) throw new Error(`upload failed: ${upload.text}`);
  return {
    id: app.body.id as string,
    slug: app.body.slug as string,
    version: upload.body.version as string,
    previewUrl: app.body.previewUrl as string,
    liveUrl: app.body.liveUrl as string,
  };
}

/** Waits until `check` returns a truthy value (tails arrive after the response). */
export async function eventually<T>(check: () => Promise<T | null | undefined | false>, timeoutMs = 5000): Promise<T> {
  const deadline = Date.now() + timeoutMs;
  for (;;) {
    const value = await check();
    if (value) return value;
    if (Date.now() > deadline) throw new Error("condition not met in time");
    await new Promise((r) => setTimeout(r, 50));
  }
}
