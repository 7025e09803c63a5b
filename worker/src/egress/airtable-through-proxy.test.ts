// kiln/airtable end to end: app source importing it, uploaded through the API,
// served in a real Dynamic Worker; its calls leave only through the real
// egress proxy to the loopback Airtable fake, which checks the injected token.
import { env } from "cloudflare:test";
import { describe, expect, it } from "vitest";
import { AIRTABLE_FAKE_TOKEN } from "../../../connectors/airtable/fake/credentials";
import { DEMO_BASE_ID } from "../../../connectors/airtable/fake/seed";
import type { RecordedRequest } from "../../../connectors/types";
import { newUser, type TestUser } from "../../test/api-client";
import { appRows, automationApp, publishedApp, setNextSlot, settled, tickAt } from "../../test/automations";
import { appWithSource } from "../../test/fixtures";
import { CALLS_PER_SECOND } from "./connection-rate-limit";
import { askApp, auditedCalls, expectSecretsNowhere, pause, runMarker } from "../../test/connector-app";
import { fakeRequests } from "../../../connectors/testing/fake-requests";

const SIGNUPS_APP = {
  "src/index.ts": `import { Hono } from "hono";
import { airtable, AirtableError } from "kiln/airtable";

interface Signup { Name: string; Seq: number }

const app = new Hono();

// What a visitor sees of a failure: the typed error's fields, or the plain message.
function failure(error: unknown) {
  if (error instanceof AirtableError) return { kind: "AirtableError", status: error.status, type: error.type, message: error.message };
  return { kind: error instanceof Error ? error.name : "unknown", message: error instanceof Error ? error.message : String(error) };
}
app.onError((error, c) => c.json(failure(error), 502));

app.post("/bases/:base/signups", async (c) => {
  const { names, run } = await c.req.json<{ names: string[]; run: string }>();
  const created = await airtable.table<Signup>(c.req.param("base"), "Signups").create(names.map((Name, index) => ({ Name, Seq: index + 1 })));
  console.log("airtable created " + created.length + " " + run);
  return c.json({ created });
});

app.get("/bases/:base/signups", async (c) => {
  const pageSize = Number(c.req.query("pageSize") ?? "100");
  const records = await airtable.table<Signup>(c.req.param("base"), "Signups").listAll({ pageSize, sort: [{ field: "Seq" }] });
  console.log("airtable listed " + records.length + " from " + c.req.param("base"));
  return c.json({ records });
});

// Writes rows with an extra field: the table has no such field, so Airtable refuses the batch holding it.
app.post("/bases/:base/broken", async (c) => {
  const { good, run } = await c.req.json<{ good: number; run: string }>();
  const rows: Record<string, string>[] = Array.from({ length: good }, (_, index) => ({ Name: run + " " + index }));
  rows.push({ Name: run + " broken", Nope: "x" });
  try {
    await airtable.table(c.req.param("base"), "Signups").create(rows);
    return c.json({ created: true });
  } catch (error) {
    console.log("airtable refused " + run);
    return c.json({ isAirtableError: error instanceof AirtableError, ...failure(error) }, 422);
  }
});

// \`n\` reads at once, as a page that fans out would.
app.get("/burst", async (c) => {
  const n = Number(c.req.query("n"));
  const run = c.req.query("run") ?? "";
  const contacts = airtable.table("${DEMO_BASE_ID}", "Contacts");
  const settled = await Promise.allSettled(Array.from({ length: n }, () => contacts.list({ filterByFormula: "{Name} = '" + run + "'", pageSize: 1 })));
  console.log("airtable burst " + run);
  return c.json(settled.map((result) => (result.status === "fulfilled" ? { ok: true } : { ok: false, ...failure(result.reason) })));
});

export default app;
`,
};

interface SignupRecord {
  id: string;
  fields: { Name?: string; Seq?: number };
}

async function connectedApp(): Promise<{ user: TestUser; app: Awaited<ReturnType<typeof appWithSource>> }> {
  const user = await newUser();
  expect((await user.call("PUT", "/api/connections/airtable", { key: AIRTABLE_FAKE_TOKEN })).status).toBe(201);
  const app = await appWithSource(user, `signups ${runMarker("")}`, SIGNUPS_APP);
  return { user, app };
}

