import { readdirSync, readFileSync } from "node:fs";
import { describe, expect, it } from "vitest";
import type { Block } from "@/lib/content/blocks";
import { blocksToMarkdown, markdownToBlocks } from "@/lib/content/markdown";
import { parsePlainTextArticle } from "@/lib/content/parse-plain-text";
import { articleFixtures } from "../../support/fixtures";

describe("markdown to blocks", () => {
  it("reads paragraphs separated by blank lines, ## headings and > quotes", () => {
    const md = "First paragraph.\n\n## A heading\n\n> A quote\n\nLast paragraph.";
    expect(markdownToBlocks(md)).toEqual([
      { kind: "paragraph", text: "First paragraph." },
      { kind: "heading", text: "A heading" },
      { kind: "quote", text: "A quote" },
      { kind: "paragraph", text: "Last paragraph." },
    ]);
  });

  it("joins the lines of one block with a space and trims them", () => {
    expect(markdownToBlocks("  one\ntwo  \n three")).toEqual([{ kind: "paragraph", text: "one two three" }]);
    expect(markdownToBlocks("> said one\n> said two")).toEqual([{ kind: "quote", text: "said one said two" }]);
    expect(markdownToBlocks("## Title\ncontinued")).toEqual([{ kind: "heading", text: "Title continued" }]);
  });

  it("accepts CRLF, a BOM, several blank lines and whitespace-only separator lines", () => {
    expect(markdownToBlocks("\uFEFFa\r\n\r\n\r\n\r\nb\n  \t\nc\n")).toEqual([
      { kind: "paragraph", text: "a" },
      { kind: "paragraph", text: "b" },
      { kind: "paragraph", text: "c" },
    ]);
  });

  it("treats any heading level as a heading, but a # without a space as text", () => {
    expect(markdownToBlocks("# One\n\n### Three\n\n#hashtag")).toEqual([
      { kind: "heading", text: "One" },
      { kind: "heading", text: "Three" },
      { kind: "paragraph", text: "#hashtag" },
    ]);
  });

  it("keeps a block with some unquoted lines as a paragraph", () => {
    expect(markdownToBlocks("> quoted\nnot quoted")).toEqual([{ kind: "paragraph", text: "> quoted not quoted" }]);
  });

  it("drops empty blocks: empty input, lone markers", () => {
    expect(markdownToBlocks("")).toEqual([]);
    expect(markdownToBlocks("   \n\n \n")).toEqual([]);
    expect(markdownToBlocks(">\n\n> ")).toEqual([]);
  });

  it("unescapes a leading backslash before # > or \\", () => {
    expect(markdownToBlocks("\\## not a heading\n\n\\> not a quote\n\n\\\\x\n\n\\n")).toEqual([
      { kind: "paragraph", text: "## not a heading" },
      { kind: "paragraph", text: "> not a quote" },
      { kind: "paragraph", text: "\\x" },
      { kind: "paragraph", text: "\\n" },
    ]);
  });
});

describe("blocks to markdown", () => {
  it("writes each kind with its marker, blocks separated by a blank line", () => {
    const blocks: Block[] = [
      { kind: "paragraph", text: "Intro." },
      { kind: "heading", text: "Section" },
      { kind: "quote", text: "Words." },
    ];
    expect(blocksToMarkdown(blocks)).toBe("Intro.\n\n## Section\n\n> Words.");
  });

  it("escapes paragraphs that would read back as something else", () => {
    expect(blocksToMarkdown([{ kind: "paragraph", text: "# one" }, { kind: "paragraph", text: "> two" }])).toBe("\\# one\n\n\\> two");
  });

  const roundTrips: Block[][] = [
    [{ kind: "paragraph", text: "Just one." }],
    [
      { kind: "heading", text: "C# and F#" },
      { kind: "paragraph", text: "## looks like a heading" },
      { kind: "paragraph", text: "> looks like a quote" },
      { kind: "paragraph", text: "\\ starts with a backslash" },
      { kind: "paragraph", text: "\\# backslash then hash" },
      { kind: "quote", text: "> nested marker" },
      { kind: "paragraph", text: "Ends." },
    ],
  ];
  it.each(roundTrips.map((blocks, i) => [i, blocks] as const))("round-trips block list %i", (_i, blocks) => {
    expect(markdownToBlocks(blocksToMarkdown(blocks))).toEqual(blocks);
  });

  it("round-trips every demo article and every fixture", () => {
    const articles = readdirSync("db/seed/articles").map((f) => ({ name: `db/seed/articles/${f}`, text: readFileSync(`db/seed/articles/${f}`, "utf8") }));
    for (const { name, text } of [...articles, ...articleFixtures]) {
      const { blocks } = parsePlainTextArticle(text);
      expect(markdownToBlocks(blocksToMarkdown(blocks)), name).toEqual(blocks);
    }
  });

  it("flattens line breaks inside a block's text", () => {
    expect(blocksToMarkdown([{ kind: "paragraph", text: "a\n\nb" }])).toBe("a b");
  });
});
