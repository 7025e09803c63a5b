#!/usr/bin/env node
// Builds worker/generated/seed.js: what the platform Worker needs to type-check
// and bundle apps with no network, read out of node_modules:
//  - the libraries apps may import (hono, zod, kiln, and the connector clients
//    kiln/<id> from connectors/<id>/client.ts), prebuilt into ES modules (one
//    per importable specifier + shared chunks) that app bundles import instead
//    of re-bundling them on every build;
//  - their package.json files and the declarations TypeScript actually loads,
//    the Workers types, and a tarball of TypeScript's lib files.
//
// Run by `npm run seed`; skips work when its inputs have not changed.
import { createHash } from "node:crypto";
import { existsSync, mkdirSync, readFileSync, readdirSync, statSync, writeFileSync } from "node:fs";
import { dirname, join, posix, relative, sep } from "node:path";
import { fileURLToPath, pathToFileURL } from "node:url";
import { gzipSync } from "node:zlib";
import * as esbuild from "esbuild";
import * as resolveExports from "resolve.exports";
import ts from "typescript";
import { connectorCatalogs } from "./connector-catalogs.mjs";

const root = join(dirname(fileURLToPath(import.meta.url)), "..");
const nodeModules = join(root, "node_modules");
const outDir = join(root, "worker/generated");
const outFile = join(outDir, "seed.js");
const tsconfigPath = join(root, "worker/src/compiler/app-tsconfig.json");

/** Packages apps may import, where to read them, and export keys left out (other runtimes; per-file locales). */
const PACKAGES = [
  {
    name: "hono",
    dir: join(nodeModules, "hono"),
    skip: [
      "./deno",
      "./bun",
      "./aws-lambda",
      "./vercel",
      "./netlify",
      "./lambda-edge",
      "./service-worker",
      "./cloudflare-pages",
    ],
  },
  { name: "zod", dir: join(nodeModules, "zod"), skip: ["./v4/locales/*"] },
  { name: "kiln", dir: join(root, "worker/sdk/kiln"), skip: [] },
];
const WORKERS_TYPES = join(nodeModules, "@cloudflare/workers-types");
const CONNECTORS_DIR = join(root, "connectors");
/** Where the ConnectorId union is declared: only its members become `kiln/<id>` modules. */
const CONNECTOR_TYPES = join(CONNECTORS_DIR, "types.ts");
/** Inside the seeded kiln package, where connector declarations sit (`kiln/<id>` → `connectors/<id>/index.d.ts`). */
const KILN_CONNECTOR_TYPES_DIR = "connectors";
const TS_LIB_DIR = join(nodeModules, "typescript/lib");
// An export is importable when it has an ESM target under these conditions.
const BUNDLER_CONDITIONS = ["import", "browser"];
/** Folder (module-name prefix) of the prebuilt library modules inside an app bundle. */
const LIBRARY_DIR = "kiln-lib";
const STAMP_PREFIX = "seed-inputs: ";

const started = performance.now();
// The full Stripe API's declarations and catalog are generated from the stripe package (gitignored output).
const STRIPE_API = join(CONNECTORS_DIR, "stripe/api");
const STRIPE_API_SCRIPT = join(root, "scripts/build-stripe-api.mjs");
// The same for Google (Sheets, Calendar, Gmail, Drive) from the @googleapis/* packages, plus the client's method table.
const GOOGLE_API = join(CONNECTORS_DIR, "google/api");
const GOOGLE_API_SCRIPT = join(root, "scripts/build-google-api.mjs");
const AIRTABLE_API_SCRIPT = join(root, "scripts/build-airtable-api.mjs");
const GOOGLE_API_PACKAGES = ["@googleapis/sheets", "@googleapis/calendar", "@googleapis/gmail", "@googleapis/drive"];
const connectors = discoverConnectors();
const inputsHash = hashInputs();
const stripeApiBuilt = existsSync(join(STRIPE_API, "catalog.json"));
const googleApiBuilt = ["catalog.json", "methods.json"].every((f) => existsSync(join(GOOGLE_API, f)));
const airtableApiBuilt = existsSync(join(CONNECTORS_DIR, "airtable/api/catalog.json"));
if (
  !process.argv.includes("--force") &&
  readStamp() === inputsHash &&
  stripeApiBuilt &&
  googleApiBuilt &&
  airtableApiBuilt
) {
  console.log(`seed: up to date (${relative(root, outFile)}), skipped in ${ms(started)}`);
  process.exit(0);
}
await import(pathToFileURL(STRIPE_API_SCRIPT).href);
await import(pathToFileURL(GOOGLE_API_SCRIPT).href);
await import(pathToFileURL(AIRTABLE_API_SCRIPT).href);

