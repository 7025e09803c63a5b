// The rest of Airtable's Web API through the in-app client, against the fake: the schema (bases, tables,
// fields), upserts, replacing records, read formats, record comments and whoami; and that every write
// Airtable does not make idempotent has a form a retried run can repeat without writing twice.
import { beforeAll, describe, expect, it } from "vitest";
import { caught, clientWith, newBase, recorded } from "./airtable-test-client";
import { AIRTABLE_FAKE_USER, AIRTABLE_FAKE_USER_ID } from "./fake/credentials";
import type { AirtableFieldSpec, AirtableTableSpec } from "./index";

interface Lead {
  Name: string;
  Email: string;
  Message: string;
  Score: number;
}

const LEADS: AirtableTableSpec = {
  name: "Leads",
  fields: [
    { name: "Name", type: "singleLineText" },
    { name: "Email", type: "email" },
    { name: "Message", type: "multilineText" },
  ],
};

/** A base holding only a "Contacts" table, for one test group. */
const contactsBase = (name: string) =>
  newBase(name, [{ name: "Contacts", fields: [{ name: "Name", type: "singleLineText" }] }]);

/** The schema writes (POST and PATCH) sent for one base, oldest first. */
async function schemaWrites(baseId: string) {
  return (await recorded(`/v0/meta/bases/${baseId}/`)).filter((request) => request.method !== "GET");
}

