// Airtable's error answers, turned into one typed error with words the app's
// owner can act on. Airtable answers errors in three shapes:
//   { error: { type, message } }            most errors
//   { error: "NOT_FOUND" }                  unknown routes and records
//   { errors: [{ error, message }] }        rate limiting

/** Airtable refused or failed a request; `message` says what to do. */
export class AirtableError extends Error {
  /** HTTP status: 401 token refused, 403 no access or not found, 404 not found, 422 invalid request, 429 rate limit. */
  readonly status: number;
  /** Airtable's error type, e.g. "INVALID_PERMISSIONS_OR_MODEL_NOT_FOUND", "UNKNOWN_FIELD_NAME", "DUPLICATE_TABLE_NAME". */
  readonly type: string;

  constructor(init: { status: number; type: string; message: string }) {
    super(init.message);
    this.name = "AirtableError";
    this.status = init.status;
    this.type = init.type;
  }
}

/** What to tell a person for each kind of failure; Airtable's own detail is appended. */
function advice(status: number, type: string): string {
  if (status === 401)
    return "Airtable did not accept the connected access token. The app owner should reconnect Airtable in Kiln.";
  if (status === 403 && type === "INVALID_PERMISSIONS") {
    return "The connected token may not do this. Changing tables and fields needs the schema.bases:write scope (and a base creator), comments need data.recordComments:write, records data.records:write.";
  }
  if (status === 403) {
    return "Airtable could not find that base or table, or the connected token may not use it. Check the base id and table name, and that the token was given access to this base.";
  }
  if (status === 404) return "Airtable could not find what was asked for. Check the base, table and record ids.";
  if (status === 429)
    return "Airtable's rate limit was reached (5 requests per second per base). Wait 30 seconds before trying again.";
  if (status === 413) return "The request was too large for Airtable.";
  if (status >= 500) return `Airtable had a problem on its side (HTTP ${status}). Try again in a moment.`;
  if (type === "INVALID_FILTER_BY_FORMULA") return "Airtable could not use the filterByFormula formula.";
  if (type === "DUPLICATE_TABLE_NAME")
    return "This base already has a table with that name (Airtable ignores case). Pick another name, or use airtable.tables(baseId).ensure(…) to reuse the table.";
  if (type === "DUPLICATE_OR_EMPTY_FIELD_NAME")
    return "That table already has a field with that name (Airtable ignores case), or the name is empty. Pick another name, or use airtable.fields(baseId, table).ensure(…) to reuse the field.";
  if (type === "UNSUPPORTED_FIELD_TYPE_FOR_CREATE")
    return "Airtable's API cannot create that type of field: formulas, lookups, rollups, counts, autonumbers and created or modified times are added in Airtable itself.";
  if (type === "INVALID_REQUEST_UNKNOWN")
    return "Airtable found the request invalid. Check names (none empty), field types and their options.";
  return "Airtable rejected the request.";
}

interface ErrorBody {
  error?: string | { type?: string; message?: string };
  errors?: { error?: string; message?: string }[];
}

/** Builds the error for a failed Airtable response from its status and raw body. */
export function airtableErrorFrom(status: number, bodyText: string): AirtableError {
  let type = status === 429 ? "RATE_LIMIT_REACHED" : `HTTP_${status}`;
  let detail = "";
  try {
    const body = JSON.parse(bodyText) as ErrorBody;
    if (typeof body.error === "string") {
      type = body.error;
    } else if (body.error && typeof body.error === "object") {
      type = body.error.type ?? type;
      detail = body.error.message ?? "";
    } else if (Array.isArray(body.errors) && body.errors[0]) {
      type = body.errors[0].error ?? type;
      detail = body.errors[0].message ?? "";
    }
  } catch {
    detail = bodyText.slice(0, 200);
  }
  const message = `${advice(status, type)} (Airtable ${status} ${type}${detail ? `: ${detail}` : ""})`;
  return new AirtableError({ status, type, message });
}

/** The same error, saying how much of a many-record write had already happened. */
export function withProgress(error: AirtableError, done: number, total: number, verb: string): AirtableError {
  if (done === 0) return error;
  return new AirtableError({
    status: error.status,
    type: error.type,
    message: `${error.message} ${done} of the ${total} records had already been ${verb}; the rest were not.`,
  });
}
