// A table's records: the `airtable.table(baseId, table)` handle. Lists page by
// page; many-record writes go 10 records a call, saying how far they got on a
// failure; `upsert` is the retry-safe write, and deletes count "already gone" as done.
import { AirtableError, withProgress } from "./airtable-error";
import { commentsClient } from "./comments";
import type * as Api from "./index";
import { listBody, listQuery, readQuery } from "./record-query";
import { API, call, enc, type Fetch, isMissing } from "./request";
import { FIELD_ID } from "./schema";

/** Airtable refuses more than 10 records in one create, update or delete. */
const BATCH_SIZE = 10;
/** Airtable refuses URLs of 16,000 characters or more; a longer list is sent as `POST …/listRecords`. */
const MAX_URL_LENGTH = 15_000;

function chunks<T>(items: T[]): T[][] {
  const out: T[][] = [];
  for (let i = 0; i < items.length; i += BATCH_SIZE) out.push(items.slice(i, i + BATCH_SIZE));
  return out;
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

/** The records of one table, named by id or name; `F` types their fields. */
export function tableClient<F extends object>(
  fetchFn: Fetch,
  baseId: string,
  tableIdOrName: string,
): Api.AirtableTable<F> {
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
