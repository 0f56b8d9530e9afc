import { simplePage } from "@/lib/http/html-response";
import { html, type SafeHtml } from "@/lib/ui/html";

/**
 * The pages behind the links in newsletter emails. Each GET only shows a page: the change is the
 * button's POST, because mail scanners open links (nothing may confirm or unsubscribe on a GET).
 */

export function buttonPage(title: string, lede: SafeHtml, action: string, button: string, hidden: Record<string, string> = {}): Response {
  return simplePage(
    200,
    title,
    html`<h1>${title}</h1>
<p>${lede}</p>
<form method="post" action="${action}">
  ${Object.entries(hidden).map(([name, value]) => html`<input type="hidden" name="${name}" value="${value}">`)}
  <button class="button" type="submit">${button}</button>
</form>`,
  );
}

export function messagePage(status: number, title: string, body: SafeHtml): Response {
  return simplePage(status, title, html`<h1>${title}</h1>${body}`);
}

export const badLinkPage = () =>
  messagePage(
    400,
    "This link is not valid",
    html`<p data-newsletter-result="invalid-link">The link is incomplete or has been changed, so nothing was changed. Copy the whole address from the email, or manage your newsletters from <a href="/account">your account</a>.</p>`,
  );

/** The token segment of a path, bounded before it is verified. */
export function tokenFrom(raw: string): string {
  return raw.length <= 2_000 ? decodeURIComponentSafe(raw) : "";
}

function decodeURIComponentSafe(value: string): string {
  try {
    return decodeURIComponent(value);
  } catch {
    return "";
  }
}
