import { html, raw, type SafeHtml } from "@/lib/ui/html";
import type { ArticleMeta } from "../articles";

/** The CSS class that wraps the locked part when it is sent, named in the JSON-LD. */
export const LOCKED_PART_CLASS = "paywalled-content";

/**
 * Metadata for search engines and sharing: only the headline, dek and image, never the body.
 * Locked articles are marked as Google documents for paywalled content.
 */
export function articleHead(meta: ArticleMeta, canonicalUrl: string, siteUrl: string, siteName: string): SafeHtml {
  const image = meta.heroImage ? new URL(meta.heroImage, siteUrl).toString() : null;
  const free = meta.access === "free";
  const jsonLd: Record<string, unknown> = {
    "@context": "https://schema.org",
    "@type": "NewsArticle",
    headline: meta.title,
    ...(meta.dek ? { description: meta.dek } : {}),
    ...(image ? { image: [image] } : {}),
    ...(meta.publishedAt ? { datePublished: meta.publishedAt.toISOString() } : {}),
    dateModified: meta.updatedAt.toISOString(),
    ...(meta.byline ? { author: [{ "@type": "Person", name: meta.byline.replace(/^By\s+/i, "") }] } : {}),
    publisher: { "@type": "Organization", name: siteName },
    mainEntityOfPage: canonicalUrl,
    isAccessibleForFree: free,
    ...(free
      ? {}
      : {
          hasPart: {
            "@type": "WebPageElement",
            isAccessibleForFree: false,
            cssSelector: `.${LOCKED_PART_CLASS}`,
          },
        }),
  };
  // `<` escaped so no string in the data can close the script element.
  const jsonLdText = JSON.stringify(jsonLd).replace(/</g, "\\u003c");
  return html`<meta name="description" content="${meta.dek ?? meta.title}">
<link rel="canonical" href="${canonicalUrl}">
<meta property="og:type" content="article">
<meta property="og:site_name" content="${siteName}">
<meta property="og:title" content="${meta.title}">
${meta.dek ? html`<meta property="og:description" content="${meta.dek}">` : ""}
<meta property="og:url" content="${canonicalUrl}">
${image ? html`<meta property="og:image" content="${image}">` : ""}
${meta.heroImageAlt ? html`<meta property="og:image:alt" content="${meta.heroImageAlt}">` : ""}
<meta name="twitter:card" content="${image ? "summary_large_image" : "summary"}">
<meta name="twitter:title" content="${meta.title}">
${meta.dek ? html`<meta name="twitter:description" content="${meta.dek}">` : ""}
${image ? html`<meta name="twitter:image" content="${image}">` : ""}
<script type="application/ld+json">${raw(jsonLdText)}</script>`;
}
