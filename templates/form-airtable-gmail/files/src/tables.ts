// Every submission is also kept in the app, with its AI category and what happened to it in Airtable and Gmail.
import { defineTables } from "kiln";

/** Submissions; `category` is the AI's sorting (null if AI failed); `airtable_id` and `notified` say whether each step worked. */
export const tables = defineTables({
  submissions: { name: "text", email: "text", message: "text", category: "text?", airtable_id: "text?", notified: "boolean", problem: "text?" },
});
