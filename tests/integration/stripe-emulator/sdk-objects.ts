/**
 * The Stripe object types the emulator returns, by their `object` name, as stripe@23 declares
 * them. Read by sdk-schema.ts with the TypeScript compiler API; never imported at run time.
 */
import type Stripe from "stripe";

export interface SdkObjects {
  customer: Stripe.Customer;
  product: Stripe.Product;
  price: Stripe.Price;
  subscription: Stripe.Subscription;
  subscription_item: Stripe.SubscriptionItem;
  invoice: Stripe.Invoice;
  line_item: Stripe.InvoiceLineItem;
  invoiceitem: Stripe.InvoiceItem;
  "checkout.session": Stripe.Checkout.Session;
  item: Stripe.LineItem;
  "billing_portal.session": Stripe.BillingPortal.Session;
  "billing_portal.configuration": Stripe.BillingPortal.Configuration;
  webhook_endpoint: Stripe.WebhookEndpoint;
  event: Stripe.Event;
  coupon: Stripe.Coupon;
  promotion_code: Stripe.PromotionCode;
  discount: Stripe.Discount;
  payment_intent: Stripe.PaymentIntent;
  refund: Stripe.Refund;
  customer_search_result: Stripe.ApiSearchResult<Stripe.Customer>;
  product_search_result: Stripe.ApiSearchResult<Stripe.Product>;
  list: Stripe.ApiList<Stripe.Customer>;
}
