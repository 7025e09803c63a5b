import { runInDurableObject } from "cloudflare:test";
import { describe, expect, it } from "vitest";
import type { AppDataStore } from "./app-data-store";
import { freshStore } from "../../test/data-stores";
import { VISITOR_SESSIONS_TABLE, endSessions, findSession, startSession } from "./visitor-sessions";

const ann = { id: "vis_ann", email: "ann@example.com", roles: ["member"] };
const owner = { id: "vis_own", email: "own@example.com", roles: ["owner"] };

describe("visitor sessions in an app's own database", () => {
  it("finds a live session by its token's hash, forgets a lapsed one, and clears lapsed ones when another starts", async () => {
    const store = freshStore("sessions");
    const left = await runInDurableObject(store, (_instance: AppDataStore, state) => {
      const { sql } = state.storage;
      startSession(sql, "h-live", ann, 2_000, 1_000);
      startSession(sql, "h-old-1", ann, 1_500, 1_000);
      startSession(sql, "h-old-2", owner, 1_600, 1_000);
      const found = { live: findSession(sql, "h-live", 1_200), lapsed: findSession(sql, "h-old-1", 1_550) };
      startSession(sql, "h-new", owner, 9_000, 1_700);
      const rows = sql.exec<{ token_hash: string }>(
        `SELECT token_hash FROM ${VISITOR_SESSIONS_TABLE} ORDER BY token_hash`,
      );
      return { found, rows: rows.toArray().map((r) => r.token_hash) };
    });
    expect(left.found).toEqual({ live: ann, lapsed: null });
    expect(left.rows).toEqual(["h-live", "h-new"]);
  });

  it("ends everyone but the owner when a rule changes, and one email when an invite is removed", async () => {
    const store = freshStore("sessions-end");
    const ended = await runInDurableObject(store, (_instance: AppDataStore, state) => {
      const { sql } = state.storage;
      for (const [hash, who] of [
        ["a1", ann],
        ["a2", ann],
        ["o1", owner],
      ] as const)
        startSession(sql, hash, who, 9_000, 0);
      const allButOwner = endSessions(sql, { allBut: "owner" });
      const byEmail = endSessions(sql, { email: owner.email });
      return { allButOwner, byEmail, left: findSession(sql, "o1", 1) };
    });
    expect(ended).toEqual({ allButOwner: 2, byEmail: 1, left: null });
  });
});
