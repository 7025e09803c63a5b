// Events only Kiln sends to an app (an automation run, a verified Stripe
// event), delivered to the app's cached isolate as a request the wrapper's
// default fetch recognises by INVOKE_HEADER (the control plane strips it from
// visitors). A request, not an RPC call, so the event has a request id in the
// app's logs, its outbound calls and the runner's request marks, and the
// runner's deadline and loss handling apply as to any visit.
import { appUrl } from "../placement/app-urls";
import { INVOKE_HEADER, REQUEST_ID_HEADER } from "../core/headers";
import type { Env } from "../core/env";
import type { AppRunner, AppTarget } from "./app-runner";
import { RunnerDeadlineError, RunnerLostError, isRunnerGone } from "./remote-runner";
import { lossInWords } from "../incidents/runner-losses";

/** What Kiln hands the app: a run of an exported automation (`{ name, run }`) or a Stripe event for `onStripeEvent`. */
export type AppEventKind = "automation" | "stripe";

/** The app's answer: the handler's output, or why it failed in words for the owner (`final`: a retry cannot help). */
export type AppEventResult = { ok: true; output: unknown } | { ok: false; error: string; final: boolean };

/** Sends one event to the isolate of `target` (served at `slug`) as request `requestId`. */
export async function sendAppEvent(
  env: Env,
  runner: AppRunner,
  target: AppTarget,
  slug: string,
  kind: AppEventKind,
  body: unknown,
  requestId: string,
): Promise<AppEventResult> {
  const request = new Request(new URL(`/__kiln/${kind}`, appUrl(env, slug, target.environment)), {
    method: "POST",
    headers: { [REQUEST_ID_HEADER]: requestId, [INVOKE_HEADER]: kind, "content-type": "application/json" },
    body: JSON.stringify(body),
  });
  let response: Response;
  let text: string;
  try {
    response = await runner.serve(target, request);
    // Inside the same guard: a runner killed while it sends the answer fails here, not in the call above.
    text = await response.text();
  } catch (error) {
    return { ok: false, error: await failureWords(error), final: false };
  }
  try {
    const answer = JSON.parse(text) as { ok?: unknown; output?: unknown; error?: unknown; missing?: unknown };
    if (answer.ok === true) return { ok: true, output: answer.output ?? null };
    // `missing`: the version does not export this automation (any more); retrying the same version cannot help.
    if (answer.ok === false) return { ok: false, error: String(answer.error), final: answer.missing === true };
  } catch {
    // Not the wrapper's JSON: the isolate failed before the handler ran.
  }
  return {
    ok: false,
    error: `the app answered ${response.status} instead of handling the event${text ? `: ${text.slice(0, 200)}` : ""}`,
    final: false,
  };
}

// A runner failure in words the owner can act on.
async function failureWords(error: unknown): Promise<string> {
  if (error instanceof RunnerDeadlineError) return `${error.message} Kiln stopped waiting for it`;
  if (error instanceof RunnerLostError) return lossInWords(error.call);
  if (isRunnerGone(error)) return "the app runner stopped while it answered; Kiln restarted it";
  if (error instanceof Error && error.name === "BundleMissingError")
    return `Kiln could not load this version: ${error.message}`;
  return error instanceof Error ? error.message : String(error);
}
