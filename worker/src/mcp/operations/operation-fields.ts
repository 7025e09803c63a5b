// What every operation of the typed Kiln client is made of, and the input fields several share.
import { z } from "zod";

/** How one input field reaches the API route: a `:name` in the path, a query parameter, or the JSON body. */
export type FieldPlace = "path" | "query" | "body";

/** One operation of the client: its route, its input (validated before the call) and its TypeScript signature. */
export interface KilnOperation {
  /** `namespace.method`, as the snippet calls it. */
  name: string;
  /** What it is for, as the declaration's doc comment and the search index show it. */
  summary: string;
  method: "GET" | "POST" | "PUT" | "PATCH" | "DELETE";
  /** Under `/api`, with `:field` placeholders filled from the input. */
  path: string;
  input: z.ZodObject;
  /** Input fields sent as query parameters; the rest that are not in the path go in the JSON body. */
  query?: readonly string[];
  /** One input field that is the whole JSON body (a row, a run's input) instead of an object of the rest. */
  bodyField?: string;
  /** The answer's single field the client returns instead of the envelope (`{ apps: […] }` → `[…]`). */
  unwrap?: string;
  /** A 422 answer is a result, not an error: a build's diagnostics are what the agent reads to fix the code. */
  failureIsResult?: boolean;
  /** Parameter and result types, as the declaration shows them. */
  signature: string;
}

/** Input fields several operations share. */
export const appId = z.string().min(1).max(64);
export const env = z.enum(["preview", "live"]).optional();
export const version = z.string().regex(/^[0-9a-f]{16}$/, "version must be a version id such as 3f2a9c0d1b4e5f67");
export const table = z.string().min(1).max(63);
export const rowId = z.number().int().positive();
export const json = z.json();

/** Types one table entry where it is written, so a mistake shows there. */
export const op = (operation: KilnOperation): KilnOperation => operation;
