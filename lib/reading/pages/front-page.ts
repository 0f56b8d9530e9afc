import "server-only";
import type { NextRequest } from "next/server";
import type { ArticleMeta } from "@/lib/content/articles";
import { getLatestArticles } from "@/lib/content/front-page";
import { getSignupFormMarkup } from "@/lib/newsletters/signup-form";
import { html, raw, type SafeHtml } from "@/lib/ui/html";
import { readerPageResponse } from "./reader-page";

const dateFormat = new Intl.DateTimeFormat("en-US", { dateStyle: "medium", timeZone: "UTC" });

/** The front page: the latest stories (metadata only), then the newsletter sign-up. */
export async function frontPageResponse(request: NextRequest): Promise<Response> {
  const [[lead, ...rest], signup] = await Promise.all([getLatestArticles(), getSignupFormMarkup()]);
  if (!lead) {
    return readerPageResponse(request, {
      title: null,
      main: html`<section class="notice">
  <h1>No stories yet</h1>
  <p>Published articles will appear here.</p>
</section>`,
    });
  }
  return readerPageResponse(request, {
    title: null,
    receipt: true,
    main: html`<div class="front">
<h1 class="visually-hidden">Latest news</h1>
${teaser(lead, true)}
<ul class="teasers" role="list">${rest.map((article) => html`<li>${teaser(article, false)}</li>`)}</ul>
${raw(signup)}
</div>`,
  });
}

// Plain links: article pages are documents, not client-side routes, so nothing is prefetched.
function teaser(article: ArticleMeta, lead: boolean): SafeHtml {
  const href = `/articles/${article.slug}`;
  const heading = lead ? "h2" : "h3";
  return html`<article class="${lead ? "teaser teaser--lead" : "teaser"}">
  ${article.heroImage ? html`<a href="${href}" tabindex="-1" aria-hidden="true" class="teaser__image"><img src="${article.heroImage}" alt="" width="1200" height="675" loading="${lead ? "eager" : "lazy"}"></a>` : ""}
  <div class="teaser__text">
    ${article.access === "subscribers" ? html`<span class="badge badge--subscribers">Subscribers only</span>` : ""}
    ${article.access === "free" ? html`<span class="badge badge--free">Free to read</span>` : ""}
    ${raw(`<${heading} class="teaser__title">`)}<a href="${href}">${article.title}</a>${raw(`</${heading}>`)}
    ${article.dek ? html`<p class="teaser__dek">${article.dek}</p>` : ""}
    <p class="teaser__meta">${article.byline ? html`<span>${article.byline}</span>` : ""}${article.publishedAt ? html`<time datetime="${article.publishedAt.toISOString()}">${dateFormat.format(article.publishedAt)}</time>` : ""}</p>
  </div>
</article>`;
}
