// The loopback fake of Airtable's Web API (tests and demo mode), run by Node.
// Same paths, query encoding, JSON and errors as https://api.airtable.com for
// what the Kiln client uses; state lives in memory. Control routes: ../README.md.
import type { FakeUpstream } from "../../types.ts";
import { AIRTABLE_FAKE_SCOPES, AIRTABLE_FAKE_TOKEN, AIRTABLE_FAKE_USER_ID } from "./credentials.ts";
import { json, listen, type FakeRequest, type FakeResponse } from "../../testing/fake-http.ts";
import { demoCrm, type SeedTable } from "./seed.ts";
import { ApiError, AirtableStore, apiError, type ListParams, type SortSpec } from "./store.ts";

const MAX_BATCH = 10;
const INVALID_REQUEST = () =>
  apiError(422, "INVALID_REQUEST_UNKNOWN", "Invalid request: parameter validation failed. Check your request data.");

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

function positiveInteger(value: string | null, max: number): number | undefined {
  if (value === null) return undefined;
  const number = Number(value);
  if (!Number.isInteger(number) || number < 1 || number > max) throw INVALID_REQUEST();
  return number;
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
    filterByFormula: query.get("filterByFormula") ?? undefined,
    sort,
    view: query.get("view") ?? undefined,
    fields: fields.length > 0 ? fields : undefined,
    maxRecords: positiveInteger(query.get("maxRecords"), Number.MAX_SAFE_INTEGER),
    pageSize: positiveInteger(query.get("pageSize"), 100) ?? 100,
    offset: query.get("offset") ?? undefined,
  };
}

function recordsArray(body: Record<string, unknown>, verb: string): unknown[] {
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

/** Routes of the Web API proper (after the token check). */
function api(store: AirtableStore, request: FakeRequest): FakeResponse {
  const { method } = request;
  const parts = request.url.pathname.split("/").slice(1).map(decodeURIComponent);
  if (parts[0] !== "v0") throw new ApiError(404, { error: "NOT_FOUND" });

  if (parts[1] === "meta") {
    if (method === "GET" && parts[2] === "whoami" && parts.length === 3)
      return json(200, { id: AIRTABLE_FAKE_USER_ID, scopes: AIRTABLE_FAKE_SCOPES });
    if (parts[2] === "bases" && parts.length === 3) {
      if (method === "GET") return json(200, { bases: store.listBases() });
      if (method === "POST") {
        const body = jsonBody(request);
        if (typeof body.workspaceId !== "string")
          throw apiError(
            422,
            "INVALID_REQUEST_MISSING_FIELDS",
            'Could not find field "workspaceId" in the request body',
          );
        const tables = (Array.isArray(body.tables) ? body.tables : []) as SeedTable[];
        const base = store.addBase({
          name: String(body.name ?? ""),
          tables: tables.map(({ name, description, fields }) => ({
            name,
            description,
            fields: Array.isArray(fields) ? fields : [],
          })),
        });
        return json(200, { id: base.id, tables: base.tables.map((table) => store.schema(table)) });
      }
    }
    if (method === "GET" && parts[2] === "bases" && parts[4] === "tables" && parts.length === 5) {
      return json(200, { tables: store.base(parts[3]).tables.map((table) => store.schema(table)) });
    }
    throw new ApiError(404, { error: "NOT_FOUND" });
  }

  if (parts.length === 3) {
    const table = store.table(parts[1], parts[2]);
    if (method === "GET") return json(200, store.listRecords(table, listParams(request.url.searchParams)));
    if (method === "POST") {
      const body = jsonBody(request);
      const typecast = body.typecast === true;
      if (body.records === undefined && body.fields !== undefined)
        return json(200, store.createRecords(table, [body.fields], typecast)[0]);
      const records = recordsArray(body, "created") as { fields?: unknown }[];
      return json(200, {
        records: store.createRecords(
          table,
          records.map((record) => record?.fields),
          typecast,
        ),
      });
    }
    if (method === "PATCH") {
      const body = jsonBody(request);
      const records = recordsArray(body, "updated") as { id?: unknown; fields?: unknown }[];
      return json(200, { records: store.updateRecords(table, records, body.typecast === true) });
    }
    if (method === "DELETE") {
      const ids = request.url.searchParams.getAll("records[]");
      if (ids.length === 0 || ids.length > MAX_BATCH)
        throw apiError(422, "INVALID_RECORDS", `"records" must be an array of up to ${MAX_BATCH} record IDs.`);
      return json(200, { records: store.deleteRecords(table, ids) });
    }
  }

  if (parts.length === 4) {
    const table = store.table(parts[1], parts[2]);
    const id = parts[3];
    if (method === "GET") return json(200, store.getRecord(table, id));
    if (method === "PATCH") {
      const body = jsonBody(request);
      return json(200, store.updateRecords(table, [{ id, fields: body.fields }], body.typecast === true)[0]);
    }
    if (method === "DELETE") return json(200, store.deleteRecords(table, [id])[0]);
  }
  throw new ApiError(404, { error: "NOT_FOUND" });
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
