// Airtable's error answers and ids, shared by the fake's store and schema rules.

/** An Airtable error answer: status and JSON body. */
export class ApiError extends Error {
  readonly status: number;
  readonly body: unknown;
  constructor(status: number, body: unknown) {
    super(JSON.stringify(body));
    this.status = status;
    this.body = body;
  }
}

/** The usual `{ error: { type, message } }` answer. */
export function apiError(status: number, type: string, message: string): ApiError {
  return new ApiError(status, { error: { type, message } });
}

/** Airtable's 403 for a base, table or field the token cannot see or that does not exist. */
export const NOT_FOUND_MODEL = (): ApiError =>
  apiError(
    403,
    "INVALID_PERMISSIONS_OR_MODEL_NOT_FOUND",
    "Invalid permissions, or the requested model was not found. Check that both your user and your token have the required permissions, and that the model names and/or ids are correct.",
  );

/** Airtable's 404 for an unknown route, record or comment. */
export const NOT_FOUND = (): ApiError => new ApiError(404, { error: "NOT_FOUND" });

const ALPHABET = "ABCDEFGHIJKLMNOPQRSTUVWXYZabcdefghijklmnopqrstuvwxyz0123456789";

/** An Airtable-shaped id: the prefix ("rec", "tbl", …) and 14 characters. */
export function newId(prefix: string): string {
  let id = prefix;
  for (let i = 0; i < 14; i += 1) id += ALPHABET[Math.floor(Math.random() * ALPHABET.length)];
  return id;
}
