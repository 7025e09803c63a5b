// The small app every Kiln benchmark deploys: a table with one row to read.

/** Its files; `marker` makes each version's source (and so its version) distinct. */
export const benchAppSource = (marker) => ({
  "src/index.ts": `import { Hono } from "hono";
import { defineTables, type AppEnv } from "kiln";
export const tables = defineTables({ items: { name: "text" } });
const app = new Hono<{ Bindings: AppEnv<typeof tables> }>();
app.get("/", (c) => c.text("bench ${marker}"));
app.get("/item", async (c) => c.json(await c.env.DB.get("items", 1)));
export default app;
`,
});
