/** Kinds of records that get a prefixed random id, so an id says what it names. */
export type IdKind = "usr" | "ses" | "tok" | "app" | "req" | "whk" | "run" | "hook";

/** A random, URL-safe id such as `app_4f9c2a7e1b3d5c60`. */
export function newId(kind: IdKind): string {
  const bytes = crypto.getRandomValues(new Uint8Array(10));
  return `${kind}_${toHex(bytes)}`;
}

/** A random secret of `byteLength` bytes, hex encoded (for cookies and bearer tokens). */
export function newSecret(byteLength = 32): string {
  return toHex(crypto.getRandomValues(new Uint8Array(byteLength)));
}

/** SHA-256 of a string, hex encoded; how session cookies and tokens are stored. */
export async function sha256Hex(text: string): Promise<string> {
  const digest = await crypto.subtle.digest("SHA-256", new TextEncoder().encode(text));
  return toHex(new Uint8Array(digest));
}

/** Lower-case hex of bytes. */
export function toHex(bytes: Uint8Array): string {
  let out = "";
  for (const b of bytes) out += b.toString(16).padStart(2, "0");
  return out;
}

/** The current time as the ISO string stored in D1. */
export function nowIso(): string {
  return new Date().toISOString();
}