const seedFiles = new Map(); // node_modules/<pkg>/<path> -> text (declarations, package.json)
const specifiers = []; // every bare specifier an app may import
for (const pkg of PACKAGES) collectSpecifiers(pkg);
addConnectorSpecifiers();
const { libraryModules, libraryEntries } = await prebuildLibraries();
const libNames = seedDeclarations();
const libTarball = gzipSync(tarLibFiles(libNames), { level: 9 });
writeOutput();

// ---------------------------------------------------------------------------

/** Records a package's importable specifiers (its exports, expanded) and its package.json files. */
function collectSpecifiers(pkg) {
  const manifest = JSON.parse(readFileSync(join(pkg.dir, "package.json"), "utf8"));
  const files = listFiles(pkg.dir).filter(
    (f) => !f.startsWith("src/") && !f.includes("/cjs/") && !f.startsWith("node_modules/"),
  );
  for (const f of files)
    if (posix.basename(f) === "package.json") seedFiles.set(`node_modules/${pkg.name}/${f}`, read(pkg.dir, f));
  for (const subpath of exportedSubpaths(manifest, files, pkg.skip)) {
    const [target] = resolveExports.resolve(manifest, subpath, { conditions: BUNDLER_CONDITIONS }) ?? [];
    if (target !== undefined && /\.m?js$/.test(target))
      specifiers.push(subpath === "." ? pkg.name : `${pkg.name}/${subpath.slice(2)}`);
  }
}

/**
 * The connectors apps can import: each member of the ConnectorId union in
 * connectors/types.ts whose folder has both the in-app client (client.ts) and
 * its declaration (index.d.ts). Read from the source, so adding a connector
 * needs no list here.
 */
function discoverConnectors() {
  const source = ts.createSourceFile(CONNECTOR_TYPES, readFileSync(CONNECTOR_TYPES, "utf8"), ts.ScriptTarget.Latest);
  const alias = source.statements.find((s) => ts.isTypeAliasDeclaration(s) && s.name.text === "ConnectorId");
  const members = alias && ts.isUnionTypeNode(alias.type) ? alias.type.types : alias ? [alias.type] : [];
  const ids = members.map((m) =>
    ts.isLiteralTypeNode(m) && ts.isStringLiteral(m.literal) ? m.literal.text : undefined,
  );
  if (ids.length === 0 || ids.includes(undefined))
    throw new Error(`seed: ${relative(root, CONNECTOR_TYPES)} must declare ConnectorId as a union of string literals`);
  const found = [];
  for (const id of ids) {
    const dir = join(CONNECTORS_DIR, id);
    const client = join(dir, "client.ts");
    const declarations = join(dir, "index.d.ts");
    if (existsSync(client) && existsSync(declarations))
      found.push({ id, specifier: `kiln/${id}`, client, declarations });
    else console.warn(`seed: connectors/${id} has no client.ts and index.d.ts yet; apps cannot import kiln/${id}`);
  }
  return found;
}

/** The connector an importable specifier names (`kiln/stripe`), if it is one. */
function connectorFor(specifier) {
  return connectors.find((c) => c.specifier === specifier);
}

