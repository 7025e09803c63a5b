import { describe, expect, it } from "vitest";
import { buildApp, type SourceFiles } from "./index";
import { failure, load } from "../../test/builds";

/** An app that reads an Airtable table through kiln/airtable and says what came back, or why not. */
const CONTACTS_APP = `import { Hono } from "hono";
import { airtable, AirtableError } from "kiln/airtable";

interface Contact { Name: string; Email?: string }
const contacts = airtable.table<Contact>("appKiln123", "Contacts");

const app = new Hono();
app.get("/", (c) => c.text("contacts app"));
app.get("/contacts", async (c) => {
  try {
    const page = await contacts.list({ pageSize: 5, filterByFormula: "{Name} != ''" });
    return c.json({ names: page.records.map((r) => r.fields.Name ?? "?"), offset: page.offset ?? null });
  } catch (error) {
    if (error instanceof AirtableError) return c.text(\`Airtable \${error.status} \${error.type}: \${error.message}\`, 502);
    return c.text("refused: " + (error as Error).message, 502);
  }
});
export default app;
`;

/**
 * Stands in for the egress proxy: answers as Airtable's list endpoint would,
 * naming in the record what the client sent (where to, and whether it carried
 * a credential: it must not, the proxy adds it outside the isolate).
 */
const AIRTABLE_NETWORK = `globalThis.fetch = async (input, init) => {
  const request = new Request(input, init);
  const url = new URL(request.url);
  if (url.hostname !== "api.airtable.com") return new Response("not Airtable", { status: 599 });
  const seen = request.method + " " + url.origin + url.pathname + "?" + url.searchParams.toString() + " auth=" + request.headers.get("authorization");
  return Response.json({ records: [{ id: "rec1", createdTime: "2026-01-01T00:00:00.000Z", fields: { Name: seen } }] });
};`;

/** Builds `files`, which must succeed without warnings; returns the whole result. */
async function built(files: SourceFiles) {
  const result = await buildApp(files);
  if (!result.ok) throw new Error(`build failed: ${JSON.stringify(result)}`);
  expect(result.warnings).toEqual([]);
  return result;
}

/** The connector client modules (kiln-lib/kiln/<id>.js) a bundle ships. */
function shippedConnectors(modules: Record<string, string>): string[] {
  return Object.keys(modules)
    .flatMap((name) => /^kiln-lib\/kiln\/([a-z]+)\.js$/.exec(name)?.[1] ?? [])
    .sort();
}

