import { html, type SafeHtml } from "@/lib/ui/html";
import type { Block } from "../blocks";

export function blocksHtml(blocks: Block[]): SafeHtml {
  return html`${blocks.map((block) => {
    switch (block.kind) {
      case "heading":
        return html`<h2>${block.text}</h2>\n`;
      case "quote":
        return html`<blockquote><p>${block.text}</p></blockquote>\n`;
      default:
        return html`<p>${block.text}</p>\n`;
    }
  })}`;
}