/**
 * Makes every connector importable as `kiln/<id>`: a specifier prebuilt from
 * its client.ts, and (for TypeScript) an export of the seeded kiln package
 * whose types are the connector's index.d.ts.
 */
function addConnectorSpecifiers() {
  const manifestPath = "node_modules/kiln/package.json";
  const manifest = JSON.parse(seedFiles.get(manifestPath));
  for (const c of connectors) {
    specifiers.push(c.specifier);
    const typesPath = `${KILN_CONNECTOR_TYPES_DIR}/${c.id}/index.d.ts`;
    manifest.exports[`./${c.id}`] = { types: `./${typesPath}` };
    seedFiles.set(`node_modules/kiln/${typesPath}`, readFileSync(c.declarations, "utf8"));
    // The other declaration files beside index.d.ts (a hand-written API it re-exports), as it imports them.
    for (const f of readdirSync(dirname(c.declarations)).filter((f) => f.endsWith(".d.ts") && f !== "index.d.ts"))
      seedFiles.set(`node_modules/kiln/${KILN_CONNECTOR_TYPES_DIR}/${c.id}/${f}`, read(dirname(c.declarations), f));
    // A connector's generated API (connectors/<id>/api/**.d.ts) sits beside its declaration, as it imports it.
    const apiDir = join(dirname(c.declarations), "api");
    if (existsSync(apiDir))
      for (const f of listFiles(apiDir).filter((f) => f.endsWith(".d.ts")))
        seedFiles.set(`node_modules/kiln/${KILN_CONNECTOR_TYPES_DIR}/${c.id}/api/${f}`, read(apiDir, f));
  }
  seedFiles.set(manifestPath, `${JSON.stringify(manifest, null, 2)}\n`);
}

/**
 * A connector's source files as the build reads them (index.d.ts, client.ts
 * and the local files it imports, found with TypeScript's import scanner) and
 * the npm packages it imports, for the seed's input hash.
 */
function connectorInputs(connector) {
  const brief = join(dirname(connector.declarations), "brief.md");
  const files = new Set([connector.declarations, ...(existsSync(brief) ? [brief] : [])]);
  const packages = new Set();
  const pending = [connector.client];
  while (pending.length > 0) {
    const file = pending.pop();
    if (files.has(file)) continue;
    files.add(file);
    for (const { fileName: specifier } of ts.preProcessFile(readFileSync(file, "utf8"), true, true).importedFiles) {
      if (!specifier.startsWith(".")) {
        packages.add(specifier.startsWith("@") ? specifier.split("/").slice(0, 2).join("/") : specifier.split("/")[0]);
        continue;
      }
      const base = join(dirname(file), specifier);
      const candidates = [base, `${base}.ts`, `${base}.d.ts`, join(base, "index.ts"), base.replace(/\.js$/, ".ts")];
      const local = candidates.find((candidate) => existsSync(candidate) && statSync(candidate).isFile());
      // A generated API (connectors/<id>/api/) is hashed by its generator and packages above: it is rewritten after the hash.
      if (local !== undefined && !relative(dirname(connector.client), local).startsWith(`api${sep}`))
        pending.push(local);
    }
  }
  return { files: [...files].sort(), packages: [...packages].sort() };
}

/**
 * Bundles every importable specifier as an entry of one code-split esbuild
 * build, so modules shared between entries (hono and hono/cors) exist once.
 * Returns the output modules and, per specifier, its module and every module
 * it loads (statically or dynamically).
 */
