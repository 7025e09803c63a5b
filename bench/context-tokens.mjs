// Code Mode context size: the whole context a model reads for an app using all three connectors, plus the
// declarations real models looked up (recorded everyday suite); the operations apps can call; and the same
// operations as JSON-schema tool definitions generated from the same declarations (TypeScript's checker).
// Runs standalone (`node bench/context-tokens.mjs`) and from `npm run bench`.
import { existsSync, readdirSync, readFileSync } from "node:fs";
import path from "node:path";
import { fileURLToPath, pathToFileURL } from "node:url";
import { countTokens } from "gpt-tokenizer";
import ts from "typescript";

const root = path.resolve(path.dirname(fileURLToPath(import.meta.url)), "..");
const CONNECTORS = ["airtable", "google", "stripe"];
// Measured by this bench at b4c69cc, before the Stripe API was generated: the whole context for an app using all
// three connectors, and the operations of their cut-down declarations (31 Stripe, 11 Google, 8 Airtable).
const CONTEXT_BEFORE = 6244;
const OPERATIONS_BEFORE = 50;
const TYPICAL_TARGET = 4000;
const COVERAGE_TARGET = 10;
const read = (file) => readFileSync(path.join(root, file), "utf8");

/** The JSON-schema tool definitions of every operation of the connectors' exported clients. */
export function toolDefinitions(connectorIds = CONNECTORS) {
  return clientToolDefinitions(
    connectorIds.map((id) => ({ file: path.join(root, "connectors", id, "index.d.ts"), client: id })),
  );
}

/**
 * One tool per operation of each `client` a declaration `file` exports (its methods, through nested objects), with
 * JSON schemas of the input and the result: how the same operations would be offered one MCP tool each.
 */
export function clientToolDefinitions(clients) {
  const files = clients.map((c) => c.file);
  const program = ts.createProgram(files, {
    target: ts.ScriptTarget.ES2023,
    lib: ["lib.es2023.d.ts"],
    strict: true,
    noEmit: true,
    skipLibCheck: true,
  });
  const checker = program.getTypeChecker();
  const tools = [];
  for (const { file, client: name } of clients) {
    const source = program.getSourceFile(file);
    const moduleSymbol = checker.getSymbolAtLocation(source);
    const client = checker.getExportsOfModule(moduleSymbol).find((s) => s.name === name);
    if (!client) throw new Error(`${path.relative(root, file)} exports no client named ${name}`);
    walkOperations(checker, checker.getTypeOfSymbol(client), [name], [], tools, 0);
  }
  return tools;
}

// Every callable property is one tool; a call that returns a handle of methods
// (airtable.table(baseId, name)) becomes tools whose inputs start with its arguments.
function walkOperations(checker, type, namePath, leadingParams, tools, depth) {
  if (depth > 4) return;
  for (const property of checker.getPropertiesOfType(type)) {
    const propertyType = checker.getTypeOfSymbol(property);
    const name = [...namePath, property.name];
    const signatures = propertyType.getCallSignatures();
    if (signatures.length === 0) {
      if (propertyType.flags & ts.TypeFlags.Object || propertyType.isIntersection())
        walkOperations(checker, propertyType, name, leadingParams, tools, depth + 1);
      continue;
    }
    const signature = signatures[0];
    const params = [
      ...leadingParams,
      ...signature.getParameters().map((p) => ({ symbol: p, declaration: p.valueDeclaration })),
    ];
    const direct = signature.getReturnType();
    const returned = unwrap(checker, direct);
    // A handle: returned synchronously, declared by the connector itself, and made of methods.
    const declaredHere = (direct.getSymbol()?.declarations ?? []).some(
      (d) => d.getSourceFile().fileName.includes("/connectors/") && !d.getSourceFile().fileName.includes("/api/"),
    );
    const isHandle =
      returned === direct &&
      declaredHere &&
      checker.getPropertiesOfType(direct).some((p) => checker.getTypeOfSymbol(p).getCallSignatures().length > 0);
    if (isHandle) {
      walkOperations(checker, returned, name, params, tools, depth + 1);
      continue;
    }
    const properties = {};
    const required = [];
    for (const { symbol, declaration } of params) {
      properties[symbol.name] = withDescription(
        schemaOf(checker, checker.getTypeOfSymbolAtLocation(symbol, declaration), new Set(), 0),
        docOf(checker, symbol),
      );
      if (!(declaration && (declaration.questionToken || declaration.initializer))) required.push(symbol.name);
    }
    tools.push({
      name: name.join("_"),
      description: docOf(checker, property) || `${name.join(".")}`,
      inputSchema: { type: "object", properties, required },
      outputSchema: schemaOf(checker, returned, new Set(), 0),
    });
  }
}

