/**
 * The billing portal page at a portal session's `url`: the customer's subscriptions, with what
 * the session's configuration allows (cancel at period end or at once, switching to the prices
 * it lists, or, without a list, to the other active prices of the same product), resume, and a
 * link back to `return_url`. Plain HTML forms that POST back here, checked again on the way in.
 */
import type Stripe from "stripe";
import type { Emulator } from "../context";
import { StripeApiError } from "../errors";
import { cancelNow, firstItem, periodEnd, setCancelAtPeriodEnd, switchPrice } from "../lifecycle";
import { configurationOf } from "../resources/portal-configurations";
import { escapeHtml, formatDate, formatPrice, messagePage, page, type PageResult } from "./layout";

const NOTICES: Record<string, string> = {
  canceled: "Your subscription will be canceled at the end of the current period.",
  ended: "Your subscription has been canceled.",
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

/**
 * The prices a subscription may switch to under `configuration`: none when price updates are off;
 * the prices its `products` list; without a list, the other active prices of the same product.
 */
function switchablePrices(em: Emulator, configuration: Stripe.BillingPortal.Configuration, subscription: Stripe.Subscription): Stripe.Price[] {
  const update = configuration.features.subscription_update;
  if (!update.enabled || !update.default_allowed_updates.includes("price")) return [];
  const current = em.store.state.prices[firstItem(subscription).price.id] ?? firstItem(subscription).price;
  const listed = update.products?.length ? new Set(update.products.flatMap((p) => p.prices)) : null;
  return Object.values(em.store.state.prices).filter(
    (p) =>
      p.active &&
      p.recurring &&
      p.id !== current.id &&
      p.currency === current.currency &&
      (listed ? listed.has(p.id) : productIdOf(p) === productIdOf(current)),
  );
}

function renderSubscription(em: Emulator, sessionId: string, configuration: Stripe.BillingPortal.Configuration, subscription: Stripe.Subscription): string {
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
    : configuration.features.subscription_cancel.enabled
      ? action("cancel", "Cancel subscription", "", "secondary")
      : "";
  const alternatives = switchablePrices(em, configuration, subscription);
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
  const configuration = configurationOf(em, session);
  const noticeText = notice ? NOTICES[notice] : undefined;
  const body = `<h1>Manage your subscription</h1>
${customer?.email ? `<p class="muted">Signed in as ${escapeHtml(customer.email)}</p>` : ""}
${noticeText ? `<p class="notice" role="status">${escapeHtml(noticeText)}</p>` : ""}
${error ? `<p class="error" role="alert">${escapeHtml(error)}</p>` : ""}
${subscriptions.length === 0 ? "<p>You have no active subscriptions.</p>" : subscriptions.map((s) => renderSubscription(em, sessionId, configuration, s)).join("\n")}
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
  const configuration = configurationOf(em, session);
  const cancel = configuration.features.subscription_cancel;
  try {
    switch (form.action) {
      case "cancel":
        if (!cancel.enabled) return showPortal(em, sessionId, null, "This subscription cannot be canceled here.");
        if (cancel.mode === "immediately") cancelNow(em, subscription, "cancellation_requested");
        else setCancelAtPeriodEnd(em, subscription, true);
        break;
      case "resume":
        setCancelAtPeriodEnd(em, subscription, false);
        break;
      case "switch": {
        const priceId = typeof form.price === "string" ? form.price : "";
        const price = switchablePrices(em, configuration, subscription).find((p) => p.id === priceId);
        if (!price) return showPortal(em, sessionId, null, "Choose one of the plans listed.");
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
  const done = form.action === "cancel" ? (cancel.mode === "immediately" ? "ended" : "canceled") : form.action === "resume" ? "resumed" : "switched";
  return { status: 303, location: `/p/session/${encodeURIComponent(sessionId)}?done=${done}` };
}
