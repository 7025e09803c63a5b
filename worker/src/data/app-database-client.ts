import type { AppDatabase, ListOptions, NewRow, Row, SqlValue, Tables } from "../../sdk/kiln/index";
import type { DataRow } from "./column-values";
import type { DataResult } from "./result";
import type { QueryRow } from "./store-types";

/** The part of the store's RPC surface the app-facing database needs (an `AppDataStore` stub in production). */
export interface AppDataStoreClient {
  list(table: string, options?: unknown): Promise<DataResult<DataRow[]>>;
  get(table: string, id: number): Promise<DataResult<DataRow | null>>;
  insert(table: string, row: unknown, options?: unknown): Promise<DataResult<DataRow>>;
  update(table: string, id: number, patch: unknown): Promise<DataResult<DataRow | null>>;
  delete(table: string, id: number): Promise<DataResult<boolean>>;
  count(table: string, where?: unknown): Promise<DataResult<number>>;
  query(sql: string, params?: SqlValue[]): Promise<DataResult<QueryRow[]>>;
}

/**
 * The SDK's `AppDatabase` on top of one store: unwraps `DataResult`s and throws a plain
 * `Error(message)` the app's code can catch and show. The gateway delegates here, and tests
 * call it directly.
 */
export function createAppDatabase(store: AppDataStoreClient): AppDatabase {
  return new StoreBackedDatabase(store);
}

class StoreBackedDatabase implements AppDatabase {
  constructor(private readonly store: AppDataStoreClient) {}

  async list<K extends string>(table: K, options?: ListOptions<Tables[K]>): Promise<Row<Tables[K]>[]> {
    const value = unwrap(await this.store.list(table, untyped(options)));
    return trusted(value);
  }

  async get<K extends string>(table: K, id: number): Promise<Row<Tables[K]> | null> {
    const value = unwrap(await this.store.get(table, id));
    return trusted(value);
  }

  async insert<K extends string>(table: K, row: NewRow<Tables[K]>, options?: { key: string }): Promise<Row<Tables[K]>> {
    const value = unwrap(await this.store.insert(table, untyped(row), untyped(options)));
    return trusted(value);
  }

  async update<K extends string>(
    table: K,
    id: number,
    patch: Partial<NewRow<Tables[K]>>,
  ): Promise<Row<Tables[K]> | null> {
    const value = unwrap(await this.store.update(table, id, untyped(patch)));
    return trusted(value);
  }

  async delete<K extends string>(table: K, id: number): Promise<boolean> {
    return unwrap(await this.store.delete(table, id));
  }

  async count<K extends string>(table: K, where?: Partial<Row<Tables[K]>>): Promise<number> {
    return unwrap(await this.store.count(table, untyped(where)));
  }

  async query<R = Record<string, SqlValue>>(sql: string, params?: SqlValue[]): Promise<R[]> {
    const value = unwrap(await this.store.query(sql, params));
    return trusted(value);
  }
}

/** Returns the value of a successful result, or throws a plain Error carrying the store's message. */
export function unwrap<T>(result: DataResult<T>): T {
  if (result.ok) return result.value;
  throw new Error(result.error.message);
}

/** The store checked every value against the declared schema, so its rows have the app's row type. */
function trusted<T>(value: unknown): T {
  return value as T;
}

/** The store validates these at run time; widening here spares TypeScript relating the app's generic row types to RPC types. */
function untyped(value: unknown): unknown {
  return value;
}
