// Sync with the owner's Airtable table (the `CONTACTS` setup item: CONFIG.CONTACTS is the table,
// CONFIG.CONTACTS_BASE its base): pull brings its rows in, push sends contacts it lacks out.
import { airtable } from "kiln/airtable";
import type { AppEnv } from "kiln";
import type { tables } from "./tables";

type Env = AppEnv<typeof tables>;

/** The Airtable columns the CRM reads and writes. */
interface ContactFields {
  Name: string;
  Email?: string;
  Company?: string;
  Status?: string;
}

/** The owner has not said which Airtable base to sync with. */
export class SyncNotConfiguredError extends Error {
  readonly name = "SyncNotConfiguredError";
  constructor() {
    super("Pick the Airtable table to sync with in the app's Setup tab (Kiln can create it for you).");
  }
}

function contactsTable(env: Env) {
  const baseId = env.CONFIG.CONTACTS_BASE;
  if (baseId === undefined || baseId === "") throw new SyncNotConfiguredError();
  return airtable.table<ContactFields>(baseId, env.CONFIG.CONTACTS || "Contacts");
}

/** Brings every Airtable row in: new ones are added, known ones (same record id) updated. */
export async function pullContacts(env: Env): Promise<{ added: number; updated: number }> {
  const records = await contactsTable(env).listAll();
  let added = 0;
  let updated = 0;
  for (const record of records) {
    const fields = { name: record.fields.Name ?? "(no name)", email: record.fields.Email ?? null, company: record.fields.Company ?? null, status: record.fields.Status ?? null };
    const [known] = await env.DB.list("contacts", { where: { airtable_id: record.id }, limit: 1 });
    if (known === undefined) {
      await env.DB.insert("contacts", { ...fields, airtable_id: record.id });
      added++;
    } else {
      await env.DB.update("contacts", known.id, fields);
      updated++;
    }
  }
  return { added, updated };
}

/** Sends every contact not yet in Airtable there, and remembers its record id. */
export async function pushContacts(env: Env): Promise<{ pushed: number }> {
  const table = contactsTable(env);
  const pending = (await env.DB.list("contacts", { limit: 1000 })).filter((c) => c.airtable_id === null);
  // Airtable takes at most 10 records per call; the client splits, and answers in order.
  const created = pending.length === 0 ? [] : await table.create(pending.map((c) => ({ Name: c.name, Email: c.email ?? undefined, Company: c.company ?? undefined })));
  for (let i = 0; i < created.length; i++) await env.DB.update("contacts", pending[i]!.id, { airtable_id: created[i]!.id });
  return { pushed: created.length };
}