function unwrap(checker, type) {
  const symbol = type.getSymbol() ?? type.aliasSymbol;
  if (symbol && ["Promise", "AsyncIterable", "AsyncIterableIterator"].includes(symbol.name)) {
    const [inner] = checker.getTypeArguments(type);
    return inner ?? type;
  }
  return type;
}

function docOf(checker, symbol) {
  return ts.displayPartsToString(symbol.getDocumentationComment(checker)).trim();
}

// A property's own doc wins over its type's.
function withDescription(schema, description) {
  return description ? { ...schema, description } : schema;
}

// A JSON Schema for a declared type, inlined the way tool definitions are sent. A
// named type's doc comment becomes its description, as schema generators do, so
// the tools carry the same words the declarations do.
function schemaOf(checker, type, seen, depth) {
  const schema = plainSchemaOf(checker, type, seen, depth);
  const named = type.aliasSymbol ?? (type.flags & ts.TypeFlags.Object ? type.getSymbol() : undefined);
  const doc = named && !named.name.startsWith("__") ? docOf(checker, named) : "";
  return doc && !schema.description ? { ...schema, description: doc } : schema;
}

function plainSchemaOf(checker, type, seen, depth) {
  if (depth > 8 || seen.has(type)) return {};
  const f = type.flags;
  if (f & ts.TypeFlags.StringLiteral) return { type: "string", const: type.value };
  if (f & ts.TypeFlags.NumberLiteral) return { type: "number", const: type.value };
  if (f & ts.TypeFlags.BooleanLiteral) return { type: "boolean" };
  if (f & (ts.TypeFlags.String | ts.TypeFlags.TemplateLiteral)) return { type: "string" };
  if (f & ts.TypeFlags.Number) return { type: "number" };
  if (f & ts.TypeFlags.Boolean) return { type: "boolean" };
  if (f & ts.TypeFlags.Null) return { type: "null" };
  if (
    f &
    (ts.TypeFlags.Undefined | ts.TypeFlags.Void | ts.TypeFlags.Any | ts.TypeFlags.Unknown | ts.TypeFlags.TypeParameter)
  )
    return {};
  if (type.isUnion()) {
    const members = type.types.filter((t) => !(t.flags & (ts.TypeFlags.Undefined | ts.TypeFlags.Void)));
    if (members.every((t) => t.flags & ts.TypeFlags.StringLiteral))
      return { type: "string", enum: members.map((t) => t.value) };
    if (members.every((t) => t.flags & ts.TypeFlags.BooleanLiteral)) return { type: "boolean" };
    const schemas = members.map((t) => schemaOf(checker, t, seen, depth + 1));
    return schemas.length === 1 ? schemas[0] : { anyOf: schemas };
  }
  if (type.isIntersection()) {
    // `string & {}` (OrNewer) is a string; other intersections merge their object members.
    if (type.types.some((t) => t.flags & ts.TypeFlags.String)) return { type: "string" };
    return objectSchema(checker, type, seen, depth);
  }
  if (checker.isArrayType(type) || checker.isTupleType(type)) {
    const [item] = checker.getTypeArguments(type);
    return { type: "array", items: item ? schemaOf(checker, item, seen, depth + 1) : {} };
  }
  if (type.getCallSignatures().length > 0) return {};
  if (f & ts.TypeFlags.Object) return objectSchema(checker, type, seen, depth);
  return {};
}