describe("Airtable's schema API", () => {
  let baseId: string;
  beforeAll(async () => {
    baseId = await contactsBase("Schema test");
  });

  it("creates a missing Leads table, adds a record to it by name, and refuses a second Leads in plain words", async () => {
    const airtable = clientWith();
    expect(await airtable.tables(baseId).find("Leads")).toBeUndefined();
    const leads = await airtable.tables(baseId).create({ ...LEADS, description: "People who wrote in" });
    expect(leads).toMatchObject({ name: "Leads", description: "People who wrote in" });
    expect(leads.id).toMatch(/^tbl[A-Za-z0-9]{14}$/);
    expect(leads.fields.map((field) => [field.name, field.type])).toEqual([
      ["Name", "singleLineText"],
      ["Email", "email"],
      ["Message", "multilineText"],
    ]);
    expect(leads.primaryFieldId).toBe(leads.fields[0]?.id);
    expect(leads.views.map((view) => [view.name, view.type])).toEqual([["Grid view", "grid"]]);
    const [sent] = await schemaWrites(baseId);
    expect([sent?.method, sent?.url]).toEqual(["POST", `/v0/meta/bases/${baseId}/tables`]);
    expect(JSON.parse(sent?.body ?? "")).toEqual({ ...LEADS, description: "People who wrote in" });

    const record = await airtable
      .table<Lead>(baseId, "Leads")
      .create({ Name: "Ada", Email: "ada@example.com", Message: "Hello" });
    expect(record.fields).toEqual({ Name: "Ada", Email: "ada@example.com", Message: "Hello" });
    expect((await airtable.listTables(baseId)).map((table) => table.name)).toEqual(["Contacts", "Leads"]);

    const duplicate = await caught(airtable.tables(baseId).create({ ...LEADS, name: "leads" }));
    expect(duplicate).toMatchObject({ status: 422, type: "DUPLICATE_TABLE_NAME" });
    expect(duplicate.message).toMatch(
      /^This base already has a table with that name \(Airtable ignores case\)\. Pick another name, or use airtable\.tables\(baseId\)\.ensure\(…\) to reuse the table\. \(Airtable 422 DUPLICATE_TABLE_NAME: /,
    );
  });

  it("ensure makes a table once; later it only adds the fields the table lacks", async () => {
    const tables = clientWith().tables(baseId);
    const first = await tables.ensure({ name: "Signups", fields: [{ name: "Name", type: "singleLineText" }] });
    const again = await tables.ensure({ name: "signups", fields: [{ name: "Name", type: "singleLineText" }] });
    expect(again.id).toBe(first.id);
    const wider = await tables.ensure({
      name: "Signups",
      fields: [
        { name: "Name", type: "singleLineText" },
        { name: "Source", type: "singleSelect", options: { choices: [{ name: "Web" }, { name: "Event" }] } },
      ],
    });
    expect(wider.id).toBe(first.id);
    expect(wider.fields.map((field) => field.name)).toEqual(["Name", "Source"]);
    expect((await tables.list()).filter((table) => table.name === "Signups")).toHaveLength(1);
    const writes = (await schemaWrites(baseId)).filter((request) => request.body.includes("Signups"));
    expect(writes.map((request) => request.url)).toEqual([`/v0/meta/bases/${baseId}/tables`]);
    const fieldWrites = (await schemaWrites(baseId)).filter((request) => request.url.includes(first.id));
    expect(fieldWrites.map((request) => JSON.parse(request.body).name)).toEqual(["Source"]);
  });

  it("creates fields with the options Airtable requires (its defaults when left out), and refuses what Airtable refuses", async () => {
    const airtable = clientWith();
    await airtable.tables(baseId).ensure(LEADS);
    const fields = airtable.fields(baseId, "Leads");
    const score = await fields.create({ name: "Score", type: "number" });
    expect(score).toMatchObject({ name: "Score", type: "number", options: { precision: 0 } });
    expect(score.id).toMatch(/^fld/);
    const [sent] = (await schemaWrites(baseId)).slice(-1);
    expect(JSON.parse(sent?.body ?? "")).toEqual({ name: "Score", type: "number", options: { precision: 0 } });

    const stage = await fields.create({
      name: "Stage",
      type: "singleSelect",
      description: "Where the lead is",
      options: { choices: [{ name: "New", color: "blueLight2" }, { name: "Won" }] },
    });
    expect(stage.options?.choices?.map((choice) => choice.name)).toEqual(["New", "Won"]);
    expect(stage.options?.choices?.every((choice) => choice.id.startsWith("sel"))).toBe(true);
    const when = await fields.create({ name: "Met", type: "dateTime" });
    expect(when.options).toMatchObject({ timeZone: "utc", timeFormat: { name: "24hour" } });
    expect((await fields.list()).map((field) => field.name)).toEqual([
      "Name",
      "Email",
      "Message",
      "Score",
      "Stage",
      "Met",
    ]);
    // The new field takes values straight away.
    const [row] = await airtable
      .table<Lead & { Stage: string }>(baseId, "Leads")
      .create([{ Name: "Lin", Score: 7, Stage: "Won" }]);
    expect(row?.fields).toEqual({ Name: "Lin", Score: 7, Stage: "Won" });

    const taken = await caught(fields.create({ name: "score", type: "singleLineText" }));
    expect(taken).toMatchObject({ status: 422, type: "DUPLICATE_OR_EMPTY_FIELD_NAME" });
    expect(taken.message).toContain("That table already has a field with that name");
    const formula = await caught(fields.create({ name: "Total", type: "formula" } as unknown as AirtableFieldSpec));
    expect(formula).toMatchObject({ status: 422, type: "UNSUPPORTED_FIELD_TYPE_FOR_CREATE" });
    expect(formula.message).toContain("Airtable's API cannot create that type of field");
    const precision = await caught(fields.create({ name: "Ratio", type: "percent", options: { precision: 12 } }));
    expect(precision).toMatchObject({ status: 422, type: "INVALID_REQUEST_UNKNOWN" });
    const missing = await caught(airtable.fields(baseId, "Nope").list());
    expect(missing).toMatchObject({ status: 404, type: "TABLE_NOT_FOUND" });
    expect(missing.message).toContain('has no table "Nope" (its tables: Contacts, Leads');
  });

  it("ensure makes a field once, keeping an existing one as it is", async () => {
    const fields = clientWith().fields(baseId, "Contacts");
    const first = await fields.ensure({ name: "Phone", type: "phoneNumber" });
    const again = await fields.ensure({ name: "PHONE", type: "singleLineText" });
    expect(again).toEqual(first);
    expect((await fields.list()).filter((field) => field.name === "Phone")).toHaveLength(1);
  });

  it("renames a table and a field: cells keep their values, and repeating a rename changes nothing", async () => {
    const airtable = clientWith();
    const temp = await airtable.tables(baseId).ensure({
      name: "Temp",
      fields: [
        { name: "Name", type: "singleLineText" },
        { name: "Note", type: "multilineText" },
      ],
    });
    const row = await airtable.table(baseId, temp.id).create({ Name: "Kept", Note: "Still here" });

    const field = await airtable.fields(baseId, "Temp").update("Note", { name: "Notes", description: "Free text" });
    expect(field).toMatchObject({ name: "Notes", description: "Free text", type: "multilineText" });
    expect((await airtable.table(baseId, "Temp").get(row.id)).fields).toEqual({ Name: "Kept", Notes: "Still here" });
    expect(await airtable.fields(baseId, "Temp").update("Note", { name: "Notes" })).toMatchObject({ id: field.id });

    const renamed = await airtable.tables(baseId).update("Temp", { name: "Archive", description: "Old rows" });
    expect(renamed).toMatchObject({ id: temp.id, name: "Archive", description: "Old rows" });
    expect((await airtable.tables(baseId).update("Temp", { name: "Archive" })).id).toBe(temp.id);
    expect((await airtable.table(baseId, "Archive").get(row.id)).fields.Name).toBe("Kept");
    const clash = await caught(airtable.tables(baseId).update("Archive", { name: "contacts" }));
    expect(clash.type).toBe("DUPLICATE_TABLE_NAME");
  });
});

describe("records: upsert, replace and read formats", () => {
  let baseId: string;
  beforeAll(async () => {
    baseId = await newBase("Upsert test", [
      {
        ...LEADS,
        fields: [...LEADS.fields, { name: "Score", type: "number", options: { precision: 1 } }],
      },
    ]);
  });

  it("upserting the same lead twice on Email leaves one record, updated", async () => {
    const leads = clientWith().table<Lead>(baseId, "Leads");
    const first = await leads.upsert(
      { Name: "Grace", Email: "grace@example.com", Message: "First" },
      { fieldsToMergeOn: ["Email"] },
    );
    expect(first.createdRecords).toEqual([first.records[0]?.id]);
    expect(first.updatedRecords).toEqual([]);
    const second = await leads.upsert(
      { Name: "Grace Hopper", Email: "grace@example.com", Message: "Second" },
      { fieldsToMergeOn: ["Email"] },
    );
    expect(second.createdRecords).toEqual([]);
    expect(second.updatedRecords).toEqual([first.records[0]?.id]);
    const found = await leads.listAll({ filterByFormula: "{Email} = 'grace@example.com'" });
    expect(found.map((record) => record.fields)).toEqual([
      { Name: "Grace Hopper", Email: "grace@example.com", Message: "Second" },
    ]);
    const [sent] = (await recorded(`/v0/${baseId}/Leads`)).filter((r) => r.method === "PATCH").slice(-1);
    expect(JSON.parse(sent?.body ?? "")).toEqual({
      records: [{ fields: { Name: "Grace Hopper", Email: "grace@example.com", Message: "Second" } }],
      typecast: false,
      performUpsert: { fieldsToMergeOn: ["Email"] },
    });

    // replace: the fields not given are emptied on the matched record.
    const replaced = await leads.upsert(
      { Email: "grace@example.com", Score: 9 },
      { fieldsToMergeOn: ["Email"], replace: true },
    );
    expect(replaced.records[0]?.fields).toEqual({ Email: "grace@example.com", Score: 9 });
    expect((await recorded(`/v0/${baseId}/Leads`)).filter((r) => r.method === "PUT")).toHaveLength(1);
  });

  it("upserts 25 records in 3 calls, and the same 25 again update them all", async () => {
    const leads = clientWith().table<Lead>(baseId, "Leads");
    const rows = Array.from({ length: 25 }, (_, i) => ({ Name: `Bulk ${i}`, Email: `bulk${i}@example.com`, Score: i }));
    const first = await leads.upsert(rows, { fieldsToMergeOn: ["Email"] });
    expect(first.createdRecords).toHaveLength(25);
    const again = await leads.upsert(
      rows.map((row) => ({ ...row, Score: row.Score + 0.5 })),
      { fieldsToMergeOn: ["Email", "Name"] },
    );
    expect(again.updatedRecords).toEqual(first.createdRecords);
    expect(again.records.map((record) => record.fields.Score)).toEqual(rows.map((row) => row.Score + 0.5));
    const patches = (await recorded(`/v0/${baseId}/Leads`)).filter((r) => r.method === "PATCH").slice(-6);
    expect(patches.map((r) => (JSON.parse(r.body) as { records: unknown[] }).records.length)).toEqual([
      10, 10, 5, 10, 10, 5,
    ]);
    expect(await leads.listAll({ filterByFormula: "FIND('bulk', {Email})" })).toHaveLength(25);
  });

  it("refuses an upsert with a record lacking its key before sending anything; two matches are Airtable's 422", async () => {
    const leads = clientWith().table<Lead>(baseId, "Leads");
    const before = (await recorded(`/v0/${baseId}/Leads`)).length;
    const keyless = await caught(
      leads.upsert([{ Name: "A", Email: "a@example.com" }, { Name: "No email" }], { fieldsToMergeOn: ["Email"] }),
    );
    expect(keyless.message).toContain("record 2 has no value for one of them. Nothing was written.");
    expect((await recorded(`/v0/${baseId}/Leads`)).length).toBe(before);

    await leads.create([
      { Name: "Twin", Email: "twin1@example.com" },
      { Name: "Twin", Email: "twin2@example.com" },
    ]);
    const ambiguous = await caught(leads.upsert({ Name: "Twin", Message: "Which?" }, { fieldsToMergeOn: ["Name"] }));
    expect(ambiguous).toMatchObject({ status: 422, type: "INVALID_RECORDS" });
  });

  it("replace empties every field not given; reads key fields by id, as text, and with comment counts", async () => {
    const airtable = clientWith();
    const leads = airtable.table<Lead>(baseId, "Leads");
    const lead = await leads.create({ Name: "Kim", Email: "kim@example.com", Message: "Hi", Score: 3.25 });
    const replaced = await leads.replace(lead.id, { Name: "Kim Lee", Score: 4 });
    expect(replaced.fields).toEqual({ Name: "Kim Lee", Score: 4 });
    const [many] = await leads.replace([{ id: lead.id, fields: { Name: "Kim", Email: "kim@example.com" } }]);
    expect(many?.fields).toEqual({ Name: "Kim", Email: "kim@example.com" });

    const schema = await airtable.tables(baseId).find("Leads");
    const nameId = schema?.fields.find((field) => field.name === "Name")?.id ?? "";
    const byId = await leads.get(lead.id, { returnFieldsByFieldId: true });
    expect(byId.fields).toMatchObject({ [nameId]: "Kim" });
    await leads.update(lead.id, { Score: 2 });
    const asText = await leads.list({
      filterByFormula: `RECORD_ID() = '${lead.id}'`,
      cellFormat: "string",
      timeZone: "Europe/Paris",
      userLocale: "en-gb",
    });
    expect(asText.records[0]?.fields).toMatchObject({ Name: "Kim", Score: "2.0" });
    const noZone = await caught(leads.list({ cellFormat: "string" }));
    expect(noZone.status).toBe(422);

    await leads.comments(lead.id).create("Called back");
    const counted = await leads.list({
      filterByFormula: `RECORD_ID() = '${lead.id}'`,
      recordMetadata: ["commentCount"],
    });
    expect(counted.records[0]?.commentCount).toBe(1);
  });

  it("a list too long for a URL goes as POST …/listRecords with the same answer", async () => {
    const leads = clientWith().table<Lead>(baseId, "Leads");
    const emails = Array.from({ length: 400 }, (_, i) => `nobody-${i}-${"x".repeat(20)}@example.com`);
    const formula = `OR(${[...emails, "grace@example.com"].map((email) => `{Email} = '${email}'`).join(", ")})`;
    const found = await leads.listAll({ filterByFormula: formula, fields: ["Email"], timeZone: "utc" });
    expect(found.map((record) => record.fields)).toEqual([{ Email: "grace@example.com" }]);
    const [sent] = (await recorded(`/v0/${baseId}/Leads/listRecords`)).slice(-1);
    expect(sent?.method).toBe("POST");
    expect(sent?.url).toBe(`/v0/${baseId}/Leads/listRecords?timeZone=utc`);
    expect(JSON.parse(sent?.body ?? "")).toEqual({ filterByFormula: formula, fields: ["Email"] });
  });

  it("deleting records twice is safe: the ones already gone count as deleted", async () => {
    const leads = clientWith().table<Lead>(baseId, "Leads");
    const rows = await leads.create(Array.from({ length: 12 }, (_, i) => ({ Name: `Gone ${i}` })));
    const ids = rows.map((row) => row.id);
    await leads.delete(ids.slice(0, 3));
    // As a retried run would: the first three are gone already, the rest are deleted.
    await leads.delete(ids);
    await leads.delete(ids);
    expect(await leads.listAll({ filterByFormula: "FIND('Gone', {Name})" })).toEqual([]);
    const refused = await caught(
      clientWith()
        .table(baseId, "Nope")
        .delete(ids[0] ?? ""),
    );
    expect(refused.status).toBe(403);
  });
});

describe("record comments", () => {
  let baseId: string;
  let recordId: string;
  beforeAll(async () => {
    baseId = await newBase("Comments test", [LEADS]);
    recordId = (await clientWith().table<Lead>(baseId, "Leads").create({ Name: "Ada" })).id;
  });

  it("creates, lists newest first, replies, mentions, updates and deletes comments", async () => {
    const comments = clientWith().table(baseId, "Leads").comments(recordId);
    const first = await comments.create("Met at the fair");
    expect(first).toMatchObject({ text: "Met at the fair", lastUpdatedTime: null, author: AIRTABLE_FAKE_USER });
    expect(first.id).toMatch(/^com/);
    const reply = await comments.create(`Follow up, @[${AIRTABLE_FAKE_USER_ID}]`, { parentCommentId: first.id });
    expect(reply.parentCommentId).toBe(first.id);
    expect(reply.mentioned?.[AIRTABLE_FAKE_USER_ID]).toMatchObject({ type: "user", email: AIRTABLE_FAKE_USER.email });

    const page = await comments.list({ pageSize: 1 });
    expect(page.comments.map((comment) => comment.id)).toEqual([reply.id]);
    expect(page.offset).toEqual(expect.any(String));
    const last = await comments.list({ pageSize: 1, offset: page.offset ?? undefined });
    expect(last).toMatchObject({ comments: [{ id: first.id }], offset: null });

    const edited = await comments.update(first.id, "Met at the spring fair");
    expect(edited.text).toBe("Met at the spring fair");
    expect(edited.lastUpdatedTime).toEqual(expect.any(String));
    await comments.delete(reply.id);
    await comments.delete(reply.id);
    expect((await comments.listAll()).map((comment) => comment.text)).toEqual(["Met at the spring fair"]);
  });

  it("ensure posts a comment once however often a run repeats it", async () => {
    const comments = clientWith().table(baseId, "Leads").comments(recordId);
    const posted = await comments.ensure("Welcome email sent");
    expect((await comments.ensure("Welcome email sent")).id).toBe(posted.id);
    expect((await comments.listAll()).filter((comment) => comment.text === "Welcome email sent")).toHaveLength(1);
    const posts = (await recorded(`/v0/${baseId}/Leads/${recordId}/comments`)).filter((r) => r.method === "POST");
    expect(posts.filter((r) => r.body.includes("Welcome email sent"))).toHaveLength(1);
  });

  it("comments on a record that does not exist get Airtable's 404", async () => {
    const missing = await caught(clientWith().table(baseId, "Leads").comments("recNope0000000000").create("Hi"));
    expect(missing).toMatchObject({ status: 404, type: "NOT_FOUND" });
  });
});

describe("bases and the token", () => {
  it("whoami names the token's user and scopes", async () => {
    expect(await clientWith().whoami()).toEqual({
      id: AIRTABLE_FAKE_USER_ID,
      scopes: expect.arrayContaining(["schema.bases:write", "data.recordComments:write"]),
    });
  });

  it("creates a base with its tables; ensure finds it again instead of making a second", async () => {
    const airtable = clientWith();
    const name = `CRM ${crypto.randomUUID().slice(0, 8)}`;
    const spec = { name, workspaceId: "wspKilnFakeSpace1", tables: [LEADS] };
    const created = await airtable.bases.create(spec);
    expect(created.id).toMatch(/^app/);
    expect(created.tables.map((table) => table.name)).toEqual(["Leads"]);
    const again = await airtable.bases.ensure({
      ...spec,
      tables: [LEADS, { name: "Notes", fields: [{ name: "Text", type: "multilineText" }] }],
    });
    expect(again.id).toBe(created.id);
    expect(again.tables.map((table) => table.name)).toEqual(["Leads", "Notes"]);
    expect((await airtable.bases.list()).filter((base) => base.name === name)).toHaveLength(1);
    expect(await airtable.listBases()).toEqual(await airtable.bases.list());
  });
});
