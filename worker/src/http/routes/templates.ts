import { Hono } from "hono";
import type { PlatformContext } from "../context";
import { listTemplates } from "../../templates/index";
import type { Template } from "../../core/api-shapes";

/**
 * `GET /api/templates`: the gallery. Public, like a product page: it holds no
 * one's data. Each entry's `preview` is a screenshot the web UI serves
 * (web/static/templates/<id>.jpg, made by scripts/template-previews.mjs).
 */
export const templateRoutes = new Hono<PlatformContext>().get("/", (c) =>
  c.json({
    templates: listTemplates().map((t) => ({ ...t, preview: `/templates/${t.id}.jpg` })),
  } satisfies { templates: Template[] }),
);
