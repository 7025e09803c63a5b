// AI inside apps (kiln/ai): what the egress proxy, the API and the cron use — answering a call (a build's trial
// too), each app's budget, and the sweep of holds left by calls torn down.
export { answerAiCall, answerTrialAiCall, type AiCallResult } from "./answer-ai-call";
export { purgeExpiredAiHolds } from "./ai-reservation";
export { DEFAULT_MONTHLY_TOKENS, MAX_MONTHLY_TOKENS, readAiBudget, setAiBudget } from "./ai-budget";
