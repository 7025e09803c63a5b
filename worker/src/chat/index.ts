// The builder chat: a person's message in, a checked and deployed version (or a question) out.
export { chatRoutes } from "../http/routes/chat";
export { streamTurn } from "../http/turn-stream";
export type { TurnEvent, TurnStatus } from "./turn-events";
export type { ChatTurn } from "./chat-store";