async function prebuildLibraries() {
  const kilnDir = PACKAGES.find((p) => p.name === "kiln").dir;
  const result = await esbuild.build({
    absWorkingDir: root,
    entryPoints: specifiers.map((spec) => ({
      in: connectorFor(spec)?.client ?? spec,
      out: `${LIBRARY_DIR}/${spec.replace(/\.m?js$/, "")}`,
    })),
    bundle: true,
    splitting: true,
    format: "esm",
    platform: "browser",
    conditions: ["workerd", "worker", "browser"],
    target: "es2023",
    external: ["node:*", "cloudflare:*"],
    alias: { kiln: kilnDir },
    outdir: "out",
    chunkNames: `${LIBRARY_DIR}/chunks/[name]-[hash]`,
    write: false,
    metafile: true,
    legalComments: "inline",
    // Smaller modules load faster into each new isolate (the Stripe SDK is 725 KB unminified);
    // names are kept so stack traces through a library stay readable.
    minifyWhitespace: true,
    minifySyntax: true,
    logLevel: "error",
  });
  const libraryModules = {};
  for (const file of result.outputFiles) libraryModules[posix.relative("out", relative(root, file.path))] = file.text;
  const imports = new Map();
  for (const [path, output] of Object.entries(result.metafile.outputs)) {
    imports.set(
      posix.relative("out", path),
      output.imports.filter((i) => !i.external).map((i) => posix.relative("out", i.path)),
    );
  }
  const closure = (start) => {
    const seen = new Set();
    const visit = (path) => {
      if (seen.has(path)) return;
      seen.add(path);
      for (const next of imports.get(path) ?? []) visit(next);
    };
    visit(start);
    return [...seen].sort();
  };
  const libraryEntries = {};
  for (const spec of specifiers) {
    const module = `${LIBRARY_DIR}/${spec.replace(/\.m?js$/, "")}.js`;
    if (!(module in libraryModules)) throw new Error(`seed: esbuild produced no module for ${spec}`);
    libraryEntries[spec] = { module, modules: closure(module) };
  }
  return { libraryModules, libraryEntries };
}

/** Export subpaths of a manifest, with `./x/*` patterns expanded against the package's files. */
function exportedSubpaths(manifest, files, skip) {
  const exportsMap = manifest.exports;
  if (exportsMap === undefined || typeof exportsMap === "string") return ["."];
  const result = [];
  for (const key of Object.keys(exportsMap)) {
    if (key === "./package.json" || skip.includes(key)) continue;
    if (!key.includes("*")) {
      result.push(key);
      continue;
    }
    const [target] =
      resolveExports.resolve(manifest, key.replace("*", "__STAR__"), { conditions: BUNDLER_CONDITIONS }) ?? [];
    if (target === undefined) continue;
    const [before, after] = posix.normalize(target).split("__STAR__");
    for (const f of files) {
      if (!f.startsWith(before) || !f.endsWith(after) || f.length <= before.length + after.length) continue;
      if (!/\.m?js$/.test(f)) continue;
      result.push(key.replace("*", f.slice(before.length, f.length - after.length)));
    }
  }
  return result;
}

/**
 * Loads every importable specifier in a TypeScript program set up exactly as
 * the in-Worker type-check is, and keeps the declaration files it reads.
 * Returns the names of the lib files it loaded.
 */
