// The Airtable client that runs inside an app's isolate: plain fetch to
// https://api.airtable.com, no token (the egress proxy adds it outside).
//
// Airtable has no idempotency key, so the proxy cannot make a retried write
// happen once (see ConnectorRule.idempotency). Instead every write here that
// Airtable does not make idempotent itself has a form that is safe to repeat:
// records `upsert` on a key field, `ensure` for bases, tables, fields and
// comments (look first, create only what is missing, and take a "duplicate"
// refusal as "already there"), and deletes that count "already gone" as done.
import { AirtableError, airtableErrorFrom, withProgress } from "./airtable-error";
import type * as Api from "./index";

export { AirtableError } from "./airtable-error";

type Fetch = (input: RequestInfo | URL, init?: RequestInit) => Promise<Response>;

const API = "https://api.airtable.com/v0";
/** Airtable refuses more than 10 records in one create, update or delete. */
const BATCH_SIZE = 10;
/** Airtable refuses URLs of 16,000 characters or more; a longer list is sent as `POST …/listRecords`. */
const MAX_URL_LENGTH = 15_000;
const enc = encodeURIComponent;
const TABLE_ID = /^tbl[A-Za-z0-9]{14}$/;
const FIELD_ID = /^fld[A-Za-z0-9]{14}$/;

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

/** Airtable refused because the thing is not there (or not visible to the token). */
const isMissing = (error: unknown): error is AirtableError =>
  error instanceof AirtableError && (error.status === 403 || error.status === 404);
const isType = (error: unknown, type: string): error is AirtableError =>
  error instanceof AirtableError && error.type === type;

function chunks<T>(items: T[]): T[][] {
  const out: T[][] = [];
  for (let i = 0; i < items.length; i += BATCH_SIZE) out.push(items.slice(i, i + BATCH_SIZE));
  return out;
}

/** The cell-format parameters of a read, in query-string form. */
function readQuery(options: Api.AirtableReadOptions, query = new URLSearchParams()): URLSearchParams {
  if (options.cellFormat !== undefined) query.set("cellFormat", options.cellFormat);
  if (options.timeZone !== undefined) query.set("timeZone", options.timeZone);
  if (options.userLocale !== undefined) query.set("userLocale", options.userLocale);
  if (options.returnFieldsByFieldId) query.set("returnFieldsByFieldId", "true");
  return query;
}

