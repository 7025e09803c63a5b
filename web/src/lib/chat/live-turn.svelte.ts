// A chat turn in progress in this browser tab. It lives outside any component so
// it keeps streaming across navigation: the app list starts a turn, then the
// workspace's chat pane picks it up by app id and shows it to the end.
import { readSse } from "./sse-reader";
import type { ChatTurnWithEvents, TurnEvent } from "$shapes";

/** `sending`: waiting for the first event; `lost`: the stream ended without `done` and could not be picked up again. */
export type LiveTurnState = "sending" | "running" | "done" | "lost";

/** One turn's events as they arrive, reactive for the components that show it. */
export class LiveTurn {
  events = $state<TurnEvent[]>([]);
  state = $state<LiveTurnState>("sending");
  /** Why the turn could not start or was cut off, in words. */
  problem = $state<string | null>(null);
  appId = $state<string | null>(null);
  /** The person asked to stop it; the server's `done` (cancelled) ends it. */
  cancelling = $state(false);
  /** When the turn started (when this tab sent it, or as the server recorded it), for the elapsed time. */
  readonly since: number;
  /** The last event's place in the turn: a dropped stream resumes after it. */
  lastEventId = 0;
  /** The workspace has reloaded its data for this turn's outcome (plain field: nothing renders it). */
  reloaded = false;

  constructor(
    readonly message: string,
    appId: string | null,
    knownTurnId: string | null = null,
    since = Date.now(),
  ) {
    this.appId = appId;
    this.knownTurnId = knownTurnId;
    this.since = since;
  }

  private readonly knownTurnId: string | null;

  /** The id the API gave this turn (its `turn` event), once known. */
  get turnId(): string | null {
    const turn = this.events.find((e) => e.type === "turn");
    return turn?.type === "turn" ? turn.turnId : this.knownTurnId;
  }

  get finished(): boolean {
    return this.state === "done" || this.state === "lost";
  }

  /** Asks Kiln to stop the turn: the model call is aborted and nothing more is deployed. */
  async cancel(): Promise<void> {
    if (this.finished || this.appId === null || this.turnId === null) return;
    this.cancelling = true;
    const answer = await fetch(
      `/api/apps/${encodeURIComponent(this.appId)}/chat/turns/${encodeURIComponent(this.turnId)}/cancel`,
      { method: "POST" },
    ).catch(() => null);
    // 409: it had just ended; its `done` is on the way.
    if (answer === null || (!answer.ok && answer.status !== 409)) {
      this.cancelling = false;
      this.problem = "Kiln could not be asked to stop this turn. Try again in a moment.";
    }
  }
}

const byApp = new Map<string, LiveTurn>();

/** The turn this tab last started or picked up for `appId`, if any. */
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

/** A finished turn from the history, shown from its stored events as it was live. */
export function replayedTurn(appId: string, stored: ChatTurnWithEvents): LiveTurn {
  const turn = new LiveTurn(stored.message, appId, stored.id);
  turn.events = stored.events;
  turn.state = "done";
  turn.reloaded = true;
  return turn;
}

/** Picks up a turn that is running on the server (started in another tab, or before a reload), from its start. */
export function followTurn(appId: string, turnId: string, message: string, startedAt: string): LiveTurn {
  const turn = new LiveTurn(message, appId, turnId, Date.parse(startedAt) || Date.now());
  turn.state = "running";
  byApp.set(appId, turn);
  void resume(turn);
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
  await read(turn, response.body, onApp);
  if (!turn.finished) await resume(turn);
}

// The turn goes on on the server whatever happens to this connection: follow it again after the last event seen.
const RESUME_DELAYS_MS = [0, 1000, 2000, 4000, 8000, 15000];

async function resume(turn: LiveTurn): Promise<void> {
  for (const delay of RESUME_DELAYS_MS) {
    if (turn.appId === null || turn.turnId === null) break;
    if (delay > 0) await new Promise((resolve) => setTimeout(resolve, delay));
    const response = await fetch(
      `/api/apps/${encodeURIComponent(turn.appId)}/chat/turns/${encodeURIComponent(turn.turnId)}/events`,
      { headers: { accept: "text/event-stream", "last-event-id": String(turn.lastEventId) } },
    ).catch(() => null);
    if (response?.status === 404) break;
    if (response?.ok && response.body) await read(turn, response.body);
    if (turn.state === "done") return;
  }
  turn.state = "lost";
  turn.problem =
    "The connection to Kiln was lost and could not be picked up again. Kiln keeps working on the turn: reload the page in a moment to see how it ended.";
}

async function read(turn: LiveTurn, body: ReadableStream<Uint8Array>, onApp?: (appId: string) => void): Promise<void> {
  try {
    for await (const message of readSse(body)) {
      const id = Number(message.id ?? "");
      // A resumed stream starts after the last event seen; anything older is already shown.
      if (Number.isInteger(id) && id > 0) {
        if (id <= turn.lastEventId) continue;
        turn.lastEventId = id;
      }
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
    // A dropped connection: the caller resumes.
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
