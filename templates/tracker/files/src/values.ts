// Turns what a visitor sent (a form or JSON) into column values, checked against the fields.
import { fields, type Field } from "./fields";

/** A value a tracked column holds. */
export type CellValue = string | number | boolean | null;

/** A submitted entry was not acceptable; the message says which field and why. */
export class EntryError extends Error {
  readonly name = "EntryError";
}

function parseOne(field: Field, raw: unknown): CellValue {
  if (raw === undefined || raw === null || raw === "") {
    if (field.kind === "boolean") return false;
    if (field.required) throw new EntryError(`${field.label} is required.`);
    return null;
  }
  if (field.kind === "boolean") return raw === true || raw === "true" || raw === "on" || raw === "1";
  if (field.kind === "number") {
    const value = typeof raw === "number" ? raw : Number(String(raw));
    if (!Number.isFinite(value)) throw new EntryError(`${field.label} must be a number.`);
    return value;
  }
  const text = String(raw).trim();
  if (field.kind === "date" && !/^\d{4}-\d{2}-\d{2}/.test(text)) throw new EntryError(`${field.label} must be a date like 2025-06-01.`);
  if (text.length > 2000) throw new EntryError(`${field.label} is too long (2000 characters at most).`);
  if (field.required && text === "") throw new EntryError(`${field.label} is required.`);
  return text;
}

/**
 * Values for every field (`partial`: only the fields present, for an update).
 * Unknown keys are ignored so a form's extra inputs do no harm.
 */
export function readEntry(input: Record<string, unknown>, partial: boolean): Record<string, CellValue> {
  const values: Record<string, CellValue> = {};
  for (const field of fields) {
    if (partial && !(field.name in input)) continue;
    values[field.name] = parseOne(field, input[field.name]);
  }
  return values;
}

/** A cell as text for the page. */
export function showCell(field: Field, value: unknown): string {
  if (value === null || value === undefined) return "";
  if (field.kind === "boolean") return value === true || value === 1 ? "✓" : "";
  return String(value);
}
