// The loopback fake of Airtable's Web API (tests and demo mode), run by Node.
// Same paths, query encoding, JSON and errors as https://api.airtable.com for
// what the Kiln client uses; state lives in memory. Control routes: ../README.md.
import type { FakeUpstream } from "../../types.ts";
import { AIRTABLE_FAKE_SCOPES, AIRTABLE_FAKE_TOKEN, AIRTABLE_FAKE_USER_ID } from "./credentials.ts";
import { json, listen, type FakeRequest, type FakeResponse } from "../../testing/fake-http.ts";
import { NOT_FOUND } from "./errors.ts";
import { INVALID_REQUEST } from "./schema.ts";
import { demoCrm, type SeedTable } from "./seed.ts";
import { ApiError, AirtableStore, apiError, type ListParams, type ReadParams, type SortSpec } from "./store.ts";

const MAX_BATCH = 10;

function freshStore(): AirtableStore {
  const store = new AirtableStore();
  store.addBase(demoCrm);
  return store;
}

function jsonBody(request: FakeRequest): Record<string, unknown> {
  if (!(request.headers["content-type"] ?? "").includes("application/json")) throw INVALID_REQUEST();
  try {
    const body = JSON.parse(request.body) as unknown;
    if (typeof body === "object" && body !== null && !Array.isArray(body)) return body as Record<string, unknown>;
  } catch {
    // fall through to Airtable's answer for a body it cannot parse
  }
  throw apiError(400, "INVALID_REQUEST_BODY", "Could not parse request body");
}

function positiveInteger(value: unknown, max: number): number | undefined {
  if (value === null || value === undefined) return undefined;
  const number = Number(value);
  if (!Number.isInteger(number) || number < 1 || number > max) throw INVALID_REQUEST();
  return number;
}

const truthy = (value: unknown) => value === true || value === "true" || value === "1";

/** `cellFormat`, `timeZone`, `userLocale`, `returnFieldsByFieldId`, `recordMetadata`: from a query or a body. */
function readParams(get: (name: string) => unknown, metadata: unknown[]): ReadParams {
  const cellFormat = get("cellFormat") ?? "json";
  if (cellFormat !== "json" && cellFormat !== "string") throw INVALID_REQUEST();
  // Airtable needs both to write cells as text.
  if (cellFormat === "string" && (!get("timeZone") || !get("userLocale"))) throw INVALID_REQUEST();
  if (metadata.some((item) => item !== "commentCount")) throw INVALID_REQUEST();
  return { cellFormat, byFieldId: truthy(get("returnFieldsByFieldId")), commentCount: metadata.length > 0 };
}

function queryReadParams(query: URLSearchParams): ReadParams {
  return readParams((name) => query.get(name) ?? undefined, query.getAll("recordMetadata[]"));
}

/** Airtable's list parameters from `fields[]`, `sort[0][field]`, `pageSize`, … */
function listParams(query: URLSearchParams): ListParams {
  const sort: SortSpec[] = [];
  for (let index = 0; query.has(`sort[${index}][field]`); index += 1) {
    const direction = query.get(`sort[${index}][direction]`) ?? "asc";
    if (direction !== "asc" && direction !== "desc") throw INVALID_REQUEST();
    sort.push({ field: query.get(`sort[${index}][field]`) as string, direction });
  }
  const fields = query.getAll("fields[]");
  return {
    ...queryReadParams(query),
    filterByFormula: query.get("filterByFormula") ?? undefined,
    sort,
    view: query.get("view") ?? undefined,
    fields: fields.length > 0 ? fields : undefined,
    maxRecords: positiveInteger(query.get("maxRecords"), Number.MAX_SAFE_INTEGER),
    pageSize: positiveInteger(query.get("pageSize"), 100) ?? 100,
    offset: query.get("offset") ?? undefined,
  };
}

/** The same parameters from the body of `POST …/listRecords` (time zone and locale stay in the query). */
function bodyListParams(body: Record<string, unknown>, query: URLSearchParams): ListParams {
  const sort = body.sort ?? [];
  if (!Array.isArray(sort)) throw INVALID_REQUEST();
  const fields = body.fields;
  if (fields !== undefined && (!Array.isArray(fields) || fields.some((f) => typeof f !== "string")))
    throw INVALID_REQUEST();
  const text = (value: unknown) => {
    if (value !== undefined && typeof value !== "string") throw INVALID_REQUEST();
    return value;
  };
  const metadata = body.recordMetadata ?? [];
  if (!Array.isArray(metadata)) throw INVALID_REQUEST();
  return {
    ...readParams(
      (name) => (name === "timeZone" || name === "userLocale" ? query.get(name) : body[name]) ?? undefined,
      metadata,
    ),
    filterByFormula: text(body.filterByFormula),
    sort: sort.map((spec: { field?: unknown; direction?: unknown }) => {
      const direction = spec?.direction ?? "asc";
      if (typeof spec?.field !== "string" || (direction !== "asc" && direction !== "desc")) throw INVALID_REQUEST();
      return { field: spec.field, direction };
    }),
    view: text(body.view),
    fields: fields as string[] | undefined,
    maxRecords: positiveInteger(body.maxRecords, Number.MAX_SAFE_INTEGER),
    pageSize: positiveInteger(body.pageSize, 100) ?? 100,
    offset: text(body.offset),
  };
}

