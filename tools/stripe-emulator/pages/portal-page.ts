/**
 * The billing portal page at a portal session's `url`: the customer's subscriptions, with
 * cancel at period end, resume, switching between the active prices of the same product,
 * and a link back to `return_url`. Plain HTML forms that POST back here.
 */
import type Stripe from "stripe";
import type { Emulator } from "../context";
import { StripeApiError } from "../errors";
import { firstItem, periodEnd, setCancelAtPeriodEnd, switchPrice } from "../lifecycle";
import { escapeHtml, formatDate, formatPrice, messagePage, page, type PageResult } from "./layout";

const NOTICES: Record<string, string> = {
  canceled: "Your subscription will be canceled at the end of the current period.",
  resumed: "Your subscription will continue.",
  switched: "Your plan has been changed.",
};

const STATUS_TEXT: Record<string, string> = {
  active: "Active",
  trialing: "Trial",
  past_due: "Past due: the last payment failed",
  unpaid: "Unpaid",
  incomplete: "Incomplete",
  paused: "Paused",
};

function productIdOf(price: Stripe.Price): string {
  return typeof price.product === "string" ? price.product : price.product.id;
}

function priceLabel(em: Emulator, price: Stripe.Price): string {
  const product = em.store.state.products[productIdOf(price)];
  return `${price.nickname ?? product?.name ?? "Plan"}: ${formatPrice(price)}`;
}

function visibleSubscriptions(em: Emulator, customerId: string): Stripe.Subscription[] {
  return Object.values(em.store.state.subscriptions)
    .filter((s) => s.customer === customerId && s.status !== "canceled" && s.status !== "incomplete_expired")
    .reverse();
}

function renderSubscription(em: Emulator, sessionId: string, subscription: Stripe.Subscription): string {
  const item = firstItem(subscription);
  const price = em.store.state.prices[item.price.id] ?? item.price;
  const product = em.store.state.products[productIdOf(price)];
  const headingId = `sub-${escapeHtml(subscription.id)}`;
  const end = periodEnd(subscription);
  const when = subscription.cancel_at_period_end
    ? `Cancels on ${formatDate(subscription.cancel_at ?? end)}.`
    : subscription.status === "trialing" && subscription.trial_end
      ? `Trial ends on ${formatDate(subscription.trial_end)}.`
      : `Renews on ${formatDate(end)}.`;
  const action = (name: string, label: string, extra = "", cls = "") =>
    `<form method="post" action="/p/session/${escapeHtml(sessionId)}">
  <input type="hidden" name="action" value="${name}">
  <input type="hidden" name="subscription" value="${escapeHtml(subscription.id)}">${extra}
  <button type="submit"${cls ? ` class="${cls}"` : ""}>${escapeHtml(label)}</button>
</form>`;
  const toggle = subscription.cancel_at_period_end
    ? action("resume", "Resume subscription")
    : action("cancel", "Cancel subscription", "", "secondary");
  const alternatives = Object.values(em.store.state.prices).filter(
    (p) => p.active && p.recurring && p.id !== price.id && productIdOf(p) === productIdOf(price) && p.currency === price.currency,
  );
  const switcher =
    alternatives.length === 0
      ? ""
      : `<form method="post" action="/p/session/${escapeHtml(sessionId)}">
  <input type="hidden" name="action" value="switch">
  <input type="hidden" name="subscription" value="${escapeHtml(subscription.id)}">
  <fieldset>
    <legend>Change plan</legend>
    ${alternatives
      .map(
        (p, i) =>
          `<div class="choice"><input type="radio" name="price" id="price-${escapeHtml(subscription.id)}-${i}" value="${escapeHtml(p.id)}"${i === 0 ? " required" : ""}><label for="price-${escapeHtml(subscription.id)}-${i}">${escapeHtml(priceLabel(em, p))}</label></div>`,
      )
      .join("\n    ")}
    <button type="submit">Switch plan</button>
  </fieldset>
</form>`;
  return `<section aria-labelledby="${headingId}">
  <h2 id="${headingId}">${escapeHtml(product?.name ?? "Subscription")}</h2>
  <p>${escapeHtml(priceLabel(em, price))}</p>
  <p>Status: ${escapeHtml(STATUS_TEXT[subscription.status] ?? subscription.status)}. ${escapeHtml(when)}</p>
  ${toggle}
  ${switcher}
</section>`;
}

export function showPortal(em: Emulator, sessionId: string, notice: string | null, error?: string): PageResult {
  const session = em.store.state.portal_sessions[sessionId];
  if (!session) return messagePage(404, "Portal session not found", "There is no billing portal session at this address.");
  const customer = em.store.state.customers[session.customer];
  const subscriptions = visibleSubscriptions(em, session.customer);
  const noticeText = notice ? NOTICES[notice] : undefined;
  const body = `<h1>Manage your subscription</h1>
${customer?.email ? `<p class="muted">Signed in as ${escapeHtml(customer.email)}</p>` : ""}
${noticeText ? `<p class="notice" role="status">${escapeHtml(noticeText)}</p>` : ""}
${error ? `<p class="error" role="alert">${escapeHtml(error)}</p>` : ""}
${subscriptions.length === 0 ? "<p>You have no active subscriptions.</p>" : subscriptions.map((s) => renderSubscription(em, sessionId, s)).join("\n")}
${session.return_url ? `<p><a href="${escapeHtml(session.return_url)}">Return to the site</a></p>` : ""}`;
  return { status: error ? 400 : 200, html: page("Billing portal", body) };
}

export function submitPortal(em: Emulator, sessionId: string, form: Record<string, unknown>): PageResult {
  const session = em.store.state.portal_sessions[sessionId];
  if (!session) return messagePage(404, "Portal session not found", "There is no billing portal session at this address.");
  const subscriptionId = typeof form.subscription === "string" ? form.subscription : "";
  const subscription = em.store.state.subscriptions[subscriptionId];
  if (!subscription || subscription.customer !== session.customer) {
    return showPortal(em, sessionId, null, "That subscription does not belong to this customer.");
  }
  try {
    switch (form.action) {
      case "cancel":
        setCancelAtPeriodEnd(em, subscription, true);
        break;
      case "resume":
        setCancelAtPeriodEnd(em, subscription, false);
        break;
      case "switch": {
        const priceId = typeof form.price === "string" ? form.price : "";
        const price = em.store.state.prices[priceId];
        const current = em.store.state.prices[firstItem(subscription).price.id];
        if (!price || !current || productIdOf(price) !== productIdOf(current)) {
          return showPortal(em, sessionId, null, "Choose one of the plans listed.");
        }
        switchPrice(em, subscription, firstItem(subscription).id, price);
        break;
      }
      default:
        return showPortal(em, sessionId, null, "Unknown action.");
    }
  } catch (error) {
    if (error instanceof StripeApiError) return showPortal(em, sessionId, null, error.message);
    throw error;
  }
  const done = form.action === "cancel" ? "canceled" : form.action === "resume" ? "resumed" : "switched";
  return { status: 303, location: `/p/session/${encodeURIComponent(sessionId)}?done=${done}` };
}
