import type { NextRequest } from "next/server";
import { getDb } from "@/db/client";
import { simplePage } from "@/lib/http/html-response";
import { CANCEL_LINK_HOURS, readCancelLink, type LinkProblem } from "@/lib/retention/cancel-links";
import { withdrawByLink, withdrawRefusal } from "@/lib/retention/withdrawals";
import { withdrawResult } from "@/lib/reading/pages/withdraw-page";
import { html } from "@/lib/ui/html";

type Context = { params: Promise<{ token: string }> };

// The token is the only proof here: no other page may learn it from a Referer.
const head = html`<meta name="referrer" content="no-referrer"><meta name="robots" content="noindex">`;

const problemPages: Record<LinkProblem, () => Response> = {
  invalid: () => simplePage(400, "This link is not valid", html`<h1>This link is not valid</h1><p data-withdraw-result="invalid">The link is incomplete or no longer matches the subscription, so nothing was changed. <a href="/cancel">Ask for a new link</a>.</p>`, head),
  used: () => simplePage(410, "This link has been used", html`<h1>This link has been used</h1><p data-withdraw-result="used">Each link works once, so nothing was changed.</p>`, head),
  expired: () => simplePage(410, "This link has expired", html`<h1>This link has expired</h1><p data-withdraw-result="expired">Links work for ${String(CANCEL_LINK_HOURS)} hours, so nothing was changed. <a href="/cancel">Ask for a new link</a>.</p>`, head),
};

const tokenOf = async (context: Context) => {
  const raw = (await context.params).token;
  return raw.length <= 100 ? raw : "";
};

// Opening the link only shows the button (mail scanners open links); the POST withdraws. Nobody is signed in.
export async function GET(_request: NextRequest, context: Context) {
  const token = await tokenOf(context);
  const read = await readCancelLink(await getDb(), token, new Date(), "withdraw");
  if (!read.ok) return problemPages[read.reason]();
  const { linked } = read;
  const refusal = withdrawRefusal(linked.sub, new Date());
  if (refusal) {
    const result = withdrawResult({ ok: false, reason: refusal }, new Date());
    return simplePage(result.status, result.title, result.body, head);
  }
  return simplePage(
    200,
    "Withdraw from contract",
    html`<h1>Withdraw from your ${linked.plan} subscription</h1>
<p>Subscription ${linked.sub.stripeSubscriptionId}. It ends at once, nothing more is charged, and your payment is refunded as the publisher's terms say.</p>
<form method="post" action="/cancel/withdraw/${token}">
  <button class="button" type="submit">Withdraw from contract</button>
</form>`,
    head,
  );
}

export async function POST(_request: NextRequest, context: Context) {
  const now = new Date();
  const outcome = await withdrawByLink(await getDb(), await tokenOf(context), now);
  if (!outcome.ok && (outcome.reason === "invalid" || outcome.reason === "used" || outcome.reason === "expired")) return problemPages[outcome.reason]();
  const result = withdrawResult(outcome as Parameters<typeof withdrawResult>[0], now);
  return simplePage(result.status, result.title, result.body, head);
}
