/** The API's URL table: method + path pattern → handler. */
import type { ApiHandler } from "./context";
import * as checkout from "./resources/checkout";
import * as coupons from "./resources/coupons";
import * as customers from "./resources/customers";
import * as events from "./resources/events";
import * as invoiceItems from "./resources/invoice-items";
import * as invoices from "./resources/invoices";
import * as payments from "./resources/payments";
import * as refunds from "./resources/refunds";
import * as portal from "./resources/portal";
import * as portalConfigurations from "./resources/portal-configurations";
import * as prices from "./resources/prices";
import * as products from "./resources/products";
import * as promotionCodes from "./resources/promotion-codes";
import * as subscriptions from "./resources/subscriptions";
import * as webhookEndpoints from "./resources/webhook-endpoints";

export interface Route {
  method: string;
  pattern: RegExp;
  keys: string[];
  handler: ApiHandler;
}

function route(method: string, path: string, handler: ApiHandler): Route {
  const keys: string[] = [];
  const source = path
    .split("/")
    .map((part) => {
      if (!part.startsWith(":")) return part.replace(/[.*+?^${}()|[\]\\]/g, "\\$&");
      keys.push(part.slice(1));
      return "([^/]+)";
    })
    .join("/");
  return { method, pattern: new RegExp(`^${source}/?$`), keys, handler };
}

export const routes: Route[] = [
  route("POST", "/v1/customers", customers.create),
  route("GET", "/v1/customers", customers.list),
  route("GET", "/v1/customers/search", customers.search),
  route("GET", "/v1/customers/:id", customers.retrieve),
  route("POST", "/v1/customers/:id", customers.update),

  route("POST", "/v1/products", products.create),
  route("GET", "/v1/products", products.list),
  route("GET", "/v1/products/search", products.search),
  route("GET", "/v1/products/:id", products.retrieve),
  route("POST", "/v1/products/:id", products.update),

  route("POST", "/v1/prices", prices.create),
  route("GET", "/v1/prices", prices.list),
  route("GET", "/v1/prices/:id", prices.retrieve),
  route("POST", "/v1/prices/:id", prices.update),

  route("POST", "/v1/coupons", coupons.create),
  route("GET", "/v1/coupons", coupons.list),
  route("GET", "/v1/coupons/:id", coupons.retrieve),
  route("POST", "/v1/coupons/:id", coupons.update),
  route("DELETE", "/v1/coupons/:id", coupons.remove),

  route("POST", "/v1/promotion_codes", promotionCodes.create),
  route("GET", "/v1/promotion_codes", promotionCodes.list),
  route("GET", "/v1/promotion_codes/:id", promotionCodes.retrieve),
  route("POST", "/v1/promotion_codes/:id", promotionCodes.update),

  route("POST", "/v1/checkout/sessions", checkout.create),
  route("GET", "/v1/checkout/sessions", checkout.list),
  route("GET", "/v1/checkout/sessions/:id", checkout.retrieve),
  route("GET", "/v1/checkout/sessions/:id/line_items", checkout.lineItems),
  route("POST", "/v1/checkout/sessions/:id/expire", checkout.expire),

  route("GET", "/v1/subscriptions", subscriptions.list),
  route("GET", "/v1/subscriptions/:id", subscriptions.retrieve),
  route("POST", "/v1/subscriptions/:id", subscriptions.update),
  route("DELETE", "/v1/subscriptions/:id", subscriptions.cancel),
  route("POST", "/v1/subscriptions/:id/pause", subscriptions.pause),
  route("POST", "/v1/subscriptions/:id/resume", subscriptions.resume),

  route("POST", "/v1/invoiceitems", invoiceItems.create),
  route("GET", "/v1/invoiceitems", invoiceItems.list),
  route("GET", "/v1/invoiceitems/:id", invoiceItems.retrieve),

  route("POST", "/v1/invoices", invoices.create),
  route("POST", "/v1/invoices/:id/finalize", invoices.finalize),
  route("POST", "/v1/invoices/:id/send", invoices.send),
  route("POST", "/v1/invoices/:id/pay", invoices.pay),
  route("POST", "/v1/invoices/:id/void", invoices.voidInvoice),
  route("GET", "/v1/invoices", invoices.list),
  route("GET", "/v1/invoices/:id", invoices.retrieve),
  route("GET", "/v1/invoices/:id/lines", invoices.lines),

  route("GET", "/v1/invoice_payments", payments.listInvoicePayments),
  route("GET", "/v1/invoice_payments/:id", payments.retrieveInvoicePayment),
  route("GET", "/v1/payment_intents/:id", payments.retrievePaymentIntent),
  route("GET", "/v1/charges", payments.listCharges),
  route("GET", "/v1/charges/:id", payments.retrieveCharge),

  route("POST", "/v1/refunds", refunds.create),
  route("GET", "/v1/refunds", refunds.list),
  route("GET", "/v1/refunds/:id", refunds.retrieve),

  route("POST", "/v1/billing_portal/sessions", portal.create),
  route("POST", "/v1/billing_portal/configurations", portalConfigurations.create),
  route("GET", "/v1/billing_portal/configurations", portalConfigurations.list),
  route("GET", "/v1/billing_portal/configurations/:id", portalConfigurations.retrieve),
  route("POST", "/v1/billing_portal/configurations/:id", portalConfigurations.update),

  route("GET", "/v1/events", events.list),
  route("GET", "/v1/events/:id", events.retrieve),

  route("POST", "/v1/webhook_endpoints", webhookEndpoints.create),
  route("GET", "/v1/webhook_endpoints", webhookEndpoints.list),
  route("GET", "/v1/webhook_endpoints/:id", webhookEndpoints.retrieve),
  route("POST", "/v1/webhook_endpoints/:id", webhookEndpoints.update),
  route("DELETE", "/v1/webhook_endpoints/:id", webhookEndpoints.remove),
];

/** The handler for a request, or whether the path exists under another method. */
export function matchRoute(method: string, path: string): { route: Route; params: Record<string, string> } | { route: null; pathKnown: boolean } {
  let pathKnown = false;
  for (const candidate of routes) {
    const match = candidate.pattern.exec(path);
    if (!match) continue;
    pathKnown = true;
    if (candidate.method !== method) continue;
    const params: Record<string, string> = {};
    candidate.keys.forEach((key, index) => {
      const raw = match[index + 1] ?? "";
      try {
        params[key] = decodeURIComponent(raw);
      } catch {
        params[key] = raw;
      }
    });
    return { route: candidate, params };
  }
  return { route: null, pathKnown };
}