/** Airtable's list parameters in its query-string form (`fields[]`, `sort[0][field]`). */
function listQuery(options: Api.AirtableListOptions): URLSearchParams {
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
function listBody(options: Api.AirtableListOptions): Record<string, unknown> {
  const { timeZone: _zone, userLocale: _locale, ...rest } = options;
  return Object.fromEntries(Object.entries(rest).filter(([, value]) => value !== undefined));
}

type RecordOf<F extends object> = Api.AirtableRecord<F>;
type Update<F extends object> = { id: string; fields: Api.AirtableWrite<F> };

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

function writeBody(records: unknown[], options: Api.AirtableWriteOptions): Record<string, unknown> {
  return {
    records,
    typecast: options.typecast ?? false,
    ...(options.returnFieldsByFieldId ? { returnFieldsByFieldId: true } : {}),
  };
}

function commentsClient(fetchFn: Fetch, recordPath: string): Api.AirtableComments {
  const path = `${recordPath}/comments`;
  const list: Api.AirtableComments["list"] = (options = {}) => {
    const query = new URLSearchParams();
    if (options.pageSize !== undefined) query.set("pageSize", String(options.pageSize));
    if (options.offset !== undefined) query.set("offset", options.offset);
    return call<Api.AirtableCommentPage>(fetchFn, "GET", path, query);
  };
  const listAll = async () => {
    const comments: Api.AirtableComment[] = [];
    let offset: string | null | undefined;
    do {
      const page = await list(offset ? { offset } : {});
      comments.push(...page.comments);
      offset = page.offset;
    } while (offset);
    return comments;
  };
  const create: Api.AirtableComments["create"] = (text, options = {}) =>
    call<Api.AirtableComment>(fetchFn, "POST", path, undefined, { text, ...options });
  return {
    list,
    listAll,
    create,
    async ensure(text, options = {}) {
      const same = (await listAll()).find(
        (comment) => comment.text === text && comment.parentCommentId === options.parentCommentId,
      );
      return same ?? create(text, options);
    },
    update: (commentId, text) =>
      call<Api.AirtableComment>(fetchFn, "PATCH", `${path}/${enc(commentId)}`, undefined, { text }),
    async delete(commentId) {
      try {
        await call(fetchFn, "DELETE", `${path}/${enc(commentId)}`);
      } catch (error) {
        // Deleted by an earlier try of this run: done. Still there (or the record unreadable): the refusal stands.
        const gone =
          isMissing(error) &&
          (await listAll().then(
            (all) => all.every((c) => c.id !== commentId),
            () => false,
          ));
        if (!gone) throw error;
      }
    },
  };
}

function tableClient<F extends object>(fetchFn: Fetch, baseId: string, tableIdOrName: string): Api.AirtableTable<F> {
  const path = `/${enc(baseId)}/${enc(tableIdOrName)}`;

  const list = (options: Api.AirtableListOptions = {}) => {
    const query = listQuery(options);
    if (`${API}${path}?${query}`.length < MAX_URL_LENGTH) return call<Api.AirtablePage<F>>(fetchFn, "GET", path, query);
    const zone = readQuery({ timeZone: options.timeZone, userLocale: options.userLocale });
    return call<Api.AirtablePage<F>>(fetchFn, "POST", `${path}/listRecords`, zone, listBody(options));
  };

  const listAll = async (options: Omit<Api.AirtableListOptions, "offset"> = {}) => {
    const records: RecordOf<F>[] = [];
    let offset: string | undefined;
    do {
      const page = await list({ ...options, offset });
      records.push(...page.records);
      offset = page.offset;
    } while (offset !== undefined);
    return records;
  };

  const createMany = (records: Api.AirtableWrite<F>[], options: Api.AirtableWriteOptions) =>
    inBatches(records, "created", async (batch) => {
      const body = writeBody(
        batch.map((fields) => ({ fields })),
        options,
      );
      return (await call<{ records: RecordOf<F>[] }>(fetchFn, "POST", path, undefined, body)).records;
    });

  /** PATCH changes the given fields; PUT also empties the others. */
  const writeMany = (method: "PATCH" | "PUT", records: Update<F>[], options: Api.AirtableWriteOptions) =>
    inBatches(records, method === "PUT" ? "replaced" : "updated", async (batch) => {
      const body = writeBody(
        batch.map(({ id, fields }) => ({ id, fields })),
        options,
      );
      return (await call<{ records: RecordOf<F>[] }>(fetchFn, method, path, undefined, body)).records;
    });

  function create(fields: Api.AirtableWrite<F>, options?: Api.AirtableWriteOptions): Promise<RecordOf<F>>;
  function create(records: Api.AirtableWrite<F>[], options?: Api.AirtableWriteOptions): Promise<RecordOf<F>[]>;
  async function create(input: Api.AirtableWrite<F> | Api.AirtableWrite<F>[], options: Api.AirtableWriteOptions = {}) {
    if (Array.isArray(input)) return createMany(input, options);
    const [record] = await createMany([input], options);
    return record;
  }

  /** `update` and `replace`: one record (id, fields, options) or many (records, options). */
  function writer(method: "PATCH" | "PUT") {
    function write(id: string, fields: Api.AirtableWrite<F>, options?: Api.AirtableWriteOptions): Promise<RecordOf<F>>;
    function write(records: Update<F>[], options?: Api.AirtableWriteOptions): Promise<RecordOf<F>[]>;
    async function write(
      input: string | Update<F>[],
      fieldsOrOptions?: Api.AirtableWrite<F> | Api.AirtableWriteOptions,
      maybeOptions?: Api.AirtableWriteOptions,
    ) {
      if (Array.isArray(input)) return writeMany(method, input, (fieldsOrOptions ?? {}) as Api.AirtableWriteOptions);
      const fields = (fieldsOrOptions ?? {}) as Api.AirtableWrite<F>;
      const [record] = await writeMany(method, [{ id: input, fields }], maybeOptions ?? {});
      return record;
    }
    return write;
  }

  async function upsert(
    input: Api.AirtableWrite<F> | Api.AirtableWrite<F>[],
    options: Api.AirtableUpsertOptions<F>,
  ): Promise<Api.AirtableUpsertResult<F>> {
    const records = Array.isArray(input) ? input : [input];
    const keys: string[] = options.fieldsToMergeOn;
    // Airtable refuses a record without a key value, but only when its batch is sent: check them all first,
    // so a refusal never leaves half of the records written (keys named by field id are left to Airtable).
    const keyless = records.findIndex((fields) =>
      keys.some((key) => {
        if (FIELD_ID.test(key)) return false;
        const value = (fields as Record<string, unknown>)[key];
        return value === undefined || value === null || value === "";
      }),
    );
    if (keys.length === 0 || keyless >= 0) {
      const which = keys.length === 0 ? "no field was named" : `record ${keyless + 1} has no value for one of them`;
      throw new AirtableError({
        status: 422,
        type: "INVALID_REQUEST_UNKNOWN",
        message: `Every record to upsert needs a value in each of fieldsToMergeOn (${keys.join(", ")}): ${which}. Nothing was written.`,
      });
    }
    const createdRecords: string[] = [];
    const updatedRecords: string[] = [];
    const written = await inBatches(records, "upserted", async (batch) => {
      const body = {
        ...writeBody(
          batch.map((fields) => ({ fields })),
          options,
        ),
        performUpsert: { fieldsToMergeOn: keys },
      };
      const answer = await call<Api.AirtableUpsertResult<F>>(
        fetchFn,
        options.replace ? "PUT" : "PATCH",
        path,
        undefined,
        body,
      );
      createdRecords.push(...answer.createdRecords);
      updatedRecords.push(...answer.updatedRecords);
      return answer.records;
    });
    return { records: written, createdRecords, updatedRecords };
  }

  /** The ids of `batch` still in the table (one list call), or undefined if the table cannot be listed. */
  async function stillThere(batch: string[]): Promise<string[] | undefined> {
    if (!batch.every((id) => /^rec[A-Za-z0-9]+$/.test(id))) return undefined;
    const formula = `OR(${batch.map((id) => `RECORD_ID()='${id}'`).join(",")})`;
    const found = await listAll({ filterByFormula: formula }).catch(() => undefined);
    return found?.map((record) => record.id);
  }

  return {
    get: (id, options = {}) => call<RecordOf<F>>(fetchFn, "GET", `${path}/${enc(id)}`, readQuery(options)),
    list,
    listAll,
    create,
    update: writer("PATCH"),
    replace: writer("PUT"),
    upsert,
    async delete(ids) {
      const remove = (batch: string[]) =>
        call<{ records: { id: string }[] }>(
          fetchFn,
          "DELETE",
          path,
          new URLSearchParams(batch.map((id) => ["records[]", id])),
        );
      await inBatches(Array.isArray(ids) ? ids : [ids], "deleted", async (batch) => {
        try {
          await remove(batch);
        } catch (error) {
          // Some were deleted by an earlier try of this run: delete the rest. None missing: the refusal stands.
          const left = isMissing(error) ? await stillThere(batch) : undefined;
          if (left === undefined || left.length === batch.length) throw error;
          if (left.length > 0) await remove(left);
        }
        return batch;
      });
    },
    comments: (recordId) => commentsClient(fetchFn, `${path}/${enc(recordId)}`),
  };
}

// --- Schema: bases, tables, fields. ---

/** What Airtable's UI picks for the options it requires when a field is created. */
const DEFAULT_OPTIONS: Readonly<Record<string, object>> = {
  number: { precision: 0 },
  percent: { precision: 0 },
  currency: { precision: 2, symbol: "$" },
  checkbox: { icon: "check", color: "greenBright" },
  singleSelect: { choices: [] },
  multipleSelects: { choices: [] },
  date: { dateFormat: { name: "iso" } },
  dateTime: { dateFormat: { name: "iso" }, timeFormat: { name: "24hour" }, timeZone: "utc" },
  duration: { durationFormat: "h:mm" },
  rating: { max: 5, icon: "star", color: "yellowBright" },
  multipleAttachments: { isReversed: false },
};

function fieldBody(field: Api.AirtableFieldSpec): Record<string, unknown> {
  const options = "options" in field && field.options ? field.options : DEFAULT_OPTIONS[field.type];
  return { ...field, ...(options ? { options } : {}) };
}

function tableBody(table: Api.AirtableTableSpec): Record<string, unknown> {
  return { ...table, fields: table.fields.map(fieldBody) };
}

/** By id, exact name, or name in any case (Airtable keeps names unique regardless of case). */
function byIdOrName<T extends { id: string; name: string }>(items: T[], idOrName: string): T | undefined {
  const lower = idOrName.toLowerCase();
  return (
    items.find((item) => item.id === idOrName || item.name === idOrName) ??
    items.find((item) => item.name.toLowerCase() === lower)
  );
}

function notFound(type: string, message: string): AirtableError {
  return new AirtableError({ status: 404, type, message });
}

function tablesClient(fetchFn: Fetch, baseId: string): Api.AirtableTables {
  const path = `/meta/bases/${enc(baseId)}/tables`;
  const list: Api.AirtableTables["list"] = async (options = {}) => {
    const query = new URLSearchParams(options.visibleFieldIds ? [["include[]", "visibleFieldIds"]] : []);
    return (await call<{ tables: Api.AirtableTableSchema[] }>(fetchFn, "GET", path, query)).tables;
  };
  const find = async (idOrName: string) => byIdOrName(await list(), idOrName);
  const create = (table: Api.AirtableTableSpec) =>
    call<Api.AirtableTableSchema>(fetchFn, "POST", path, undefined, tableBody(table));

  /** The spec's fields the table lacks, created; the table as it is then. */
  async function withFields(table: Api.AirtableTableSchema, spec: Api.AirtableTableSpec) {
    const added: Api.AirtableFieldSchema[] = [];
    for (const field of spec.fields)
      if (!byIdOrName(table.fields, field.name))
        added.push(await fieldsClient(fetchFn, baseId, table.id, table).ensure(field));
    return added.length === 0 ? table : { ...table, fields: [...table.fields, ...added] };
  }

  return {
    list,
    find,
    create,
    async ensure(spec) {
      const existing = await find(spec.name);
      if (existing) return withFields(existing, spec);
      try {
        return await create(spec);
      } catch (error) {
        // Created meanwhile (or by an earlier try whose answer was lost): use it.
        const raced = isType(error, "DUPLICATE_TABLE_NAME") ? await find(spec.name) : undefined;
        if (!raced) throw error;
        return withFields(raced, spec);
      }
    },
    async update(tableIdOrName, changes) {
      try {
        return await call<Api.AirtableTableSchema>(
          fetchFn,
          "PATCH",
          `${path}/${enc(tableIdOrName)}`,
          undefined,
          changes,
        );
      } catch (error) {
        // A rename by name that an earlier try already made: the old name is gone and a table has the new one.
        const byName = !TABLE_ID.test(tableIdOrName) && changes.name !== undefined;
        const tables = isMissing(error) && byName ? await list() : [];
        const renamed = tables.find((table) => table.name === changes.name);
        if (!renamed || byIdOrName(tables, tableIdOrName)) throw error;
        return renamed;
      }
    },
  };
}

/** A table's fields; `known`: its schema, just read (used once, then read again). */
function fieldsClient(
  fetchFn: Fetch,
  baseId: string,
  tableIdOrName: string,
  known?: Api.AirtableTableSchema,
): Api.AirtableTableFields {
  let fresh = known;
  const schema = async () => {
    const table = fresh;
    fresh = undefined;
    if (table) return table;
    const tables = await tablesClient(fetchFn, baseId).list();
    const found = byIdOrName(tables, tableIdOrName);
    if (found) return found;
    throw notFound(
      "TABLE_NOT_FOUND",
      `Base ${baseId} has no table "${tableIdOrName}" (its tables: ${tables.map((t) => t.name).join(", ") || "none"}). Check the name, or create it with airtable.tables(baseId).ensure(…).`,
    );
  };
  const path = (tableId: string) => `/meta/bases/${enc(baseId)}/tables/${enc(tableId)}/fields`;
  const create = async (field: Api.AirtableFieldSpec, table?: Api.AirtableTableSchema) => {
    const tableId = table?.id ?? (TABLE_ID.test(tableIdOrName) ? tableIdOrName : (await schema()).id);
    return call<Api.AirtableFieldSchema>(fetchFn, "POST", path(tableId), undefined, fieldBody(field));
  };
  return {
    list: async () => (await schema()).fields,
    create: (field) => create(field),
    async ensure(field) {
      const table = await schema();
      const existing = byIdOrName(table.fields, field.name);
      if (existing) return existing;
      try {
        return await create(field, table);
      } catch (error) {
        const raced = isType(error, "DUPLICATE_OR_EMPTY_FIELD_NAME")
          ? byIdOrName((await schema()).fields, field.name)
          : undefined;
        if (!raced) throw error;
        return raced;
      }
    },
    async update(fieldIdOrName, changes) {
      const table = await schema();
      const field = byIdOrName(table.fields, fieldIdOrName);
      if (field)
        return call<Api.AirtableFieldSchema>(
          fetchFn,
          "PATCH",
          `${path(table.id)}/${enc(field.id)}`,
          undefined,
          changes,
        );
      // A rename by name that an earlier try already made: the old name is gone, the new one is there.
      const byName = !FIELD_ID.test(fieldIdOrName) && changes.name !== undefined;
      const renamed = byName ? table.fields.find((f) => f.name === changes.name) : undefined;
      if (renamed) return renamed;
      throw notFound(
        "FIELD_NOT_FOUND",
        `Table "${table.name}" has no field "${fieldIdOrName}" (its fields: ${table.fields.map((f) => f.name).join(", ")}).`,
      );
    },
  };
}

function basesClient(fetchFn: Fetch): Api.AirtableBases {
  const list = async () => {
    const bases: Api.AirtableBase[] = [];
    let offset: string | undefined;
    do {
      const query = new URLSearchParams(offset === undefined ? {} : { offset });
      const page = await call<{ bases: Api.AirtableBase[]; offset?: string }>(fetchFn, "GET", "/meta/bases", query);
      bases.push(...page.bases);
      offset = page.offset;
    } while (offset !== undefined);
    return bases;
  };
  const create = (base: Api.AirtableBaseSpec) =>
    call<Api.AirtableBaseSchema>(fetchFn, "POST", "/meta/bases", undefined, {
      ...base,
      tables: base.tables.map(tableBody),
    });
  return {
    list,
    create,
    async ensure(spec) {
      const existing = (await list()).find((base) => base.name === spec.name);
      if (!existing) return create(spec);
      const tables = tablesClient(fetchFn, existing.id);
      for (const table of spec.tables) await tables.ensure(table);
      return { id: existing.id, tables: await tables.list() };
    },
  };
}

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
