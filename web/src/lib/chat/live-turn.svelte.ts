// A chat turn in progress in this browser tab. It lives outside any component so
// it keeps streaming across navigation: the app list starts a turn, then the
// workspace's chat pane picks it up by app id and shows it to the end.
import { readSse } from "./sse-reader";
import type { TurnEvent } from "$shapes";

/** `sending`: waiting for the first event; `lost`: the stream ended without `done`. */
export type LiveTurnState = "sending" | "running" | "done" | "lost";

/** One turn's events as they arrive, reactive for the components that show it. */
export class LiveTurn {
  events = $state<TurnEvent[]>([]);
  state = $state<LiveTurnState>("sending");
  /** Why the turn could not start or was cut off, in words. */
  problem = $state<string | null>(null);
  appId = $state<string | null>(null);
  /** The workspace has reloaded its data for this turn's outcome (plain field: nothing renders it). */
  reloaded = false;

  constructor(
    readonly message: string,
    appId: string | null,
  ) {
    this.appId = appId;
  }

  /** The id the API gave this turn (its `turn` event), once known. */
  get turnId(): string | null {
    const turn = this.events.find((e) => e.type === "turn");
    return turn?.type === "turn" ? turn.turnId : null;
  }

  get finished(): boolean {
    return this.state === "done" || this.state === "lost";
  }
}

const byApp = new Map<string, LiveTurn>();

/** The turn this tab last started for `appId`, if any. */
export function liveTurnOf(appId: string): LiveTurn | null {
  return byApp.get(appId) ?? null;
}

/**
 * POSTs `body` to a streaming endpoint (`/api/apps` or `/api/apps/:id/chat`) and
 * returns the turn at once; `onApp` runs when the stream names the app (a new one).
 */
export function startTurn(
  url: string,
  body: Record<string, unknown>,
  message: string,
  appId: string | null,
  onApp?: (appId: string) => void,
): LiveTurn {
  const turn = new LiveTurn(message, appId);
  if (appId !== null) byApp.set(appId, turn);
  void stream(turn, url, body, onApp);
  return turn;
}

async function stream(
  turn: LiveTurn,
  url: string,
  body: Record<string, unknown>,
  onApp?: (appId: string) => void,
): Promise<void> {
  let response: Response;
  try {
    response = await fetch(url, {
      method: "POST",
      headers: { "content-type": "application/json", accept: "text/event-stream" },
      // The person's own "now" for the model: "yesterday" and "open now" are theirs, not the server's.
      body: JSON.stringify({ ...body, timeZone: Intl.DateTimeFormat().resolvedOptions().timeZone }),
    });
  } catch {
    return fail(turn, "Kiln could not be reached. Check that it is still running, then send the message again.");
  }
  if (!response.ok || response.body === null) return fail(turn, await refusal(response));
  turn.state = "running";
  try {
    for await (const message of readSse(response.body)) {
      const event = { type: message.event, ...(JSON.parse(message.data) as object) } as TurnEvent;
      turn.events.push(event);
      if (event.type === "app") {
        turn.appId = event.app.id;
        byApp.set(event.app.id, turn);
        onApp?.(event.app.id);
      }
      if (event.type === "done") turn.state = "done";
    }
  } catch {
    // Falls through to the "lost" message below.
  }
  if (turn.state !== "done") {
    turn.state = "lost";
    turn.problem =
      "The connection closed before this turn finished. Kiln keeps working on it: reload the page in a moment to see how it ended.";
  }
}

function fail(turn: LiveTurn, problem: string): void {
  turn.problem = problem;
  turn.state = "done";
}

/** The API's own words for a refused request (`{ error: { message } }`). */
async function refusal(response: Response): Promise<string> {
  if (response.status === 401) return "Your session has ended. Sign in again, then send the message again.";
  try {
    const body = (await response.json()) as { error?: { message?: string } };
    if (body.error?.message) return body.error.message;
  } catch {
    // Not JSON: fall back to the status below.
  }
  return `Kiln answered HTTP ${response.status}. Try again in a moment.`;
}
