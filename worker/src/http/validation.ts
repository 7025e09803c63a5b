import type { Context } from "hono";
import type { z } from "zod";
import { ApiError } from "../core/errors";

/** Largest JSON body the API reads; source uploads are the big ones. */
export const MAX_JSON_BYTES = 6 * 1024 * 1024;

/** Reads the JSON body and validates it with `schema`, failing with a 400 that names the field. */
export async function readJson<S extends z.ZodType>(c: Context, schema: S): Promise<z.infer<S>> {
  const length = Number(c.req.header("content-length") ?? 0);
  if (length > MAX_JSON_BYTES)
    throw new ApiError(413, "payload_too_large", `The request body is larger than ${MAX_JSON_BYTES / 1024 / 1024} MB.`);
  let body: unknown;
  try {
    const text = await c.req.text();
    if (text.length > MAX_JSON_BYTES)
      throw new ApiError(
        413,
        "payload_too_large",
        `The request body is larger than ${MAX_JSON_BYTES / 1024 / 1024} MB.`,
      );
    body = text === "" ? {} : JSON.parse(text);
  } catch (error) {
    if (error instanceof ApiError) throw error;
    throw new ApiError(400, "bad_request", "The request body is not valid JSON.");
  }
  return parseWith(schema, body);
}

/** Validates query parameters (or any value) with `schema`, failing with a 400. */
export function parseWith<S extends z.ZodType>(schema: S, value: unknown): z.infer<S> {
  const result = schema.safeParse(value);
  if (result.success) return result.data;
  const issue = result.error.issues[0];
  const where = issue && issue.path.length > 0 ? `${issue.path.join(".")}: ` : "";
  throw new ApiError(400, "bad_request", `${where}${issue?.message ?? "invalid input"}`);
}
