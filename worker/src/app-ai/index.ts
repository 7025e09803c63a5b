// AI inside apps (kiln/ai): what the egress proxy and the API use — answering a call, and each app's budget.
export { answerAiCall, type AiCallResult } from "./answer-ai-call";
export { DEFAULT_MONTHLY_TOKENS, MAX_MONTHLY_TOKENS, readAiBudget, setAiBudget } from "./ai-budget";