function objectSchema(checker, type, seen, depth) {
  const next = new Set(seen).add(type);
  const properties = {};
  const required = [];
  for (const property of checker.getPropertiesOfType(type)) {
    const declaration = property.valueDeclaration ?? property.declarations?.[0];
    const propertyType = declaration
      ? checker.getTypeOfSymbolAtLocation(property, declaration)
      : checker.getTypeOfSymbol(property);
    if (propertyType.getCallSignatures().length > 0) continue;
    properties[property.name] = withDescription(
      schemaOf(checker, propertyType, next, depth + 1),
      docOf(checker, property),
    );
    if (!(property.flags & ts.SymbolFlags.Optional)) required.push(property.name);
  }
  const index = checker.getIndexInfosOfType(type)[0];
  const schema = { type: "object", properties };
  if (required.length > 0) schema.required = required;
  if (index) schema.additionalProperties = schemaOf(checker, index.type, next, depth + 1);
  return schema;
}

/** The Code Mode context for an app using every connector, built by the Worker's own composer. */
export async function wholeContext() {
  await loadCatalogs();
  const { composeContext } = await import(pathToFileURL(path.join(root, "worker/src/chat/code-mode-context.ts")).href);
  const { answerFormatRules } = await import(pathToFileURL(path.join(root, "worker/src/models/model-answer.ts")).href);
  const { apiIndex } = await import(pathToFileURL(path.join(root, "worker/src/chat/api-lookup.ts")).href);
  const { templateSources } = await import(pathToFileURL(path.join(root, "worker/generated/templates.js")).href);
  // The template closest to an all-connector app: the one using the most of them, with its default names.
  const template = [...templateSources].sort((a, b) => b.connectors.length - a.connectors.length)[0];
  const files = Object.fromEntries(
    Object.entries(template.files).map(([p, text]) => [
      p,
      text.replace(/__([A-Z][A-Z_]*[A-Z])__/g, (w, n) => template.defaults[n] ?? w),
    ]),
  );
  const connectors = Object.fromEntries(
    CONNECTORS.map((id) => [id, catalogs()[id]?.brief ?? read(`connectors/${id}/index.d.ts`)]),
  );
  const indexes = Object.fromEntries(Object.entries(catalogs()).map(([id, catalog]) => [id, apiIndex(catalog)]));
  return composeContext({
    contract: read("worker/sdk/kiln/index.d.ts"),
    connectors,
    indexes,
    example: { title: template.title, files },
    answerFormat: answerFormatRules,
  });
}

let catalogsRead;
/** The API catalogs as the Worker has them (the seed's: generated, with each connector's brief and module); read once. */
async function loadCatalogs() {
  const seed = path.join(root, "worker/generated/seed.js");
  if (!existsSync(seed)) throw new Error("worker/generated/seed.js is missing: run npm run seed first");
  catalogsRead ??= (await import(pathToFileURL(seed).href)).connectorCatalogs;
  return catalogsRead;
}
const catalogs = () => catalogsRead;

/**
 * What requests pulled: the <lookup> answers a real model gave in the recorded everyday suite (each app's turn,
 * every lookup step), each as Kiln's reply text. Falls back to none when nothing was recorded.
 */
async function recordedPulls() {
  await loadCatalogs();
  const { lookUpDeclarations } = await import(pathToFileURL(path.join(root, "worker/src/chat/api-lookup.ts")).href);
  const dir = path.join(root, "worker/test/scripted-model/recorded");
  const byApp = new Map();
  const shownByApp = new Map();
  for (const file of readdirSync(dir).sort()) {
    const match = /^(everyday-[a-z-]+)\.(\d+)\.txt$/.exec(file);
    if (!match) continue;
    const answer = readFileSync(path.join(dir, file), "utf8");
    const keys = /<lookup>([\s\S]*?)<\/lookup>/.exec(answer)?.[1];
    if (!keys || /<file\s/.test(answer)) continue;
    // One turn's lookups share what was already given, as the chat does.
    if (!shownByApp.has(match[1])) shownByApp.set(match[1], new Set());
    const reply = lookUpDeclarations(catalogs(), keys.split(/[\s,]+/).filter(Boolean), shownByApp.get(match[1])).text;
    byApp.set(match[1], (byApp.get(match[1]) ?? 0) + countTokens(reply));
  }
  return byApp;
}

