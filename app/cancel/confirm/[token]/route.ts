import type { NextRequest } from "next/server";
import { getDb } from "@/db/client";
import { billingDay } from "@/lib/billing/billing-day";
import { simplePage } from "@/lib/http/html-response";
import { cancelByLink, CANCEL_LINK_HOURS, readCancelLink, type LinkedSubscription, type LinkProblem } from "@/lib/retention/cancel-links";
import { mayCancel, receiptTime } from "@/lib/retention/recorded-cancellation";
import { html } from "@/lib/ui/html";

type Context = { params: Promise<{ token: string }> };

// The token is the only proof here: no other page may learn it from a Referer.
const head = html`<meta name="referrer" content="no-referrer"><meta name="robots" content="noindex">`;

const problemPages: Record<LinkProblem, () => Response> = {
  invalid: () =>
    simplePage(400, "This link is not valid", html`<h1>This link is not valid</h1><p data-cancel-result="invalid">The link is incomplete or no longer matches the subscription, so nothing was changed. <a href="/cancel">Ask for a new link</a>.</p>`, head),
  used: () =>
    simplePage(410, "This link has been used", html`<h1>This link has been used</h1><p data-cancel-result="used">Each cancel link works once, so nothing was changed. Your account shows whether the subscription renews; <a href="/cancel">ask for a new link</a> if you need one.</p>`, head),
  expired: () =>
    simplePage(410, "This link has expired", html`<h1>This link has expired</h1><p data-cancel-result="expired">Cancel links work for ${String(CANCEL_LINK_HOURS)} hours, so nothing was changed. <a href="/cancel">Ask for a new link</a>.</p>`, head),
};

function accessUntil({ sub }: LinkedSubscription): string {
  const end = sub.cancelAt ?? sub.currentPeriodEnd;
  return end ? billingDay(end, sub.clockOffsetSeconds) : "the end of the period you paid for";
}

const tokenOf = async (context: Context) => {
  const raw = (await context.params).token;
  return raw.length <= 100 ? raw : "";
};

// Opening the link only shows the button (mail scanners open links); the POST cancels. Nobody is signed in.
export async function GET(_request: NextRequest, context: Context) {
  const token = await tokenOf(context);
  const read = await readCancelLink(await getDb(), token);
  if (!read.ok) return problemPages[read.reason]();
  const { linked } = read;
  if (!mayCancel(linked.sub)) {
    return simplePage(200, "Nothing to cancel", html`<h1>Nothing to cancel</h1><p data-cancel-result="already">This ${linked.plan} subscription does not renew: nothing more will be charged.</p>`, head);
  }
  return simplePage(
    200,
    "Cancel your subscription",
    html`<h1>Cancel your ${linked.plan} subscription</h1>
<p>You keep full access until ${accessUntil(linked)}. Nothing more will be charged.</p>
<form method="post" action="/cancel/confirm/${token}">
  <button class="button" type="submit">Cancel my subscription</button>
</form>`,
    head,
  );
}

export async function POST(_request: NextRequest, context: Context) {
  const now = new Date();
  const outcome = await cancelByLink(await getDb(), await tokenOf(context), now);
  if (!outcome.ok) return problemPages[outcome.reason]();
  if (!outcome.cancelled) {
    return simplePage(200, "Nothing to cancel", html`<h1>Nothing to cancel</h1><p data-cancel-result="already">This ${outcome.linked.plan} subscription does not renew: nothing more will be charged.</p>`, head);
  }
  return simplePage(
    200,
    "Your subscription is cancelled",
    html`<h1>Your subscription is cancelled</h1>
<p data-cancel-result="cancelled">Your ${outcome.linked.plan} subscription was cancelled on ${receiptTime(now)}. It will not renew, and nothing more will be charged. You keep full access until ${accessUntil(outcome.linked)}.</p>
<p>We have emailed you a receipt.</p>`,
    head,
  );
}
