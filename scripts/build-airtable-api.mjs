#!/usr/bin/env node
// Builds connectors/airtable/api/catalog.json: the Airtable API apps call through `kiln/airtable`, as the model reads
// it on request (the ApiCatalog of connectors/types.ts; see worker/src/chat/api-lookup.ts). Read with TypeScript's
// compiler API from the hand-written connectors/airtable/index.d.ts, comments removed:
//  - resources by path: what the client hands out (`airtable.bases`, `airtable.tables` from `tables(baseId)`,
//    `airtable.table`, `airtable.table.comments`), each with its methods;
//  - methods by path (`airtable.table.upsert`): the one-line signature, overloads side by side; the client's own
//    calls (`airtable.whoami`) are methods of no resource;
//  - types by name: the one-line body of every type the declaration exports.
// Standalone (`node scripts/build-airtable-api.mjs`) or run by scripts/build-seed.mjs; the output is generated.
import { mkdirSync, readFileSync, rmSync, writeFileSync } from "node:fs";
import { dirname, join, relative } from "node:path";
import { fileURLToPath } from "node:url";
import ts from "typescript";

const root = join(dirname(fileURLToPath(import.meta.url)), "..");
/** The hand-written declarations: the module apps import (index.d.ts) and the rest of its API it re-exports. */
const declarationFiles = ["index.d.ts", "airtable-api.d.ts"].map((name) => join(root, "connectors/airtable", name));
const outDir = join(root, "connectors/airtable/api");
/** The declared client apps import, and the path its resources hang under. */
const CLIENT = "airtable";
/** Names a signature or body may use that are not the declaration's own types. */
const BUILT_IN = new Set(["Promise", "Partial", "Omit", "Error", "F", "K"]);

const printer = ts.createPrinter({ removeComments: true });

const compact = (node, source) =>
  printer
    .printNode(ts.EmitHint.Unspecified, node, source)
    .replace(/\s*\n\s*/g, " ")
    .replace(/;\s*}/g, "; }");

function fail(message) {
  throw new Error(`build-airtable-api: ${message}`);
}

/** The declaration without comments, parsed again, so no printed node carries one. */
function parsedWithoutComments() {
  const file = relative(root, declarationFiles[0]);
  // One text, imports between the two files dropped: the catalog names every type by its own name.
  const text = declarationFiles
    .map((path) => readFileSync(path, "utf8").replace(/^(import|export) type (\{[^}]*\}|\*) from "[^"]+";$/gm, ""))
    .join("\n");
  const original = ts.createSourceFile(file, text, ts.ScriptTarget.Latest, true);
  return ts.createSourceFile(file, printer.printFile(original), ts.ScriptTarget.Latest, true);
}

function buildCatalog(source) {
  const catalog = { resources: {}, methods: {}, types: {} };
  const interfaces = new Map();
  let clientType;
  for (const statement of source.statements) {
    if (ts.isInterfaceDeclaration(statement)) interfaces.set(statement.name.text, statement);
    if (
      ts.isInterfaceDeclaration(statement) ||
      ts.isTypeAliasDeclaration(statement) ||
      ts.isClassDeclaration(statement)
    )
      catalog.types[statement.name.text] = compact(statement, source).replace(/^export (declare )?/, "");
    if (ts.isVariableStatement(statement))
      for (const declaration of statement.declarationList.declarations)
        if (ts.isIdentifier(declaration.name) && declaration.name.text === CLIENT && declaration.type)
          clientType = declaration.type.getText(source);
  }
  if (!clientType || !interfaces.has(clientType)) fail(`index.d.ts declares no \`${CLIENT}\` of an interface type`);

  /** The interface a member hands out (`tables(baseId): AirtableTables`, `bases: AirtableBases`), if any. */
  const handle = (type) => {
    if (!type || !ts.isTypeReferenceNode(type)) return undefined;
    const target = interfaces.get(type.typeName.getText(source));
    return target?.members.some((m) => ts.isMethodSignature(m)) ? target : undefined;
  };

  /** Adds the methods of `declaration` under `path`, and the resources it hands out below it. */
  const walk = (declaration, path, isClient) => {
    const resource = isClient ? undefined : { prefix: "", methods: [] };
    if (resource) catalog.resources[path] = resource;
    const signatures = new Map();
    const handles = [];
    for (const member of declaration.members) {
      const name = member.name && ts.isIdentifier(member.name) ? member.name.text : undefined;
      if (!name) continue;
      const target = handle(member.type);
      if (target) handles.push([name, target]);
      // The client's handles are resources of their own; a resource's (`comments(recordId)`) is listed with it too.
      if (!ts.isMethodSignature(member) || (isClient && target)) continue;
      signatures.set(name, [...(signatures.get(name) ?? []), compact(member, source)]);
    }
    for (const [name, overloads] of signatures) {
      resource?.methods.push(name);
      catalog.methods[`${path}.${name}`] = overloads.join(" ");
    }
    for (const [name, target] of handles) walk(target, `${path}.${name}`, false);
  };
  walk(interfaces.get(clientType), CLIENT, true);
  return catalog;
}

/** Every type name a signature or body uses must be one the model can look up. */
function checkNames(catalog) {
  const texts = [...Object.values(catalog.methods), ...Object.values(catalog.types)];
  for (const text of texts)
    for (const [name] of text.replace(/"[^"]*"/g, '""').matchAll(/\b[A-Z]\w*/g))
      if (!BUILT_IN.has(name) && catalog.types[name] === undefined)
        fail(`"${name}" in \`${text}\` is no exported type`);
}

function main() {
  const catalog = buildCatalog(parsedWithoutComments());
  checkNames(catalog);
  rmSync(outDir, { recursive: true, force: true });
  mkdirSync(outDir, { recursive: true });
  // Generated: kept out of git wherever the repository's own ignore rules stand.
  writeFileSync(join(outDir, ".gitignore"), "*\n");
  writeFileSync(join(outDir, "catalog.json"), JSON.stringify(catalog));
  const resources = Object.keys(catalog.resources).length;
  const methods = Object.keys(catalog.methods).length;
  console.log(
    `build-airtable-api: ${resources} resources, ${methods} methods, ${Object.keys(catalog.types).length} types from ${declarationFiles.map((f) => relative(root, f)).join(" and ")}`,
  );
}

main();
