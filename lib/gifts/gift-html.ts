import { html } from "@/lib/ui/html";

/** Under an article an entitled reader may give away: a plain form, no client JavaScript. */
export function giftForm(slug: string): string {
  return html`<form class="gift-form" method="post" action="/articles/${slug}/gift" data-gift-form>
  <label class="gift-form__from">Your first name, shown to the reader <input name="from" maxlength="40" autocomplete="given-name"></label>
  <button class="button button--secondary" type="submit">Gift this article</button>
</form>`.value;
}

/** Below the text of a gifted article: who gave it, and the way to read everything. */
export function giftBanner(senderName: string | null, articlePath: string): string {
  return html`<aside class="gift-banner" data-gift-banner aria-label="Gift">
  <p class="gift-banner__from"><strong>${senderName ?? "A subscriber"} gave you this article.</strong> Reading it costs you nothing and uses none of your free articles.</p>
  <p><a class="button" href="/subscribe?return=${encodeURIComponent(articlePath)}">Subscribe to read everything</a></p>
</aside>`.value;
}

export const USED_UP_LINE = html`<p class="gift-note" data-gift-used-up>This gift link has been opened by as many readers as it allows.</p>`.value;
