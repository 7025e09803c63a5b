// The API catalogs the chat's lookups answer from (worker/src/chat/api-lookup.ts), as the seed carries them: each
// generated catalog (connectors/<id>/api/catalog.json) with the connector's brief and its own module declarations.
import { existsSync, readFileSync } from "node:fs";
import { dirname, join } from "node:path";
import ts from "typescript";

/**
 * The catalogs of `connectors` (as the seed discovers them) whose API is generated, by connector id, each with what the context says of it
 * (brief.md) and its own module declarations (index.d.ts), whole and by exported name, for lookups.
 */
export function connectorCatalogs(connectors) {
  const catalogs = {};
  for (const c of connectors) {
    const path = join(dirname(c.declarations), "api/catalog.json");
    if (!existsSync(path)) continue;
    const catalog = JSON.parse(readFileSync(path, "utf8"));
    const briefPath = join(dirname(c.declarations), "brief.md");
    if (!existsSync(briefPath)) throw new Error(`seed: connectors/${c.id} has an API catalog but no brief.md`);
    catalog.brief = readFileSync(briefPath, "utf8").trim();
    const module = moduleDeclarations(c.id, readFileSync(c.declarations, "utf8"));
    catalog.module = module.text;
    for (const [name, text] of module.named) catalog.types[name] ??= text;
    for (const [path, signature] of module.methods) catalog.methods[path] ??= signature;
    catalogs[c.id] = catalog;
  }
  return catalogs;
}

/**
 * A connector's index.d.ts as a model reads it on lookup: without its opening comment and its client's doc comment
 * (the brief, which the context shows, says both) and the lines that only wire files together (`import type`, `export type * from`, private constructors); each exported
 * declaration by name with its doc comment; and the methods the module adds to a generated client
 * (`google.gmail.send`), by path, so a lookup of that path answers.
 */
export function moduleDeclarations(id, source) {
  const stripped = source
    .replace(/^(\/\/.*\n)+\n*/, "")
    .split("\n")
    .filter(
      (line) => !/^(import type .* from "\.|export type \* from "\.|\s*private constructor\(init: never\);)/.test(line),
    )
    .join("\n")
    .replace(/\n{3,}/g, "\n\n")
    .trim();
  const parsed = ts.createSourceFile("index.d.ts", stripped, ts.ScriptTarget.Latest, true);
  const client = parsed.statements.find(
    (s) => ts.isVariableStatement(s) && s.declarationList.declarations[0]?.name.getText(parsed) === id,
  );
  const text = client
    ? `${stripped.slice(0, client.getFullStart())}\n\n${stripped.slice(client.getStart(parsed, false))}`
        .replace(/\n{3,}/g, "\n\n")
        .trim()
    : stripped;
  const file = ts.createSourceFile("index.d.ts", text, ts.ScriptTarget.Latest, true);
  const named = [];
  const methods = [];
  const slice = (node) => text.slice(node.getFullStart(), node.end).trim();
  const addedMethods = (type, path) => {
    if (ts.isIntersectionTypeNode(type)) for (const t of type.types) addedMethods(t, path);
    if (!ts.isTypeLiteralNode(type)) return;
    for (const member of type.members) {
      const name = member.name?.getText(file);
      if (ts.isMethodSignature(member)) methods.push([`${path}.${name}`, slice(member).replace(/\n\s+/g, "\n")]);
      else if (ts.isPropertySignature(member) && member.type) addedMethods(member.type, `${path}.${name}`);
    }
  };
  for (const statement of file.statements) {
    const declaration = statement.declarationList?.declarations[0];
    const name = statement.name?.text ?? declaration?.name.getText(file);
    const exported = statement.modifiers?.some((m) => m.kind === ts.SyntaxKind.ExportKeyword);
    if (exported && name) named.push([name, slice(statement)]);
    if (exported && declaration?.type) addedMethods(declaration.type, name);
  }
  return { text, named, methods };
}
