import "server-only";
import { simplePage } from "@/lib/http/html-response";
import { html, type SafeHtml } from "@/lib/ui/html";

/** A route handler's context under `[token]`. */
export type TokenContext = { params: Promise<{ token: string }> };

// The token is the only proof here: no other page may learn it from a Referer.
const head = html`<meta name="referrer" content="no-referrer"><meta name="robots" content="noindex">`;

/** A page answered to a one-time link we mailed: never indexed, and its address never leaves as a Referer. */
export function mailedLinkPage(status: number, title: string, body: SafeHtml): Response {
  return simplePage(status, title, body, head);
}

/** The token in the path; one longer than any we mail counts as none. */
export async function mailedLinkToken(context: TokenContext): Promise<string> {
  const raw = (await context.params).token;
  return raw.length <= 100 ? raw : "";
}

/** Opening the link only shows the one button that acts (mail scanners open links); its POST acts. */
export function mailedLinkButtonPage(page: { title: string; heading: SafeHtml; text: SafeHtml; action: string; button: string }): Response {
  return mailedLinkPage(
    200,
    page.title,
    html`<h1>${page.heading}</h1>
<p>${page.text}</p>
<form method="post" action="${page.action}">
  <button class="button" type="submit">${page.button}</button>
</form>`,
  );
}
