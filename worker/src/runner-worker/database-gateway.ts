import { WorkerEntrypoint } from "cloudflare:workers";
import type { AppDatabase, ListOptions, NewRow, Row, SqlValue, Tables } from "../../sdk/kiln/index";
import { type AppDataStoreClient, createAppDatabase } from "../data/app-database-client";
import type { AppDatabaseGatewayProps } from "../data/app-database-gateway";
import type { DataResult } from "../data/result";
import type { RunnerEnv } from "./runner-env";

/**
 * `env.DB` of app isolates in the runner process: the same SDK surface as
 * the control plane's gateway, backed by the app's Durable Object stub that
 * the control plane hands over for the props Kiln set (never app input).
 */
export class AppDatabaseGateway extends WorkerEntrypoint<RunnerEnv, AppDatabaseGatewayProps> implements AppDatabase {
  #database: AppDatabase | undefined;

  #db(): AppDatabase {
    this.#database ??= createAppDatabase(forwardingStore(this.env, this.ctx.props));
    return this.#database;
  }

  async list<K extends string>(table: K, options?: ListOptions<Tables[K]>): Promise<Row<Tables[K]>[]> {
    return this.#db().list(table, options);
  }

  async get<K extends string>(table: K, id: number): Promise<Row<Tables[K]> | null> {
    return this.#db().get(table, id);
  }

  async insert<K extends string>(table: K, row: NewRow<Tables[K]>): Promise<Row<Tables[K]>> {
    return this.#db().insert(table, row);
  }

  async update<K extends string>(table: K, id: number, patch: Partial<NewRow<Tables[K]>>): Promise<Row<Tables[K]> | null> {
    return this.#db().update(table, id, patch);
  }

  async delete<K extends string>(table: K, id: number): Promise<boolean> {
    return this.#db().delete(table, id);
  }

  async count<K extends string>(table: K, where?: Partial<Row<Tables[K]>>): Promise<number> {
    return this.#db().count(table, where);
  }

  async query<R = Record<string, SqlValue>>(sql: string, params?: SqlValue[]): Promise<R[]> {
    return this.#db().query<R>(sql, params);
  }
}

// The store, one control-plane call per operation.
function forwardingStore(env: RunnerEnv, props: AppDatabaseGatewayProps): AppDataStoreClient {
  const call = <M extends keyof AppDataStoreClient>(method: M) =>
    ((...args: Parameters<AppDataStoreClient[M]>) => env.CONTROL.database(props, method, args) as Promise<DataResult<never>>) as unknown as AppDataStoreClient[M];
  return {
    list: call("list"),
    get: call("get"),
    insert: call("insert"),
    update: call("update"),
    delete: call("delete"),
    count: call("count"),
    query: call("query"),
  };
}
