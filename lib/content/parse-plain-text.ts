import type { Block } from "./blocks";

export class ArticleFormatError extends Error {
  constructor(message: string) {
    super(message);
    this.name = "ArticleFormatError";
  }
}

export interface ParsedArticle {
  title: string;
  credit: string | null;
  blocks: Block[];
}

const MAX_BYTES = 1_000_000;
const MAX_HEADLINE = 300;
const MAX_CREDIT_LINE = 160;
// Trailing lines of syndication copy, not body text: "Read more at …", "… Sign up now.", "… Subscribe now."
// The call to act is its own closing sentence: a story that ends "… asked to sign up now." keeps it.
const PROMOTIONAL = [/^read more at\b/i, /(?:^|[.!?]["”’)]?\s+)sign up now[.!]?$/i, /(?:^|[.!?]["”’)]?\s+)subscribe now[.!]?$/i];

/**
 * Parses a plain-text article: the headline on the first line, then the photo credit line(s),
 * then paragraphs separated by blank lines. Throws ArticleFormatError naming the problem.
 */
export function parsePlainTextArticle(input: string): ParsedArticle {
  if (Buffer.byteLength(input, "utf8") > MAX_BYTES) {
    throw new ArticleFormatError(`The file is larger than ${MAX_BYTES / 1_000_000} MB; an article is plain text.`);
  }
  if (input.includes("\u0000") || input.includes("\uFFFD")) {
    throw new ArticleFormatError("The file is not UTF-8 text (it contains binary or invalid bytes).");
  }
  const chunks = input
    .replace(/^\uFEFF/, "")
    .replace(/\r\n?/g, "\n")
    .split(/\n[ \t]*\n/)
    .map((chunk) =>
      chunk
        .split("\n")
        .map((line) => line.trim())
        .filter(Boolean),
    )
    .filter((lines) => lines.length > 0);

  const first = chunks.shift();
  if (!first) throw new ArticleFormatError("The file is empty: the first line must be the headline.");
  const [title, ...creditLinesInHeadlineBlock] = first as [string, ...string[]];
  if (title.length > MAX_HEADLINE) {
    throw new ArticleFormatError(
      `The first line is ${title.length} characters long; a headline is at most ${MAX_HEADLINE}. Is the headline missing?`,
    );
  }

  let creditLines = creditLinesInHeadlineBlock;
  if (creditLines.length === 0 && chunks[0] && looksLikeCredit(chunks[0])) creditLines = chunks.shift()!;
  if (creditLines.some((line) => line.length > MAX_CREDIT_LINE)) {
    throw new ArticleFormatError("The lines after the headline must be a short photo credit, followed by a blank line.");
  }

  const paragraphs = chunks.map((lines) => lines.join(" "));
  while (paragraphs.length > 0 && PROMOTIONAL.some((re) => re.test(paragraphs.at(-1)!))) paragraphs.pop();
  if (paragraphs.length === 0) {
    throw new ArticleFormatError("The article has no body: expected paragraphs separated by blank lines after the credit.");
  }

  return {
    title,
    credit: creditLines.length > 0 ? [...new Set(creditLines)].join(" / ") : null,
    blocks: paragraphs.map(toBlock),
  };
}

function looksLikeCredit(lines: string[]): boolean {
  return lines.length <= 3 && lines.every((line) => line.length <= MAX_CREDIT_LINE && !/[.!?"”]$/.test(line));
}

function toBlock(paragraph: string): Block {
  const heading = /^#{2,3}\s+(.+)$/.exec(paragraph);
  if (heading) return { kind: "heading", text: heading[1]! };
  const quote = /^>\s*(.+)$/.exec(paragraph);
  if (quote) return { kind: "quote", text: quote[1]! };
  return { kind: "paragraph", text: paragraph };
}
