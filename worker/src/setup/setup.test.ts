// Declared setup: an app says what it needs from its owner (`export const setup`); Kiln asks for it, checks each
// value, creates a Google Sheet or an Airtable table on request, hands the values to the code as CONFIG, and holds
// publishing until every required one is there.
import { env } from "cloudflare:test";
import { describe, expect, it } from "vitest";
import { AIRTABLE_FAKE_TOKEN } from "../../../connectors/airtable/fake/credentials";
import { newUser, visitAsOwner } from "../../test/api-client";
import { freshAirtableBase, airtableRows } from "../../test/template-airtable";
import { connectGoogle, googleFake, ownerSpreadsheet } from "../../test/template-google";
import { deployFiles } from "../../test/templates";

const marker = crypto.randomUUID().slice(0, 8);

/** A base's tables with their fields, as the owner sees them in Airtable. */
async function airtableSchema(baseId: string): Promise<{ name: string; fields: { name: string; type: string }[] }[]> {
  const response = await fetch(`${env.AIRTABLE_API_BASE}/v0/meta/bases/${baseId}/tables`, {
    headers: { authorization: `Bearer ${AIRTABLE_FAKE_TOKEN}` },
  });
  return ((await response.json()) as { tables: { name: string; fields: { name: string; type: string }[] }[] }).tables;
}
const setupApp = `import { Hono } from "hono";
import type { AppEnv, Setup } from "kiln";

export const setup = {
  OWNER_EMAIL: { type: "email", label: "Your email for the daily report" },
  OPENS_AT: { type: "time", label: "Opening time", default: "08:00" },
  EXPENSES: { type: "google_sheet", label: "Expenses sheet", title: "Expenses ${marker}", headers: ["Date", "Amount", "Note"] },
  BUDGET: { type: "google_sheet", label: "Budget sheet", title: "Budget ${marker}", optional: true },
  LEADS: { type: "airtable_table", label: "Leads table", name: "Leads", fields: { Name: "singleLineText", Email: "email", Score: "number" } },
  NOTE: { type: "text", label: "A note on the page", optional: true },
} satisfies Setup;

const app = new Hono<{ Bindings: AppEnv }>();
app.get("/", (c) => c.json(c.env.CONFIG));
export default app;
`;

