import { describe, expect, it } from "vitest";
import { newUser, visit } from "../../test/api-client";
import { appWithSource } from "../../test/fixtures";

// A todo app whose own checks create a row and read it back; `broken` makes the list forget it.
function todoApp(broken: boolean, checks = DEFAULT_CHECKS): Record<string, string> {
  return {
    "src/index.ts": `import { Hono } from "hono";
import { defineTables, type AppEnv } from "kiln";

export const tables = defineTables({ todos: { title: "text" } });

export const checks = ${checks};

const app = new Hono<{ Bindings: AppEnv<typeof tables> }>();
app.get("/", (c) => c.text("todos"));
app.post("/todos", async (c) => c.json(await c.env.DB.insert("todos", await c.req.json<{ title: string }>()), 201));
app.get("/todos", async (c) => c.json(${broken ? "[]" : 'await c.env.DB.list("todos")'}));
export default app;
`,
  };
}

const DEFAULT_CHECKS = `[
  { name: "adds a todo", method: "POST", path: "/todos", body: { title: "buy milk" }, status: 201 },
  { name: "lists the todo just added", path: "/todos", contains: "buy milk" },
]`;

describe("checks an app declares", () => {
  it("run before deployment against a scratch database, in order", async () => {
    const user = await newUser();
    const app = await appWithSource(user, "checked todos", todoApp(false));
    expect((await visit(app.previewUrl)).text).toBe("todos");
    // The checks' row went to the scratch database, not to preview.
    expect((await visit(`${app.previewUrl}todos`)).text).toBe("[]");
  });

  it("stop a version whose check fails, say which and why, and keep the last good version serving", async () => {
    const user = await newUser();
    const app = await appWithSource(user, "checked todos", todoApp(false));
    const broken = await user.call("PUT", `/api/apps/${app.id}/source`, { files: todoApp(true) });
    expect(broken.status).toBe(422);
    expect(broken.body.stage).toBe("checks");
    expect(broken.body.error.message).toBe("1 of the app's 2 checks failed.");
    expect(broken.body.diagnostics[0].message).toContain(
      `"lists the todo just added": GET /todos did not contain "buy milk"`,
    );
    expect((await user.call("GET", `/api/apps/${app.id}`)).body.previewVersion).toBe(app.version);
  });

  it("refuse a malformed checks export with what is wrong", async () => {
    const user = await newUser();
    const created = await user.call("POST", "/api/apps", { name: "bad checks" });
    const upload = await user.call("PUT", `/api/apps/${created.body.id}/source`, {
      files: todoApp(false, `[{ name: "no path" }]`),
    });
    expect(upload.status).toBe(422);
    expect(upload.body.diagnostics[0].message).toContain(`needs a path starting with "/"`);
  });
});
