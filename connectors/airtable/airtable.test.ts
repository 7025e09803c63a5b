// The in-app Airtable client against the Airtable fake, through a fetch that
// does what the egress proxy does (host allow-list, origin rewrite, token).
import { describe, expect, it, beforeAll } from "vitest";
import { proxyLikeFetch } from "../testing/proxy-like-fetch";
import { caught, clientWith, fakeBase, newBase as newBaseWith, recorded, sentByApp } from "./airtable-test-client";
import { AIRTABLE_FAKE_TOKEN, AIRTABLE_FAKE_USER_ID } from "./fake/credentials";
import { DEMO_BASE_ID, DEMO_CONTACTS_TABLE_ID } from "./fake/seed";
import { airtableRule } from "./rule";

/** An interface, as apps often write them, must type a table too. */
interface Person {
  Name: string;
  Age: number;
  Status: string;
  Member: boolean;
  Email: string;
}

/** A base of its own for each test group, so tests sharing the fake never see each other's rows. */
function newBase(name: string): Promise<string> {
  return newBaseWith(name, [
    {
      name: "People",
      fields: [
        { name: "Name", type: "singleLineText" },
        { name: "Age", type: "number", options: { precision: 0 } },
        { name: "Status", type: "singleSelect", options: { choices: [{ name: "Active" }, { name: "Paused" }] } },
        { name: "Member", type: "checkbox", options: { icon: "check", color: "greenBright" } },
        { name: "Email", type: "email" },
      ],
    },
  ]);
}

