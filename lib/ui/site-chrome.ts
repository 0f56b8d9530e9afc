import { paymentsEmulated } from "@/lib/billing/mode";
import { env } from "@/lib/env";
import { html, type SafeHtml } from "./html";
import { stylesheetHref } from "./assets";

/** The masthead and navigation, the same for every reader so pages stay cacheable. The test-mode note sits in the header's landmark. */
export function siteHeader(): SafeHtml {
  const { SITE_NAME } = env();
  return html`<a class="skip-link" href="#main">Skip to content</a>
<header class="site-header">
  ${paymentsEmulated() ? html`<p class="test-mode-banner" role="note">Test mode: payments are emulated</p>` : ""}
  <div class="site-header__inner">
    <a class="site-title" href="/">${SITE_NAME}</a>
    <nav class="site-nav" aria-label="Main">
      <a href="/">Latest</a>
      <a href="/account">Account</a>
      <a class="button button--small" href="/subscribe">Subscribe</a>
    </nav>
  </div>
</header>`;
}

export function siteFooter(): SafeHtml {
  const { SITE_NAME } = env();
  return html`<footer class="site-footer">
  <div class="site-footer__inner">
    <p class="site-footer__name">${SITE_NAME}</p>
    <nav aria-label="Footer">
      <a href="/">Latest news</a>
      <a href="/subscribe">Subscribe</a>
      <a href="/account">Your account</a>
    </nav>
    <p class="site-footer__small">Independent reporting from Port Calder and the coast. Powered by Masthead.</p>
  </div>
</footer>`;
}

/** A complete HTML document around a page's main content, for pages we render as strings. */
export function documentShell(page: { title: string; head?: SafeHtml; main: SafeHtml; bodyClass?: string }): string {
  return `<!doctype html>${html`<html lang="en">
<head>
<meta charset="utf-8">
<meta name="viewport" content="width=device-width, initial-scale=1">
<title>${page.title}</title>
<link rel="stylesheet" href="${stylesheetHref()}">
<link rel="icon" href="/favicon.svg" type="image/svg+xml">
${page.head}
</head>
<body class="${page.bodyClass ?? ""}">
${siteHeader()}
<main id="main" tabindex="-1">
${page.main}
</main>
${siteFooter()}
</body>
</html>`}`;
}
