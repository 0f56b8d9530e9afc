import type { NextRequest } from "next/server";
import { getDb } from "@/db/client";
import { billingDay } from "@/lib/billing/billing-day";
import { mailedLinkButtonPage, mailedLinkPage, mailedLinkToken, type TokenContext } from "@/lib/reading/pages/mailed-link-page";
import { cancelByLink, CANCEL_LINK_HOURS, readCancelLink, type LinkedSubscription, type LinkProblem } from "@/lib/retention/cancel-links";
import { mayCancel, receiptTime } from "@/lib/retention/recorded-cancellation";
import { html } from "@/lib/ui/html";

const problemPages: Record<LinkProblem, () => Response> = {
  invalid: () =>
    mailedLinkPage(400, "This link is not valid", html`<h1>This link is not valid</h1><p data-cancel-result="invalid">The link is incomplete or no longer matches the subscription, so nothing was changed. <a href="/cancel">Ask for a new link</a>.</p>`),
  used: () =>
    mailedLinkPage(410, "This link has been used", html`<h1>This link has been used</h1><p data-cancel-result="used">Each cancel link works once, so nothing was changed. Your account shows whether the subscription renews; <a href="/cancel">ask for a new link</a> if you need one.</p>`),
  expired: () =>
    mailedLinkPage(410, "This link has expired", html`<h1>This link has expired</h1><p data-cancel-result="expired">Cancel links work for ${String(CANCEL_LINK_HOURS)} hours, so nothing was changed. <a href="/cancel">Ask for a new link</a>.</p>`),
};

function accessUntil({ sub }: LinkedSubscription): string {
  const end = sub.cancelAt ?? sub.currentPeriodEnd;
  return end ? billingDay(end, sub.clockOffsetSeconds) : "the end of the period you paid for";
}

// Nobody is signed in: the token is the only proof.
export async function GET(_request: NextRequest, context: TokenContext) {
  const token = await mailedLinkToken(context);
  const read = await readCancelLink(await getDb(), token);
  if (!read.ok) return problemPages[read.reason]();
  const { linked } = read;
  if (!mayCancel(linked.sub)) {
    return mailedLinkPage(200, "Nothing to cancel", html`<h1>Nothing to cancel</h1><p data-cancel-result="already">This ${linked.plan} subscription does not renew: nothing more will be charged.</p>`);
  }
  return mailedLinkButtonPage({
    title: "Cancel your subscription",
    heading: html`Cancel your ${linked.plan} subscription`,
    text: html`You keep full access until ${accessUntil(linked)}. Nothing more will be charged.`,
    action: `/cancel/confirm/${token}`,
    button: "Cancel my subscription",
  });
}

export async function POST(_request: NextRequest, context: TokenContext) {
  const now = new Date();
  const outcome = await cancelByLink(await getDb(), await mailedLinkToken(context), now);
  if (!outcome.ok) return problemPages[outcome.reason]();
  if (!outcome.cancelled) {
    return mailedLinkPage(200, "Nothing to cancel", html`<h1>Nothing to cancel</h1><p data-cancel-result="already">This ${outcome.linked.plan} subscription does not renew: nothing more will be charged.</p>`);
  }
  return mailedLinkPage(
    200,
    "Your subscription is cancelled",
    html`<h1>Your subscription is cancelled</h1>
<p data-cancel-result="cancelled">Your ${outcome.linked.plan} subscription was cancelled on ${receiptTime(now)}. It will not renew, and nothing more will be charged. You keep full access until ${accessUntil(outcome.linked)}.</p>
<p>We have emailed you a receipt.</p>`,
  );
}
