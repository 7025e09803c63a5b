// Each run's totals (one row per currency), and the spreadsheet the digest writes to.
import { defineTables } from "kiln";

/** `digests`: one row per run and currency; `settings`: the spreadsheet made on the first run. */
export const tables = defineTables({
  digests: { day: "text", currency: "text", payments: "integer", total_cents: "integer", spreadsheet_id: "text" },
  settings: { spreadsheet_id: "text", url: "text" },
});
