import { html, type SafeHtml } from "@/lib/ui/html";
import { documentShell } from "@/lib/ui/site-chrome";
import type { ArticleMeta } from "../articles";
import type { Block } from "../blocks";
import { LOCKED_PART_CLASS } from "./article-head";
import { blocksHtml } from "./blocks-html";

const dateFormat = new Intl.DateTimeFormat("en-US", { dateStyle: "long", timeZone: "UTC" });

export interface ArticleDocumentInput {
  meta: ArticleMeta;
  head: SafeHtml;
  siteName: string;
  leadIn: Block[];
  /** The locked part, present only when this reader may read it. */
  locked: Block[] | null;
  /** The paywall card for a preview, or a note on the meter after a metered read. */
  after: SafeHtml | null;
}

export function accessBadge(access: ArticleMeta["access"]): SafeHtml {
  if (access === "subscribers") return html`<span class="badge badge--subscribers">Subscribers only</span>`;
  if (access === "free") return html`<span class="badge badge--free">Free to read</span>`;
  return html``;
}

/** The article page as one HTML document: no client JavaScript on the reading path. */
export function articleDocument(input: ArticleDocumentInput): string {
  const { meta } = input;
  const full = input.locked !== null;
  const main = html`<article class="article" data-access="${full ? "full" : "preview"}" aria-labelledby="article-title">
  <header class="article__header">
    ${accessBadge(meta.access)}
    <h1 id="article-title" class="article__title">${meta.title}</h1>
    ${meta.dek ? html`<p class="article__dek">${meta.dek}</p>` : ""}
    <p class="article__meta">
      ${meta.byline ? html`<span class="article__byline">${meta.byline}</span>` : ""}
      ${meta.publishedAt ? html`<time datetime="${meta.publishedAt.toISOString()}">${dateFormat.format(meta.publishedAt)}</time>` : ""}
    </p>
  </header>
  ${
    meta.heroImage
      ? html`<figure class="article__hero">
    <img src="${meta.heroImage}" alt="${meta.heroImageAlt ?? ""}" width="1200" height="675" fetchpriority="high" decoding="async">
    ${meta.heroImageCredit ? html`<figcaption>${meta.heroImageCredit}</figcaption>` : ""}
  </figure>`
      : meta.heroImageCredit
        ? html`<p class="article__credit">${meta.heroImageCredit}</p>`
        : ""
  }
  <div class="article__body">
    ${blocksHtml(input.leadIn)}
    ${input.locked ? html`<div class="${LOCKED_PART_CLASS}">${blocksHtml(input.locked)}</div>` : ""}
  </div>
  ${input.after}
</article>`;
  return documentShell({ title: `${meta.title} — ${input.siteName}`, head: input.head, main });
}
