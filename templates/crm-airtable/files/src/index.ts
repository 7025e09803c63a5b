// __APP_TITLE__: contacts and notes, synced with an Airtable table.
// Page: GET / (list), GET /contacts/:id (one contact with notes).
// API: GET/POST /api/contacts, GET /api/contacts/:id, POST /api/contacts/:id/notes,
// POST /api/sync/pull, POST /api/sync/push (form posts of the page end in /form); MCP tool addLead at /mcp.
// Contacts are private: only people the owner invites sign in (`access`); syncing is for admins.
import { Hono, type Context } from "hono";
import { html } from "hono/html";
import { type Access, type AppEnv, type Roles, requireRole, type Setup, type Tools } from "kiln";
import { AirtableError } from "kiln/airtable";
import { z } from "zod";
import { pullContacts, pushContacts, SyncNotConfiguredError } from "./airtable-sync";
import { page } from "./page";
import { tables } from "./tables";

export { tables };

/** The Airtable table the CRM syncs with (optional: the CRM works on its own until one is picked). */
export const setup = {
  CONTACTS: {
    type: "airtable_table",
    label: "Airtable table to sync contacts with",
    name: "Contacts",
    fields: { Name: "singleLineText", Email: "email", Company: "singleLineText", Status: "singleLineText" },
    optional: true,
  },
} satisfies Setup;

const APP_TITLE = "__APP_TITLE__";

/** Invited teammates use the CRM; the owner gives "admin" (sync with Airtable) in the Access tab. */
export const access: Access = "invited";
export const roles: Roles = ["admin"];

type Env = AppEnv<typeof tables>;
const app = new Hono<{ Bindings: Env }>();

const contactInput = z.object({
  name: z.string().trim().min(1, "A contact needs a name.").max(200),
  email: z.string().trim().max(200).optional().transform((v) => (v ? v : undefined)).pipe(z.email("That email address does not look right.").optional()),
  company: z.string().trim().max(200).optional(),
  status: z.string().trim().max(50).optional(),
});
const noteInput = z.object({ text: z.string().trim().min(1, "A note needs some text.").max(5000) });

app.onError((error, c) => {
  if (error instanceof z.ZodError) return c.json({ error: error.issues.map((i) => i.message).join(" ") }, 400);
  if (error instanceof SyncNotConfiguredError) return c.json({ error: error.message }, 409);
  if (error instanceof AirtableError) return c.json({ error: `Airtable: ${error.message}` }, 502);
  console.error(error);
  return c.json({ error: error instanceof Error ? error.message : "Something went wrong." }, 500);
});

async function bodyOf(c: Context): Promise<Record<string, unknown>> {
  const type = c.req.header("content-type") ?? "";
  if (type.includes("application/json")) return c.req.json<Record<string, unknown>>();
  return Object.fromEntries((await c.req.formData()).entries()) as Record<string, unknown>;
}

async function addContact(env: Env, input: Record<string, unknown>) {
  const fields = contactInput.parse(input);
  return env.DB.insert("contacts", { name: fields.name, email: fields.email ?? null, company: fields.company || null, status: fields.status || "Lead" });
}

/** "Let my assistant add leads": MCP clients of this app's /mcp (signed in as an invited teammate) call it. */
export const tools: Tools<typeof tables> = {
  addLead: {
    description: "Add a person to the CRM as a lead.",
    input: z.object({ name: z.string().min(1).max(200), email: z.email().optional(), company: z.string().max(200).optional() }),
    run: (input, env) => addContact(env, { ...input, status: "Lead" }),
  },
};

