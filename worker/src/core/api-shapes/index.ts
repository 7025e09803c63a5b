// The JSON the platform API sends and takes, one file per area. Types only (plus the `as const` lists a caller needs
// at run time, imported from their own file): the worker's features and routes use these definitions, and the web UI
// imports them (the `$shapes` alias), so a change on one side that the other does not follow fails to compile.
export type * from "./access";
export type * from "./ai";
export type * from "./alerts";
export type * from "./apps";
export type * from "./auth";
export type * from "./automations";
export type * from "./chat";
export type * from "./code-intel";
export type * from "./common";
export type * from "./connections";
export type * from "./data";
export type * from "./files";
export type * from "./logs";
export type * from "./requests";
export type * from "./setup";
export type * from "./templates";
export type * from "./versions";
export type * from "./webhooks";
