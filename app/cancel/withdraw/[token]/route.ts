import type { NextRequest } from "next/server";
import { getDb } from "@/db/client";
import { CANCEL_LINK_HOURS, readCancelLink, type LinkProblem } from "@/lib/retention/cancel-links";
import { withdrawByLink, withdrawRefusal } from "@/lib/retention/withdrawals";
import { mailedLinkButtonPage, mailedLinkPage, mailedLinkToken, type TokenContext } from "@/lib/reading/pages/mailed-link-page";
import { withdrawResult } from "@/lib/reading/pages/withdraw-page";
import { html } from "@/lib/ui/html";

const problemPages: Record<LinkProblem, () => Response> = {
  invalid: () => mailedLinkPage(400, "This link is not valid", html`<h1>This link is not valid</h1><p data-withdraw-result="invalid">The link is incomplete or no longer matches the subscription, so nothing was changed. <a href="/cancel">Ask for a new link</a>.</p>`),
  used: () => mailedLinkPage(410, "This link has been used", html`<h1>This link has been used</h1><p data-withdraw-result="used">Each link works once, so nothing was changed.</p>`),
  expired: () => mailedLinkPage(410, "This link has expired", html`<h1>This link has expired</h1><p data-withdraw-result="expired">Links work for ${String(CANCEL_LINK_HOURS)} hours, so nothing was changed. <a href="/cancel">Ask for a new link</a>.</p>`),
};

// Nobody is signed in: the token is the only proof.
export async function GET(_request: NextRequest, context: TokenContext) {
  const token = await mailedLinkToken(context);
  const read = await readCancelLink(await getDb(), token, new Date(), "withdraw");
  if (!read.ok) return problemPages[read.reason]();
  const { linked } = read;
  const refusal = withdrawRefusal(linked.sub, new Date());
  if (refusal) {
    const result = withdrawResult({ ok: false, reason: refusal }, new Date());
    return mailedLinkPage(result.status, result.title, result.body);
  }
  return mailedLinkButtonPage({
    title: "Withdraw from contract",
    heading: html`Withdraw from your ${linked.plan} subscription`,
    text: html`Subscription ${linked.sub.stripeSubscriptionId}. It ends at once, nothing more is charged, and your payment is refunded as the publisher's terms say.`,
    action: `/cancel/withdraw/${token}`,
    button: "Withdraw from contract",
  });
}

export async function POST(_request: NextRequest, context: TokenContext) {
  const now = new Date();
  const outcome = await withdrawByLink(await getDb(), await mailedLinkToken(context), now);
  if (!outcome.ok && (outcome.reason === "invalid" || outcome.reason === "used" || outcome.reason === "expired")) return problemPages[outcome.reason]();
  const result = withdrawResult(outcome as Parameters<typeof withdrawResult>[0], now);
  return mailedLinkPage(result.status, result.title, result.body);
}