describe("Airtable client against the fake", () => {
  it("lists the seeded Demo CRM base and its Contacts schema", async () => {
    const airtable = clientWith();
    const bases = await airtable.listBases();
    expect(bases).toContainEqual({ id: DEMO_BASE_ID, name: "Demo CRM", permissionLevel: "create" });
    const [contacts] = await airtable.listTables(DEMO_BASE_ID);
    expect(contacts.id).toBe(DEMO_CONTACTS_TABLE_ID);
    expect(contacts.name).toBe("Contacts");
    expect(contacts.primaryFieldId).toBe(contacts.fields[0].id);
    expect(contacts.fields.map((field) => field.name)).toContain("Status");
    expect(contacts.views.map((view) => view.name)).toEqual(["Grid view", "Customers"]);
  });

  it("sends no token itself; the proxy-like fetch injects the owner's", async () => {
    sentByApp.length = 0;
    await clientWith().table(DEMO_BASE_ID, "Contacts").list({ maxRecords: 1 });
    expect(sentByApp).toHaveLength(1);
    expect(new URL(sentByApp[0].url).origin).toBe("https://api.airtable.com");
    expect(sentByApp[0].headers.get("authorization")).toBeNull();
    const [received] = (await recorded(`/v0/${DEMO_BASE_ID}/Contacts?maxRecords=1`)).slice(-1);
    expect(received.headers.authorization).toBe(`Bearer ${AIRTABLE_FAKE_TOKEN}`);
  });

  it("filters, sorts, narrows fields and applies views the way Airtable does", async () => {
    const contacts = clientWith().table(DEMO_BASE_ID, "Contacts");
    const customers = await contacts.list({
      filterByFormula: "{Status} = 'Customer'",
      sort: [{ field: "Name", direction: "desc" }],
      fields: ["Name", "Status"],
    });
    expect(customers.records.map((record) => record.fields)).toEqual([
      { Name: "Grace Hopper", Status: "Customer" },
      { Name: "Ada Lovelace", Status: "Customer" },
    ]);
    expect(customers.offset).toBeUndefined();
    const [sent] = (await recorded(`/v0/${DEMO_BASE_ID}/Contacts?filterByFormula=`)).slice(-1);
    const query = new URL(sent.url, "http://x").searchParams;
    expect(query.getAll("fields[]")).toEqual(["Name", "Status"]);
    expect(query.get("sort[0][field]")).toBe("Name");
    expect(query.get("sort[0][direction]")).toBe("desc");

    const bigLeads = await contacts.listAll({ filterByFormula: "AND({Status} = 'Lead', {Deal Size} > 1000)" });
    expect(bigLeads.map((record) => record.fields.Name)).toEqual(["Alan Turing"]);
    const view = await contacts.list({ view: "Customers" });
    expect(view.records.map((record) => record.fields["Deal Size"])).toEqual([30000, 12000]);
  });

  describe("writes in batches of 10", () => {
    let baseId: string;
    beforeAll(async () => {
      baseId = await newBase("Batch test");
    });

    it("creates 25 records in 3 calls, pages through them, updates and deletes them in 3 calls each", async () => {
      const people = clientWith().table<Person>(baseId, "People");
      const created = await people.create(
        Array.from({ length: 25 }, (_, i) => ({ Name: `Person ${String(i).padStart(2, "0")}`, Age: 20 + i })),
      );
      expect(created).toHaveLength(25);
      expect(created.map((record) => record.fields.Name)).toEqual(
        Array.from({ length: 25 }, (_, i) => `Person ${String(i).padStart(2, "0")}`),
      );
      const posts = (await recorded(`/v0/${baseId}/People`)).filter((request) => request.method === "POST");
      expect(posts.map((request) => (JSON.parse(request.body) as { records: unknown[] }).records.length)).toEqual([
        10, 10, 5,
      ]);
      expect(posts[0].headers["content-type"]).toContain("application/json");

      const first = await people.list({ pageSize: 10, sort: [{ field: "Age" }] });
      expect(first.records).toHaveLength(10);
      expect(first.offset).toEqual(expect.any(String));
      const second = await people.list({ pageSize: 10, sort: [{ field: "Age" }], offset: first.offset });
      expect(second.records[0].fields.Age).toBe(30);
      const all = await people.listAll({ pageSize: 10, sort: [{ field: "Age", direction: "desc" }] });
      expect(all.map((record) => record.fields.Age)).toEqual(Array.from({ length: 25 }, (_, i) => 44 - i));
      expect(await people.listAll({ maxRecords: 12, pageSize: 5 })).toHaveLength(12);

      const updated = await people.update(created.map((record) => ({ id: record.id, fields: { Member: true } })));
      expect(updated.every((record) => record.fields.Member === true && record.fields.Name?.startsWith("Person"))).toBe(
        true,
      );
      const patches = (await recorded(`/v0/${baseId}/People`)).filter((request) => request.method === "PATCH");
      expect(patches).toHaveLength(3);

      await people.delete(created.map((record) => record.id));
      const deletes = (await recorded(`/v0/${baseId}/People`)).filter((request) => request.method === "DELETE");
      expect(
        deletes.map((request) => new URL(request.url, "http://x").searchParams.getAll("records[]").length),
      ).toEqual([10, 10, 5]);
      expect((await people.list()).records).toEqual([]);
    });

    it("says how many records were written before a batch failed", async () => {
      const people = clientWith().table(baseId, "People");
      const rows = Array.from({ length: 15 }, (_, i) => (i === 12 ? { Name: "Bad", Shoe: 44 } : { Name: `Row ${i}` }));
      const error = await caught(people.create(rows));
      expect(error.status).toBe(422);
      expect(error.type).toBe("UNKNOWN_FIELD_NAME");
      expect(error.message).toContain('Unknown field name: "Shoe"');
      expect(error.message).toContain("10 of the 15 records had already been created");
      expect((await people.listAll({ filterByFormula: "FIND('Row ', {Name})" })).length).toBe(10);
    });

    it("creates, reads, updates with typecast and deletes one record", async () => {
      const people = clientWith().table<Person>(baseId, "People");
      const ada = await people.create({ Name: "Ada", Age: 36, Status: "Active", Member: false });
      expect(ada.id).toMatch(/^rec[A-Za-z0-9]{14}$/);
      expect(ada.fields).toEqual({ Name: "Ada", Age: 36, Status: "Active" });
      expect((await people.get(ada.id)).fields.Name).toBe("Ada");

      const refused = await caught(people.update(ada.id, { Age: "37" as unknown as number }));
      expect(refused).toMatchObject({ status: 422, type: "INVALID_VALUE_FOR_COLUMN" });
      const newOption = await caught(people.update(ada.id, { Status: "Retired" }));
      expect(newOption.type).toBe("INVALID_MULTIPLE_CHOICE_OPTIONS");
      const typecast = await people.update(
        ada.id,
        { Age: "37" as unknown as number, Status: "Retired", Email: null },
        { typecast: true },
      );
      expect(typecast.fields).toEqual({ Name: "Ada", Age: 37, Status: "Retired" });
      const [patch] = (await recorded(`/v0/${baseId}/People`))
        .filter((request) => request.method === "PATCH")
        .slice(-1);
      expect(JSON.parse(patch.body)).toEqual({
        records: [{ id: ada.id, fields: { Age: "37", Status: "Retired", Email: null } }],
        typecast: true,
      });

      await people.delete(ada.id);
      const gone = await caught(people.get(ada.id));
      expect(gone).toMatchObject({ status: 404, type: "NOT_FOUND" });
    });
  });

  describe("errors", () => {
    it("a wrong token gets Airtable's 401, worded for the owner", async () => {
      const error = await caught(clientWith("patWrongToken0000.abc").listBases());
      expect(error.status).toBe(401);
      expect(error.type).toBe("AUTHENTICATION_REQUIRED");
      expect(error.message).toContain("reconnect Airtable");
    });

    it("an unknown table or base is Airtable's 403; a bad formula is a 422", async () => {
      const missingTable = await caught(clientWith().table(DEMO_BASE_ID, "Nope").list());
      expect(missingTable).toMatchObject({ status: 403, type: "INVALID_PERMISSIONS_OR_MODEL_NOT_FOUND" });
      expect(missingTable.message).toContain("Check the base id and table name");
      const formula = await caught(
        clientWith().table(DEMO_BASE_ID, "Contacts").list({ filterByFormula: "{Shoe size} = 3" }),
      );
      expect(formula).toMatchObject({ status: 422, type: "INVALID_FILTER_BY_FORMULA" });
      expect(formula.message).toContain("Unknown field names: Shoe size");
    });

    it("a rate limit is a clear 429", async () => {
      const baseId = await newBase("Rate limit test");
      await fetch(`${fakeBase()}/__fake/rate-limit`, { method: "POST", body: JSON.stringify({ requests: 1, baseId }) });
      const error = await caught(clientWith().table(baseId, "People").list());
      expect(error).toMatchObject({ status: 429, type: "RATE_LIMIT_REACHED" });
      expect(error.message).toContain("Wait 30 seconds");
      expect((await clientWith().table(baseId, "People").list()).records).toEqual([]);
    });

    it("the fake enforces Airtable's 10-record limit itself", async () => {
      const fetchFn = proxyLikeFetch(airtableRule, { upstreamBase: fakeBase(), credential: AIRTABLE_FAKE_TOKEN });
      const response = await fetchFn(`https://api.airtable.com/v0/${DEMO_BASE_ID}/Contacts`, {
        method: "POST",
        headers: { "content-type": "application/json" },
        body: JSON.stringify({ records: Array.from({ length: 11 }, (_, i) => ({ fields: { Name: `N${i}` } })) }),
      });
      expect(response.status).toBe(422);
      expect(await response.json()).toEqual({
        error: {
          type: "INVALID_RECORDS",
          message: "A maximum of 10 records can be created per request but you have provided 11.",
        },
      });
    });
  });

  it("the rule's check call proves the token", async () => {
    const fetchFn = proxyLikeFetch(airtableRule, { upstreamBase: fakeBase(), credential: AIRTABLE_FAKE_TOKEN });
    const { host, path, method } = airtableRule.check;
    const response = await fetchFn(`https://${host}${path}`, { method });
    expect(response.status).toBe(200);
    expect(await response.json()).toMatchObject({ id: AIRTABLE_FAKE_USER_ID });
    const refused = await proxyLikeFetch(airtableRule, { upstreamBase: fakeBase(), credential: "patNope" })(
      `https://${host}${path}`,
    );
    expect(refused.status).toBe(401);
  });

  it("the proxy-like fetch refuses hosts outside the rule", async () => {
    const fetchFn = proxyLikeFetch(airtableRule, { upstreamBase: fakeBase(), credential: AIRTABLE_FAKE_TOKEN });
    await expect(fetchFn("https://evil.example/v0/meta/whoami")).rejects.toThrow(
      "network access to evil.example is not allowed",
    );
  });
});