describe("an app's declared setup", () => {
  it("lists what is missing, checks values in words, creates a sheet and a table, and only then publishes", async () => {
    const user = await newUser();
    const app = await deployFiles(user, "setup", { "src/index.ts": setupApp });

    const first = await user.call("GET", `/api/apps/${app.id}/setup`);
    expect(first.status, JSON.stringify(first.body)).toBe(200);
    expect(first.body.items.map((s: { item: { key: string } }) => s.item.key)).toEqual([
      "OWNER_EMAIL",
      "OPENS_AT",
      "EXPENSES",
      "BUDGET",
      "LEADS",
      "NOTE",
    ]);
    // The default is the app's value at once; the optional note is not waited for.
    expect(first.body.missing).toEqual(["Your email for the daily report", "Expenses sheet", "Leads table"]);
    expect((await visitAsOwner(user, app.id, app.previewUrl)).text).toBe(JSON.stringify({ OPENS_AT: "08:00" }));

    const versions = await user.call("GET", `/api/apps/${app.id}/versions`);
    const version = versions.body.versions[0].version as string;
    const early = await user.call("POST", `/api/apps/${app.id}/publish`, { version });
    expect(early.status).toBe(409);
    expect(early.body.error.code).toBe("setup_required");
    expect(early.body.error.message).toContain("Your email for the daily report; Expenses sheet; Leads table");
    expect(early.body.missing).toHaveLength(3);

    // Values are checked by type, in words; keys and tokens never become CONFIG.
    const badEmail = await user.call("PUT", `/api/apps/${app.id}/setup`, { values: { OWNER_EMAIL: "not an email" } });
    expect(badEmail.status).toBe(400);
    expect(badEmail.body.error.message).toBe(
      'Your email for the daily report: "not an email" is not an email address.',
    );
    const secret = await user.call("PUT", `/api/apps/${app.id}/setup`, { values: { NOTE: "sk_live_51abcdefabcdef" } });
    expect(secret.status).toBe(400);
    expect(secret.body.error.message).toContain("looks like a secret key");
    const undeclared = await user.call("PUT", `/api/apps/${app.id}/setup`, { values: { OTHER: "x" } });
    expect(undeclared.status).toBe(400);
    const saved = await user.call("PUT", `/api/apps/${app.id}/setup`, {
      values: { OWNER_EMAIL: "owner@example.com", OPENS_AT: "07:30" },
    });
    expect(saved.status).toBe(200);
    expect(saved.body.missing).toEqual(["Expenses sheet", "Leads table"]);

    // "Create it for me" needs the service connected, and says so.
    const unconnected = await user.call("POST", `/api/apps/${app.id}/setup/EXPENSES/create`, {});
    expect(unconnected.status).toBe(409);
    expect(unconnected.body.error.message).toContain("Google is not connected");

    await connectGoogle(user);
    const sheet = await user.call("POST", `/api/apps/${app.id}/setup/EXPENSES/create`, {});
    expect(sheet.status).toBe(201);
    const sheetId = sheet.body.items[2].values.EXPENSES as string;
    const made = await googleFake<{ properties: { title: string } }>("GET", `/v4/spreadsheets/${sheetId}`);
    expect(made.properties.title).toBe(`Expenses ${marker}`);
    const header = await googleFake<{ values: string[][] }>("GET", `/v4/spreadsheets/${sheetId}/values/A1:C1`);
    expect(header.values).toEqual([["Date", "Amount", "Note"]]);
    // A sheet the owner already has is found by its name (through Drive), not made twice.
    const owned = await ownerSpreadsheet(`Budget ${marker}`);
    const budget = await user.call("POST", `/api/apps/${app.id}/setup/BUDGET/create`, {});
    expect(budget.body.items[3].values.BUDGET).toBe(owned);

    expect((await user.call("PUT", "/api/connections/airtable", { key: AIRTABLE_FAKE_TOKEN })).status).toBe(201);
    const baseId = await freshAirtableBase("Other", ["Name"]);
    const bases = await user.call("GET", `/api/apps/${app.id}/setup/airtable-bases`);
    expect(bases.body.bases.map((b: { id: string }) => b.id)).toContain(baseId);
    const table = await user.call("POST", `/api/apps/${app.id}/setup/LEADS/create`, { baseId });
    expect(table.status).toBe(201);
    expect(table.body.missing).toEqual([]);
    const tableId = table.body.items[4].values.LEADS as string;
    expect(tableId).toMatch(/^tbl/);
    // The table exists and takes records by name; asking again finds it instead of making a second one.
    expect(await airtableRows(baseId, "Leads")).toEqual([]);
    const again = await user.call("POST", `/api/apps/${app.id}/setup/LEADS/create`, { baseId });
    expect(again.body.items[4].values.LEADS).toBe(tableId);

    // An owner's own Leads table is found by name, and the declared fields it lacks are added to it.
    const ownBase = await freshAirtableBase("Leads", ["Name"]);
    const own = await user.call("POST", `/api/apps/${app.id}/setup/LEADS/create`, { baseId: ownBase });
    expect(own.status).toBe(201);
    const schema = await airtableSchema(ownBase);
    expect(schema.find((t) => t.name === "Leads")?.fields.map((f) => [f.name, f.type])).toEqual([
      ["Name", "singleLineText"],
      ["Email", "email"],
      ["Score", "number"],
    ]);
    await user.call("POST", `/api/apps/${app.id}/setup/LEADS/create`, { baseId });

    // The code reads every value as CONFIG on its next request.
    const config = JSON.parse((await visitAsOwner(user, app.id, app.previewUrl)).text) as Record<string, string>;
    expect(config).toEqual({
      OWNER_EMAIL: "owner@example.com",
      OPENS_AT: "07:30",
      EXPENSES: sheetId,
      BUDGET: owned,
      LEADS: tableId,
      LEADS_BASE: baseId,
    });
    expect((await user.call("POST", `/api/apps/${app.id}/publish`, { version })).status).toBe(200);
  });

  it("fails the build with what to write when `setup` is malformed", async () => {
    const user = await newUser();
    const app = (await user.call("POST", "/api/apps", { name: "Bad setup" })).body as { id: string };
    const bad = `export const setup = { OWNER_EMAIL: { type: "mail", label: "Your email" } };\nexport default { fetch: () => new Response("ok") };\n`;
    const upload = await user.call("PUT", `/api/apps/${app.id}/source`, { files: { "src/index.ts": bad } });
    expect(upload.status).toBe(422);
    expect(upload.body.error.message).toContain("`setup`");
    expect(JSON.stringify(upload.body)).toContain("setup.OWNER_EMAIL.type must be one of");
  });
});
