// Code Mode context size: the whole context a model reads for an app using all
// three connectors, against the same operations as JSON-schema tool definitions
// generated from the same declarations (TypeScript's checker, not by hand).
// Runs standalone (`node bench/context-tokens.mjs`) and from `npm run bench`.
import { readFileSync } from "node:fs";
import path from "node:path";
import { fileURLToPath, pathToFileURL } from "node:url";
import { countTokens } from "gpt-tokenizer";
import ts from "typescript";

const root = path.resolve(path.dirname(fileURLToPath(import.meta.url)), "..");
const CONNECTORS = ["airtable", "google", "stripe"];
const CONTEXT_TARGET = 6000;
const SAVING_TARGET = 0.75;
const read = (file) => readFileSync(path.join(root, file), "utf8");

/** The JSON-schema tool definitions of every operation of the connectors' exported clients. */
export function toolDefinitions(connectorIds = CONNECTORS) {
  const files = connectorIds.map((id) => path.join(root, "connectors", id, "index.d.ts"));
  const program = ts.createProgram(files, {
    target: ts.ScriptTarget.ES2023,
    lib: ["lib.es2023.d.ts"],
    strict: true,
    noEmit: true,
    skipLibCheck: true,
  });
  const checker = program.getTypeChecker();
  const tools = [];
  for (const [index, file] of files.entries()) {
    const source = program.getSourceFile(file);
    const moduleSymbol = checker.getSymbolAtLocation(source);
    const client = checker.getExportsOfModule(moduleSymbol).find((s) => s.name === connectorIds[index]);
    if (!client)
      throw new Error(`connectors/${connectorIds[index]}/index.d.ts exports no client named ${connectorIds[index]}`);
    walkOperations(checker, checker.getTypeOfSymbol(client), [connectorIds[index]], [], tools, 0);
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
    const declaredHere = (direct.getSymbol()?.declarations ?? []).some((d) =>
      d.getSourceFile().fileName.includes("/connectors/"),
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
  const { composeContext } = await import(pathToFileURL(path.join(root, "worker/src/chat/code-mode-context.ts")).href);
  const { answerFormatRules } = await import(pathToFileURL(path.join(root, "worker/src/models/model-answer.ts")).href);
  const { templateSources } = await import(pathToFileURL(path.join(root, "worker/generated/templates.js")).href);
  // The template closest to an all-connector app: the one using the most of them, with its default names.
  const template = [...templateSources].sort((a, b) => b.connectors.length - a.connectors.length)[0];
  const files = Object.fromEntries(
    Object.entries(template.files).map(([p, text]) => [
      p,
      text.replace(/__([A-Z][A-Z_]*[A-Z])__/g, (w, n) => template.defaults[n] ?? w),
    ]),
  );
  const connectors = Object.fromEntries(CONNECTORS.map((id) => [id, read(`connectors/${id}/index.d.ts`)]));
  return composeContext({
    contract: read("worker/sdk/kiln/index.d.ts"),
    connectors,
    example: { title: template.title, files },
    answerFormat: answerFormatRules,
  });
}

/** Measures and prints the figures; returns them for bench/run.mjs. */
export async function contextTokens() {
  const context = await wholeContext();
  const declarations = CONNECTORS.map((id) => read(`connectors/${id}/index.d.ts`)).join("\n");
  const tools = toolDefinitions();
  const toolsJson = JSON.stringify(tools);
  const figures = {
    contextTokens: countTokens(context),
    declarationTokens: countTokens(declarations),
    toolCount: tools.length,
    toolTokens: countTokens(toolsJson),
  };
  figures.saving = 1 - figures.declarationTokens / figures.toolTokens;
  figures.wholeSaving = 1 - figures.contextTokens / figures.toolTokens;
  console.log("\nCode Mode context (o200k_base tokens, gpt-tokenizer)");
  console.log(
    `  whole context, app using stripe + airtable + google: ${figures.contextTokens} tokens (target ≤ ${CONTEXT_TARGET}: ${figures.contextTokens <= CONTEXT_TARGET ? "met" : "MISSED"})`,
  );
  console.log(`  the three connector declarations (.d.ts):            ${figures.declarationTokens} tokens`);
  console.log(
    `  the same ${figures.toolCount} operations as JSON-schema tools:       ${figures.toolTokens} tokens (generated from the .d.ts by TypeScript's checker)`,
  );
  console.log(
    `  saving of .d.ts over tool definitions:               ${(figures.saving * 100).toFixed(1)}% (target ≥ ${SAVING_TARGET * 100}%: ${figures.saving >= SAVING_TARGET ? "met" : "MISSED"})`,
  );
  console.log(
    `  whole context (rules, contract, example included) vs those tools:   ${(figures.wholeSaving * 100).toFixed(1)}% fewer tokens`,
  );
  return figures;
}

if (import.meta.url === pathToFileURL(process.argv[1] ?? "").href) await contextTokens();
