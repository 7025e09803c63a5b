// Whether an owner may run another snippet now. A snippet runs on a runner other owners' apps share: a flood of them,
// or one that keeps bringing a runner down, would cost those apps their answers.
import {
  type AttemptKey,
  type AttemptRule,
  recordFailure,
  refuseWhenLimited,
  TooManyAttemptsError,
} from "../auth/attempt-limit";

/** Snippets one owner may start a minute (each is a build and an isolate). */
const RUNS: AttemptRule = { scope: "mcp-execute", limit: 30, windowSeconds: 60 };
/** Runner restarts one owner's snippets may cause before execute pauses for them. */
const KILLS: AttemptRule = { scope: "mcp-snippet-kill", limit: 2, windowSeconds: 600 };

/** The count a snippet that brought a runner down is charged to (its owner's). */
export function snippetKillKey(userId: string): AttemptKey {
  return { rule: KILLS, value: userId };
}

/** Null when `userId` may run a snippet now (the run is counted), else why not and when to come back, in words. */
export async function admitSnippet(db: D1Database, userId: string, now = new Date()): Promise<string | null> {
  const runs = { rule: RUNS, value: userId };
  try {
    await refuseWhenLimited(db, [snippetKillKey(userId)], now);
  } catch (error) {
    if (!(error instanceof TooManyAttemptsError)) throw error;
    return `Your snippets brought an app runner down ${KILLS.limit} times in ${KILLS.windowSeconds / 60} minutes, so execute is paused for ${waitWords(error.retryAfterSeconds)}. Look for a loop that allocates without end or a pattern that backtracks.`;
  }
  try {
    await refuseWhenLimited(db, [runs], now);
  } catch (error) {
    if (!(error instanceof TooManyAttemptsError)) throw error;
    return `You ran ${RUNS.limit} snippets in a minute, the most Kiln runs for one person. Wait ${waitWords(error.retryAfterSeconds)}, or do more in each snippet.`;
  }
  await recordFailure(db, [runs], now);
  return null;
}

function waitWords(seconds: number): string {
  return seconds < 60 ? `${seconds} seconds` : `${Math.ceil(seconds / 60)} minutes`;
}
