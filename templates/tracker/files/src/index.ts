// __APP_TITLE__: a list of __ITEMS__ on a small page, with a JSON API.
// Routes: GET / (page), GET/POST /api/items, PATCH/DELETE /api/items/:id,
// and form posts POST /items, POST /items/:id/delete for the page.
import { Hono } from "hono";
import { html } from "hono/html";
import type { AppEnv } from "kiln";
import { fields, tables } from "./fields";
import { page } from "./page";
import { EntryError, readEntry, showCell, type CellValue } from "./values";

export { tables };

const APP_TITLE = "__APP_TITLE__";
const ITEM = "__ITEM__";
const ITEMS = "__ITEMS__";

type Env = AppEnv<typeof tables>;
type NewItem = Parameters<Env["DB"]["insert"]>[1];
type ItemPatch = Parameters<Env["DB"]["update"]>[2];

const app = new Hono<{ Bindings: Env }>();

app.onError((error, c) => {
  if (error instanceof EntryError) return c.json({ error: error.message }, 400);
  console.error(error);
  return c.json({ error: "Something went wrong; please try again." }, 500);
});

function idOf(raw: string): number {
  const id = Number(raw);
  if (!Number.isInteger(id) || id <= 0) throw new EntryError(`There is no ${ITEM} ${raw}.`);
  return id;
}

// The readEntry checks make these the table's columns, which the generic field list cannot prove to TypeScript.
const asNew = (values: Record<string, CellValue>) => values as unknown as NewItem;
const asPatch = (values: Record<string, CellValue>) => values as unknown as ItemPatch;

app.get("/", async (c) => {
  const rows = await c.env.DB.list("items", { orderBy: "id", order: "desc", limit: 500 });
  const cells = rows.map((row) => row as unknown as Record<string, unknown>);
  const inputs = fields.map((field) => {
    if (field.kind === "boolean") return html`<label><input type="checkbox" name="${field.name}"> ${field.label}</label>`;
    const type = field.kind === "number" ? "number" : field.kind === "date" ? "date" : "text";
    return html`<label for="${field.name}">${field.label}</label><input id="${field.name}" type="${type}" name="${field.name}" ${field.kind === "number" ? "step=any" : ""} ${field.required ? "required" : ""}>`;
  });
  const body = html`<section><h2>Add ${ITEM}</h2><form method="post" action="/items">${inputs}<button type="submit">Add ${ITEM}</button></form></section>
<section><h2>All ${ITEMS} (${rows.length})</h2>
${rows.length === 0
    ? html`<p class="empty">No ${ITEMS} yet. Add the first one above.</p>`
    : html`<table><thead><tr>${fields.map((f) => html`<th>${f.label}</th>`)}<th></th></tr></thead><tbody>
${cells.map((row) => html`<tr>${fields.map((f) => html`<td>${showCell(f, row[f.name])}</td>`)}<td><form class="inline" method="post" action="/items/${String(row.id)}/delete"><button class="link" type="submit">Delete</button></form></td></tr>`)}
</tbody></table>`}
</section>`;
  return c.html(page(APP_TITLE, `Keep track of your ${ITEMS}.`, body));
});

app.get("/api/items", async (c) => c.json(await c.env.DB.list("items", { orderBy: "id", order: "asc", limit: 1000 })));

app.get("/api/items/:id", async (c) => {
  const row = await c.env.DB.get("items", idOf(c.req.param("id")));
  return row === null ? c.json({ error: `There is no ${ITEM} ${c.req.param("id")}.` }, 404) : c.json(row);
});

app.post("/api/items", async (c) => {
  const values = readEntry(await c.req.json<Record<string, unknown>>(), false);
  return c.json(await c.env.DB.insert("items", asNew(values)), 201);
});

app.patch("/api/items/:id", async (c) => {
  const values = readEntry(await c.req.json<Record<string, unknown>>(), true);
  const row = await c.env.DB.update("items", idOf(c.req.param("id")), asPatch(values));
  return row === null ? c.json({ error: `There is no ${ITEM} ${c.req.param("id")}.` }, 404) : c.json(row);
});

app.delete("/api/items/:id", async (c) => {
  const deleted = await c.env.DB.delete("items", idOf(c.req.param("id")));
  return deleted ? c.body(null, 204) : c.json({ error: `There is no ${ITEM} ${c.req.param("id")}.` }, 404);
});

// Form posts from the page: act, then show the page again.
app.post("/items", async (c) => {
  const form = Object.fromEntries((await c.req.formData()).entries()) as Record<string, unknown>;
  await c.env.DB.insert("items", asNew(readEntry(form, false)));
  return c.redirect("/", 303);
});

app.post("/items/:id/delete", async (c) => {
  await c.env.DB.delete("items", idOf(c.req.param("id")));
  return c.redirect("/", 303);
});

export default app;