/** `returnFieldsByFieldId` of a write body. */
const writeRead = (body: Record<string, unknown>): ReadParams => ({
  cellFormat: "json",
  byFieldId: body.returnFieldsByFieldId === true,
  commentCount: false,
});

function recordsArray(body: Record<string, unknown>, verb: string): { id?: unknown; fields?: unknown }[] {
  const records = body.records;
  if (!Array.isArray(records) || records.length === 0)
    throw apiError(422, "INVALID_RECORDS", `"records" must be a non-empty array of records to be ${verb}.`);
  if (records.length > MAX_BATCH) {
    throw apiError(
      422,
      "INVALID_RECORDS",
      `A maximum of ${MAX_BATCH} records can be ${verb} per request but you have provided ${records.length}.`,
    );
  }
  return records;
}

/** `/v0/meta/…`: the user, bases, and their tables and fields. */
function meta(store: AirtableStore, request: FakeRequest, parts: string[]): FakeResponse {
  const { method } = request;
  // parts: ["meta", …]
  if (method === "GET" && parts[1] === "whoami" && parts.length === 2)
    return json(200, { id: AIRTABLE_FAKE_USER_ID, scopes: AIRTABLE_FAKE_SCOPES });
  if (parts[1] !== "bases") throw NOT_FOUND();
  if (parts.length === 2) {
    if (method === "GET") return json(200, { bases: store.listBases() });
    if (method === "POST") {
      const body = jsonBody(request);
      if (typeof body.workspaceId !== "string")
        throw apiError(422, "INVALID_REQUEST_MISSING_FIELDS", 'Could not find field "workspaceId" in the request body');
      const tables = (Array.isArray(body.tables) ? body.tables : []) as SeedTable[];
      const base = store.addBase({
        name: body.name as string,
        tables: tables.map((table) => ({ name: table?.name, description: table?.description, fields: table?.fields })),
      });
      return json(200, { id: base.id, tables: base.tables.map((table) => store.schema(table)) });
    }
    throw NOT_FOUND();
  }
  const [, , baseId, tablesSegment, tableId, fieldsSegment, fieldId] = parts;
  if (tablesSegment !== "tables") throw NOT_FOUND();
  if (parts.length === 4) {
    if (method === "GET") {
      const include = request.url.searchParams.getAll("include[]");
      if (include.some((item) => item !== "visibleFieldIds")) throw INVALID_REQUEST();
      const visibleFieldIds = include.length > 0;
      return json(200, { tables: store.base(baseId).tables.map((table) => store.schema(table, { visibleFieldIds })) });
    }
    if (method === "POST") return json(200, store.createTable(baseId, jsonBody(request)));
  }
  if (parts.length === 5 && method === "PATCH") return json(200, store.updateTable(baseId, tableId, jsonBody(request)));
  if (fieldsSegment === "fields") {
    if (parts.length === 6 && method === "POST")
      return json(200, store.createField(baseId, tableId, jsonBody(request)));
    if (parts.length === 7 && method === "PATCH")
      return json(200, store.updateField(baseId, tableId, fieldId, jsonBody(request)));
  }
  throw NOT_FOUND();
}

