#!/usr/bin/env node
// Builds worker/generated/seed.js: the libraries Kiln apps may import (hono,
// zod, kiln), the Workers types and TypeScript's lib files, read out of
// node_modules so the platform Worker type-checks and bundles apps with no
// network. Only the files the exports maps reach are kept (ESM .js, the
// declarations TypeScript actually loads, package.json files).
//
// Run by `npm run seed`; skips work when its inputs have not changed.
import { createHash } from "node:crypto";
import { existsSync, mkdirSync, readFileSync, readdirSync, statSync, writeFileSync } from "node:fs";
import { dirname, join, posix, relative } from "node:path";
import { fileURLToPath } from "node:url";
import { gzipSync } from "node:zlib";
import { init as initLexer, parse as parseImports } from "es-module-lexer";
import * as resolveExports from "resolve.exports";
import ts from "typescript";

const root = join(dirname(fileURLToPath(import.meta.url)), "..");
const nodeModules = join(root, "node_modules");
const outDir = join(root, "worker/generated");
const outFile = join(outDir, "seed.js");
const tsconfigPath = join(root, "worker/src/build/app-tsconfig.json");

/** Packages apps may import, where to read them, and subpaths left out (other runtimes). */
const PACKAGES = [
  {
    name: "hono",
    dir: join(nodeModules, "hono"),
    skip: ["./deno", "./bun", "./aws-lambda", "./vercel", "./netlify", "./lambda-edge", "./service-worker", "./cloudflare-pages"],
  },
  { name: "zod", dir: join(nodeModules, "zod"), skip: [] },
  { name: "kiln", dir: join(root, "worker/sdk/kiln"), skip: [] },
];
const WORKERS_TYPES = join(nodeModules, "@cloudflare/workers-types");
const TS_LIB_DIR = join(nodeModules, "typescript/lib");
// Same conditions @cloudflare/worker-bundler's resolver passes to resolve.exports.
const BUNDLER_CONDITIONS = ["import", "browser"];
const STAMP_PREFIX = "seed-inputs: ";

const started = performance.now();
const inputsHash = hashInputs();
if (!process.argv.includes("--force") && readStamp() === inputsHash) {
  console.log(`seed: up to date (${relative(root, outFile)}), skipped in ${ms(started)}`);
  process.exit(0);
}

await initLexer;
const seedFiles = new Map(); // node_modules/<pkg>/<path> -> text
const specifiers = []; // every bare specifier an app may import
for (const pkg of PACKAGES) seedPackageJavaScript(pkg);
const libNames = seedDeclarations();
const libTarball = gzipSync(tarLibFiles(libNames), { level: 9 });
writeOutput();

// ---------------------------------------------------------------------------

function seedPackageJavaScript(pkg) {
  const manifest = JSON.parse(readFileSync(join(pkg.dir, "package.json"), "utf8"));
  if (Object.keys(manifest.dependencies ?? {}).length > 0) {
    // createWorker would npm-install these at build time: refuse instead.
    throw new Error(`${pkg.name} has dependencies; the seed cannot hold packages that need others`);
  }
  const files = listFiles(pkg.dir).filter((f) => !f.startsWith("src/") && !f.includes("/cjs/") && !f.startsWith("node_modules/"));
  for (const f of files) if (posix.basename(f) === "package.json") seedFiles.set(`node_modules/${pkg.name}/${f}`, read(pkg.dir, f));
  const queue = [];
  for (const subpath of exportedSubpaths(manifest, files).filter((s) => !pkg.skip.includes(s))) {
    const [target] = resolveExports.resolve(manifest, subpath, { conditions: BUNDLER_CONDITIONS }) ?? [];
    if (target === undefined || !/\.m?js$/.test(target)) continue;
    specifiers.push(subpath === "." ? pkg.name : `${pkg.name}/${subpath.slice(2)}`);
    queue.push(posix.normalize(target));
  }
  const seen = new Set();
  while (queue.length > 0) {
    const file = queue.pop();
    if (seen.has(file)) continue;
    seen.add(file);
    const text = read(pkg.dir, file);
    seedFiles.set(`node_modules/${pkg.name}/${file}`, text);
    for (const spec of parseImports(text)[0].map((i) => i.n).filter((n) => n !== undefined)) {
      if (!spec.startsWith(".")) {
        // Runtime built-ins stay external; the app isolate runs with nodejs_compat.
        if (/^(node|cloudflare):/.test(spec)) continue;
        if (!spec.startsWith(pkg.name)) throw new Error(`${pkg.name}/${file} imports '${spec}', which the seed cannot provide`);
        continue;
      }
      const target = posix.join(posix.dirname(file), spec);
      if (!existsSync(join(pkg.dir, target))) throw new Error(`${pkg.name}/${file}: cannot find '${spec}'`);
      queue.push(target);
    }
  }
}