function seedDeclarations() {
  const candidates = new Map();
  for (const pkg of PACKAGES) {
    for (const f of listFiles(pkg.dir)) {
      if (f.startsWith("src/") || f.startsWith("node_modules/")) continue;
      if (/\.d\.[cm]?ts$/.test(f) || posix.basename(f) === "package.json")
        candidates.set(`/node_modules/${pkg.name}/${f}`, join(pkg.dir, f));
    }
  }
  candidates.set("/node_modules/@cloudflare/workers-types/package.json", join(WORKERS_TYPES, "package.json"));
  candidates.set("/node_modules/@cloudflare/workers-types/index.d.ts", join(WORKERS_TYPES, "index.d.ts"));
  // Files the seed wrote itself (kiln's manifest with the connector exports, their declarations): already in seedFiles.
  const generated = new Map();
  for (const [path, text] of seedFiles) if (path.startsWith("node_modules/kiln/")) generated.set(`/${path}`, text);
  for (const path of generated.keys()) candidates.delete(path);
  const probeName = "/__kiln_seed_probe__.ts";
  const probe = specifiers.map((s, i) => `import * as m${i} from ${JSON.stringify(s)};\nvoid m${i};`).join("\n");
  const libPath = (p) => (/^\/lib\.[^/]*\.d\.ts$/.test(p) ? join(TS_LIB_DIR, p.slice(1)) : undefined);
  const diskPath = (p) => candidates.get(p) ?? libPath(p);
  const { options, errors } = ts.convertCompilerOptionsFromJson(
    JSON.parse(readFileSync(tsconfigPath, "utf8")).compilerOptions,
    "/",
  );
  if (errors.length > 0) throw new Error(ts.formatDiagnostics(errors, formatHost()));
  const host = {
    ...formatHost(),
    fileExists: (p) => p === probeName || generated.has(p) || (diskPath(p) !== undefined && existsSync(diskPath(p))),
    readFile: (p) =>
      p === probeName
        ? probe
        : (generated.get(p) ??
          (diskPath(p) && existsSync(diskPath(p)) ? readFileSync(diskPath(p), "utf8") : undefined)),
    directoryExists: (d) =>
      d === "/" || [...candidates.keys(), ...generated.keys()].some((k) => k.startsWith(d.endsWith("/") ? d : `${d}/`)),
    getDirectories: () => [],
    getSourceFile: (p, languageVersion) => {
      const text = host.readFile(p);
      return text === undefined ? undefined : ts.createSourceFile(p, text, languageVersion);
    },
    getDefaultLibFileName: (o) => `/${ts.getDefaultLibFileName(o)}`,
    getDefaultLibLocation: () => "/",
    writeFile: () => {},
    useCaseSensitiveFileNames: () => true,
    realpath: (p) => p,
  };
  const program = ts.createProgram({ rootNames: [probeName], options, host });
  const problems = [
    ...program.getOptionsDiagnostics(),
    ...program.getGlobalDiagnostics(),
    ...program.getSemanticDiagnostics(program.getSourceFile(probeName)),
  ];
  if (problems.length > 0)
    throw new Error(`seed: the probe does not type-check:\n${ts.formatDiagnostics(problems, formatHost())}`);
  const libs = [];
  for (const sf of program.getSourceFiles()) {
    if (sf.fileName === probeName || generated.has(sf.fileName)) continue;
    if (candidates.has(sf.fileName))
      seedFiles.set(sf.fileName.slice(1), readFileSync(candidates.get(sf.fileName), "utf8"));
    else if (libPath(sf.fileName) !== undefined) libs.push(sf.fileName.slice(1));
    else throw new Error(`seed: TypeScript loaded an unexpected file ${sf.fileName}`);
  }
  // The Workers types' package.json has no "types": TS finds index.d.ts by convention.
  seedFiles.set(
    "node_modules/@cloudflare/workers-types/package.json",
    readFileSync(join(WORKERS_TYPES, "package.json"), "utf8"),
  );
  return libs.sort();
}

/** A ustar archive shaped like the npm tarball: `package/lib/<name>` entries. */
function tarLibFiles(names) {
  const blocks = [];
  for (const name of names) {
    const body = readFileSync(join(TS_LIB_DIR, name));
    const header = Buffer.alloc(512);
    header.write(`package/lib/${name}`, 0, 100, "utf8");
    header.write("0000644\0", 100);
    header.write("0000000\0", 108);
    header.write("0000000\0", 116);
    header.write(`${body.length.toString(8).padStart(11, "0")}\0`, 124);
    header.write("00000000000\0", 136);
    header.write("        ", 148);
    header.write("0", 156);
    header.write("ustar\0", 257);
    header.write("00", 263);
    const checksum = header.reduce((sum, byte) => sum + byte, 0);
    header.write(`${checksum.toString(8).padStart(6, "0")}\0 `, 148);
    blocks.push(header, body, Buffer.alloc((512 - (body.length % 512)) % 512));
  }
  blocks.push(Buffer.alloc(1024));
  return Buffer.concat(blocks);
}