/** Routes of the Web API proper (after the token check). */
function api(store: AirtableStore, request: FakeRequest): FakeResponse {
  const { method } = request;
  const parts = request.url.pathname.split("/").slice(1).map(decodeURIComponent);
  if (parts[0] !== "v0") throw NOT_FOUND();
  if (parts[1] === "meta") return meta(store, request, parts.slice(1));
  if (parts.length < 3) throw NOT_FOUND();
  const base = store.base(parts[1]);
  const table = store.table(parts[1], parts[2]);
  const query = request.url.searchParams;

  if (parts.length === 3) {
    if (method === "GET") return json(200, store.listRecords(table, listParams(query)));
    if (method === "POST") {
      const body = jsonBody(request);
      const typecast = body.typecast === true;
      if (body.records === undefined && body.fields !== undefined)
        return json(200, store.createRecords(base, table, [body.fields], typecast, writeRead(body))[0]);
      const records = recordsArray(body, "created");
      const fields = records.map((record) => record?.fields);
      return json(200, { records: store.createRecords(base, table, fields, typecast, writeRead(body)) });
    }
    if (method === "PATCH" || method === "PUT") {
      const body = jsonBody(request);
      const records = recordsArray(body, "updated");
      const replace = method === "PUT";
      const typecast = body.typecast === true;
      if (body.performUpsert !== undefined) {
        const upsert = body.performUpsert as { fieldsToMergeOn?: unknown } | null;
        if (typeof upsert !== "object" || upsert === null) throw INVALID_REQUEST();
        return json(
          200,
          store.upsertRecords(base, table, records, upsert.fieldsToMergeOn, typecast, replace, writeRead(body)),
        );
      }
      return json(200, { records: store.updateRecords(base, table, records, typecast, replace, writeRead(body)) });
    }
    if (method === "DELETE") {
      const ids = query.getAll("records[]");
      if (ids.length === 0 || ids.length > MAX_BATCH)
        throw apiError(422, "INVALID_RECORDS", `"records" must be an array of up to ${MAX_BATCH} record IDs.`);
      return json(200, { records: store.deleteRecords(table, ids) });
    }
  }

  if (parts.length === 4 && parts[3] === "listRecords" && method === "POST")
    return json(200, store.listRecords(table, bodyListParams(jsonBody(request), query)));

  if (parts.length === 4) {
    const id = parts[3];
    if (method === "GET") return json(200, store.getRecord(table, id, queryReadParams(query)));
    if (method === "PATCH" || method === "PUT") {
      const body = jsonBody(request);
      const update = { id, fields: body.fields };
      const [record] = store.updateRecords(
        base,
        table,
        [update],
        body.typecast === true,
        method === "PUT",
        writeRead(body),
      );
      return json(200, record);
    }
    if (method === "DELETE") return json(200, store.deleteRecords(table, [id])[0]);
  }

  if (parts[4] === "comments") {
    const recordId = parts[3];
    if (parts.length === 5 && method === "GET") {
      const pageSize = positiveInteger(query.get("pageSize"), 100) ?? 100;
      return json(200, store.listComments(table, recordId, pageSize, query.get("offset") ?? undefined));
    }
    if (parts.length === 5 && method === "POST")
      return json(200, store.createComment(table, recordId, jsonBody(request)));
    if (parts.length === 6 && method === "PATCH")
      return json(200, store.updateComment(table, recordId, parts[5], jsonBody(request)));
    if (parts.length === 6 && method === "DELETE") return json(200, store.deleteComment(table, recordId, parts[5]));
  }
  throw NOT_FOUND();
}

/** Starts the Airtable fake on 127.0.0.1 (port 0: a free port). */
export async function startFake(options: { port?: number } = {}): Promise<FakeUpstream> {
  let store = freshStore();
  // Rate limiting on demand: the next `remaining` API calls (for one base, or any) get Airtable's 429.
  let rateLimit: { remaining: number; baseId?: string } = { remaining: 0 };

  const handle = (request: FakeRequest): FakeResponse => {
    const path = request.url.pathname;
    if (path === "/__fake/reset" && request.method === "POST") {
      store = freshStore();
      rateLimit = { remaining: 0 };
      return { status: 204 };
    }
    if (path === "/__fake/rate-limit" && request.method === "POST") {
      const body = JSON.parse(request.body || "{}") as { requests?: number; baseId?: string };
      rateLimit = { remaining: body.requests ?? 1, baseId: body.baseId };
      return { status: 204 };
    }
    if (path.startsWith("/__fake/")) return json(404, { error: "NOT_FOUND" });

    if (request.headers.authorization !== `Bearer ${AIRTABLE_FAKE_TOKEN}`) {
      return json(401, { error: { type: "AUTHENTICATION_REQUIRED", message: "Authentication required" } });
    }
    const baseId = path.split("/")[2];
    if (rateLimit.remaining > 0 && (rateLimit.baseId === undefined || rateLimit.baseId === baseId)) {
      rateLimit.remaining -= 1;
      return json(429, {
        errors: [{ error: "RATE_LIMIT_REACHED", message: "Rate limit exceeded. Please try again later" }],
      });
    }
    try {
      return api(store, request);
    } catch (error) {
      if (error instanceof ApiError) return json(error.status, error.body);
      throw error;
    }
  };

  const server = await listen(handle, {
    port: options.port,
    serverError: (error) => json(500, { error: { type: "SERVER_ERROR", message: String(error) } }),
  });
  return { url: server.url, vars: { AIRTABLE_API_BASE: server.url }, close: server.close };
}
