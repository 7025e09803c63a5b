// Test setup at the Airtable fake, done as the owner would in Airtable itself:
// a fresh base with a table, so a test's rows are its own in the shared fake.
import { env } from "cloudflare:test";
import { expect } from "vitest";
import { AIRTABLE_FAKE_TOKEN } from "../../connectors/airtable/fake/credentials";

async function airtableCall<T>(method: string, path: string, body?: unknown): Promise<T> {
  const response = await fetch(`${env.AIRTABLE_API_BASE}${path}`, {
    method,
    headers: { authorization: `Bearer ${AIRTABLE_FAKE_TOKEN}`, "content-type": "application/json" },
    body: body === undefined ? undefined : JSON.stringify(body),
  });
  expect(response.status).toBe(200);
  return (await response.json()) as T;
}

/** Creates a base holding one table `tableName` with text `fields`, and `rows` in it; returns the base id. */
export async function freshAirtableBase(
  tableName: string,
  fields: readonly string[],
  rows: readonly Record<string, string>[] = [],
): Promise<string> {
  const base = await airtableCall<{ id: string }>("POST", "/v0/meta/bases", {
    name: `Template test ${crypto.randomUUID().slice(0, 8)}`,
    workspaceId: "wspKilnTemplates",
    tables: [{ name: tableName, fields: fields.map((name) => ({ name, type: "singleLineText" })) }],
  });
  if (rows.length > 0)
    await airtableCall("POST", `/v0/${base.id}/${encodeURIComponent(tableName)}`, {
      records: rows.map((fields) => ({ fields })),
    });
  return base.id;
}

/** Every row of a table, as the fake holds it. */
export async function airtableRows(
  baseId: string,
  tableName: string,
): Promise<{ id: string; fields: Record<string, unknown> }[]> {
  const page = await airtableCall<{ records: { id: string; fields: Record<string, unknown> }[] }>(
    "GET",
    `/v0/${baseId}/${encodeURIComponent(tableName)}`,
  );
  return page.records;
}