app.get("/", async (c) => {
  const contacts = await c.env.DB.list("contacts", { orderBy: "name", order: "asc", limit: 1000 });
  const synced = contacts.filter((x) => x.airtable_id !== null).length;
  const body = html`<section><h2>Contacts (${contacts.length})</h2>
${contacts.length === 0
    ? html`<p class="empty">No contacts yet. Add one below, or pull them from Airtable.</p>`
    : html`<table><thead><tr><th>Name</th><th>Email</th><th>Company</th><th>Status</th><th>Airtable</th></tr></thead><tbody>
${contacts.map((x) => html`<tr><td><a href="/contacts/${String(x.id)}">${x.name}</a></td><td>${x.email ?? ""}</td><td>${x.company ?? ""}</td><td>${x.status ?? ""}</td><td>${x.airtable_id === null ? "not yet" : "synced"}</td></tr>`)}
</tbody></table>`}
</section>
<section><h2>Add a contact</h2><form method="post" action="/contacts/form">
<label for="name">Name</label><input id="name" type="text" name="name" required>
<label for="email">Email</label><input id="email" type="email" name="email">
<label for="company">Company</label><input id="company" type="text" name="company">
<button type="submit">Add contact</button></form></section>
<section><h2>Airtable</h2><p>${synced} of ${contacts.length} contacts are in Airtable.</p>
<form class="inline" method="post" action="/api/sync/pull/form"><button type="submit">Pull from Airtable</button></form>
<form class="inline" method="post" action="/api/sync/push/form"><button type="submit">Push new contacts</button></form></section>`;
  return c.html(page(APP_TITLE, "Your contacts and what you talked about.", body));
});

app.get("/contacts/:id", async (c) => {
  const contact = await c.env.DB.get("contacts", Number(c.req.param("id")));
  if (contact === null) return c.html(page(APP_TITLE, "Not found", html`<p><a href="/">Back to contacts</a></p>`), 404);
  const notes = await c.env.DB.list("notes", { where: { contact_id: contact.id }, orderBy: "id", order: "desc" });
  const body = html`<section><h2>${contact.name}</h2><p>${contact.email ?? "no email"} · ${contact.company ?? "no company"} · ${contact.status ?? ""}</p></section>
<section><h2>Notes</h2>${notes.length === 0 ? html`<p class="empty">No notes yet.</p>` : notes.map((n) => html`<p><strong>${n.created_at.slice(0, 10)}</strong> ${n.text}</p>`)}
<form method="post" action="/contacts/${String(contact.id)}/notes/form"><label for="text">New note</label><input id="text" type="text" name="text" required><button type="submit">Add note</button></form></section>
<p><a href="/">Back to contacts</a></p>`;
  return c.html(page(APP_TITLE, "Contact", body));
});

app.get("/api/contacts", async (c) => c.json(await c.env.DB.list("contacts", { orderBy: "id", order: "asc", limit: 1000 })));
app.post("/api/contacts", async (c) => c.json(await addContact(c.env, await bodyOf(c)), 201));
app.post("/contacts/form", async (c) => {
  await addContact(c.env, await bodyOf(c));
  return c.redirect("/", 303);
});

app.get("/api/contacts/:id", async (c) => {
  const contact = await c.env.DB.get("contacts", Number(c.req.param("id")));
  if (contact === null) return c.json({ error: "No such contact." }, 404);
  const notes = await c.env.DB.list("notes", { where: { contact_id: contact.id }, orderBy: "id", order: "asc" });
  return c.json({ ...contact, notes });
});

async function addNote(c: Context<{ Bindings: Env }>) {
  const contact = await c.env.DB.get("contacts", Number(c.req.param("id")));
  if (contact === null) return null;
  const { text } = noteInput.parse(await bodyOf(c));
  return c.env.DB.insert("notes", { contact_id: contact.id, text });
}
app.post("/api/contacts/:id/notes", async (c) => {
  const note = await addNote(c);
  return note === null ? c.json({ error: "No such contact." }, 404) : c.json(note, 201);
});
app.post("/contacts/:id/notes/form", async (c) => {
  await addNote(c);
  return c.redirect(`/contacts/${c.req.param("id")}`, 303);
});

app.use("/api/sync/*", requireRole("admin"));
app.post("/api/sync/pull", async (c) => c.json(await pullContacts(c.env)));
app.post("/api/sync/push", async (c) => c.json(await pushContacts(c.env)));
app.post("/api/sync/pull/form", async (c) => {
  await pullContacts(c.env);
  return c.redirect("/", 303);
});
app.post("/api/sync/push/form", async (c) => {
  await pushContacts(c.env);
  return c.redirect("/", 303);
});

export default app;
