// What an app may ask of ai.kiln, checked before any model or budget is involved: the wire request of
// connectors/ai/wire.ts, bounded in size, and the texts a model would read (for the input estimate).
import { z } from "zod";
import type { AiWireRequest } from "../../../connectors/ai/wire";

// A generous request (a day of orders as JSON) still fits; anything larger is a mistake, refused before a model sees it.
const MAX_BODY_BYTES = 512 * 1024;

const text = (max: number) => z.string().max(max);
const requestSchema = z
  .object({
    output: z.enum(["text", "object"]),
    system: text(100_000).optional(),
    prompt: text(400_000).optional(),
    messages: z
      .array(z.object({ role: z.enum(["system", "user", "assistant"]), content: text(400_000) }))
      .min(1)
      .max(200)
      .optional(),
    maxOutputTokens: z.number().int().min(1).max(32_000).optional(),
    temperature: z.number().min(0).max(2).optional(),
    schema: z.record(z.string(), z.unknown()).optional(),
    schemaName: text(200).optional(),
    schemaDescription: text(2_000).optional(),
  })
  .strict()
  .refine((r) => (r.prompt === undefined) !== (r.messages === undefined), "give either prompt or messages, not both")
  .refine((r) => r.output === "text" || r.schema !== undefined, "generateObject needs a schema");

/** A call as checked: every field within its bounds. */
export type AiRequest = z.infer<typeof requestSchema>;

/** The call in `request`, or what is wrong with it in words (for the app's AIError "invalid_request"). */
export async function readAiRequest(request: Request): Promise<AiRequest | string> {
  if (request.method !== "POST" || new URL(request.url).pathname !== "/v1/generate")
    return `only POST https://ai.kiln/v1/generate exists (got ${request.method} ${new URL(request.url).pathname}); use kiln/ai`;
  const raw = await request.text();
  if (raw.length > MAX_BODY_BYTES) return `the request is larger than ${MAX_BODY_BYTES / 1024} KB`;
  let body: unknown;
  try {
    body = JSON.parse(raw);
  } catch {
    return "the body is not JSON";
  }
  const result = requestSchema.safeParse(body);
  if (result.success) return result.data satisfies AiWireRequest;
  const issue = result.error.issues[0];
  return `${issue?.path.join(".") || "request"}: ${issue?.message ?? "invalid"}`;
}

/** Everything of the call a model reads as input: instructions, prompt or messages, and the object's schema. */
export function inputTexts(request: AiRequest): string[] {
  return [
    request.system ?? "",
    request.prompt ?? "",
    ...(request.messages ?? []).map((m) => m.content),
    request.schema === undefined ? "" : JSON.stringify(request.schema),
    request.schemaDescription ?? "",
  ].filter((part) => part.length > 0);
}