/** Export subpaths of a manifest, with `./x/*` patterns expanded against the package's files. */
function exportedSubpaths(manifest, files) {
  const exportsMap = manifest.exports;
  if (exportsMap === undefined || typeof exportsMap === "string") return ["."];
  const result = [];
  for (const key of Object.keys(exportsMap)) {
    if (key === "./package.json") continue;
    if (!key.includes("*")) {
      result.push(key);
      continue;
    }
    const [target] = resolveExports.resolve(manifest, key.replace("*", "__STAR__"), { conditions: BUNDLER_CONDITIONS }) ?? [];
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
      if (/\.d\.[cm]?ts$/.test(f) || posix.basename(f) === "package.json") candidates.set(`/node_modules/${pkg.name}/${f}`, join(pkg.dir, f));
    }
  }
  candidates.set("/node_modules/@cloudflare/workers-types/package.json", join(WORKERS_TYPES, "package.json"));
  candidates.set("/node_modules/@cloudflare/workers-types/index.d.ts", join(WORKERS_TYPES, "index.d.ts"));
  const probeName = "/__kiln_seed_probe__.ts";
  const probe = specifiers.map((s, i) => `import * as m${i} from ${JSON.stringify(s)};\nvoid m${i};`).join("\n");
  const libPath = (p) => (/^\/lib\.[^/]*\.d\.ts$/.test(p) ? join(TS_LIB_DIR, p.slice(1)) : undefined);
  const diskPath = (p) => candidates.get(p) ?? libPath(p);
  const { options, errors } = ts.convertCompilerOptionsFromJson(JSON.parse(readFileSync(tsconfigPath, "utf8")).compilerOptions, "/");
  if (errors.length > 0) throw new Error(ts.formatDiagnostics(errors, formatHost()));
  const host = {
    ...formatHost(),
    fileExists: (p) => p === probeName || (diskPath(p) !== undefined && existsSync(diskPath(p))),
    readFile: (p) => (p === probeName ? probe : diskPath(p) && existsSync(diskPath(p)) ? readFileSync(diskPath(p), "utf8") : undefined),
    directoryExists: (d) => d === "/" || [...candidates.keys()].some((k) => k.startsWith(d.endsWith("/") ? d : `${d}/`)),
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
  const problems = [...program.getOptionsDiagnostics(), ...program.getGlobalDiagnostics(), ...program.getSemanticDiagnostics(program.getSourceFile(probeName))];
  if (problems.length > 0) throw new Error(`seed: the probe does not type-check:\n${ts.formatDiagnostics(problems, formatHost())}`);
  const libs = [];
  for (const sf of program.getSourceFiles()) {
    if (sf.fileName === probeName) continue;
    if (candidates.has(sf.fileName)) seedFiles.set(sf.fileName.slice(1), readFileSync(candidates.get(sf.fileName), "utf8"));
    else if (libPath(sf.fileName) !== undefined) libs.push(sf.fileName.slice(1));
    else throw new Error(`seed: TypeScript loaded an unexpected file ${sf.fileName}`);
  }
  // The Workers types' package.json has no "types": TS finds index.d.ts by convention.
  seedFiles.set("node_modules/@cloudflare/workers-types/package.json", readFileSync(join(WORKERS_TYPES, "package.json"), "utf8"));
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
    [...PACKAGES.map((p) => [p.name, p.dir]), ["@cloudflare/workers-types", WORKERS_TYPES], ["typescript", join(nodeModules, "typescript")]].map(
      ([name, dir]) => [name, JSON.parse(readFileSync(join(dir, "package.json"), "utf8")).version],
    ),
  );
  const js = [
    `// ${STAMP_PREFIX}${inputsHash}`,
    "// Generated by scripts/build-seed.mjs (npm run seed). Do not edit.",
    `export const seedVersions = ${JSON.stringify(versions)};`,
    `export const importableSpecifiers = ${JSON.stringify(specifiers.sort())};`,
    `export const typescriptLibNames = ${JSON.stringify(libNames)};`,
    `export const typescriptLibTarballBase64 = ${JSON.stringify(libTarball.toString("base64"))};`,
    `export const seedFiles = JSON.parse(${JSON.stringify(JSON.stringify(files))});`,
    "",
  ].join("\n");
  const dts = [
    "// Generated by scripts/build-seed.mjs (npm run seed). Do not edit.",
    "export declare const seedVersions: Readonly<Record<string, string>>;",
    "export declare const importableSpecifiers: readonly string[];",
    "export declare const typescriptLibNames: readonly string[];",
    "export declare const typescriptLibTarballBase64: string;",
    "export declare const seedFiles: Readonly<Record<string, string>>;",
    "",
  ].join("\n");
  mkdirSync(outDir, { recursive: true });
  writeFileSync(join(outDir, "seed.d.ts"), dts);
  writeFileSync(outFile, js);
  const raw = Buffer.byteLength(js);
  const kinds = new Map();
  for (const [path, text] of seedFiles) {
    const kind = path.endsWith("package.json") ? "package.json" : /\.d\.[cm]?ts$/.test(path) ? "declarations" : "javascript";
    kinds.set(kind, (kinds.get(kind) ?? 0) + Buffer.byteLength(text));
  }
  console.log(`seed: ${seedFiles.size} files, ${specifiers.length} importable specifiers, ${libNames.length} TypeScript lib files`);
  for (const [kind, size] of kinds) console.log(`  ${kind.padEnd(13)} ${kb(size)}`);
  console.log(`  lib tarball   ${kb(libTarball.length)} gzipped`);
  console.log(`seed: wrote ${relative(root, outFile)}: ${kb(raw)} raw, ${kb(gzipSync(js).length)} gzip, in ${ms(started)}`);
}

// ---------------------------------------------------------------------------

function hashInputs() {
  const hash = createHash("sha256");
  hash.update(readFileSync(fileURLToPath(import.meta.url)));
  hash.update(readFileSync(tsconfigPath));
  for (const dir of [...PACKAGES.map((p) => p.dir), WORKERS_TYPES, join(nodeModules, "typescript")]) hash.update(readFileSync(join(dir, "package.json")));
  for (const f of listFiles(join(root, "worker/sdk/kiln"))) hash.update(`${f}\0`).update(read(join(root, "worker/sdk/kiln"), f));
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
