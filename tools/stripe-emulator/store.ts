/**
 * The emulator's state: Stripe objects keyed by id (insertion order = creation order), plus
 * the bits Stripe keeps to itself (saved cards, dunning progress). Optionally mirrored to a
 * JSON file, written shortly after each change and read back at start.
 */
import { mkdirSync, readFileSync, renameSync, writeFileSync } from "node:fs";
import { dirname } from "node:path";
import type Stripe from "stripe";

/** `fail_off_session`: pays at checkout, every later automatic charge fails (card 0341). */
export type CardBehavior = "succeed" | "fail_off_session";

export interface CardOnFile {
  payment_method: string;
  brand: string;
  last4: string;
  behavior: CardBehavior;
  charges: number;
}

export interface DunningState {
  invoice: string;
  failures: number;
  next_attempt_at: number | null;
}

/** `subscription_data` given at checkout session creation, applied on completion. */
export interface CheckoutSubscriptionData {
  trial_period_days: number | null;
  metadata: Record<string, string>;
  description: string | null;
  billing_mode: "classic" | "flexible";
}

export interface WebhookEndpointRecord {
  endpoint: Stripe.WebhookEndpoint;
  secret: string;
  /** Configured from env/options rather than the API. */
  configured: boolean;
}

export interface State {
  version: 1;
  clock_offset: number;
  customers: Record<string, Stripe.Customer>;
  products: Record<string, Stripe.Product>;
  prices: Record<string, Stripe.Price>;
  checkout_sessions: Record<string, Stripe.Checkout.Session>;
  checkout_line_items: Record<string, Stripe.LineItem[]>;
  checkout_subscription_data: Record<string, CheckoutSubscriptionData>;
  subscriptions: Record<string, Stripe.Subscription>;
  invoices: Record<string, Stripe.Invoice>;
  /** Invoice items; pending (invoice null) ones go on their subscription's next invoice. */
  invoice_items: Record<string, Stripe.InvoiceItem>;
  portal_sessions: Record<string, Stripe.BillingPortal.Session>;
  portal_configurations: Record<string, Stripe.BillingPortal.Configuration>;
  events: Record<string, Stripe.Event>;
  webhook_endpoints: Record<string, WebhookEndpointRecord>;
  /** Saved card per customer id. */
  cards: Record<string, CardOnFile>;
  /** Failed-payment retries per subscription id. */
  dunning: Record<string, DunningState>;
  coupons: Record<string, Stripe.Coupon>;
  promotion_codes: Record<string, Stripe.PromotionCode>;
  discounts: Record<string, Stripe.Discount>;
  /** The trial end each subscription's customer.subscription.trial_will_end was sent for. */
  trial_will_end_sent: Record<string, number>;
  /** The period end each subscription's invoice.upcoming was sent for. */
  upcoming_sent: Record<string, number>;
  /** The money behind paid invoices and payment-mode checkouts (payments.ts), and its refunds. */
  payment_intents: Record<string, Stripe.PaymentIntent>;
  charges: Record<string, Stripe.Charge>;
  invoice_payments: Record<string, Stripe.InvoicePayment>;
  refunds: Record<string, Stripe.Refund>;
  /** `payment_intent_data` given at checkout session creation, applied on completion. */
  checkout_payment_data: Record<string, { metadata: Record<string, string>; description: string | null }>;
}

export function emptyState(): State {
  return {
    version: 1,
    clock_offset: 0,
    customers: {},
    products: {},
    prices: {},
    checkout_sessions: {},
    checkout_line_items: {},
    checkout_subscription_data: {},
    subscriptions: {},
    invoices: {},
    invoice_items: {},
    portal_sessions: {},
    portal_configurations: {},
    events: {},
    webhook_endpoints: {},
    cards: {},
    dunning: {},
    coupons: {},
    promotion_codes: {},
    discounts: {},
    trial_will_end_sent: {},
    upcoming_sent: {},
    payment_intents: {},
    charges: {},
    invoice_payments: {},
    refunds: {},
    checkout_payment_data: {},
  };
}

const MAX_EVENTS = 5000;

export class Store {
  state: State = emptyState();
  private saveTimer: NodeJS.Timeout | null = null;

  constructor(private readonly file: string | undefined, private readonly log: (line: string) => void) {}

  /** Loads the JSON file if there is one; a broken file is reported and ignored. */
  load(): void {
    if (!this.file) return;
    let text: string;
    try {
      text = readFileSync(this.file, "utf8");
    } catch {
      return;
    }
    try {
      const parsed = JSON.parse(text) as Partial<State>;
      if (parsed.version !== 1) throw new Error("unknown state version");
      this.state = { ...emptyState(), ...parsed, version: 1 };
    } catch (error) {
      this.log(`stripe-emulator: ignoring unreadable state file ${this.file}: ${String(error)}`);
    }
  }

  reset(): void {
    this.state = emptyState();
    this.changed();
  }

  /** Call after every mutation; the file is written soon after, off the request path. */
  changed(): void {
    this.trimEvents();
    if (!this.file || this.saveTimer) return;
    this.saveTimer = setTimeout(() => {
      this.saveTimer = null;
      this.flush();
    }, 25);
    this.saveTimer.unref();
  }

  flush(): void {
    if (this.saveTimer) {
      clearTimeout(this.saveTimer);
      this.saveTimer = null;
    }
    if (!this.file) return;
    try {
      mkdirSync(dirname(this.file), { recursive: true });
      const tmp = `${this.file}.${process.pid}.tmp`;
      writeFileSync(tmp, JSON.stringify(this.state));
      renameSync(tmp, this.file);
    } catch (error) {
      this.log(`stripe-emulator: could not write state file ${this.file}: ${String(error)}`);
    }
  }

  private trimEvents(): void {
    const ids = Object.keys(this.state.events);
    if (ids.length <= MAX_EVENTS) return;
    for (const id of ids.slice(0, ids.length - MAX_EVENTS)) delete this.state.events[id];
  }
}
