// One attempt of a run, sent to the app's cached isolate as a request only
// Kiln can make (the wrapper's default fetch reads INVOKE_HEADER, which the
// control plane strips from visitors). A request, not an RPC call, so the
// attempt has a request id in the app's logs, its outbound calls and the
// runner's request marks, and the runner's deadline and loss handling apply.
import { appUrl } from "../apps/app-urls";
import { INVOKE_HEADER, REQUEST_ID_HEADER } from "../build/entry-wrapper";
import type { Env } from "../env";
import type { AppRunner, AppTarget } from "../runner/app-runner";
import { RunnerDeadlineError, RunnerLostError } from "../runner/remote-runner";
import { explainLoss, noteLostCall } from "../runner/runner-losses";
import type { RunTrigger } from "./run-store";

/** What the app's handler receives as its first argument (`AutomationRun` in the kiln SDK). */
export interface AutomationRunInfo {
  name: string;
  trigger: RunTrigger;
  scheduledAt: string | null;
  attempt: number;
  idempotencyKey: string;
  input: unknown;
}

/** The handler's answer: its output, or why it failed in words for the owner. */
export type InvocationResult = { ok: true; output: unknown } | { ok: false; error: string };

/** Runs the automation `info.name` of `target` once, as request `requestId`. */
export async function invokeAutomation(env: Env, runner: AppRunner, target: AppTarget, slug: string, info: AutomationRunInfo, requestId: string): Promise<InvocationResult> {
  const request = new Request(new URL(`/__kiln/automations/${encodeURIComponent(info.name)}`, appUrl(env, slug, target.environment)), {
    method: "POST",
    headers: { [REQUEST_ID_HEADER]: requestId, [INVOKE_HEADER]: "automation", "content-type": "application/json" },
    body: JSON.stringify({ name: info.name, run: info }),
  });
  let response: Response;
  try {
    response = await runner.serve(target, request);
  } catch (error) {
    return { ok: false, error: await failureWords(error) };
  }
  const text = await response.text();
  try {
    const answer = JSON.parse(text) as { ok?: unknown; output?: unknown; error?: unknown };
    if (answer.ok === true) return { ok: true, output: answer.output ?? null };
    if (answer.ok === false) return { ok: false, error: String(answer.error) };
  } catch {
    // Not the wrapper's JSON: the isolate failed before the handler ran.
  }
  return { ok: false, error: `the app answered ${response.status} instead of running the automation${text ? `: ${text.slice(0, 200)}` : ""}` };
}

// A runner failure in words the owner can act on.
async function failureWords(error: unknown): Promise<string> {
  if (error instanceof RunnerDeadlineError) return `${error.message} Kiln stopped waiting for this run`;
  if (error instanceof RunnerLostError) {
    noteLostCall(error.call);
    const { event } = await explainLoss(error.call);
    if (event.reason === "time_budget") return "it kept the app runner busy past its time budget (an endless loop?); Kiln restarted the runner";
    if (event.reason === "memory_budget") return "it used more memory than an app may use; Kiln restarted the runner";
    return "the app runner restarted while it ran";
  }
  if (error instanceof Error && error.name === "BundleMissingError") return `Kiln could not load this version: ${error.message}`;
  return error instanceof Error ? error.message : String(error);
}
