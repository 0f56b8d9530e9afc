import "server-only";
import type { NextRequest } from "next/server";
import { getDb } from "@/db/client";
import { env } from "@/lib/env";
import { giftsLeftLine } from "@/lib/gifts/gift-pages";
import { myGifts } from "@/lib/gifts/my-gifts";
import { html } from "@/lib/ui/html";
import { scrollingTable } from "@/lib/ui/table";
import { readerOf, readerPageResponse, toSignIn } from "./reader-page";

/** /account/gifts: the articles a subscriber gave away, each live link with its Revoke button (a plain post). */
export async function giftsPageResponse(request: NextRequest): Promise<Response> {
  const user = await readerOf(request);
  if (!user) return toSignIn("/account/gifts");
  const timeZone = env().SITE_TIME_ZONE;
  const now = new Date();
  const { left, nextBatch, gifts } = await myGifts(await getDb(), user.id, now, timeZone);
  const day = new Intl.DateTimeFormat("en-US", { dateStyle: "medium", timeZone });
  const revoked = request.nextUrl.searchParams.get("revoked") === "1";
  const rows = gifts.map((gift) => {
    const live = !gift.revokedAt && (!gift.expiresAt || gift.expiresAt > now);
    return html`<tr data-gift="${gift.id}">
  <td><a href="/articles/${gift.slug}">${gift.title}</a></td>
  <td>${day.format(gift.createdAt)}</td>
  <td>${gift.opens}</td>
  <td>${gift.revokedAt ? "Revoked" : live ? `Until ${day.format(gift.expiresAt!)}` : "Expired"}</td>
  <td>${
    live
      ? html`<form method="post" action="/account/gifts/revoke"><input type="hidden" name="gift" value="${gift.id}"><button class="button button--secondary button--small" type="submit" aria-label="Revoke the gift of ${gift.title}">Revoke</button></form>`
      : ""
  }</td>
</tr>`;
  });
  const empty =
    left === null
      ? html`<p>Subscribers can give articles away to anyone, free to read. <a href="/subscribe">Subscribe</a> to give your first.</p>`
      : html`<p>You have not given any articles yet. Choose “Gift this article” under any article.</p>`;
  return readerPageResponse(request, {
    title: "Your gifts",
    main: html`<section class="page">
  <h1>Your gifts</h1>
  ${revoked ? html`<p class="form-message" role="status">The link is revoked: it no longer opens the article.</p>` : ""}
  <p data-gifts-left="${left ?? 0}">${left === null ? "Gifts are for subscribers." : giftsLeftLine(left, nextBatch, timeZone)}</p>
  ${rows.length === 0 ? empty : scrollingTable("gifts-table", ["Article", "Given", "Browsers", "Status", html`<span class="visually-hidden">Revoke</span>`], rows)}
</section>`,
  });
}
