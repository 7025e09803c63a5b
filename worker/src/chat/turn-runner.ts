// Chat turns as durable jobs: one Durable Object per app runs its turns, independent of any connection. A turn's
// events go to its log (turn-log.ts) and to every tab following it; a closed tab changes nothing, a new one resumes
// from the last event it saw, Cancel aborts the model call, and a turn its process lost ends as failed, in words.
import { DurableObject } from "cloudflare:workers";
import type { Env } from "../core/env";
import type { TurnEvent } from "../core/api-shapes/chat";
import { appRunnerFor } from "../isolates/app-runner-for";
import { finishTurn, newTurnId } from "./chat-store";
import { runChatTurn } from "./chat-turn";
import type { TurnInput } from "./turn-input";
import { type LoggedTurnEvent, appendTurnEvent, sseOf, turnEventsAfter } from "./turn-log";

/** What starts a turn: who asks, about which app, and events to send before the turn's own (a new app's `app`). */
export type TurnRequest = Pick<
  TurnInput,
  "app" | "userId" | "message" | "templateId" | "confirmDestructive" | "timeZone"
> & {
  first?: TurnEvent[];
};

/** `started`: the new turn's id; `busy`: the app already has a turn running (one at a time, as in a conversation). */
export type TurnStart = { started: string } | { busy: string };

// While a turn runs, an alarm this often keeps the object in memory and, after a restart, ends the lost turn.
const WATCH_MS = 30_000;
const INTERRUPTED =
  "Kiln stopped while working on this turn (it was restarted), so the turn ended here. Nothing more was deployed: send the message again.";
const INTERNAL = "Kiln hit an internal error during this turn. Nothing was deployed.";

interface RunningTurn {
  appId: string;
  turnId: string;
  seq: number;
  controller: AbortController;
  /** Tabs following the turn live: each gets every event after the ones it already has. */
  followers: Set<(logged: LoggedTurnEvent) => void>;
}

/** The object that runs `appId`'s turns. */
export function turnRunnerOf(env: Env, appId: string): DurableObjectStub<TurnRunner> {
  const namespace = env.TURN_RUNNER as DurableObjectNamespace<TurnRunner>;
  return namespace.get(namespace.idFromName(appId));
}

/** The durable home of one app's chat turns (named by app id). */
export class TurnRunner extends DurableObject<Env> {
  #running: RunningTurn | null = null;

