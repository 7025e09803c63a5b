// The build pipeline: uploaded TypeScript in, a Dynamic Worker bundle out.
export { buildApp } from "./build-app";
export { buildCacheKey, cachedBuild } from "./build-cache";
export { META_ENTRYPOINT } from "./entry-wrapper";
export type { AppBundle, BuildOptions, BuildResult, SourceFiles } from "./types";
