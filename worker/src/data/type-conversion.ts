import type { ColumnType, JsonValue } from "../../sdk/kiln/index";
import { decodeValue, encodeValue, isIsoDateTime, type StoredValue } from "./column-values";

/** Result of converting one stored value to a new column type; `null` means it cannot be converted. */
export type Conversion = { value: StoredValue } | null;

/**
 * Converts a value stored under `from` into what a column of type `to` stores, without guessing:
 * "42" → 42, 1 → true, 3.5 → "3.5"; "abc" → number is refused (null) and the caller empties it
 * (the original is kept in the retype backup table).
 */
export function convertStoredValue(stored: SqlStorageValue, from: ColumnType, to: ColumnType): Conversion {
  if (stored === null) return { value: null };
  if (stored instanceof ArrayBuffer) return null;
  if (from === to) return { value: stored };
  const converted = convertAppValue(decodeValue(from, stored), to);
  return converted === undefined ? null : { value: encodeValue(to, converted) };
}

function convertAppValue(value: JsonValue, to: ColumnType): JsonValue | undefined {
  switch (to) {
    case "text":
      return typeof value === "string"
        ? value
        : typeof value === "number" || typeof value === "boolean"
          ? String(value)
          : JSON.stringify(value);
    case "integer": {
      const number = toNumber(value);
      return number !== undefined && Number.isSafeInteger(number) ? number : undefined;
    }
    case "number":
      return toNumber(value);
    case "boolean":
      return toBoolean(value);
    case "json":
      return typeof value === "string" ? parseStructuredJson(value) : value;
    case "datetime":
      return typeof value === "string" && isIsoDateTime(value.trim()) ? value.trim() : undefined;
  }
}

function toNumber(value: JsonValue): number | undefined {
  if (typeof value === "number") return Number.isFinite(value) ? value : undefined;
  if (typeof value === "boolean") return value ? 1 : 0;
  if (typeof value !== "string" || value.trim() === "") return undefined;
  const number = Number(value.trim());
  return Number.isFinite(number) ? number : undefined;
}

function toBoolean(value: JsonValue): boolean | undefined {
  if (typeof value === "boolean") return value;
  if (value === 1 || value === 0) return value === 1;
  if (typeof value !== "string") return undefined;
  const word = value.trim().toLowerCase();
  if (["true", "1", "yes"].includes(word)) return true;
  if (["false", "0", "no"].includes(word)) return false;
  return undefined;
}

/** Text that holds a JSON object or list becomes that structure; any other text stays a JSON string. */
function parseStructuredJson(text: string): JsonValue {
  const trimmed = text.trim();
  if (trimmed.startsWith("{") || trimmed.startsWith("[")) {
    try {
      return JSON.parse(trimmed) as JsonValue;
    } catch {
      return text;
    }
  }
  return text;
}
