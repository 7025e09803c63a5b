// Every submission is also kept in the app, with what happened to it in Airtable and Gmail.
import { defineTables } from "kiln";

/** Submissions; `airtable_id` and `notified` say whether each step worked. */
export const tables = defineTables({
  submissions: { name: "text", email: "text", message: "text", airtable_id: "text?", notified: "boolean", problem: "text?" },
});
