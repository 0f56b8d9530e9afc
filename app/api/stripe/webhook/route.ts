import { receiveStripeWebhook } from "@/lib/billing/webhook";

// Public by design: Stripe calls it. The signature over the raw body is the caller check.
export async function POST(request: Request) {
  const answer = await receiveStripeWebhook(await request.text(), request.headers.get("stripe-signature"));
  return Response.json(answer.body, { status: answer.status });
}
