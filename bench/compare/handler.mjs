// The small handler every alternative runs per request, as source text so each
// sandbox evaluates it itself: parse a one-row JSON document and answer a small
// JSON object — what Kiln's warm app answers, minus its database read.

/** The row the handler parses (what Kiln's bench app reads from its database). */
export const ROW_JSON = JSON.stringify({ id: 1, name: "one row" });

/** A script whose completion value is the response body; `input` must be defined before it. */
export const HANDLER_SOURCE = `(() => { const row = JSON.parse(input); return JSON.stringify({ id: row.id, name: row.name }); })()`;
