// What one `execute` may spend. The snippet is hostile code with its owner's powers: these bound how much of them one
// call can use, and end them when the call ends (a stub kept past its deadline is refused).
import type { SnippetProps } from "./app-runner";

/** The bounds of one snippet run, in the words the tool's description and its errors use. */
export const SNIPPET_LIMITS = {
  /** `kiln.*` calls per run. */
  calls: 50,
  /** Wall time of a run, build excluded. */
  seconds: 30,
  /** The snippet's text. */
  codeCharacters: 50_000,
  /** The JSON result handed back to the agent; longer is cut with a note. */
  resultCharacters: 60_000,
} as const;

interface Spending {
  calls: number;
  deadlineAt: number;
}

// Counted by the snippet's gateway (runner/kiln-api-gateway.ts, control-plane/kiln-api-gateway.ts), which runs in
// the process of the snippet's own isolate: every call of one run passes through the one process that loaded it.
const spending = new Map<string, Spending>();

/** Props for a new run of `userId`'s snippet, its deadline starting now. */
export function newSnippetProps(userId: string, now = Date.now()): SnippetProps {
  return { executionId: crypto.randomUUID(), userId, deadlineAt: now + SNIPPET_LIMITS.seconds * 1000 };
}

/** Charges one `kiln.*` call to its run: null when it may go ahead, else why not, in words for the agent. */
export function chargeCall(props: SnippetProps, now = Date.now()): string | null {
  if (now > props.deadlineAt)
    return `This snippet's ${SNIPPET_LIMITS.seconds} seconds are over: its calls are refused. Run a new snippet.`;
  for (const [id, run] of spending) if (run.deadlineAt < now) spending.delete(id);
  const run = spending.get(props.executionId) ?? { calls: 0, deadlineAt: props.deadlineAt };
  if (run.calls >= SNIPPET_LIMITS.calls)
    return `This snippet made ${SNIPPET_LIMITS.calls} kiln calls, the most one run may make. Split the work into several runs.`;
  run.calls += 1;
  spending.set(props.executionId, run);
  return null;
}
