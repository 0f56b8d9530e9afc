import { env } from "@/lib/env";
import { simplePage } from "@/lib/http/html-response";
import { copyButton } from "@/lib/ui/copy-button";
import { html } from "@/lib/ui/html";
import type { IssueResult } from "./issue-gift";
import { giftPath } from "./gift-token";

const dayIn = (timeZone: string) => new Intl.DateTimeFormat("en-US", { dateStyle: "long", timeZone });

export function giftsLeftLine(left: number, nextBatch: Date, timeZone: string): string {
  return `${left} ${left === 1 ? "gift" : "gifts"} left, next batch on ${dayIn(timeZone).format(nextBatch)}.`;
}

/** The answer to "Gift this article": the link to copy (shown once: only its hash is kept), or why not. */
export function giftIssuedPage(result: IssueResult, article: { slug: string; title: string }, browserLimit: number): Response {
  const { SITE_URL, SITE_TIME_ZONE } = env();
  const back = html`<p><a href="/articles/${article.slug}">Back to the article</a> · <a href="/account/gifts">Your gifts</a></p>`;
  if (!result.ok && result.reason === "not-entitled") {
    return simplePage(403, "Gifts are for subscribers", html`<h1>Gifts are for subscribers</h1><p>Subscribe to give articles to anyone.</p>${back}`);
  }
  if (!result.ok) {
    return simplePage(
      409,
      "No gifts left this month",
      html`<h1>No gifts left this month</h1>
      <p data-gifts-left="0">You have given your ${result.allowance} ${result.allowance === 1 ? "article" : "articles"} this month. ${giftsLeftLine(0, result.nextBatch, SITE_TIME_ZONE)}</p>${back}`,
    );
  }
  const link = new URL(giftPath(article.slug, result.token), SITE_URL).toString();
  return simplePage(
    200,
    "Your gift link",
    html`<h1>Your gift link</h1>
    <p>Anyone with this link can read “${article.title}” in full until ${dayIn(SITE_TIME_ZONE).format(result.expiresAt)}. Copy it now: it is shown only once.</p>
    <p data-gift-browsers="${result.browsersUsed}">Up to ${browserLimit} browsers in all may read this article through your links this month, however many links you make (${result.browsersUsed === 0 ? "none" : result.browsersUsed} so far). Link previews in chat and mail apps do not count.</p>
    <p class="field"><label for="gift-link">Gift link</label><input id="gift-link" name="gift-link" readonly value="${link}" data-gift-link> ${copyButton("gift-link")}</p>
    <p data-gifts-left="${result.left}">${result.regift ? "Giving this article again is free this month. " : ""}${giftsLeftLine(result.left, result.nextBatch, SITE_TIME_ZONE)}</p>
    <form method="post" action="/account/gifts/revoke"><input type="hidden" name="gift" value="${result.giftId}"><button class="button button--secondary" type="submit">Revoke this link</button></form>
    ${back}`,
  );
}
