// The CRM template, deployed through the real API and synced with the Airtable fake
// through Kiln's egress proxy (the owner connects Airtable with the fake's token).
import { describe, expect, it } from "vitest";
import { AIRTABLE_FAKE_TOKEN } from "../../connectors/airtable/fake/credentials";
import { newUser, ownerCookie } from "../../worker/test/api-client";
import { askApp } from "../../worker/test/connector-app";
import { templateFiles } from "../../worker/src/templates";
import { airtableRows, freshAirtableBase } from "../../worker/test/template-airtable";
import { deployFiles, pageText, postForm } from "../../worker/test/templates";
import { connectWithOAuth } from "../../worker/test/tools-app";

interface Contact {
  id: number;
  name: string;
  email: string | null;
  company: string | null;
  airtable_id: string | null;
  notes?: { text: string }[];
}

const FIELDS = ["Name", "Email", "Company", "Status"];

describe("crm-airtable template", () => {
  it("pulls the configured Airtable table in, adds contacts and notes, and pushes new contacts to Airtable once", async () => {
    const user = await newUser();
    expect((await user.call("PUT", "/api/connections/airtable", { key: AIRTABLE_FAKE_TOKEN })).status).toBe(201);
    const baseId = await freshAirtableBase("People", FIELDS, [
      { Name: "Ada Lovelace", Email: "ada@example.com", Company: "Engines", Status: "Customer" },
      { Name: "Alan Turing", Email: "alan@example.com", Status: "Lead" },
    ]);
    const app = await deployFiles(user, "crm", templateFiles("crm-airtable"), {
      CONTACTS_BASE: baseId,
      CONTACTS: "People",
    });
    const api = `${app.previewUrl}api`;
    // Syncing is for admins (the owner passes); anyone else is refused before Airtable is called.
    const admin = { cookie: await ownerCookie(user, app.id, app.previewUrl) };
    expect((await askApp(`${api}/sync/pull`, { method: "POST" })).status).toBe(401);

    const pulled = await askApp<{ added: number; updated: number }>(`${api}/sync/pull`, {
      method: "POST",
      headers: admin,
    });
    expect(pulled.json).toEqual({ added: 2, updated: 0 });
    expect(
      (await askApp<{ added: number; updated: number }>(`${api}/sync/pull`, { method: "POST", headers: admin })).json,
    ).toEqual({
      added: 0,
      updated: 2,
    });
    const contacts = (await askApp<Contact[]>(`${api}/contacts`)).json;
    expect(contacts.map((c) => [c.name, c.email, c.company])).toEqual([
      ["Ada Lovelace", "ada@example.com", "Engines"],
      ["Alan Turing", "alan@example.com", null],
    ]);
    expect(contacts.every((c) => c.airtable_id?.startsWith("rec"))).toBe(true);

    const grace = await askApp<Contact>(`${api}/contacts`, {
      method: "POST",
      body: { name: "Grace Hopper", email: "grace@example.com", company: "Navy" },
    });
    expect(grace.status).toBe(201);
    expect(grace.json.airtable_id).toBeNull();
    expect(
      (
        await askApp<{ error: string }>(`${api}/contacts`, {
          method: "POST",
          body: { name: "Bad", email: "not-an-email" },
        })
      ).status,
    ).toBe(400);
    expect(
      (
        await askApp(`${api}/contacts/${grace.json.id}/notes`, {
          method: "POST",
          body: { text: "Met at the conference" },
        })
      ).status,
    ).toBe(201);
    expect((await askApp<Contact>(`${api}/contacts/${grace.json.id}`)).json.notes?.map((n) => n.text)).toEqual([
      "Met at the conference",
    ]);

    expect((await askApp<{ pushed: number }>(`${api}/sync/push`, { method: "POST", headers: admin })).json).toEqual({
      pushed: 1,
    });
    expect((await askApp<{ pushed: number }>(`${api}/sync/push`, { method: "POST", headers: admin })).json).toEqual({
      pushed: 0,
    });
    const rows = await airtableRows(baseId, "People");
    expect(rows.map((r) => r.fields.Name)).toEqual(["Ada Lovelace", "Alan Turing", "Grace Hopper"]);
    expect(rows[2]!.fields).toMatchObject({ Email: "grace@example.com", Company: "Navy" });
    const pushed = (await askApp<Contact>(`${api}/contacts/${grace.json.id}`)).json;
    expect(pushed.airtable_id).toBe(rows[2]!.id);

    const html = await pageText(app.previewUrl);
    expect(html).toContain("<h1>CRM</h1>");
    expect(html).toContain("3 of 3 contacts are in Airtable");
    expect((await postForm(`${app.previewUrl}contacts/form`, { name: "Katherine Johnson" })).status).toBe(303);
    expect(await pageText(app.previewUrl)).toContain("Katherine Johnson");
  });

  it("lets a teammate's assistant add leads over MCP, after the OAuth sign-in on the app host", async () => {
    const user = await newUser();
    const app = await deployFiles(user, "crm", templateFiles("crm-airtable"));
    expect((await user.call("PUT", `/api/apps/${app.id}/access/preview`, { rule: "invited" })).status).toBe(200);
    const { client } = await connectWithOAuth(app.previewUrl, await ownerCookie(user, app.id, app.previewUrl));
    expect((await client.listTools()).tools.map((tool) => tool.name)).toEqual(["addLead"]);
    const added = await client.callTool({
      name: "addLead",
      arguments: { name: "Mary Jackson", email: "mary@example.com" },
    });
    expect(added.structuredContent).toMatchObject({ name: "Mary Jackson", email: "mary@example.com", status: "Lead" });
    const refused = await client.callTool({ name: "addLead", arguments: { name: "", email: "nope" } });
    expect(refused.isError).toBe(true);
    await client.close();
  });

  it("tells the owner what to set when no base is configured, and passes Airtable's refusal on in plain words", async () => {
    const user = await newUser();
    expect((await user.call("PUT", "/api/connections/airtable", { key: AIRTABLE_FAKE_TOKEN })).status).toBe(201);
    const unconfigured = await deployFiles(user, "crm", templateFiles("crm-airtable"));
    const answer = await askApp<{ error: string }>(`${unconfigured.previewUrl}api/sync/pull`, {
      method: "POST",
      headers: { cookie: await ownerCookie(user, unconfigured.id, unconfigured.previewUrl) },
    });
    expect(answer.status).toBe(409);
    expect(answer.json.error).toContain("Setup tab");

    const wrongBase = await deployFiles(user, "crm", templateFiles("crm-airtable"), {
      CONTACTS_BASE: "appDoesNotExist01",
    });
    const refused = await askApp<{ error: string }>(`${wrongBase.previewUrl}api/sync/pull`, {
      method: "POST",
      headers: { cookie: await ownerCookie(user, wrongBase.id, wrongBase.previewUrl) },
    });
    expect(refused.status).toBe(502);
    expect(refused.json.error).toMatch(/^Airtable: /);
  });
});
