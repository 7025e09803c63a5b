import { describe, expect, it } from "vitest";
import type { Env } from "../core/env";
import { noModelEnv } from "../../test/no-model-env";
import { AnswerFormatError, ModelConfigError, modelConfigFrom, parseModelAnswer } from ".";

const bare: Env = noModelEnv;

describe("model configuration", () => {
  it("is template mode (null) with nothing configured, and implies a provider from its key", () => {
    expect(modelConfigFrom(bare)).toBeNull();
    expect(modelConfigFrom({ ...bare, OPENAI_API_KEY: "sk-x" })).toEqual({ provider: "openai", model: "gpt-4.1" });
    expect(modelConfigFrom({ ...bare, KILN_MODEL_BASE_URL: "http://127.0.0.1:1/v1", KILN_MODEL: "qwen" })).toEqual({
      provider: "openai-compatible",
      model: "qwen",
      baseUrl: "http://127.0.0.1:1/v1",
    });
  });
  it("explains a configuration it cannot use", () => {
    expect(() => modelConfigFrom({ ...bare, KILN_MODEL_PROVIDER: "gemini" })).toThrow(ModelConfigError);
    expect(() => modelConfigFrom({ ...bare, KILN_MODEL_PROVIDER: "openai-compatible", KILN_MODEL: "x" })).toThrow(
      /KILN_MODEL_BASE_URL/,
    );
    expect(() => modelConfigFrom({ ...bare, KILN_MODEL_PROVIDER: "workers-ai" })).toThrow(/AI binding/);
  });
});

describe("the model's tagged answer", () => {
  it("reads plan, whole files (fences stripped) and a one-line summary", () => {
    const answer = parseModelAnswer(
      '<plan>Do it.</plan>\n<file path="./src/index.ts">\n```ts\nexport default {};\n```\n</file>\n<summary>Made it.\nmore</summary>',
    );
    expect(answer).toEqual({
      kind: "code",
      plan: "Do it.",
      files: { "src/index.ts": "export default {};\n" },
      summary: "Made it.",
    });
  });
  it("reads a question, and refuses an answer with neither files nor a question", () => {
    expect(parseModelAnswer("<plan>p</plan><question>Which?</question>")).toEqual({
      kind: "question",
      plan: "p",
      question: "Which?",
    });
    expect(() => parseModelAnswer("Sure! Here is your app: export default {}")).toThrow(AnswerFormatError);
  });
});
