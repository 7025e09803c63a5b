import type { ConnectorId } from "../../../connectors/types";
import type { AppRecord } from "../core/records";
import { connectorCatalogs, seedDeclarations } from "../compiler/seed";
import type { Env } from "../core/env";
import { answerFormatRules } from "../models";
import { pickTemplate, type TemplateSummary, templateFiles } from "../templates";
import { connectorsOfVersions } from "../versions/version-store";
import { apiIndex } from "./api-lookup";
import { composeContext } from "./code-mode-context";
import { mentionedConnectors } from "./mentioned-connectors";
import { clockLine, ownerTimeZone } from "./owner-clock";
import { countTokens } from "./token-count";

/** The context a model gets for one app and request, with its size. */
export interface AppContext {
  text: string;
  tokens: number;
  connectors: ConnectorId[];
  template: TemplateSummary;
}

/**
 * Contract + the connectors the app uses (its preview version's imports) or
 * may use (named in the request, or used by the closest template) + an
 * excerpt of that template + the rules. The declarations are the seeded ones
 * the type-checker uses, so what the model reads is what its code is checked against.
 */
export async function appContext(
  env: Env,
  app: AppRecord,
  request: string,
  options: { only?: readonly ConnectorId[]; timeZone?: string; now?: Date } = {},
): Promise<AppContext> {
  const { only } = options;
  const template = pickTemplate(request);
  const connectors = only ? [...new Set(only)].sort() : await relevantConnectors(env, app, request, template);
  const text = composeContext({
    contract: declaration("node_modules/kiln/index.d.ts"),
    connectors: Object.fromEntries(
      connectors.map((id) => [
        id,
        connectorCatalogs[id]?.brief ?? declaration(`node_modules/kiln/connectors/${id}/index.d.ts`),
      ]),
    ),
    indexes: Object.fromEntries(
      connectors.flatMap((id) => {
        const catalog = connectorCatalogs[id];
        return catalog ? [[id, apiIndex(catalog)]] : [];
      }),
    ),
    example: { title: template.title, files: templateFiles(template.id) },
    answerFormat: answerFormatRules,
    clock: clockLine(options.now ?? new Date(), ownerTimeZone(options.timeZone)),
  });
  return { text, tokens: countTokens(text), connectors, template };
}

async function relevantConnectors(
  env: Env,
  app: AppRecord,
  request: string,
  template: TemplateSummary,
): Promise<ConnectorId[]> {
  const used = app.previewVersion
    ? ((await connectorsOfVersions(env.DB, app.id, [app.previewVersion])).get(app.previewVersion) ?? [])
    : [];
  return [...new Set([...used, ...mentionedConnectors(request), ...template.connectors])].sort();
}

function declaration(path: string): string {
  const text = seedDeclarations.get(path);
  if (text === undefined) throw new Error(`${path} is missing from the seed; run npm run seed`);
  return text;
}
