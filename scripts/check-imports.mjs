// `npm run check` fails on any import cycle in the project (type-only imports included) and on any import in
// worker/src that points up a layer: core → features → http → entry points, each importing only what is below it
// (docs/architecture.md, "Where things live"); feature folders may not import each other in a circle either. `node scripts/check-imports.mjs --report` prints the figures only.
import path from "node:path";
import { fileURLToPath } from "node:url";
import { cycles, importGraph, webAliases } from "./import-graph.mjs";

const root = path.resolve(path.dirname(fileURLToPath(import.meta.url)), "..");

/** Every folder whose files import each other. */
const FOLDERS = ["worker", "web/src", "web/e2e", "connectors", "templates", "scripts", "bench", "tests"];

/** The layers of worker/src, lowest first, by top folder; a feature is any other folder. */
const LAYERS = /** @type {const} */ (["core", "features", "http", "entry"]);
const ENTRY_FOLDERS = new Set(["control-plane", "runner", "front"]);

/** The layer of a worker/src file, or null for tests and files outside worker/src (they may import anything). */
export function layerOf(file) {
  if (!file.startsWith("worker/src/") || /\.(test|e2e)\.ts$/.test(file)) return null;
  const top = file.slice("worker/src/".length).split("/")[0];
  if (top === "core") return "core";
  if (top === "http") return "http";
  if (ENTRY_FOLDERS.has(top)) return "entry";
  return "features";
}

/** Imports from a lower layer to a higher one, as `from -> to` lines. */
export function upwardImports(graph) {
  const found = [];
  for (const [file, targets] of graph) {
    const from = layerOf(file);
    if (from === null) continue;
    for (const target of targets) {
      const to = layerOf(target);
      if (to !== null && LAYERS.indexOf(to) > LAYERS.indexOf(from))
        found.push(`${file} (${from}) -> ${target} (${to})`);
    }
  }
  return found;
}

/** The feature folders (worker/src/<folder>) as a graph of their own: which feature imports which. */
export function featureGraph(graph) {
  const folderOf = (file) => file.slice("worker/src/".length).split("/")[0];
  const folders = new Map();
  for (const [file, targets] of graph) {
    if (layerOf(file) !== "features") continue;
    const from = folderOf(file);
    if (!folders.has(from)) folders.set(from, new Set());
    for (const target of targets)
      if (layerOf(target) === "features" && folderOf(target) !== from) folders.get(from).add(folderOf(target));
  }
  return folders;
}

/** The HTTP framework is the http layer's and the entry points' alone: core and features deal in plain data. */
const HTTP_FRAMEWORK = /^hono(\/|$)/;

/** Imports of the HTTP framework below the http layer, as `file -> package` lines (`packages` from importGraph). */
export function frameworkImports(packages) {
  const found = [];
  for (const [file, specifiers] of packages) {
    const layer = layerOf(file);
    if (layer !== "core" && layer !== "features") continue;
    for (const specifier of specifiers)
      if (HTTP_FRAMEWORK.test(specifier)) found.push(`${file} (${layer}) -> ${specifier}`);
  }
  return found;
}

if (process.argv[1] === fileURLToPath(import.meta.url)) {
  const packages = new Map();
  const graph = importGraph(root, FOLDERS, { aliases: await webAliases(root), packages });
  // Feature folders import each other in one direction too, so the folders themselves read bottom to top.
  const circles = [
    ...cycles(graph),
    ...cycles(featureGraph(graph)).map((folders) => folders.map((f) => `worker/src/${f}/`)),
  ];
  const upward = [...upwardImports(graph), ...frameworkImports(packages)];
  const inCycles = circles.reduce((sum, circle) => sum + circle.length, 0);
  console.log(
    `imports: ${graph.size} files, ${inCycles} in import cycles, ${upward.length} imports pointing up a layer`,
  );
  for (const circle of circles) console.log(`cycle of ${circle.length} files:\n  ${circle.join("\n  ")}`);
  for (const line of upward) console.log(`points up: ${line}`);
  if (!process.argv.includes("--report") && (circles.length > 0 || upward.length > 0)) {
    console.log("Break each cycle (move the shared part down) and point each import down a layer.");
    process.exit(1);
  }
}
