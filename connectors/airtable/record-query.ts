// How a records read is put on the wire: Airtable's query-string form
// (`fields[]`, `sort[0][field]`), or the body of `POST …/listRecords` when the URL would be too long.
import type * as Api from "./index";

/** The cell-format parameters of a read, in query-string form. */
export function readQuery(options: Api.AirtableReadOptions, query = new URLSearchParams()): URLSearchParams {
  if (options.cellFormat !== undefined) query.set("cellFormat", options.cellFormat);
  if (options.timeZone !== undefined) query.set("timeZone", options.timeZone);
  if (options.userLocale !== undefined) query.set("userLocale", options.userLocale);
  if (options.returnFieldsByFieldId) query.set("returnFieldsByFieldId", "true");
  return query;
}

/** Airtable's list parameters in its query-string form (`fields[]`, `sort[0][field]`). */
export function listQuery(options: Api.AirtableListOptions): URLSearchParams {
  const query = readQuery(options);
  if (options.filterByFormula !== undefined) query.set("filterByFormula", options.filterByFormula);
  if (options.view !== undefined) query.set("view", options.view);
  if (options.maxRecords !== undefined) query.set("maxRecords", String(options.maxRecords));
  if (options.pageSize !== undefined) query.set("pageSize", String(options.pageSize));
  if (options.offset !== undefined) query.set("offset", options.offset);
  for (const field of options.fields ?? []) query.append("fields[]", field);
  (options.sort ?? []).forEach((sort, index) => {
    query.set(`sort[${index}][field]`, sort.field);
    if (sort.direction) query.set(`sort[${index}][direction]`, sort.direction);
  });
  for (const item of options.recordMetadata ?? []) query.append("recordMetadata[]", item);
  return query;
}

/** The same list as a `POST …/listRecords` body; time zone and locale stay in the query, as Airtable wants. */
export function listBody(options: Api.AirtableListOptions): Record<string, unknown> {
  const { timeZone: _zone, userLocale: _locale, ...rest } = options;
  return Object.fromEntries(Object.entries(rest).filter(([, value]) => value !== undefined));
}
