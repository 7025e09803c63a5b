// The libraries apps may import, generated into worker/generated/ by
// scripts/build-seed.mjs (`npm run seed`) from this checkout's node_modules.
import { importableSpecifiers as specifierList, seedFiles, seedVersions } from "../../generated/seed.js";

/** Every seeded file by bundler path (`node_modules/<pkg>/...`): JS, declarations, package.json. */
export const seedModules: ReadonlyMap<string, string> = new Map(Object.entries(seedFiles));

/** The seeded files TypeScript needs: declarations and package.json, not the JavaScript. */
export const seedDeclarations: ReadonlyMap<string, string> = new Map(
  [...seedModules].filter(([path]) => !/\.m?js$/.test(path)),
);

/** Bare specifiers an app may import from the seed, e.g. `hono`, `hono/cors`, `zod`, `kiln`. */
export const importableSpecifiers: ReadonlySet<string> = new Set(specifierList);

/** Package names in the seed that apps import (`hono`, `zod`, `kiln`), for messages. */
export const importablePackages: readonly string[] = [...new Set(specifierList.map(packageName))];

/** Versions of the seeded packages, the Workers types and TypeScript. */
export const libraryVersions: Readonly<Record<string, string>> = seedVersions;

/** The package a bare specifier names: `hono/cors` → `hono`, `@a/b/c` → `@a/b`. */
export function packageName(specifier: string): string {
  const parts = specifier.split("/");
  return specifier.startsWith("@") ? parts.slice(0, 2).join("/") : (parts[0] ?? specifier);
}
