// Tables and fields of the Airtable fake (`/v0/meta/bases/{baseId}/tables…`):
// a table made from Airtable's write format (or a seed with rows), its read
// format, and renaming or describing tables and fields, names unique ignoring case.
import { apiError, NOT_FOUND_MODEL, newId } from "./errors.ts";
import { createRecords } from "./records.ts";
import { checkDescription, checkName, type Field, INVALID_REQUEST, makeField } from "./schema.ts";
import type { SeedTable } from "./seed.ts";
import { type Base, isObject, type Table } from "./state.ts";

/** A table from Airtable's write format; a seed may also give its id, views and rows. */
export function makeTable(base: Base, spec: unknown): Table {
  if (!isObject(spec)) throw INVALID_REQUEST();
  const seed = spec as Partial<SeedTable>;
  const name = checkName(seed.name);
  if (base.tables.some((table) => table.name.toLowerCase() === name.toLowerCase()))
    throw apiError(
      422,
      "DUPLICATE_TABLE_NAME",
      `A table named "${name}" already exists in this base. Table names must be unique (ignoring case).`,
    );
  if (!Array.isArray(seed.fields) || seed.fields.length === 0) throw INVALID_REQUEST();
  const tableIds = new Set(base.tables.map((table) => table.id));
  const fields: Field[] = [];
  for (const field of seed.fields)
    fields.push(
      makeField(
        field,
        fields.map((f) => f.name),
        tableIds,
        { primary: fields.length === 0 },
      ),
    );
  const description = checkDescription(seed.description);
  const table: Table = {
    id: seed.id ?? newId("tbl"),
    name,
    ...(description ? { description } : {}),
    fields,
    views: (seed.views ?? [{ name: "Grid view" }]).map((view) => ({
      ...view,
      id: newId("viw"),
      type: "grid" as const,
    })),
    records: new Map(),
    comments: new Map(),
  };
  for (const row of seed.rows ?? []) createRecords(base, table, [row], false);
  return table;
}

/** A table in the shape of `GET /v0/meta/bases/{baseId}/tables`. */
export function tableSchema(table: Table, options: { visibleFieldIds?: boolean } = {}): unknown {
  return {
    id: table.id,
    name: table.name,
    ...(table.description ? { description: table.description } : {}),
    primaryFieldId: table.fields[0].id,
    fields: table.fields.map((field) => ({ ...field })),
    views: table.views.map(({ id, name, type }) => ({
      id,
      name,
      type,
      ...(options.visibleFieldIds ? { visibleFieldIds: table.fields.map((field) => field.id) } : {}),
    })),
  };
}

/** `POST /v0/meta/bases/{baseId}/tables`. */
export function createTable(base: Base, body: Record<string, unknown>): unknown {
  const table = makeTable(base, { name: body.name, description: body.description, fields: body.fields });
  base.tables.push(table);
  return tableSchema(table);
}

/** `PATCH /v0/meta/bases/{baseId}/tables/{tableIdOrName}`: a new name and/or description. */
export function updateTable(base: Base, table: Table, body: Record<string, unknown>): unknown {
  const keys = Object.keys(body);
  if (keys.length === 0 || keys.some((key) => key !== "name" && key !== "description")) throw INVALID_REQUEST();
  const description = checkDescription(body.description);
  if (body.name !== undefined) {
    const name = checkName(body.name);
    const clash = base.tables.find((other) => other !== table && other.name.toLowerCase() === name.toLowerCase());
    if (clash)
      throw apiError(
        422,
        "DUPLICATE_TABLE_NAME",
        `A table named "${clash.name}" already exists in this base. Table names must be unique (ignoring case).`,
      );
    table.name = name;
  }
  if (description !== undefined) table.description = description;
  return tableSchema(table);
}

/** `POST /v0/meta/bases/{baseId}/tables/{tableId}/fields`. */
export function createField(base: Base, table: Table, body: Record<string, unknown>): Field {
  const tableIds = new Set(base.tables.map((t) => t.id));
  const field = makeField(
    body,
    table.fields.map((f) => f.name),
    tableIds,
  );
  table.fields.push(field);
  return { ...field };
}

/** `PATCH /v0/meta/bases/{baseId}/tables/{tableId}/fields/{fieldId}`: a new name and/or description only. */
export function updateField(table: Table, fieldId: string, body: Record<string, unknown>): Field {
  const field = table.fields.find((candidate) => candidate.id === fieldId);
  if (!field) throw NOT_FOUND_MODEL();
  const keys = Object.keys(body);
  if (keys.length === 0 || keys.some((key) => key !== "name" && key !== "description")) throw INVALID_REQUEST();
  const description = checkDescription(body.description);
  if (body.name !== undefined) {
    const name = typeof body.name === "string" ? body.name : "";
    if (
      name.trim() === "" ||
      table.fields.some((other) => other !== field && other.name.toLowerCase() === name.toLowerCase())
    )
      throw apiError(
        422,
        "DUPLICATE_OR_EMPTY_FIELD_NAME",
        name.trim() === ""
          ? "A field name cannot be empty."
          : `A field named "${name}" already exists in this table. Field names must be unique (ignoring case).`,
      );
    field.name = name;
  }
  if (description !== undefined) field.description = description;
  return { ...field };
}
