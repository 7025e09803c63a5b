import { DurableObject } from "cloudflare:workers";
import type { SqlValue } from "../../sdk/kiln/index";
import type { Env } from "../core/env";
import type { DataRow, StoredValue } from "./column-values";
import { compileSchema, plainRow, requireTable, type CompiledSchema } from "./compiled-schema";
import { sha256Hex } from "../core/ids";
import { runImport, type ImportOutcome } from "./csv-import";
import { listGridRows } from "./grid-filters";
import { ensureInsertKeys, insertKey, insertRowOnce } from "./insert-keys";
import { DEFAULT_LIST_LIMIT, MAX_LIST_LIMIT, pagingNumber } from "./list-options";
import { applyMigration } from "./migration-apply";
import { planHasChanges, planMigration } from "./migration-plan";
import type { MigrationPlan } from "./schema-change";
import { DataError, runAsResult, toFailure, type DataResult } from "./result";
import { ownerRow, type OwnerFormat } from "./owner-values";
import { countRows, deleteRow, getRow, insertRow, listRows, updateRow } from "./row-operations";
import { normaliseTables, type AppSchema } from "./schema";
import {
  ensureBookkeeping,
  listBackups,
  loadAppliedSchema,
  saveAppliedSchema,
  type AppliedSchema,
} from "./schema-store";
import { checkAppQuery } from "./sql-guard";
import { quoteName } from "./sql-layout";
import type {
  AdminListOptions,
  ApplySchemaOptions,
  ApplySchemaOutcome,
  DataDump,
  DumpLoaded,
  QueryRow,
  RowPage,
} from "./store-types";
import { dumpTables, loadTables } from "./data-dump";
import type { DatabaseDescription } from "../core/api-shapes/data";
import { sqlTableStats } from "./table-stats";
import {
  type FileCommit,
  type FileEntry,
  type FileQuota,
  type FileRefusal,
  type FileUsage,
  commitFile,
  fileObject,
  fileUsage,
  findFile,
  forgetFile,
  listFileEntries,
  releaseFile,
  reserveFile,
  storedFileCount,
} from "./file-index";
import {
  type SessionFilter,
  type Visitor,
  endSessions,
  findSession,
  setSessionRoles,
  startSession,
} from "./visitor-sessions";

/** Re-exported so platform code next to the class (e.g. admin-routes.ts) finds the stub helper here too. */

/** `query()` refuses to return more rows than this in one call (protects memory and the RPC reply). */
export const MAX_QUERY_ROWS = 10_000;

/**
 * One app's database in one environment (`${appId}:${environment}`): a SQLite-backed Durable
 * Object. Every method is synchronous SQL (no interleaving) and returns a `DataResult`, because
 * error subclasses do not survive RPC. The applied schema is cached compiled in memory.
 */
export class AppDataStore extends DurableObject<Env> {
  #sql: SqlStorage;
  #applied: AppliedSchema;
  #tables: CompiledSchema;
  /** Whether this instance made sure the insert-keys table exists (on the first keyed insert). */
  #insertKeysReady = false;

  constructor(ctx: DurableObjectState, env: Env) {
    super(ctx, env);
    this.#sql = ctx.storage.sql;
    this.#applied = loadAppliedSchema(this.#sql);
    this.#tables = compileSchema(this.#applied.schema);
  }

