import type { FileSystem } from "@cloudflare/worker-bundler";
import { connectorModules, importablePackages, importableSpecifiers, libraryModuleFor, packageName } from "./seed";

/** Runtime modules apps may import besides the seeded packages; always external. */
const RUNTIME_MODULES: ReadonlySet<string> = new Set(["cloudflare:workers"]);

/** Extensions tried, in order, for a relative import without one (as the bundler does). */
const RELATIVE_EXTENSIONS = [".ts", ".tsx", ".js", ".jsx", ".mts", ".mjs"];

/** @cloudflare/worker-bundler's esbuild namespace for files it loads from the given file system. */
const BUNDLER_NAMESPACE = "virtual";

/** TypeScript-style `./x.js` → `./x.ts` rewrites, which the bundler's own resolver does not do. */
const TYPESCRIPT_TWINS: Readonly<Record<string, readonly string[]>> = {
  ".js": [".ts", ".tsx"],
  ".jsx": [".tsx"],
  ".mjs": [".mts"],
};

/** Why an app may not import `specifier` (a bare one, not `./relative`), or null if it may. */
export function refuseImport(specifier: string): string | null {
  if (importableSpecifiers.has(specifier) || RUNTIME_MODULES.has(specifier)) return null;
  const connectors = connectorModules.length > 0 ? ` and the service connectors ${listWords(connectorModules)}` : "";
  const allowed = `Kiln apps can import ${listWords(importablePackages)} (and subpaths like hono/cors)${connectors}`;
  if (specifier.startsWith("node:")) {
    return `'${specifier}' cannot be imported: Kiln apps use Web APIs instead (fetch, crypto.subtle, TextEncoder…), and ${lowerFirst(allowed)}.`;
  }
  // Refused here so the model reads why; a socket opened anyway (a computed dynamic import) still meets the egress gate.
  if (specifier === "cloudflare:sockets")
    return `'${specifier}' cannot be imported: apps cannot open raw network connections. Reach a service through its connector${connectors ? ` (${listWords(connectorModules)})` : ""}; Kiln adds the owner's credentials.`;
  if (specifier.startsWith("cloudflare:"))
    return `'${specifier}' cannot be imported: of the platform modules, Kiln apps can use only cloudflare:workers.`;
  if (/^[a-z][a-z0-9+.-]*:/i.test(specifier))
    return `'${specifier}' cannot be imported: apps cannot load code from URLs. ${allowed}.`;
  const name = packageName(specifier);
  if (name === "kiln" && connectorModules.length > 0) {
    return `'${specifier}' is not a Kiln module: apps can import kiln and the service connectors ${listWords(connectorModules)}.`;
  }
  if (importablePackages.includes(name))
    return `'${specifier}' is not part of ${name} as Kiln provides it; check the import path.`;
  return `'${specifier}' cannot be imported: ${allowed}.`;
}

/** The subset of esbuild's plugin API this file uses (esbuild's own types are not public here). */
interface ResolveArgs {
  path: string;
  importer: string;
  namespace: string;
  resolveDir: string;
  kind: string;
}
type ResolveResult =
  | { path: string; namespace: string }
  | { path: string; external: true }
  | { errors: { text: string }[] }
  | undefined;
/** Minimal structural type of an esbuild plugin. */
export interface EsbuildPlugin {
  name: string;
  setup(build: { onResolve(options: { filter: RegExp }, callback: (args: ResolveArgs) => ResolveResult): void }): void;
}

/**
 * esbuild plugin for the app's own files: relative imports must name uploaded
 * files; bare imports must be importable, and each becomes an external import
 * of its prebuilt library module (`import "./kiln-lib/hono.js"`), recorded in
 * `used` so the caller can ship those modules with the bundle.
 */
export function importPolicyPlugin(files: FileSystem, used: Set<string>): EsbuildPlugin {
  return {
    name: "kiln-import-policy",
    setup(build) {
      build.onResolve({ filter: /.*/ }, (args) => {
        if (args.kind === "entry-point") return undefined;
        if (args.path.startsWith(".") || args.path.startsWith("/")) {
          const resolved = resolveRelative(args.resolveDir, args.path, files);
          if (resolved !== undefined) return { path: resolved, namespace: BUNDLER_NAMESPACE };
          return { errors: [{ text: `'${args.path}' does not match any of the app's files.` }] };
        }
        const refusal = refuseImport(args.path);
        if (refusal !== null) return { errors: [{ text: refusal }] };
        const module = libraryModuleFor(args.path);
        if (module === undefined) return undefined; // a runtime module such as cloudflare:workers
        used.add(args.path);
        // The bundle is the root module "app.js", so its imports are relative to the root.
        return { path: `./${module}`, external: true };
      });
    },
  };
}

/** The uploaded file a relative import names, trying extensions, `/index`, and `.js` → `.ts`. */
export function resolveRelative(resolveDir: string, specifier: string, files: FileSystem): string | undefined {
  const parts = specifier.startsWith("/")
    ? []
    : resolveDir
        .replace(/^\//, "")
        .split("/")
        .filter((p) => p !== "");
  for (const part of specifier.split("/")) {
    if (part === "..") parts.pop();
    else if (part !== "." && part !== "") parts.push(part);
  }
  const base = parts.join("/");
  const candidates = [
    base,
    ...RELATIVE_EXTENSIONS.map((e) => base + e),
    ...RELATIVE_EXTENSIONS.map((e) => `${base}/index${e}`),
  ];
  for (const [extension, twins] of Object.entries(TYPESCRIPT_TWINS)) {
    if (base.endsWith(extension)) candidates.push(...twins.map((twin) => base.slice(0, -extension.length) + twin));
  }
  return candidates.find((candidate) => files.read(candidate) !== null);
}

function listWords(words: readonly string[]): string {
  return words.length <= 1 ? (words[0] ?? "") : `${words.slice(0, -1).join(", ")} and ${words[words.length - 1]}`;
}

function lowerFirst(text: string): string {
  return text.charAt(0).toLowerCase() + text.slice(1);
}
