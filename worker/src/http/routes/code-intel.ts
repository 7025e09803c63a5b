import { Hono } from "hono";
import { z } from "zod";
import type { Context } from "hono";
import type { PlatformContext } from "../context";
import { readJson } from "../validation";
import { ApiError, NotFoundError } from "../../core/errors";
import type { CodeCompletions, CodeDiagnostic, CodeEdit, CodeHover } from "../../core/api-shapes";
import { SOURCE_LIMITS } from "../../core/api-shapes/source-rules";
import type { SourceFiles } from "../../compiler";
import { type CodeBuffer, openBuffer } from "../../compiler/code-buffer";
import { loadSource } from "../../versions/version-store";

const bufferSchema = z.object({
  version: z
    .string()
    .regex(/^[0-9a-f]{16}$/, "version must be a version id such as 3f2a9c0d1b4e5f67")
    .nullable()
    .optional(),
  path: z
    .string("path must name the open file, e.g. src/index.ts")
    .min(1, "path must name the open file, e.g. src/index.ts")
    .max(SOURCE_LIMITS.maxPathLength, `path may be at most ${SOURCE_LIMITS.maxPathLength} characters`),
  text: z.string("text must be the open file's text"),
  edits: z
    .record(z.string(), z.string().nullable(), "edits must map paths to text, or null for a deleted file")
    .optional(),
});
const positionSchema = bufferSchema.extend({
  position: z.number("position must be an offset into text").int().min(0, "position must be an offset into text"),
});

/** Editor calls one person may have running at once: each is a synchronous type-check in the platform isolate. */
const MAX_IN_FLIGHT_PER_USER = 6;
const inFlight = new Map<string, number>();

/**
 * The Code tab's language intelligence under `/api/apps/:id/code/…` (expects `c.var.app`): completions, hover,
 * problems and formatting of the text being typed, over the version it was typed on, from the builds' TypeScript.
 */
export const codeIntelRoutes = new Hono<PlatformContext>()
  // A fast typist (or a script) gets a 429 rather than a queue of type-checks that holds up everyone's API calls.
  .use("/code/*", async (c, next) => {
    const user = c.var.user.id;
    const running = inFlight.get(user) ?? 0;
    if (running >= MAX_IN_FLIGHT_PER_USER)
      throw new ApiError(
        429,
        "too_many_requests",
        "The editor is still working on your last change; it will catch up.",
      );
    inFlight.set(user, running + 1);
    try {
      await next();
    } finally {
      const left = (inFlight.get(user) ?? 1) - 1;
      if (left > 0) inFlight.set(user, left);
      else inFlight.delete(user);
    }
  })
  .post("/code/completions", async (c) => {
    const { buffer, position } = await readPosition(c);
    const { completionsAt } = await import("../../compiler/code-intel");
    return c.json((await completionsAt(buffer, position)) satisfies CodeCompletions);
  })
  .post("/code/hover", async (c) => {
    const { buffer, position } = await readPosition(c);
    const { hoverAt } = await import("../../compiler/code-intel");
    return c.json({ hover: await hoverAt(buffer, position) } satisfies { hover: CodeHover | null });
  })
  .post("/code/diagnostics", async (c) => {
    const buffer = await readBuffer(c, await readJson(c, bufferSchema));
    const { diagnosticsOf } = await import("../../compiler/code-intel");
    return c.json({ diagnostics: await diagnosticsOf(buffer) } satisfies { diagnostics: CodeDiagnostic[] });
  })
  .post("/code/format", async (c) => {
    const buffer = await readBuffer(c, await readJson(c, bufferSchema));
    const { formatEdits } = await import("../../compiler/code-intel");
    return c.json({ edits: await formatEdits(buffer) } satisfies { edits: CodeEdit[] });
  });

async function readPosition(c: Context<PlatformContext>): Promise<{ buffer: CodeBuffer; position: number }> {
  const input = await readJson(c, positionSchema);
  if (input.position > input.text.length)
    throw new ApiError(
      400,
      "bad_request",
      `position ${input.position} is past the end of the text (${input.text.length}).`,
    );
  return { buffer: await readBuffer(c, input), position: input.position };
}

/** The app's saved files at the version the edits were made on (its preview by default), with the edits on top. */
async function readBuffer(c: Context<PlatformContext>, input: z.infer<typeof bufferSchema>): Promise<CodeBuffer> {
  const { app } = c.var;
  const version = input.version ?? app.previewVersion;
  let saved: SourceFiles = {};
  if (version) {
    const files = await loadSource(c.env.BUNDLES, app.id, version);
    if (files === null) throw new NotFoundError(`Version ${version}`);
    saved = files;
  }
  return openBuffer(saved, input.edits ?? {}, input.path, input.text);
}
