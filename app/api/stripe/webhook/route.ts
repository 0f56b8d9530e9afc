import { receiveStripeWebhook } from "@/lib/billing/webhook";
import { env } from "@/lib/env";
import { limitedBody } from "@/lib/http/limited-body";

// Public by design: Stripe calls it. The signature over the raw body is the caller check.
export async function POST(request: Request) {
  const body = await limitedBody(request, env().WEBHOOK_BODY_LIMIT_BYTES);
  if (body instanceof Response) return body;
  const answer = await receiveStripeWebhook(new TextDecoder().decode(body), request.headers.get("stripe-signature"));
  return Response.json(answer.body, { status: answer.status });
}
