// Models that write apps, through the AI SDK, chosen by configuration.
export { askModel, addUsage, ModelCallError, type AskOptions } from "./ask-model";
export type { TokenUsage } from "../core/api-shapes/chat";
export { languageModelFor } from "./language-model";
export { AnswerFormatError, answerFormatRules, parseModelAnswer, type ModelAnswer } from "./model-answer";
export { describeModel, modelConfigFrom, ModelConfigError, type ModelConfig, type ModelProvider } from "./model-config";
