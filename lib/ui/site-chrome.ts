import { paymentsEmulated } from "@/lib/billing/mode";
import { env } from "@/lib/env";
import { html, type SafeHtml } from "./html";
import { stylesheetHref } from "./assets";
import { sessionTokenFrom } from "@/lib/http/cookies";

/** Which header a page gets: it only picks links, never decides what anyone may read. */
export type HeaderState = "anonymous" | "reader" | "subscriber";

/**
 * A hint, not a proof: "subscriber" when the last page that knew the reader found them entitled.
 * Unsigned and harmless to forge: it hides the Subscribe button, nothing more.
 */
export const READER_HINT_COOKIE = "masthead_reader";
export const READER_HINT_OPTIONS = { httpOnly: true, sameSite: "lax", path: "/", maxAge: 30 * 86_400 } as const;

/**
 * The header for a request, from its cookies alone (no database, no client script): a session
 * cookie means someone signed in (Account instead of Sign in), the hint says a subscriber (no
 * Subscribe button). Access is decided on the server, separately, every time.
 */
export function headerStateFrom(cookies: { get(name: string): { value: string } | undefined }): HeaderState {
  if (!sessionTokenFrom(cookies)) return "anonymous";
  return cookies.get(READER_HINT_COOKIE)?.value === "subscriber" ? "subscriber" : "reader";
}

/** The main navigation for a header state. */
export function siteNav(state: HeaderState): SafeHtml {
  return html`<nav class="site-nav" aria-label="Main">
      <a href="/">Latest</a>
      ${state === "anonymous" ? html`<a href="/signin">Sign in</a>` : html`<a href="/account">Account</a>`}
      ${state === "subscriber" ? "" : html`<a class="button button--small" href="/subscribe">Subscribe</a>`}
    </nav>`;
}

/** The masthead and navigation; the test-mode note sits in the header's landmark. */
export function siteHeader(state: HeaderState = "anonymous"): SafeHtml {
  const { SITE_NAME } = env();
  return html`<a class="skip-link" href="#main">Skip to content</a>
<header class="site-header">
  ${paymentsEmulated() ? html`<p class="test-mode-banner" role="note">Test mode: payments are emulated</p>` : ""}
  <div class="site-header__inner">
    <a class="site-title" href="/">${SITE_NAME}</a>
    ${siteNav(state)}
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
      <a href="/cancel">Cancel a subscription</a>
      <a href="/privacy">Privacy and cookies</a>
    </nav>
    <p class="site-footer__small">Independent reporting from Port Calder and the coast. Powered by Masthead.</p>
  </div>
</footer>`;
}

/** A complete HTML document around a page's main content, for pages we render as strings. */
export function documentShell(page: { title: string; head?: SafeHtml; main: SafeHtml; bodyClass?: string; header?: HeaderState }): string {
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
${siteHeader(page.header)}
<main id="main" tabindex="-1">
${page.main}
</main>
${siteFooter()}
</body>
</html>`}`;
}