  /** What applying `tables` would change, without changing anything. */
  planSchema(tables: unknown): DataResult<MigrationPlan> {
    return runAsResult(() => this.#plan(normaliseTables(tables)));
  }

  /**
   * Brings the database to the declared `tables` in one transaction. Refuses (changing nothing)
   * when a change is blocked, or destructive and not confirmed with `allowDestructive`.
   */
  applySchema(tables: unknown, options?: ApplySchemaOptions): DataResult<ApplySchemaOutcome> {
    return runAsResult(() => {
      const declared = normaliseTables(tables);
      const plan = this.#plan(declared);
      if (plan.blocked.length > 0) {
        throw new DataError(
          "blocked_change",
          `These tables can't be applied as declared, so nothing was changed: ${descriptions(plan.blocked)}.`,
          { plan },
        );
      }
      if (plan.destructive.length > 0 && options?.allowDestructive !== true) {
        throw new DataError(
          "destructive_change",
          `This change would remove or convert existing data, so nothing was changed until you confirm: ${descriptions(plan.destructive)}. ` +
            "If you confirm, the old data is kept in backup tables.",
          { plan },
        );
      }
      if (!planHasChanges(plan)) return { version: this.#applied.version, changed: false, plan, backups: [] };
      const version = this.#applied.version + 1;
      const now = new Date();
      const backups = this.ctx.storage.transactionSync(() => {
        ensureBookkeeping(this.#sql);
        const made = applyMigration(this.#sql, plan, declared, version, now);
        saveAppliedSchema(this.#sql, version, declared, plan, now.toISOString());
        return made;
      });
      this.#useSchema({ version, schema: declared });
      return { version, changed: true, plan, backups };
    });
  }

  /** Rows of `table` matching `options` (see the SDK's `ListOptions`). */
  list(table: string, options?: unknown): DataResult<DataRow[]> {
    return runAsResult(() => listRows(this.#sql, requireTable(this.#tables, table), options));
  }

  /** One row by id, or null. The hot path: one map lookup and one prepared SELECT. */
  get(table: string, id: number): DataResult<DataRow | null> {
    return runAsResult(() => getRow(this.#sql, requireTable(this.#tables, table), id));
  }

  /**
   * Inserts a row (checked against the declared types) and returns it as stored. With
   * `{ key }`, only the first insert of that key into the table writes (see `insert-keys.ts`).
   */
  insert(table: string, row: unknown, options?: unknown): DataResult<DataRow> {
    return runAsResult(() => {
      const compiled = requireTable(this.#tables, table);
      const key = insertKey(options);
      if (key === null) return insertRow(this.#sql, compiled, row);
      const inserted = this.ctx.storage.transactionSync(() => {
        if (!this.#insertKeysReady) ensureInsertKeys(this.#sql);
        return insertRowOnce(this.#sql, compiled, row, key, new Date());
      });
      this.#insertKeysReady = true;
      return inserted;
    });
  }

  /** Changes some columns of a row; null when the row does not exist. */
  update(table: string, id: number, patch: unknown): DataResult<DataRow | null> {
    return runAsResult(() => updateRow(this.#sql, requireTable(this.#tables, table), id, patch));
  }

  /** Deletes a row; false when it did not exist. */
  delete(table: string, id: number): DataResult<boolean> {
    return runAsResult(() => deleteRow(this.#sql, requireTable(this.#tables, table), id));
  }

  /** Number of rows matching `where` (all rows without it). */
  count(table: string, where?: unknown): DataResult<number> {
    return runAsResult(() => countRows(this.#sql, requireTable(this.#tables, table), where));
  }

  /**
   * One parametrised statement over the app's own tables (see `sql-guard.ts` for what is refused).
   * Values come back as stored (booleans as 0/1, json as text). Runs in a transaction so a
   * statement that fails midway changes nothing.
   */
  query(sql: string, params?: SqlValue[]): DataResult<QueryRow[]> {
    return runAsResult(() => {
      const checked = checkAppQuery(sql, params);
      try {
        return this.ctx.storage.transactionSync(() => this.#runQuery(checked.sql, checked.params));
      } catch (error) {
        if (error instanceof DataError) throw error;
        throw new DataError("invalid", `The SQL failed: ${error instanceof Error ? error.message : String(error)}`);
      }
    });
  }

  /** The applied schema with row counts, plus backup tables, for the platform's admin API. */
  describe(): DataResult<DatabaseDescription> {
    return runAsResult(() => ({
      version: this.#applied.version,
      tables: [...this.#tables.values()].map((table) => ({
        name: table.name,
        columns: Object.entries(table.columns).map(([name, column]) => ({ name, ...column })),
        rowCount: countRows(this.#sql, table, undefined),
      })),
      backups: listBackups(this.#sql),
    }));
  }

  /** One page of any app table (or backup table, by its name), searched and filtered, plus totals, for the admin API. */
  listRows(table: string, options?: AdminListOptions): DataResult<RowPage> {
    return runAsResult(() => {
      const backup = listBackups(this.#sql).find((candidate) => candidate.name === table);
      if (backup) return this.#listBackupRows(backup.name, options);
      return listGridRows(this.#sql, requireTable(this.#tables, table), options);
    });
  }

  /**
   * The owner's insert (`id` null) or update, for the admin API: the owner's checks (`owner-values.ts`: required means
   * not blank, refusals in words) before the usual ones. Null when the row to update does not exist.
   */
  ownerWrite(table: string, id: number | null, values: unknown, format: OwnerFormat): DataResult<DataRow | null> {
    return runAsResult(() => {
      const compiled = requireTable(this.#tables, table);
      if (id === null) return insertRow(this.#sql, compiled, ownerRow(compiled, values, "insert", format));
      return updateRow(this.#sql, compiled, id, ownerRow(compiled, values, "update", format));
    });
  }

  /** Previews a CSV import into `table` or, with `apply`, writes it all or nothing, once per file (`csv-import.ts`). */
  async importCsv(table: string, csv: string, apply: boolean): Promise<DataResult<ImportOutcome>> {
    const hash = await sha256Hex(`${table}\n${String(csv)}`);
    return runAsResult(() =>
      runImport(
        this.#sql,
        (operation) => this.ctx.storage.transactionSync(operation),
        requireTable(this.#tables, table),
        String(csv),
        hash,
        apply === true,
      ),
    );
  }

  /** Every row of every table, for a copy to another environment or app, or an export. */
  exportData(): DataResult<DataDump> {
    return runAsResult(() => dumpTables(this.#sql, this.#tables));
  }

  /** Loads a dump (`exportData` of another database) into empty tables, all or nothing. */
  importData(dump: unknown): DataResult<DumpLoaded> {
    return runAsResult(() => this.ctx.storage.transactionSync(() => loadTables(this.#sql, this.#tables, dump)));
  }

  /** Stores a visitor's new session (the hash of its token only); `expiresAt` in ms since the epoch. */
  startVisitorSession(tokenHash: string, visitor: Visitor, expiresAt: number): void {
    startSession(this.#sql, tokenHash, visitor, expiresAt);
  }

  /** The visitor whose session token hashes to `tokenHash`, or null (none, or expired). */
  visitorSession(tokenHash: string): Visitor | null {
    return findSession(this.#sql, tokenHash, Date.now());
  }

  /** Ends visitors' sessions (sign-out, an invite removed, the rule changed); answers how many ended. */
  endVisitorSessions(filter: SessionFilter): number {
    return endSessions(this.#sql, filter);
  }

  /** Gives every session of `email` new roles (the owner changed them). */
  setVisitorRoles(email: string, roles: string[]): void {
    setSessionRoles(this.#sql, email, roles);
  }

  /** Reserves room for an upload to `env.FILES` (data/file-index.ts); a refusal says which quota it broke. */
  reserveFile(name: string, size: number, quota: FileQuota, token: string): { token: string } | FileRefusal {
    return this.ctx.storage.transactionSync(() => reserveFile(this.#sql, name, size, quota, token));
  }

  /** Records an upload whose bytes are stored at `objectKey`; null when its reservation had lapsed. */
  commitFile(token: string, objectKey: string, contentType: string, uploaded: string): FileCommit | null {
    return this.ctx.storage.transactionSync(() => commitFile(this.#sql, token, objectKey, contentType, uploaded));
  }

  /** Frees the room of an upload that failed. */
  releaseFile(token: string): void {
    releaseFile(this.#sql, token);
  }

  /** Forgets a file; answers the bucket key of its object (to delete), or null when there was none. */
  forgetFile(name: string): string | null {
    return forgetFile(this.#sql, name);
  }

  /** The bucket key of a file's current object, or null. */
  fileObject(name: string): string | null {
    return fileObject(this.#sql, name);
  }

  /** How many files are stored, uploads in flight not counted. */
  storedFileCount(): number {
    return storedFileCount(this.#sql);
  }

  /** One stored file's entry, or null. */
  findFile(name: string): FileEntry | null {
    return findFile(this.#sql, name);
  }

  /** Stored files by name (paged by the last name seen). */
  listFiles(options: { prefix?: string; limit: number; after?: string; offset?: number }): FileEntry[] {
    return listFileEntries(this.#sql, options);
  }

  /** What the environment's files take, uploads in flight included. */
  fileUsage(): FileUsage {
    return fileUsage(this.#sql);
  }

  /** Deletes every table and row of this app environment for good (used when an app is deleted). */
  async destroy(): Promise<DataResult<null>> {
    try {
      await this.ctx.storage.deleteAll();
      this.#useSchema({ version: 0, schema: {} });
      this.#insertKeysReady = false;
      return { ok: true, value: null };
    } catch (error) {
      return { ok: false, error: toFailure(error) };
    }
  }

  #runQuery(sql: string, params: StoredValue[]): QueryRow[] {
    const rows: QueryRow[] = [];
    for (const row of this.#sql.exec(sql, ...params)) {
      if (rows.length === MAX_QUERY_ROWS) {
        throw new DataError(
          "invalid",
          `query() returned more than ${MAX_QUERY_ROWS} rows; add a LIMIT and page with OFFSET.`,
        );
      }
      rows.push(queryRow(row));
    }
    return rows;
  }

  #plan(declared: AppSchema): MigrationPlan {
    return planMigration(this.#applied.schema, declared, sqlTableStats(this.#sql));
  }

  #useSchema(applied: AppliedSchema): void {
    this.#applied = applied;
    this.#tables = compileSchema(applied.schema);
  }

  #listBackupRows(name: string, options: AdminListOptions | undefined): RowPage {
    if ((options?.search ?? "").trim() !== "" || (options?.filters?.length ?? 0) > 0)
      throw new DataError(
        "invalid",
        `'${name}' is a backup table: it is shown whole and can't be searched or filtered.`,
      );
    const limit = pagingNumber("limit", options?.limit, DEFAULT_LIST_LIMIT, MAX_LIST_LIMIT);
    const offset = pagingNumber("offset", options?.offset, 0, Number.MAX_SAFE_INTEGER);
    const quoted = quoteName(name);
    const rows = this.#sql
      .exec(`SELECT * FROM ${quoted} ORDER BY rowid LIMIT ? OFFSET ?`, limit, offset)
      .toArray()
      .map(plainRow);
    const total = this.#sql.exec<{ n: number }>(`SELECT COUNT(*) AS n FROM ${quoted}`).one().n;
    return { rows, total, tableTotal: total };
  }
}

function queryRow(row: Record<string, SqlStorageValue>): QueryRow {
  const plain: QueryRow = {};
  for (const key of Object.keys(row)) {
    const value = row[key];
    plain[key] = value === undefined || value instanceof ArrayBuffer ? null : value;
  }
  return plain;
}

function descriptions(changes: MigrationPlan["blocked"]): string {
  return changes.map((change) => change.description).join("; ");
}
