import { readFileSync } from "node:fs";
import { describe, expect, it } from "vitest";
import { ArticleFormatError, parsePlainTextArticle } from "@/lib/content/parse-plain-text";
import { slugify } from "@/lib/content/slug";

const fixture = readFileSync(new URL("../../../shared/fixtures/izium-article.txt", import.meta.url), "utf8");

describe("plain-text article parser", () => {
  it("reads the fixture: headline, credit, paragraphs, promotional lines dropped", () => {
    const parsed = parsePlainTextArticle(fixture);
    expect(parsed.title).toBe("Ukraine Takes Back Control of Key City, Forcing Humiliating Russian Retreat");
    expect(parsed.credit).toBe("Future Publishing/Getty");
    expect(parsed.blocks).toHaveLength(7);
    expect(parsed.blocks[0]!.text).toMatch(/^Ukrainian forces have taken down/);
    expect(parsed.blocks.at(-1)!.text).toMatch(/bitter cold winter months of the war that lie ahead\.$/);
    const all = parsed.blocks.map((b) => b.text).join("\n");
    expect(all).not.toMatch(/Read more at|Sign up now|Subscribe now/);
  });

  it("makes the documented slug", () => {
    expect(slugify(parsePlainTextArticle(fixture).title)).toBe(
      "ukraine-takes-back-control-of-key-city-forcing-humiliating-russian-retreat",
    );
    expect(slugify("Café’s “Best” Crêpes — 2026!")).toBe("cafes-best-crepes-2026");
  });

  it("accepts CRLF line endings, a BOM and no credit", () => {
    const parsed = parsePlainTextArticle("\uFEFFA headline\r\n\r\nFirst paragraph here.\r\n\r\nSecond one.\r\n");
    expect(parsed).toEqual({
      title: "A headline",
      credit: null,
      blocks: [
        { kind: "paragraph", text: "First paragraph here." },
        { kind: "paragraph", text: "Second one." },
      ],
    });
  });

  it.each([
    ["", /empty/],
    ["\n\n  \n", /empty/],
    ["Just a headline\n", /no body/],
    ["Headline\n\nCredit/Photo\n\nRead more at The Daily Beast.\n", /no body/],
    [`${"x".repeat(400)}\n\nBody.`, /headline/],
    ["Headline\n\u0000\u0001binary", /not UTF-8/],
  ])("rejects a malformed file with a message naming the problem (%#)", (input, message) => {
    expect(() => parsePlainTextArticle(input)).toThrow(ArticleFormatError);
    expect(() => parsePlainTextArticle(input)).toThrow(message);
  });
});
