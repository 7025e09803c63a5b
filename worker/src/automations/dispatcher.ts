// Starts automation runs. The minute tick hands each shard the runs it
// recorded; the shard runs them side by side, a few at a time, and keeps
// each one in its own SQLite table until it is over. Durable Object alarms
// bring back what a restart interrupted and start retries when their backoff is up, so
// neither depends on the tick or on this process staying up.
import { DurableObject } from "cloudflare:workers";
import type { Env } from "../core/env";
import { appRunnerFor } from "../isolates/app-runner-for";
import { executeRun } from "./execute-run";

/** Dispatcher shards; runs of one automation always go to the same one. */
export const DISPATCH_SHARDS = 16;
/** A started run still in the table after this long is started again by the alarm (its claim makes that harmless). */
const RECHECK_MS = 3 * 60_000;
/**
 * Runs one shard executes at once (all shards: 16× this). Without a cap, a
 * minute with 1,000 due automations sent 1,000 requests to a cold runner at
 * once; it stopped answering health checks while loading every app and was
 * killed, and the apps were blamed (`npm run bench`, bench/automations.mjs).
 */
const MAX_RUNNING_PER_SHARD = 4;

/** One shard of the run dispatcher (a SQLite Durable Object). */
export class AutomationDispatcher extends DurableObject<Env> {
  /** Runs waiting for a free place or running, so a second dispatch of one is ignored. */
  readonly #known = new Set<string>();
  /** Runs waiting for a free place, oldest first; a finishing run hands its place to the first. */
  readonly #waiting: (() => void)[] = [];
  #running = 0;

  constructor(ctx: DurableObjectState, env: Env) {
    super(ctx, env);
    ctx.storage.sql.exec("CREATE TABLE IF NOT EXISTS pending (run_id TEXT PRIMARY KEY, due_at INTEGER NOT NULL)");
  }

  /** Queues runs to start now (not awaited: the tick goes on) and keeps them until each is over. */
  async dispatch(runIds: string[]): Promise<void> {
    const recheck = Date.now() + RECHECK_MS;
    for (const runId of runIds)
      this.ctx.storage.sql.exec("INSERT OR REPLACE INTO pending (run_id, due_at) VALUES (?, ?)", runId, recheck);
    await this.#arm();
    for (const runId of runIds) void this.#start(runId);
  }

  /** Runs whose retry is due, and runs a restart interrupted. */
  override async alarm(): Promise<void> {
    const due = this.ctx.storage.sql
      .exec<{ run_id: string }>("SELECT run_id FROM pending WHERE due_at <= ? LIMIT 500", Date.now())
      .toArray();
    await Promise.all(due.map((row) => this.#start(row.run_id)));
    await this.#arm();
  }

  // Resolves once the run is over (or was already known to this shard).
  async #start(runId: string): Promise<void> {
    if (this.#known.has(runId)) return;
    this.#known.add(runId);
    if (this.#running < MAX_RUNNING_PER_SHARD) this.#running += 1;
    else await new Promise<void>((takePlace) => this.#waiting.push(takePlace));
    try {
      const { retryAt } = await executeRun(this.env, (slug) => appRunnerFor(this.env, slug), runId);
      if (retryAt)
        this.ctx.storage.sql.exec("UPDATE pending SET due_at = ? WHERE run_id = ?", retryAt.getTime(), runId);
      else this.ctx.storage.sql.exec("DELETE FROM pending WHERE run_id = ?", runId);
    } catch (error) {
      // Kept in the table: the alarm tries again once RECHECK_MS has passed.
      console.error(
        `Kiln could not start automation run ${runId}:`,
        error instanceof Error ? error.message : String(error),
      );
    } finally {
      this.#known.delete(runId);
      const next = this.#waiting.shift();
      if (next) next();
      else this.#running -= 1;
      await this.#arm();
    }
  }

  // The alarm rings at the earliest due time still in the table.
  async #arm(): Promise<void> {
    const next = this.ctx.storage.sql.exec<{ due: number | null }>("SELECT MIN(due_at) AS due FROM pending").one().due;
    if (next === null) await this.ctx.storage.deleteAlarm();
    else await this.ctx.storage.setAlarm(Math.max(next, Date.now() + 1_000));
  }
}

/** Hands recorded runs to their shards. */
export async function dispatchRuns(
  env: Pick<Env, "AUTOMATION_DISPATCHER">,
  runs: { id: string; appId: string; automation: string }[],
): Promise<void> {
  const byShard = new Map<number, string[]>();
  for (const run of runs) {
    const shard = shardOf(`${run.appId}:${run.automation}`);
    const ids = byShard.get(shard) ?? [];
    ids.push(run.id);
    byShard.set(shard, ids);
  }
  // Core declares the binding untyped (this class lives here); control-plane/bindings-check.ts proves it is this one.
  const namespace = env.AUTOMATION_DISPATCHER as DurableObjectNamespace<AutomationDispatcher>;
  await Promise.all(
    [...byShard].map(([shard, ids]) => namespace.get(namespace.idFromName(`shard-${shard}`)).dispatch(ids)),
  );
}

function shardOf(key: string): number {
  let hash = 0x811c9dc5;
  for (let i = 0; i < key.length; i++) hash = Math.imul(hash ^ key.charCodeAt(i), 0x01000193);
  return (hash >>> 0) % DISPATCH_SHARDS;
}
