// A chat turn's events, stored as they are emitted: the stream a tab reads is this log, so a tab that lost its
// connection (or a new one) resumes from the last event it saw, and a finished turn reads back the same.
import { nowIso } from "../core/ids";
import type { TurnEvent } from "../core/api-shapes/chat";

/** One stored event: its place in the turn (1, 2, …; 0 for a live-only one) and the event. */
export interface LoggedTurnEvent {
  seq: number;
  event: TurnEvent;
}

/** Appends the turn's `seq`-th event. */
export async function appendTurnEvent(
  db: D1Database,
  entry: { appId: string; turnId: string; seq: number; event: TurnEvent },
): Promise<void> {
  const { type, ...data } = entry.event;
  await db
    .prepare(
      "INSERT OR IGNORE INTO chat_turn_events (turn_id, seq, app_id, type, data_json, created_at) VALUES (?, ?, ?, ?, ?, ?)",
    )
    .bind(entry.turnId, entry.seq, entry.appId, type, JSON.stringify(data), nowIso())
    .run();
}

/** The turn's events after `after` (0: all), in order. */
export async function turnEventsAfter(
  db: D1Database,
  appId: string,
  turnId: string,
  after: number,
): Promise<LoggedTurnEvent[]> {
  const { results } = await db
    .prepare(
      "SELECT seq, type, data_json FROM chat_turn_events WHERE turn_id = ? AND app_id = ? AND seq > ? ORDER BY seq",
    )
    .bind(turnId, appId, after)
    .all<{ seq: number; type: TurnEvent["type"]; data_json: string }>();
  return results.map((row) => ({
    seq: row.seq,
    event: { type: row.type, ...(JSON.parse(row.data_json) as object) } as TurnEvent,
  }));
}

/** Turns whose events the chat listing carries: the newest ones, which a person scrolls back through. */
export const TURNS_WITH_EVENTS = 20;

/** The stored events of the app's newest turns, by turn id. */
export async function recentTurnEvents(db: D1Database, appId: string): Promise<Map<string, TurnEvent[]>> {
  const { results } = await db
    .prepare(
      `SELECT e.turn_id, e.type, e.data_json FROM chat_turn_events e
       JOIN (SELECT id FROM chat_turns WHERE app_id = ?1 ORDER BY created_at DESC, rowid DESC LIMIT ?2) t ON t.id = e.turn_id
       WHERE e.app_id = ?1 ORDER BY e.turn_id, e.seq`,
    )
    .bind(appId, TURNS_WITH_EVENTS)
    .all<{ turn_id: string; type: TurnEvent["type"]; data_json: string }>();
  const byTurn = new Map<string, TurnEvent[]>();
  for (const row of results) {
    const events = byTurn.get(row.turn_id) ?? [];
    events.push({ type: row.type, ...(JSON.parse(row.data_json) as object) } as TurnEvent);
    byTurn.set(row.turn_id, events);
  }
  return byTurn;
}

/** The SSE text of one event: its id is its place in the turn, so `Last-Event-ID` resumes after it (none: live only). */
export function sseOf(logged: LoggedTurnEvent): string {
  const { type, ...data } = logged.event;
  return `${logged.seq > 0 ? `id: ${logged.seq}\n` : ""}event: ${type}\ndata: ${JSON.stringify(data)}\n\n`;
}
