// The schema API: bases (`airtable.bases`), tables (`airtable.tables(baseId)`)
// and fields (`airtable.fields(baseId, table)`). Each `ensure` looks first,
// creates only what is missing and takes a "duplicate" refusal as "already
// there"; a rename an earlier try already made counts as done.
import { AirtableError } from "./airtable-error";
import type * as Api from "./index";
import { call, enc, type Fetch, isMissing, isType } from "./request";

const TABLE_ID = /^tbl[A-Za-z0-9]{14}$/;
/** A field named by id ("fld…" and 14 characters) rather than by name. */
export const FIELD_ID = /^fld[A-Za-z0-9]{14}$/;

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

/** The tables of one base: list, find, create, `ensure`, rename. */
export function tablesClient(fetchFn: Fetch, baseId: string): Api.AirtableTables {
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
export function fieldsClient(
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

/** The bases the connected token can see: list, create, `ensure`. */
export function basesClient(fetchFn: Fetch): Api.AirtableBases {
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
