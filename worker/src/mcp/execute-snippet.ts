// The `execute` tool: an agent's TypeScript, checked and bundled like an app's code, run once in a fresh Dynamic
// Worker with no network, its only way out the typed Kiln client acting for the owner within the run's budget.
import { buildApp } from "../compiler";
import type { Diagnostic } from "../core/errors";
import type { AppRunner } from "../isolates/app-runner";
import { newSnippetProps, SNIPPET_LIMITS } from "../isolates/snippet-budget";
import { snippetDiagnostics, snippetSource } from "./snippet-app";

/** What `execute` answers: the snippet's return value and console output, or why it did not run or failed. */
export interface SnippetOutcome {
  ok: boolean;
  result?: unknown;
  /** Why it failed, in words: a thrown error, a refused build, a stopped run. */
  error?: string;
  /** Type errors in the snippet's own lines (1 = its first line); only when it did not build. */
  diagnostics?: Diagnostic[];
  logs: string[];
}

/** Checks, bundles and runs `code` for `userId` on `runner`. */
export async function executeSnippet(runner: AppRunner, userId: string, code: string): Promise<SnippetOutcome> {
  if (code.length > SNIPPET_LIMITS.codeCharacters)
    return failed(`The snippet is longer than ${SNIPPET_LIMITS.codeCharacters} characters: split the work.`);
  const build = await buildApp(snippetSource(code));
  if (!build.ok)
    return {
      ok: false,
      error: `The snippet did not ${build.stage === "type-check" ? "type-check" : "build"}: fix the problems below and run it again.`,
      diagnostics: snippetDiagnostics(build.diagnostics),
      logs: [],
    };
  const props = newSnippetProps(userId);
  let timer: ReturnType<typeof setTimeout> | undefined;
  const deadline = new Promise<"late">((resolve) => {
    // A little after the props' deadline, so a call refused for lateness is seen by the snippet first.
    timer = setTimeout(() => resolve("late"), props.deadlineAt - Date.now() + 1_000);
  });
  try {
    const response = await Promise.race([
      // The loop guards' stop, or the runner going away, rejects the call: the snippet is what ended, not Kiln.
      runner.execute({ bundle: build.bundle, props }).catch((error: unknown) => stopped(error)),
      deadline,
    ]);
    if (response === "late")
      return failed(`The snippet ran longer than ${SNIPPET_LIMITS.seconds} seconds and was abandoned.`);
    return await outcomeOf(response);
  } finally {
    if (timer !== undefined) clearTimeout(timer);
  }
}

function stopped(error: unknown): Response {
  const why = error instanceof Error ? error.message : String(error);
  return new Response(why, { status: 500, headers: { "content-type": "text/plain" } });
}

async function outcomeOf(response: Response): Promise<SnippetOutcome> {
  if (!(response.headers.get("content-type") ?? "").includes("application/json")) {
    // Kiln's wrapper answered instead of the snippet: the loop guards stopped it, or it crashed at start.
    const text = (await response.text())
      .replace(/<[^>]+>/g, " ")
      .replace(/\s+/g, " ")
      .trim();
    return failed(`The snippet was stopped: ${text.slice(0, 500)}`);
  }
  const answer = (await response.json()) as { ok: boolean; result?: unknown; error?: string; logs?: string[] };
  const logs = Array.isArray(answer.logs) ? answer.logs.map(String) : [];
  if (!answer.ok) return { ok: false, error: answer.error ?? "The snippet failed.", logs };
  return { ok: true, result: bounded(answer.result), logs };
}

// A result an agent can read in one go; a bigger one is cut, saying how to get the rest.
function bounded(result: unknown): unknown {
  const text = JSON.stringify(result) ?? "null";
  if (text.length <= SNIPPET_LIMITS.resultCharacters) return result;
  return `${text.slice(0, SNIPPET_LIMITS.resultCharacters)}… (cut at ${SNIPPET_LIMITS.resultCharacters} characters of ${text.length}: return less, e.g. a page or a count)`;
}

function failed(error: string): SnippetOutcome {
  return { ok: false, error, logs: [] };
}