// Setup straight at the fake, as the owner would in Airtable: a base of this test's own with an empty Signups table.
async function newBase(name: string): Promise<string> {
  const response = await fetch(`${env.AIRTABLE_API_BASE}/v0/meta/bases`, {
    method: "POST",
    headers: { authorization: `Bearer ${AIRTABLE_FAKE_TOKEN}`, "content-type": "application/json" },
    body: JSON.stringify({
      name,
      workspaceId: "wspKilnFakeSpace1",
      tables: [
        {
          name: "Signups",
          fields: [
            { name: "Name", type: "singleLineText" },
            { name: "Seq", type: "number", options: { precision: 0 } },
          ],
        },
      ],
    }),
  });
  expect(response.status).toBe(200);
  return ((await response.json()) as { id: string }).id;
}

async function airtableRequestsTo(baseId: string): Promise<RecordedRequest[]> {
  return (await fakeRequests(env.AIRTABLE_API_BASE)).filter((request) => request.url.startsWith(`/v0/${baseId}/`));
}

// Airtable allows 5 calls per second per connection here; tests that make several requests wait for the budget to refill.
const REFILL_MS = 1_100;

describe("kiln/airtable in a deployed app, through the egress proxy", () => {
  it("creates 25 records as 3 upstream calls with the owner's token, then lists them back over offset pages", async () => {
    const { user, app } = await connectedApp();
    const run = runMarker("run");
    const baseId = await newBase(run);
    const names = Array.from({ length: 25 }, (_, index) => `${run} person ${index + 1}`);

    const created = await askApp<{ created: SignupRecord[] }>(`${app.previewUrl}bases/${baseId}/signups`, {
      method: "POST",
      body: { names, run },
    });
    expect(created.status).toBe(200);
    expect(created.json.created.map((record) => record.fields)).toEqual(
      names.map((Name, index) => ({ Name, Seq: index + 1 })),
    );
    const writes = await airtableRequestsTo(baseId);
    expect(writes.map((r) => [r.method, r.url])).toEqual([
      ["POST", `/v0/${baseId}/Signups`],
      ["POST", `/v0/${baseId}/Signups`],
      ["POST", `/v0/${baseId}/Signups`],
    ]);
    expect(writes.map((r) => (JSON.parse(r.body) as { records: unknown[] }).records.length)).toEqual([10, 10, 5]);
    for (const request of writes) expect(request.headers.authorization).toBe(`Bearer ${AIRTABLE_FAKE_TOKEN}`);

    await pause(REFILL_MS);
    const listed = await askApp<{ records: SignupRecord[] }>(`${app.previewUrl}bases/${baseId}/signups?pageSize=10`);
    expect(listed.status).toBe(200);
    expect(listed.json.records.map((record) => record.fields.Seq)).toEqual(names.map((_, index) => index + 1));
    expect(listed.json.records.map((record) => record.id)).toEqual(created.json.created.map((record) => record.id));
    const pages = (await airtableRequestsTo(baseId)).filter((r) => r.method === "GET");
    expect(pages).toHaveLength(3);
    const offsets = pages.map((page) => new URL(page.url, "http://x").searchParams.get("offset"));
    expect(offsets[0]).toBeNull();
    expect(offsets[1]).toBeTruthy();
    expect(offsets[2]).toBeTruthy();
    expect(offsets[2]).not.toBe(offsets[1]);
    for (const page of pages) {
      expect(page.headers.authorization).toBe(`Bearer ${AIRTABLE_FAKE_TOKEN}`);
      expect(new URL(page.url, "http://x").searchParams.get("pageSize")).toBe("10");
    }

    expect((await auditedCalls(user, app.id)).map((c) => [c.connector, c.method, c.host, c.outcome, c.status])).toEqual(
      [
        ...Array.from({ length: 3 }, () => ["airtable", "POST", "api.airtable.com", "sent", 200]),
        ...Array.from({ length: 3 }, () => ["airtable", "GET", "api.airtable.com", "sent", 200]),
      ],
    );
    await expectSecretsNowhere(
      user,
      app.id,
      [AIRTABLE_FAKE_TOKEN],
      [created, listed],
      `airtable listed 25 from ${baseId}`,
    );
  });

  it("an Airtable refusal reaches the app as an AirtableError saying how much of the batch was already written", async () => {
    const { user, app } = await connectedApp();
    const run = runMarker("run");
    const baseId = await newBase(run);
    const answer = await askApp<{
      isAirtableError: boolean;
      kind: string;
      status: number;
      type: string;
      message: string;
    }>(`${app.previewUrl}bases/${baseId}/broken`, {
      method: "POST",
      body: { good: 10, run },
    });
    expect(answer.status).toBe(422);
    expect(answer.json).toMatchObject({
      isAirtableError: true,
      kind: "AirtableError",
      status: 422,
      type: "UNKNOWN_FIELD_NAME",
    });
    expect(answer.json.message).toBe(
      'Airtable rejected the request. (Airtable 422 UNKNOWN_FIELD_NAME: Unknown field name: "Nope") 10 of the 11 records had already been created; the rest were not.',
    );
    const writes = await airtableRequestsTo(baseId);
    expect(writes).toHaveLength(2);
    for (const request of writes) expect(request.headers.authorization).toBe(`Bearer ${AIRTABLE_FAKE_TOKEN}`);
    expect((await auditedCalls(user, app.id)).map((c) => [c.method, c.outcome, c.status])).toEqual([
      ["POST", "sent", 200],
      ["POST", "sent", 422],
    ]);
    await expectSecretsNowhere(user, app.id, [AIRTABLE_FAKE_TOKEN], [answer], `airtable refused ${run}`);
  });

  it(`more than ${CALLS_PER_SECOND.airtable} calls in one second: the excess fail with "too many calls", never reach Airtable, and are audited as rate_limited`, async () => {
    const { user, app } = await connectedApp();
    const run = runMarker("run");
    const burst = 12;
    const answer = await askApp<{ ok: boolean; kind?: string; message?: string }[]>(
      `${app.previewUrl}burst?n=${burst}&run=${run}`,
    );
    expect(answer.status).toBe(200);
    const sent = answer.json.filter((result) => result.ok);
    const refused = answer.json.filter((result) => !result.ok);
    // A full budget lets 5 through at once; it refills at 5 a second, so a slow burst may get one or two more.
    expect(sent.length).toBeGreaterThanOrEqual(CALLS_PER_SECOND.airtable);
    expect(sent.length).toBeLessThanOrEqual(CALLS_PER_SECOND.airtable + 2);
    for (const result of refused) {
      expect(result.kind).toBe("Error");
      expect(result.message).toBe(
        "too many calls to Airtable: this app's owner's Airtable connection allows at most 5 per second; wait a moment and try again",
      );
    }

    const reached = (await fakeRequests(env.AIRTABLE_API_BASE)).filter((r) => r.url.includes(run));
    expect(reached).toHaveLength(sent.length);
    for (const request of reached) expect(request.headers.authorization).toBe(`Bearer ${AIRTABLE_FAKE_TOKEN}`);
    const calls = await auditedCalls(user, app.id);
    expect(calls.filter((c) => c.outcome === "sent")).toHaveLength(sent.length);
    expect(calls.filter((c) => c.outcome === "rate_limited").map((c) => [c.connector, c.host, c.status])).toEqual(
      refused.map(() => ["airtable", "api.airtable.com", null]),
    );
    const logs = await user.call("GET", `/api/apps/${app.id}/logs?limit=500`);
    expect(
      (logs.body.logs as { message: string }[]).filter((row) =>
        row.message.startsWith("Airtable call not sent: too many calls to Airtable"),
      ),
    ).toHaveLength(refused.length);

    // A second later the budget is back.
    await pause(REFILL_MS);
    const later = await askApp<{ ok: boolean }[]>(`${app.previewUrl}burst?n=3&run=${run}`);
    expect(later.json).toEqual([{ ok: true }, { ok: true }, { ok: true }]);
    await expectSecretsNowhere(user, app.id, [AIRTABLE_FAKE_TOKEN], [answer, later], `airtable burst ${run}`);
  });

  it("a retried automation creates its Leads table, upserted lead and comment once: Airtable has no idempotency key, the safe forms make the repeats no-ops", async () => {
    const user = await newUser();
    expect((await user.call("PUT", "/api/connections/airtable", { key: AIRTABLE_FAKE_TOKEN })).status).toBe(201);
    const baseId = await newBase(runMarker("retry"));
    const app = await publishedApp(
      user,
      automationApp(
        `{ leads: { cron: "0 * * * *", async run(run, env: Env) {
          const table = await airtable.tables(${JSON.stringify(baseId)}).ensure({ name: "Leads", fields: [
            { name: "Name", type: "singleLineText" }, { name: "Email", type: "email" }, { name: "Message", type: "multilineText" },
          ] });
          const { records } = await airtable.table<{ Name: string; Email: string; Message: string }>(${JSON.stringify(baseId)}, "Leads")
            .upsert({ Name: "Ada", Email: "ada@example.com", Message: "attempt " + run.attempt }, { fieldsToMergeOn: ["Email"] });
          const lead = records[0]!;
          await airtable.table(${JSON.stringify(baseId)}, table.id).comments(lead.id).ensure("Welcome email sent");
          await env.DB.insert("runs", { automation: lead.id, trigger: run.trigger, slot: run.scheduledAt, attempt: run.attempt });
          if (run.attempt < 3) throw new Error("the mail server was busy");
          return { lead: lead.id };
        } } }`,
        `import { airtable } from "kiln/airtable";`,
      ),
    );
    await setNextSlot(app.id, "leads", "2026-06-01T10:00:00.000Z");
    await tickAt("2026-06-01T10:00:05Z");
    const [run] = await settled(user, app.id, 20_000);
    expect(run).toMatchObject({ status: "succeeded", attempt: 3 });
    const rows = await appRows(user, app.id);
    expect(rows.map((row) => row.attempt)).toEqual([1, 2, 3]);
    expect(new Set(rows.map((row) => row.automation)).size).toBe(1); // the same record every attempt

    const atFake = async <T>(path: string): Promise<T> =>
      (await (
        await fetch(`${env.AIRTABLE_API_BASE}${path}`, { headers: { authorization: `Bearer ${AIRTABLE_FAKE_TOKEN}` } })
      ).json()) as T;
    const { tables } = await atFake<{ tables: { id: string; name: string }[] }>(`/v0/meta/bases/${baseId}/tables`);
    expect(tables.map((table) => table.name)).toEqual(["Signups", "Leads"]);
    const { records } = await atFake<{ records: { id: string; fields: Record<string, string> }[] }>(
      `/v0/${baseId}/Leads`,
    );
    expect(records.map((record) => record.fields)).toEqual([
      { Name: "Ada", Email: "ada@example.com", Message: "attempt 3" },
    ]);
    const { comments } = await atFake<{ comments: { text: string }[] }>(
      `/v0/${baseId}/Leads/${records[0]!.id}/comments`,
    );
    expect(comments.map((comment) => comment.text)).toEqual(["Welcome email sent"]);

    // What reached Airtable: one table created, three upserts, one comment posted; no Kiln header passed on.
    const writes = (await fakeRequests(env.AIRTABLE_API_BASE)).filter(
      (request) => request.url.includes(baseId) && request.method !== "GET",
    );
    expect(writes.map((request) => [request.method, request.url.replace(records[0]!.id, "rec…")])).toEqual([
      ["POST", `/v0/meta/bases/${baseId}/tables`],
      ["PATCH", `/v0/${baseId}/Leads`],
      ["POST", `/v0/${baseId}/${tables[1]!.id}/rec…/comments`],
      ["PATCH", `/v0/${baseId}/Leads`],
      ["PATCH", `/v0/${baseId}/Leads`],
    ]);
    for (const request of writes) {
      expect(request.headers.authorization).toBe(`Bearer ${AIRTABLE_FAKE_TOKEN}`);
      expect(Object.keys(request.headers).filter((name) => name.startsWith("x-kiln-"))).toEqual([]);
    }
  });
});
