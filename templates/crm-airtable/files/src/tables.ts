// The CRM's data: contacts (with their Airtable record id once synced) and notes on them.
import { defineTables } from "kiln";

/** Contacts and notes; `airtable_id` is null until the contact is in Airtable. */
export const tables = defineTables({
  contacts: { name: "text", email: "text?", company: "text?", status: "text?", airtable_id: "text?" },
  notes: { contact_id: "integer", text: "text" },
});