function writeOutput() {
  const files = Object.fromEntries([...seedFiles.entries()].sort(([a], [b]) => a.localeCompare(b)));
  const versions = Object.fromEntries(
    [
      ...PACKAGES.map((p) => [p.name, p.dir]),
      ["@cloudflare/workers-types", WORKERS_TYPES],
      ["typescript", join(nodeModules, "typescript")],
    ].map(([name, dir]) => [name, JSON.parse(readFileSync(join(dir, "package.json"), "utf8")).version]),
  );
  const js = [
    `// ${STAMP_PREFIX}${inputsHash}`,
    "// Generated by scripts/build-seed.mjs (npm run seed). Do not edit.",
    `export const seedVersions = ${JSON.stringify(versions)};`,
    `export const importableSpecifiers = ${JSON.stringify(specifiers.sort())};`,
    `export const typescriptLibTarballBase64 = ${JSON.stringify(libTarball.toString("base64"))};`,
    `export const libraryEntries = ${JSON.stringify(libraryEntries)};`,
    `export const connectorSpecifiers = ${JSON.stringify(Object.fromEntries(connectors.map((c) => [c.specifier, c.id])))};`,
    // JSON.parse of a string literal is faster to load than the same object literal.
    `export const seedFiles = JSON.parse(${JSON.stringify(JSON.stringify(files))});`,
    `export const libraryModules = JSON.parse(${JSON.stringify(JSON.stringify(libraryModules))});`,
    `export const connectorCatalogs = JSON.parse(${JSON.stringify(JSON.stringify(connectorCatalogs(connectors)))});`,
    "",
  ].join("\n");
  const dts = [
    "// Generated by scripts/build-seed.mjs (npm run seed). Do not edit.",
    "/** Versions the seed was made from: hono, zod, kiln, @cloudflare/workers-types, typescript. */",
    "export declare const seedVersions: Readonly<Record<string, string>>;",
    "export declare const importableSpecifiers: readonly string[];",
    "export declare const typescriptLibTarballBase64: string;",
    "/** node_modules/<pkg>/... → text: package.json files and declarations, for TypeScript. */",
    "export declare const seedFiles: Readonly<Record<string, string>>;",
    "/** Prebuilt library modules by module name (kiln-lib/...). */",
    "export declare const libraryModules: Readonly<Record<string, string>>;",
    "/** Per importable specifier: its module, and every module it needs (itself included). */",
    "export declare const libraryEntries: Readonly<Record<string, { module: string; modules: readonly string[] }>>;",
    "/** The connector clients among the importable specifiers: `kiln/stripe` → `stripe`. */",
    'export declare const connectorSpecifiers: Readonly<Record<string, import("../../connectors/types").ConnectorId>>;',
    "/** Per connector with a generated API (connectors/<id>/api/catalog.json): what the model may look up. */",
    'export declare const connectorCatalogs: Readonly<Partial<Record<import("../../connectors/types").ConnectorId, import("../../connectors/types").ApiCatalog>>>;',
    "",
  ].join("\n");
  mkdirSync(outDir, { recursive: true });
  writeFileSync(join(outDir, "seed.d.ts"), dts);
  writeFileSync(outFile, js); // last: its stamp says the outputs are complete
  const raw = Buffer.byteLength(js);
  const kinds = new Map();
  for (const [path, text] of seedFiles) {
    const kind = path.endsWith("package.json") ? "package.json" : "declarations";
    kinds.set(kind, (kinds.get(kind) ?? 0) + Buffer.byteLength(text));
  }
  kinds.set(
    "library JS",
    Object.values(libraryModules).reduce((sum, text) => sum + Buffer.byteLength(text), 0),
  );
  const moduleCount = Object.keys(libraryModules).length;
  console.log(
    `seed: ${specifiers.length} importable specifiers in ${moduleCount} prebuilt modules, ${seedFiles.size} type files, ${libNames.length} TypeScript lib files`,
  );
  for (const c of connectors) {
    const closure = libraryEntries[c.specifier].modules;
    const size = closure.reduce((sum, name) => sum + Buffer.byteLength(libraryModules[name]), 0);
    console.log(
      `  ${c.specifier.padEnd(13)} ${kb(size)} shipped with apps that import it (${closure.length} module${closure.length === 1 ? "" : "s"})`,
    );
  }
  for (const [kind, size] of kinds) console.log(`  ${kind.padEnd(13)} ${kb(size)}`);
  console.log(`  lib tarball   ${kb(libTarball.length)} gzipped`);
  console.log(
    `seed: wrote ${relative(root, outFile)}: ${kb(raw)} raw, ${kb(gzipSync(js).length)} gzip, in ${ms(started)}`,
  );
}

