/**
 * The hosted checkout page at a session's `url`: plan, price, Email and Card number, Pay.
 * A plain HTML form; the POST decides the outcome by test card and redirects to success_url.
 */
import type Stripe from "stripe";
import { checkCard } from "../cards";
import type { Emulator } from "../context";
import { completeSession, successRedirect } from "../resources/checkout";
import { escapeHtml, formatMoney, formatPrice, messagePage, page, type PageResult } from "./layout";

function prefilledEmail(em: Emulator, session: Stripe.Checkout.Session): string | null {
  if (typeof session.customer === "string") return em.store.state.customers[session.customer]?.email ?? null;
  return session.customer_email;
}

/** "€2.00 off for 3 months, then €9.00 per month" for the session's discount, or "". */
function discountText(em: Emulator, session: Stripe.Checkout.Session, priceText: string): string {
  const chosen = session.discounts?.[0]?.coupon;
  const coupon = chosen ? em.store.state.coupons[typeof chosen === "string" ? chosen : chosen.id] : undefined;
  if (!coupon) return "";
  const off = coupon.percent_off !== null ? `${coupon.percent_off}% off` : `${formatMoney(coupon.amount_off ?? 0, coupon.currency ?? "usd")} off`;
  const span = coupon.duration === "forever" ? "" : coupon.duration === "once" ? " the first payment" : ` for ${coupon.duration_in_months} months`;
  return `<p class="notice">${escapeHtml(`${coupon.name ? `${coupon.name}: ` : ""}${off}${span}, then ${priceText}. Due today: ${formatMoney(session.amount_total ?? 0, session.currency ?? "usd")}.`)}</p>`;
}

function renderForm(em: Emulator, session: Stripe.Checkout.Session, state: { error?: string; email?: string; card?: string; code?: string }): string {
  const lineItem = em.store.state.checkout_line_items[session.id]?.[0];
  const price = lineItem?.price ? (em.store.state.prices[lineItem.price.id] ?? lineItem.price) : null;
  const productId = price ? (typeof price.product === "string" ? price.product : price.product.id) : "";
  const productName = em.store.state.products[productId]?.name ?? lineItem?.description ?? "Subscription";
  const quantity = lineItem?.quantity ?? 1;
  const trialDays = em.store.state.checkout_subscription_data[session.id]?.trial_period_days ?? null;
  const fixedEmail = prefilledEmail(em, session);
  const email = fixedEmail ?? state.email ?? "";
  const priceText = price ? formatPrice(price) : "";
  const trialText = trialDays
    ? `<p class="muted">${trialDays} days free, then ${escapeHtml(priceText)}. Due today: ${escapeHtml(formatMoney(0, session.currency ?? "usd"))}.</p>`
    : "";
  const quantityText = quantity > 1 ? `<p class="muted">Quantity: ${quantity}</p>` : "";
  const error = state.error ? `<p class="error" role="alert" id="form-error">${escapeHtml(state.error)}</p>` : "";
  const cancel = session.cancel_url ? `<p><a href="${escapeHtml(session.cancel_url)}">Cancel and return</a></p>` : "";
  const heading = session.mode === "payment" ? `Pay for ${productName}` : `Subscribe to ${productName}`;
  return page(
    heading,
    `<h1>${escapeHtml(heading)}</h1>
<p class="price">${escapeHtml(priceText)}</p>
${quantityText}${trialText}${discountText(em, session, priceText)}${error}
<form method="post" action="/c/pay/${escapeHtml(session.id)}" novalidate>
  <label for="email">Email</label>
  <input id="email" name="email" type="email" autocomplete="email" required value="${escapeHtml(email)}"${fixedEmail ? " readonly" : ""}${state.error ? ' aria-describedby="form-error"' : ""}>
  <label for="card_number">Card number</label>
  <input id="card_number" name="card_number" type="text" inputmode="numeric" autocomplete="cc-number" placeholder="4242 4242 4242 4242" required value="${escapeHtml(state.card ?? "")}">
${
    session.allow_promotion_codes
      ? `  <label for="promotion_code">Promotion code</label>
  <input id="promotion_code" name="promotion_code" type="text" autocomplete="off" value="${escapeHtml(state.code ?? "")}">`
      : ""
  }
${session.custom_text.submit ? `  <p class="terms" data-terms>${escapeHtml(session.custom_text.submit.message)}</p>` : ""}
  <button type="submit">Pay</button>
</form>
${cancel}
<details><summary class="muted">Test cards</summary>
<ul class="muted">
  <li>4242 4242 4242 4242: pays</li>
  <li>4000 0000 0000 0002: declined</li>
  <li>4000 0000 0000 0341: pays now, fails at the next renewal</li>
</ul></details>`,
  );
}

function closedPage(session: Stripe.Checkout.Session): PageResult {
  if (session.status === "complete") {
    return messagePage(200, "Payment complete", "This checkout session is already complete.", {
      href: successRedirect(session),
      text: "Continue",
    });
  }
  return messagePage(
    410,
    "Checkout session expired",
    "This checkout session has expired. Please start again.",
    session.cancel_url ? { href: session.cancel_url, text: "Go back" } : undefined,
  );
}

export function showCheckout(em: Emulator, sessionId: string): PageResult {
  const session = em.store.state.checkout_sessions[sessionId];
  if (!session) return messagePage(404, "Checkout not found", "There is no checkout session at this address.");
  if (session.status !== "open") return closedPage(session);
  return { status: 200, html: renderForm(em, session, {}) };
}

export function submitCheckout(em: Emulator, sessionId: string, form: Record<string, unknown>): PageResult {
  const session = em.store.state.checkout_sessions[sessionId];
  if (!session) return messagePage(404, "Checkout not found", "There is no checkout session at this address.");
  if (session.status !== "open") return closedPage(session);
  const emailInput = typeof form.email === "string" ? form.email.trim() : "";
  const cardInput = typeof form.card_number === "string" ? form.card_number.trim() : "";
  const code = typeof form.promotion_code === "string" ? form.promotion_code.trim().slice(0, 200) : "";
  const email = prefilledEmail(em, session) ?? emailInput;
  if (!/^[^\s@]+@[^\s@]+\.[^\s@]+$/.test(email) || email.length > 512) {
    return { status: 400, html: renderForm(em, session, { error: "Enter a valid email address.", email: emailInput, card: cardInput }) };
  }
  if (cardInput === "") {
    return { status: 400, html: renderForm(em, session, { error: "Enter a card number.", email: emailInput }) };
  }
  const result = completeSession(em, session, { email, card: checkCard(cardInput), promotionCode: code });
  if (!result.ok) {
    return { status: 402, html: renderForm(em, session, { error: result.message, email: emailInput, code }) };
  }
  return { status: 303, location: result.redirect };
}
