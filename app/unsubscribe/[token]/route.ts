import type { NextRequest } from "next/server";
import { getDb } from "@/db/client";
import { findNewsletter } from "@/lib/newsletters/catalog";
import { badLinkPage, buttonPage, messagePage, tokenFrom } from "@/lib/newsletters/public-pages";
import { newsletterLinks, readUnsubscribeToken } from "@/lib/newsletters/signed-links";
import { unsubscribe } from "@/lib/newsletters/subscriptions";
import { html } from "@/lib/ui/html";

type Context = { params: Promise<{ token: string }> };

// The List-Unsubscribe target. GET only shows the button; the POST (RFC 8058 one-click, or the
// button) unsubscribes at once, with no session: the signed link names the recipient and list.
export async function GET(_request: NextRequest, context: Context) {
  const token = tokenFrom((await context.params).token);
  const link = readUnsubscribeToken(token);
  const newsletter = link && (await findNewsletter(await getDb(), link.newsletterId));
  if (!link || !newsletter) return badLinkPage();
  return buttonPage("Unsubscribe", html`Stop receiving <strong>${newsletter.name}</strong>?`, `/unsubscribe/${token}`, "Unsubscribe", {
    "List-Unsubscribe": "One-Click",
  });
}

export async function POST(_request: NextRequest, context: Context) {
  const link = readUnsubscribeToken(tokenFrom((await context.params).token));
  const db = await getDb();
  const newsletter = link && (await findNewsletter(db, link.newsletterId));
  if (!link || !newsletter) return badLinkPage();
  await unsubscribe(db, link.userId, link.newsletterId);
  return messagePage(
    200,
    "You are unsubscribed",
    html`<p data-newsletter-result="unsubscribed">You will no longer receive ${newsletter.name}.</p>
<p><a href="${newsletterLinks.preferences(link.userId)}">Manage your newsletters</a></p>`,
  );
}