// ---------------------------------------------------------------------------

function hashInputs() {
  const hash = createHash("sha256");
  hash.update(readFileSync(fileURLToPath(import.meta.url)));
  hash.update(readFileSync(join(root, "scripts/connector-catalogs.mjs")));
  hash.update(readFileSync(tsconfigPath));
  const tools = ["typescript", "esbuild"].map((name) => join(nodeModules, name));
  for (const dir of [...PACKAGES.map((p) => p.dir), WORKERS_TYPES, ...tools])
    hash.update(readFileSync(join(dir, "package.json")));
  for (const f of listFiles(join(root, "worker/sdk/kiln")))
    hash.update(`${f}\0`).update(read(join(root, "worker/sdk/kiln"), f));
  // The SDK's runtime reads the header the gate sets by its one definition.
  hash.update(readFileSync(join(root, "worker/src/core/headers.ts")));
  hash.update(readFileSync(CONNECTOR_TYPES));
  hash.update(readFileSync(STRIPE_API_SCRIPT));
  hash.update(readFileSync(join(nodeModules, "stripe/package.json")));
  hash.update(readFileSync(GOOGLE_API_SCRIPT));
  hash.update(readFileSync(AIRTABLE_API_SCRIPT));
  for (const name of GOOGLE_API_PACKAGES) hash.update(readFileSync(join(nodeModules, name, "package.json")));
  for (const connector of connectors) {
    const { files, packages } = connectorInputs(connector);
    for (const f of files) hash.update(`${relative(root, f)}\0`).update(readFileSync(f));
    for (const name of packages) {
      const manifest = join(nodeModules, name, "package.json");
      hash.update(`${name}\0`).update(existsSync(manifest) ? readFileSync(manifest) : "missing");
    }
  }
  return hash.digest("hex");
}

function readStamp() {
  if (!existsSync(outFile) || !existsSync(join(outDir, "seed.d.ts"))) return undefined;
  const firstLine = readFileSync(outFile, "utf8").slice(0, 200).split("\n")[0];
  return firstLine.startsWith(`// ${STAMP_PREFIX}`) ? firstLine.slice(STAMP_PREFIX.length + 3) : undefined;
}

function listFiles(dir, prefix = "") {
  const result = [];
  for (const entry of readdirSync(join(dir, prefix))) {
    const rel = prefix === "" ? entry : `${prefix}/${entry}`;
    if (statSync(join(dir, rel)).isDirectory()) result.push(...listFiles(dir, rel));
    else result.push(rel);
  }
  return result;
}

function read(dir, file) {
  return readFileSync(join(dir, file), "utf8");
}

function formatHost() {
  return { getCanonicalFileName: (f) => f, getCurrentDirectory: () => "/", getNewLine: () => "\n" };
}

function kb(bytes) {
  return `${(bytes / 1024).toFixed(1)} KiB`;
}

function ms(since) {
  return `${Math.round(performance.now() - since)} ms`;
}
