import { describe, expect, it } from "vitest";
import { previewBlockCount, previewWarning, wordCount } from "@/lib/content/preview-cut";

describe("previewBlockCount", () => {
  // [what, words per block, lead-in, blocks a reader without access sees]
  const cases: Array<[string, number[], number, number]> = [
    ["one block: nothing, whatever the lead-in", [40], 2, 0],
    ["one block, lead-in 1", [40], 1, 0],
    ["two equal blocks: the first is exactly half", [30, 30], 2, 1],
    ["two blocks, the first more than half", [31, 30], 2, 0],
    ["two blocks, the first short", [5, 60], 2, 1],
    ["three equal blocks: two would be more than half", [20, 20, 20], 2, 1],
    ["three blocks, a long first paragraph", [50, 10, 10], 2, 0],
    ["three blocks, two short ones first", [10, 10, 40], 2, 2],
    ["three blocks, lead-in 1", [10, 10, 40], 1, 1],
    ["lead-in larger than the article", [10, 10, 10, 10, 60], 9, 4],
    ["lead-in larger, but the last block is short", [10, 10, 10, 10, 1], 9, 2],
    ["a long article keeps the lead-in it asked for", [40, 40, 40, 40, 40, 40, 40, 40], 2, 2],
    ["a long article with a huge second paragraph", [40, 400, 40, 40, 40], 3, 1],
    ["a short heading before a long paragraph", [3, 60, 80], 2, 2],
    ["a heading and a paragraph that together pass half", [3, 80, 80], 2, 1],
    ["lead-in 0 shows nothing", [10, 10, 10], 0, 0],
    ["no blocks", [], 2, 0],
  ];
  it.each(cases)("%s", (_what, counts, leadIn, expected) => {
    const shown = previewBlockCount(counts, leadIn);
    expect(shown).toBe(expected);
    // The rule itself, restated: never the last block, never past the lead-in, never more than half the words.
    expect(shown).toBeLessThanOrEqual(Math.max(0, Math.min(leadIn, counts.length - 1)));
    const total = counts.reduce((a, b) => a + b, 0);
    expect(counts.slice(0, shown).reduce((a, b) => a + b, 0) * 2).toBeLessThanOrEqual(total);
  });
});

describe("wordCount", () => {
  it("counts runs between spaces, tabs and newlines, as the database does", () => {
    expect(wordCount("one")).toBe(1);
    expect(wordCount("  two   words ")).toBe(2);
    expect(wordCount("a\tb\nc\r\nd")).toBe(4);
    expect(wordCount("— dash, counted")).toBe(3);
    expect(wordCount("")).toBe(0);
  });
});

describe("previewWarning", () => {
  it("says nothing when the lead-in is shown whole", () => {
    expect(previewWarning([10, 10, 40], 2)).toBeNull();
  });
  it("says how many paragraphs are left when the lead-in had to be shortened", () => {
    expect(previewWarning([20, 20, 20], 2)).toBe(
      "Readers without access will see only 1 of the 2 lead-in paragraphs: a preview never includes the last paragraph or more than half of the words.",
    );
  });
  it("says when there is no preview at all", () => {
    expect(previewWarning([40], 2)).toMatch(/^Too short for a preview: readers without access see only the headline and standfirst/);
    expect(previewWarning([31, 30], 2)).toMatch(/^Too short for a preview/);
  });
});
