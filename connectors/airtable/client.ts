// The Airtable client that runs inside an app's isolate: plain fetch to
// https://api.airtable.com, no token (the egress proxy adds it outside).
import { AirtableError, airtableErrorFrom, withProgress } from "./airtable-error";
import type * as Api from "./index";

export { AirtableError } from "./airtable-error";

type Fetch = (input: RequestInfo | URL, init?: RequestInit) => Promise<Response>;

const API = "https://api.airtable.com/v0";
/** Airtable refuses more than 10 records in one create, update or delete. */
const BATCH_SIZE = 10;

/** Sends one request and parses Airtable's JSON answer, or throws AirtableError. */
async function call<T>(
  fetchFn: Fetch,
  method: string,
  path: string,
  query?: URLSearchParams,
  body?: unknown,
): Promise<T> {
  const search = query && query.toString() !== "" ? `?${query}` : "";
  const response = await fetchFn(`${API}${path}${search}`, {
    method,
    headers: body === undefined ? {} : { "content-type": "application/json" },
    body: body === undefined ? undefined : JSON.stringify(body),
  });
  const text = await response.text();
  if (!response.ok) throw airtableErrorFrom(response.status, text);
  try {
    return JSON.parse(text) as T;
  } catch {
    throw new AirtableError({
      status: response.status,
      type: "INVALID_RESPONSE",
      message: `Airtable sent an answer that is not JSON (HTTP ${response.status}).`,
    });
  }
}

function chunks<T>(items: T[]): T[][] {
  const out: T[][] = [];
  for (let i = 0; i < items.length; i += BATCH_SIZE) out.push(items.slice(i, i + BATCH_SIZE));
  return out;
}

/** Airtable's list parameters in its query-string form (`fields[]`, `sort[0][field]`). */
function listQuery(options: Api.AirtableListOptions): URLSearchParams {
  const query = new URLSearchParams();
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
  return query;
}

type RecordOf<F extends object> = Api.AirtableRecord<F>;

/**
 * Runs a many-record write 10 records per call, one call after another
 * (Airtable allows 5 calls per second per base), and says how far it got on failure.
 */
async function inBatches<T, R>(items: T[], verb: string, send: (batch: T[]) => Promise<R[]>): Promise<R[]> {
  const results: R[] = [];
  for (const batch of chunks(items)) {
    try {
      results.push(...(await send(batch)));
    } catch (error) {
      throw error instanceof AirtableError ? withProgress(error, results.length, items.length, verb) : error;
    }
  }
  return results;
}

function tableClient<F extends object>(fetchFn: Fetch, baseId: string, tableIdOrName: string): Api.AirtableTable<F> {
  const path = `/${encodeURIComponent(baseId)}/${encodeURIComponent(tableIdOrName)}`;

  const list = (options: Api.AirtableListOptions = {}) =>
    call<Api.AirtablePage<F>>(fetchFn, "GET", path, listQuery(options));

  const createMany = (records: Api.AirtableWrite<F>[], options: Api.AirtableWriteOptions) =>
    inBatches(records, "created", async (batch) => {
      const body = { records: batch.map((fields) => ({ fields })), typecast: options.typecast ?? false };
      return (await call<{ records: RecordOf<F>[] }>(fetchFn, "POST", path, undefined, body)).records;
    });

  const updateMany = (records: { id: string; fields: Api.AirtableWrite<F> }[], options: Api.AirtableWriteOptions) =>
    inBatches(records, "updated", async (batch) => {
      const body = { records: batch.map(({ id, fields }) => ({ id, fields })), typecast: options.typecast ?? false };
      return (await call<{ records: RecordOf<F>[] }>(fetchFn, "PATCH", path, undefined, body)).records;
    });

  function create(fields: Api.AirtableWrite<F>, options?: Api.AirtableWriteOptions): Promise<RecordOf<F>>;
  function create(records: Api.AirtableWrite<F>[], options?: Api.AirtableWriteOptions): Promise<RecordOf<F>[]>;
  async function create(input: Api.AirtableWrite<F> | Api.AirtableWrite<F>[], options: Api.AirtableWriteOptions = {}) {
    if (Array.isArray(input)) return createMany(input, options);
    const [record] = await createMany([input], options);
    return record;
  }

  function update(id: string, fields: Api.AirtableWrite<F>, options?: Api.AirtableWriteOptions): Promise<RecordOf<F>>;
  function update(
    records: { id: string; fields: Api.AirtableWrite<F> }[],
    options?: Api.AirtableWriteOptions,
  ): Promise<RecordOf<F>[]>;
  async function update(
    input: string | { id: string; fields: Api.AirtableWrite<F> }[],
    fieldsOrOptions?: Api.AirtableWrite<F> | Api.AirtableWriteOptions,
    maybeOptions?: Api.AirtableWriteOptions,
  ) {
    if (Array.isArray(input)) return updateMany(input, (fieldsOrOptions ?? {}) as Api.AirtableWriteOptions);
    const [record] = await updateMany(
      [{ id: input, fields: (fieldsOrOptions ?? {}) as Api.AirtableWrite<F> }],
      maybeOptions ?? {},
    );
    return record;
  }

  return {
    list,
    async listAll(options = {}) {
      const records: RecordOf<F>[] = [];
      let offset: string | undefined;
      do {
        const page = await list({ ...options, offset });
        records.push(...page.records);
        offset = page.offset;
      } while (offset !== undefined);
      return records;
    },
    get: (id) => call<RecordOf<F>>(fetchFn, "GET", `${path}/${encodeURIComponent(id)}`),
    create,
    update,
    async delete(ids) {
      await inBatches(Array.isArray(ids) ? ids : [ids], "deleted", async (batch) => {
        const query = new URLSearchParams(batch.map((id) => ["records[]", id]));
        return (await call<{ records: { id: string; deleted: boolean }[] }>(fetchFn, "DELETE", path, query)).records;
      });
    },
  };
}

/** A client with its own `fetch` (tests); apps use `airtable`. */
export function createAirtableClient(options: { fetch?: typeof fetch } = {}): Api.AirtableClient {
  // Looked up per call, not captured, so the isolate's current fetch is always used.
  const fetchFn: Fetch = options.fetch ?? ((input, init) => fetch(input, init));
  return {
    async listBases() {
      const bases: Api.AirtableBase[] = [];
      let offset: string | undefined;
      do {
        const query = new URLSearchParams(offset === undefined ? {} : { offset });
        const page = await call<{ bases: Api.AirtableBase[]; offset?: string }>(fetchFn, "GET", "/meta/bases", query);
        bases.push(...page.bases);
        offset = page.offset;
      } while (offset !== undefined);
      return bases;
    },
    async listTables(baseId) {
      return (
        await call<{ tables: Api.AirtableTableSchema[] }>(
          fetchFn,
          "GET",
          `/meta/bases/${encodeURIComponent(baseId)}/tables`,
        )
      ).tables;
    },
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