  constructor(ctx: DurableObjectState, env: Env) {
    super(ctx, env);
    void ctx.blockConcurrencyWhile(() => this.#endLostTurn());
  }

  /** Starts a turn unless one is running; the turn goes on whether or not anyone follows it. */
  async start(request: TurnRequest): Promise<TurnStart> {
    if (this.#running) return { busy: this.#running.turnId };
    const turn: RunningTurn = {
      appId: request.app.id,
      turnId: newTurnId(),
      seq: 0,
      controller: new AbortController(),
      followers: new Set(),
    };
    this.#running = turn;
    await this.ctx.storage.put("running", { appId: turn.appId, turnId: turn.turnId });
    await this.ctx.storage.setAlarm(Date.now() + WATCH_MS);
    void this.#run(turn, request);
    return { started: turn.turnId };
  }

  /** The turn's events after `after` as server-sent events, live until it is done; null for a turn it never had. */
  async follow(appId: string, turnId: string, after: number): Promise<ReadableStream<Uint8Array> | null> {
    const { readable, writable } = new TransformStream<Uint8Array, Uint8Array>();
    const writer = writable.getWriter();
    const encoder = new TextEncoder();
    let last = after;
    let open = true;
    let chain = Promise.resolve();
    const running = this.#running?.turnId === turnId ? this.#running : null;
    const all = running ? null : await turnEventsAfter(this.env.DB, appId, turnId, 0);
    if (all?.length === 0) return null;
    const close = () => {
      if (!open) return;
      open = false;
      running?.followers.delete(send);
      chain = chain.then(() => writer.close().catch(() => undefined));
    };
    // Writes in order, never twice, and never holds up the turn: a slow or gone tab only loses its own stream.
    // A live-only event (seq 0) goes to whoever follows now.
    function send(logged: LoggedTurnEvent): void {
      if (!open || (logged.seq !== 0 && logged.seq <= last)) return;
      if (logged.seq !== 0) last = logged.seq;
      chain = chain.then(() => writer.write(encoder.encode(sseOf(logged))).catch(() => close()));
      if (logged.event.type === "done") close();
    }
    // Live events first into a queue, so none falls between what is stored and what comes next.
    const queued: LoggedTurnEvent[] = [];
    const enqueue = (logged: LoggedTurnEvent) => queued.push(logged);
    running?.followers.add(enqueue);
    // A finished turn's log was read whole above; a running one's is read now, after the queue is listening.
    const stored = all
      ? all.filter((logged) => logged.seq > after)
      : await turnEventsAfter(this.env.DB, appId, turnId, after);
    running?.followers.delete(enqueue);
    for (const logged of [...stored, ...queued].sort((a, b) => a.seq - b.seq)) send(logged);
    if (!open) return readable;
    if (running && this.#running === running) running.followers.add(send);
    else if (all && all.at(-1)?.event.type !== "done") {
      // Not running here and never finished: a turn from before this object existed, or lost with its process.
      for (const logged of await this.#endTurn(appId, turnId, INTERRUPTED)) send(logged);
      close();
    } else close();
    return readable;
  }

  /** Cancels the running turn if it is `turnId`; answers whether it was running. */
  async cancel(turnId: string): Promise<boolean> {
    if (this.#running?.turnId !== turnId) return false;
    this.#running.controller.abort();
    return true;
  }

  /** Ends turns the history still shows as running that no process is working on (called when the chat is listed). */
  async settle(appId: string): Promise<void> {
    const { results } = await this.env.DB.prepare("SELECT id FROM chat_turns WHERE app_id = ? AND status = 'running'")
      .bind(appId)
      .all<{ id: string }>();
    for (const { id } of results) if (this.#running?.turnId !== id) await this.#endTurn(appId, id, INTERRUPTED);
  }

  override async alarm(): Promise<void> {
    if (this.#running) await this.ctx.storage.setAlarm(Date.now() + WATCH_MS);
    else await this.#endLostTurn();
  }

  async #run(turn: RunningTurn, request: TurnRequest): Promise<void> {
    let done = false;
    const emit = async (event: TurnEvent) => {
      if (done) return;
      // The answer as it grows is for whoever watches now: not stored, no place in the turn (seq 0).
      if (event.type === "writing") {
        for (const follower of [...turn.followers]) follower({ seq: 0, event });
        return;
      }
      turn.seq += 1;
      const logged = { seq: turn.seq, event };
      await appendTurnEvent(this.env.DB, { appId: turn.appId, turnId: turn.turnId, seq: turn.seq, event });
      for (const follower of [...turn.followers]) follower(logged);
      if (event.type === "done") done = true;
    };
    try {
      for (const event of request.first ?? []) await emit(event);
      await runChatTurn({
        env: this.env,
        runner: appRunnerFor(this.env, request.app.slug),
        app: request.app,
        userId: request.userId,
        message: request.message,
        templateId: request.templateId,
        confirmDestructive: request.confirmDestructive,
        timeZone: request.timeZone,
        turnId: turn.turnId,
        signal: turn.controller.signal,
        emit,
      });
    } catch (error) {
      // Unexpected: the details go to the platform log, the person gets a plain sentence.
      console.error("chat turn failed", turn.turnId, error);
    }
    if (!done) {
      await finishTurn(this.env.DB, turn.turnId, failedOutcome(INTERNAL)).catch(() => undefined);
      await emit({ type: "failed", message: INTERNAL, stillServing: request.app.previewVersion });
      await emit({ type: "done", turnId: turn.turnId, status: "failed" });
    }
    this.#running = null;
    await this.ctx.storage.delete("running");
  }

  // A turn this object was running when its process stopped.
  async #endLostTurn(): Promise<void> {
    const lost = await this.ctx.storage.get<{ appId: string; turnId: string }>("running");
    if (!lost || this.#running) return;
    await this.#endTurn(lost.appId, lost.turnId, INTERRUPTED);
    await this.ctx.storage.delete("running");
  }

  // Records a turn no process will finish as failed, and closes its log with `failed` and `done`.
  async #endTurn(appId: string, turnId: string, message: string): Promise<LoggedTurnEvent[]> {
    const stored = await turnEventsAfter(this.env.DB, appId, turnId, 0);
    if (stored.at(-1)?.event.type === "done") return [];
    await this.env.DB.prepare(
      "UPDATE chat_turns SET status = 'failed', failure = ?, finished_at = ? WHERE id = ? AND app_id = ? AND status = 'running'",
    )
      .bind(message, new Date().toISOString(), turnId, appId)
      .run();
    const app = await this.env.DB.prepare("SELECT preview_version FROM apps WHERE id = ?")
      .bind(appId)
      .first<{ preview_version: string | null }>();
    let seq = stored.at(-1)?.seq ?? 0;
    const ending: LoggedTurnEvent[] = [
      { seq: ++seq, event: { type: "failed", message, stillServing: app?.preview_version ?? null } },
      { seq: ++seq, event: { type: "done", turnId, status: "failed" } },
    ];
    for (const logged of ending) await appendTurnEvent(this.env.DB, { appId, turnId, ...logged });
    return ending;
  }
}

function failedOutcome(failure: string) {
  return {
    status: "failed" as const,
    plan: null,
    question: null,
    summary: null,
    failure,
    version: null,
    attempts: 0,
    usage: { input: 0, output: 0 },
    files: [],
  };
}
