/** A test app that exposes every `env.FILES` operation over HTTP, so tests drive it as a visitor would. */
export const filesApp: Record<string, string> = {
  "src/index.ts": `import { Hono } from "hono";
import type { AppEnv } from "kiln";

const app = new Hono<{ Bindings: AppEnv }>();
const fail = (error: unknown) => ({ error: error instanceof Error ? error.message : String(error) });

app.get("/", (c) => c.html('<form method="post" action="/upload" enctype="multipart/form-data"><input type="file" name="file"><button>Upload</button></form>'));
app.post("/upload", async (c) => {
  const form = await c.req.formData();
  const file = form.get("file");
  if (!(file instanceof File)) return c.json({ error: "no file" }, 400);
  try {
    return c.json(await c.env.FILES.put(String(form.get("name") ?? file.name), file), 201);
  } catch (error) {
    return c.json(fail(error), 400);
  }
});
app.put("/raw", async (c) => {
  try {
    const type = c.req.header("content-type");
    return c.json(await c.env.FILES.put(c.req.query("name") ?? "", await c.req.text(), type ? { contentType: type } : undefined), 201);
  } catch (error) {
    return c.json(fail(error), 400);
  }
});
app.get("/list", async (c) => c.json(await c.env.FILES.list({ prefix: c.req.query("prefix") })));
app.get("/get", async (c) => {
  try {
    return (await c.env.FILES.get(c.req.query("name") ?? "")) ?? c.text("none", 404);
  } catch (error) {
    return c.json(fail(error), 400);
  }
});
app.post("/delete", async (c) => c.json({ deleted: await c.env.FILES.delete(c.req.query("name") ?? "") }));
app.get("/url", async (c) => {
  try {
    const seconds = c.req.query("expiresIn");
    return c.text(await c.env.FILES.url(c.req.query("name") ?? "", seconds ? { expiresIn: Number(seconds) } : undefined));
  } catch (error) {
    return c.json(fail(error), 400);
  }
});
export default app;
`,
};
