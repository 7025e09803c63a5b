/**
 * Kiln app contract. An app is a module Worker written in TypeScript:
 * `export default { fetch }` (a Hono app works too) plus, optionally,
 * `export const tables = defineTables({...})` to declare its data.
 * Its `env` holds only what Kiln grants: the app's own database and
 * non-secret config values. It holds no secret and no platform binding.
 */

/** Column types an app may declare. `datetime` is an ISO-8601 string. */
export type ColumnType = "text" | "integer" | "number" | "boolean" | "json" | "datetime";

/** Long form of a column: `optional` columns accept and return null. */
export interface ColumnSpec {
  type: ColumnType;
  optional?: boolean;
  default?: string | number | boolean | null;
}

/** A column is declared as `"text"`, `"text?"` (optional) or a ColumnSpec. */
export type ColumnDeclaration = ColumnType | `${ColumnType}?` | ColumnSpec;

/** Columns of one table by name. `id`, `created_at`, `updated_at` are added by Kiln. */
export type TableDeclaration = Record<string, ColumnDeclaration>;

/** Every table of an app by name. */
export type Tables = Record<string, TableDeclaration>;

/** A JSON value as stored in a `json` column. */
export type JsonValue = string | number | boolean | null | JsonValue[] | { [key: string]: JsonValue };

/** A value bound to a `?` placeholder in `query()`. */
export type SqlValue = string | number | boolean | null;

type TypeOf<T extends ColumnType> = T extends "text" | "datetime"
  ? string
  : T extends "integer" | "number"
    ? number
    : T extends "boolean"
      ? boolean
      : JsonValue;

type BaseType<C> = C extends ColumnSpec
  ? C["type"]
  : C extends `${infer B extends ColumnType}?`
    ? B
    : C extends ColumnType
      ? C
      : never;

type IsOptional<C> = C extends ColumnSpec
  ? C["optional"] extends true
    ? true
    : C["default"] extends undefined
      ? false
      : true
  : C extends `${ColumnType}?`
    ? true
    : false;

type RequiredKeys<T extends TableDeclaration> = {
  [K in keyof T]: IsOptional<T[K]> extends true ? never : K;
}[keyof T];
type OptionalKeys<T extends TableDeclaration> = Exclude<keyof T, RequiredKeys<T>>;

/** What Kiln adds to every row. */
export interface SystemColumns {
  id: number;
  created_at: string;
  updated_at: string;
}

/** A stored row of a table declared as `T`. */
export type Row<T extends TableDeclaration> = SystemColumns & {
  [K in RequiredKeys<T>]: TypeOf<BaseType<T[K]>>;
} & { [K in OptionalKeys<T>]: TypeOf<BaseType<T[K]>> | null };

/** The values needed to insert a row of a table declared as `T`. */
export type NewRow<T extends TableDeclaration> = {
  [K in RequiredKeys<T>]: TypeOf<BaseType<T[K]>>;
} & { [K in OptionalKeys<T>]?: TypeOf<BaseType<T[K]>> | null };

/** Filters, order and paging for `list()`; `where` matches columns by equality. */
export interface ListOptions<T extends TableDeclaration> {
  where?: Partial<Row<T>>;
  orderBy?: keyof Row<T> & string;
  order?: "asc" | "desc";
  /** At most 1000; default 100. */
  limit?: number;
  offset?: number;
}

/** The app's own database: one per app and environment (preview and live are separate). */
export interface AppDatabase<T extends Tables = Tables> {
  list<K extends keyof T & string>(table: K, options?: ListOptions<T[K]>): Promise<Row<T[K]>[]>;
  get<K extends keyof T & string>(table: K, id: number): Promise<Row<T[K]> | null>;
  insert<K extends keyof T & string>(table: K, row: NewRow<T[K]>): Promise<Row<T[K]>>;
  update<K extends keyof T & string>(table: K, id: number, patch: Partial<NewRow<T[K]>>): Promise<Row<T[K]> | null>;
  delete<K extends keyof T & string>(table: K, id: number): Promise<boolean>;
  count<K extends keyof T & string>(table: K, where?: Partial<Row<T[K]>>): Promise<number>;
  /** Parametrised SQL over the app's own tables: `query("select * from todos where done = ?", [false])`. */
  query<R = Record<string, SqlValue>>(sql: string, params?: SqlValue[]): Promise<R[]>;
}

/** Where the current request runs. */
export interface AppInfo {
  appId: string;
  environment: "preview" | "live";
  version: string;
}

/** Everything Kiln grants an app. Use `AppEnv<typeof tables>` for typed rows. */
export interface AppEnv<T extends Tables = Tables> {
  DB: AppDatabase<T>;
  /** Non-secret configuration values set by the app's owner. */
  CONFIG: Readonly<Record<string, string>>;
  KILN: AppInfo;
}

/** The shape of an app's default export. */
export interface AppHandler<T extends Tables = Tables> {
  fetch(request: Request, env: AppEnv<T>, ctx: ExecutionContext): Response | Promise<Response>;
}

/** Declares the app's tables; export the result as `tables` from the entry file. */
export declare function defineTables<const T extends Tables>(tables: T): T;

/** Types an object-style app (`export default defineApp<typeof tables>({ fetch })`). */
export declare function defineApp<T extends Tables = Tables>(handler: AppHandler<T>): AppHandler<T>;
