// The Airtable client that runs inside an app's isolate: plain fetch to
// https://api.airtable.com, no token (the egress proxy adds it outside).
//
// Airtable has no idempotency key, so the proxy cannot make a retried write
// happen once (see ConnectorRule.idempotency). Instead every write here that
// Airtable does not make idempotent itself has a form that is safe to repeat:
// records `upsert` on a key field, `ensure` for bases, tables, fields and
// comments (look first, create only what is missing, and take a "duplicate"
// refusal as "already there"), and deletes that count "already gone" as done.
//
// This file composes the parts: request.ts (the HTTP call), records.ts (a
// table's records, read as record-query.ts encodes them), comments.ts, and
// schema.ts (bases, tables, fields).
import type * as Api from "./index";
import { tableClient } from "./records";
import { call, type Fetch } from "./request";
import { basesClient, fieldsClient, tablesClient } from "./schema";

export { AirtableError } from "./airtable-error";

/** A client with its own `fetch` (tests); apps use `airtable`. */
export function createAirtableClient(options: { fetch?: typeof fetch } = {}): Api.AirtableClient {
  // Looked up per call, not captured, so the isolate's current fetch is always used.
  const fetchFn: Fetch = options.fetch ?? ((input, init) => fetch(input, init));
  const bases = basesClient(fetchFn);
  return {
    whoami: () => call<Api.AirtableUser>(fetchFn, "GET", "/meta/whoami"),
    listBases: () => bases.list(),
    listTables: (baseId) => tablesClient(fetchFn, baseId).list(),
    bases,
    tables: (baseId) => tablesClient(fetchFn, baseId),
    fields: (baseId, tableIdOrName) => fieldsClient(fetchFn, baseId, tableIdOrName),
    table<F extends object = Api.AirtableFields>(baseId: string, tableIdOrName: string) {
      return tableClient<F>(fetchFn, baseId, tableIdOrName);
    },
  };
}

/** Ready to use: `airtable.table("app…", "Contacts").list()`. */
export const airtable: Api.AirtableClient = createAirtableClient();

// Compile-time proof that this module is exactly what `index.d.ts` promises apps.
type Implements<Actual extends Declared, Declared> = Actual;
export type AirtableModuleCheck = Implements<typeof import("./client"), typeof import("./index")>;
