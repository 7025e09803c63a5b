// What apps may import, generated into worker/generated/ by scripts/build-seed.mjs
// (`npm run seed`) from this checkout's node_modules.
import type { ApiCatalog, ConnectorId } from "../../../connectors/types";
import {
  connectorCatalogs as catalogs,
  connectorSpecifiers,
  importableSpecifiers as specifierList,
  libraryEntries,
  libraryModules,
  seedFiles,
} from "../../generated/seed.js";

/** What TypeScript needs from node_modules (`node_modules/<pkg>/...`): package.json files and declarations. */
export const seedDeclarations: ReadonlyMap<string, string> = new Map(Object.entries(seedFiles));

/** The whole API of each connector that has a generated one (Stripe), as the model looks it up. */
export const connectorCatalogs: Readonly<Partial<Record<ConnectorId, ApiCatalog>>> = catalogs;

/** Bare specifiers an app may import from the seed, e.g. `hono`, `hono/cors`, `zod`, `kiln`. */
export const importableSpecifiers: ReadonlySet<string> = new Set(specifierList);

/** Package names apps import (`hono`, `kiln`, `zod`), for messages. */
export const importablePackages: readonly string[] = [...new Set(specifierList.map(packageName))].sort();

/** The connector clients apps may import, e.g. `kiln/airtable`, sorted. */
export const connectorModules: readonly string[] = Object.keys(connectorSpecifiers).sort();

/** The connector an importable specifier is the client of (`kiln/stripe` → `stripe`), if any. */
export function connectorFor(specifier: string): ConnectorId | undefined {
  return Object.hasOwn(connectorSpecifiers, specifier) ? connectorSpecifiers[specifier] : undefined;
}

/** The prebuilt module an importable specifier maps to, e.g. `hono/cors` → `kiln-lib/hono/cors.js`. */
export function libraryModuleFor(specifier: string): string | undefined {
  return Object.hasOwn(libraryEntries, specifier) ? libraryEntries[specifier]?.module : undefined;
}

/** The prebuilt modules (name → source) that importing `specifiers` loads, shared chunks included. */
export function libraryModulesFor(specifiers: Iterable<string>): Record<string, string> {
  const modules: Record<string, string> = {};
  for (const specifier of specifiers) {
    for (const name of libraryEntries[specifier]?.modules ?? []) {
      const source = libraryModules[name];
      if (source === undefined) throw new Error(`seed is inconsistent: ${name} is missing; run npm run seed`);
      modules[name] = source;
    }
  }
  return modules;
}

/** The package a bare specifier names: `hono/cors` → `hono`, `@a/b/c` → `@a/b`. */
export function packageName(specifier: string): string {
  const parts = specifier.split("/");
  return specifier.startsWith("@") ? parts.slice(0, 2).join("/") : (parts[0] ?? specifier);
}
