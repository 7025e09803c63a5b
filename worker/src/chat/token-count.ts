import { countTokens as countO200k } from "gpt-tokenizer";

/** Tokens of `text` with the o200k_base tokenizer (GPT-4o family), offline; close to other providers' counts. */
export function countTokens(text: string): number {
  return countO200k(text);
}