/** Operations apps can call: the generated catalogs' methods, and the hand-declared clients' operations. */
function operationCount() {
  // Catalogs are loaded by wholeContext, which runs first.
  const generated = catalogs();
  const declared = CONNECTORS.filter((id) => !generated[id]);
  const byConnector = Object.fromEntries(
    Object.entries(generated).map(([id, c]) => [id, Object.keys(c.methods).length]),
  );
  const methods = Object.values(byConnector).reduce((a, b) => a + b, 0);
  return { total: methods + toolDefinitions(declared).length, byConnector };
}

/** Measures and prints the figures; returns them for bench/run.mjs. */
export async function contextTokens() {
  const context = await wholeContext();
  const pulls = await recordedPulls();
  const pulled = pulls.size > 0 ? [...pulls.values()].reduce((a, b) => a + b, 0) / pulls.size : 0;
  const operations = operationCount();
  const figures = {
    contextTokens: countTokens(context),
    pulledTokens: Math.round(pulled),
    pullingApps: pulls.size,
    operations: operations.total,
  };
  figures.typicalTokens = figures.contextTokens + figures.pulledTokens;
  figures.coverage = figures.operations / OPERATIONS_BEFORE;
  // The same operations as one JSON-schema tool each (what an MCP server without Code Mode sends), from the same
  // declarations: Stripe's tools scaled from a sample by character count (64 M tokens is too slow to count whole).
  const sample = toolDefinitions(["stripe"]).filter((t) => !/_autoPaging|_then|_catch|_finally/.test(t.name));
  const declaredTools = toolDefinitions(CONNECTORS.filter((id) => id !== "stripe"));
  const sampleChars = sample.reduce((n, t) => n + JSON.stringify(t).length, 0);
  const sampleTokens = countTokens(JSON.stringify(sample.slice(0, 40)));
  const sampleTokenChars = JSON.stringify(sample.slice(0, 40)).length;
  figures.toolTokens = Math.round(
    countTokens(JSON.stringify(declaredTools)) + (sampleChars * sampleTokens) / sampleTokenChars,
  );
  console.log("\nCode Mode context (o200k_base tokens, gpt-tokenizer)");
  console.log(
    `  whole context, app using stripe + airtable + google: ${figures.contextTokens} tokens (a brief and an index of each connector's API; ${CONTEXT_BEFORE} at b4c69cc with cut-down declarations inline)`,
  );
  console.log(
    `  declarations the model looked up, per app (mean of ${figures.pullingApps} recorded everyday apps that looked up): ${figures.pulledTokens} tokens`,
  );
  console.log(
    `  context + typical lookups: ${figures.typicalTokens} tokens (target ≤ ${TYPICAL_TARGET}) ${figures.typicalTokens <= TYPICAL_TARGET ? "✓" : "✗"}`,
  );
  console.log(
    `  operations apps can call: ${figures.operations} (${Object.entries(operations.byConnector)
      .map(([id, n]) => `${id} ${n}`)
      .join(
        ", ",
      )}; ${OPERATIONS_BEFORE} at b4c69cc): ${figures.coverage.toFixed(1)}× (target ≥ ${COVERAGE_TARGET}×) ${figures.coverage >= COVERAGE_TARGET ? "✓" : "✗"}`,
  );
  console.log(
    `  the same operations as one JSON-schema tool each: ~${(figures.toolTokens / 1e6).toFixed(1)} M tokens (Stripe's estimated from the characters of all its tools at the token density of 40 of them), ${Math.round(figures.toolTokens / figures.typicalTokens)}× the Code Mode context`,
  );
  return figures;
}

if (import.meta.url === pathToFileURL(process.argv[1] ?? "").href) await contextTokens();
