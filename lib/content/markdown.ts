import type { Block } from "./blocks";

/**
 * The article body as the admin writes it: paragraphs separated by blank lines, `## ` headings,
 * `> ` quotes. Plain text otherwise (no inline formatting: the reading path renders text, not HTML).
 * Pure and dependency-free, so the editor's live preview and the server use the same conversion.
 */

const HEADING = /^#{1,6}[ \t]+(.*)$/;
const QUOTE = /^>[ \t]?(.*)$/;
// A paragraph that would read back as a heading or a quote is written with a leading backslash.
const ESCAPED = /^\\([#>\\])/;

/** Markdown to blocks. Lines within a block are joined by a space; empty blocks are dropped. */
export function markdownToBlocks(markdown: string): Block[] {
  const blocks: Block[] = [];
  const chunks = markdown
    .replace(/^\uFEFF/, "")
    .replace(/\r\n?/g, "\n")
    .split(/\n[ \t]*\n/);
  for (const chunk of chunks) {
    const lines = chunk
      .split("\n")
      .map((line) => line.trim())
      .filter(Boolean);
    const [first] = lines;
    if (first === undefined) continue;
    const block = toBlock(first, lines);
    if (block.text) blocks.push(block);
  }
  return blocks;
}

function toBlock(first: string, lines: string[]): Block {
  const heading = HEADING.exec(first);
  if (heading) return { kind: "heading", text: join([heading[1] ?? "", ...lines.slice(1)]) };
  if (lines.every((line) => QUOTE.test(line))) {
    return { kind: "quote", text: join(lines.map((line) => QUOTE.exec(line)?.[1] ?? "")) };
  }
  return { kind: "paragraph", text: join(lines).replace(ESCAPED, "$1") };
}

function join(parts: string[]): string {
  return parts
    .map((part) => part.trim())
    .filter(Boolean)
    .join(" ");
}

/** Blocks to Markdown: the inverse of markdownToBlocks for any block list it produces. */
export function blocksToMarkdown(blocks: readonly Block[]): string {
  return blocks
    .map((block) => {
      const text = block.text.replace(/\s+/g, " ").trim();
      switch (block.kind) {
        case "heading":
          return `## ${text}`;
        case "quote":
          return `> ${text}`;
        default:
          return /^[#>\\]/.test(text) ? `\\${text}` : text;
      }
    })
    .join("\n\n");
}
