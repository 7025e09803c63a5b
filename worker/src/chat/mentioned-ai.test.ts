// kiln/ai's declaration reaches the model only when a request is about AI: the always-on context names it in a clause.
import { describe, expect, it } from "vitest";
import { mentionedConnectors } from "./mentioned-connectors";

describe("requests that mention AI", () => {
  it("bring kiln/ai in for classifying, summarising and models, not for a page of totals", () => {
    expect(mentionedConnectors("a feedback form that classifies each entry")).toEqual(["ai"]);
    expect(mentionedConnectors("summarise the day's orders with AI every evening")).toContain("ai");
    expect(mentionedConnectors("use GPT to translate messages")).toEqual(["ai"]);
    expect(mentionedConnectors("a summary page of my tasks")).toEqual([]);
    expect(mentionedConnectors("track my email campaigns")).not.toContain("ai");
  });
});