describe("buildApp: connector clients (kiln/<id>)", { timeout: 30_000 }, () => {
  it("type-checks and bundles an app importing kiln/airtable, records it, and ships only that client", async () => {
    const result = await built({ "src/index.ts": CONTACTS_APP });
    expect(result.connectors).toEqual(["airtable"]);
    expect(shippedConnectors(result.bundle.modules)).toEqual(["airtable"]);
    expect(result.bundle.modules["app.js"]).toContain(`from "./kiln-lib/kiln/airtable.js"`);
  });

  it("runs in a Dynamic Worker: the client calls Airtable's real host with no credential", async () => {
    const { bundle } = await built({ "src/index.ts": CONTACTS_APP });
    const worker = load(bundle, AIRTABLE_NETWORK);
    const response = await worker.getEntrypoint().fetch("http://app.test/contacts");
    expect(response.status).toBe(200);
    const { names } = (await response.json()) as { names: string[] };
    const query = new URLSearchParams({ filterByFormula: "{Name} != ''", pageSize: "5" });
    expect(names).toEqual([`GET https://api.airtable.com/v0/appKiln123/Contacts?${query} auth=null`]);
  });

  it("with no way out, the app's call fails as an error the app can catch", async () => {
    const { bundle } = await built({ "src/index.ts": CONTACTS_APP });
    const response = await load(bundle).getEntrypoint().fetch("http://app.test/contacts");
    expect(response.status).toBe(502);
    expect(await response.text()).toMatch(/^refused: /);
  });

  it("a wrong call to the client is a type error at its file and line", async () => {
    const { message, diagnostics } = await failure({
      "src/index.ts": `import { handle } from "./contacts";\nexport default { fetch: handle };`,
      "src/contacts.ts": `import { airtable } from "kiln/airtable";
export async function handle(): Promise<Response> {
  const page = await airtable.table("appKiln123", "Contacts").list({ pageSize: "five" });
  await airtable.table("appKiln123", "Contacts").search({ Name: "Ada" });
  return Response.json(page.records);
}`,
    });
    expect(message).toBe("2 problems in the app's code must be fixed before it can run.");
    expect(diagnostics).toEqual([
      { file: "src/contacts.ts", line: 3, column: 70, message: "Type 'string' is not assignable to type 'number'." },
      {
        file: "src/contacts.ts",
        line: 4,
        column: 50,
        message: expect.stringMatching(/^Property 'search' does not exist on type 'AirtableTable/),
      },
    ]);
  });

  it("records every connector imported, from any file, sorted, and ships exactly those clients", async () => {
    const result = await built({
      "src/index.ts": `import { stripe } from "kiln/stripe";
import { calendarEvents } from "./calendar.js";
export default {
  async fetch(): Promise<Response> {
    return Response.json({ events: await calendarEvents(), customers: (await stripe.customers.list({ limit: 1 })).data.length });
  },
};`,
      "src/calendar.js": `import { google } from "kiln/google";
export async function calendarEvents() { return (await google.calendar.events.list({ calendarId: "primary" })).items.length; }`,
    });
    expect(result.connectors).toEqual(["google", "stripe"]);
    expect(shippedConnectors(result.bundle.modules)).toEqual(["google", "stripe"]);
  });

  it("an app importing no connector records none and ships no client", async () => {
    const result = await built({
      "src/index.ts": `import { Hono } from "hono";\nconst app = new Hono();\napp.get("/", (c) => c.text("hi"));\nexport default app;`,
    });
    expect(result.connectors).toEqual([]);
    expect(shippedConnectors(result.bundle.modules)).toEqual([]);
  });

  it("a type-only import uses no connector: nothing of it is in the bundle", async () => {
    const result = await built({
      "src/index.ts": `import type { AirtableRecord } from "kiln/airtable";
const sample: AirtableRecord<{ Name: string }> = { id: "rec1", createdTime: "", fields: { Name: "Ada" } };
export default { fetch: () => Response.json(sample) };`,
    });
    expect(result.connectors).toEqual([]);
    expect(shippedConnectors(result.bundle.modules)).toEqual([]);
  });

  it("refuses an unknown kiln/<name> import, naming the connectors there are", async () => {
    const expected =
      "'kiln/salesforce' is not a Kiln module: apps can import kiln and the service connectors kiln/ai, kiln/airtable, kiln/google and kiln/stripe.";
    const typed = await failure({
      "src/index.ts": `import { Hono } from "hono";\nimport { salesforce } from "kiln/salesforce";\nexport default new Hono().get("/", (c) => c.json(salesforce));`,
    });
    expect(typed.diagnostics).toEqual([{ file: "src/index.ts", line: 2, column: 28, message: expected }]);
    // Plain JavaScript is not type-checked: the bundler refuses it with the same words.
    const bundled = await failure({
      "src/index.ts": `import { query } from "./crm.js";\nexport default { fetch: () => new Response(String(query)) };`,
      "src/crm.js": `import { salesforce } from "kiln/salesforce";\nexport const query = salesforce;`,
    });
    expect(bundled.diagnostics).toEqual([{ file: "src/crm.js", line: 1, column: 28, message: expected }]);
    // A connector's own files are not importable one by one.
    const deep = await failure({
      "src/index.ts": `import { call } from "kiln/airtable/client";\nexport default { fetch: () => new Response(String(call)) };`,
    });
    expect(deep.diagnostics[0]?.message).toMatch(/^'kiln\/airtable\/client' is not a Kiln module/);
  });
});
