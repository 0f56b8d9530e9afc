import type { NextRequest } from "next/server";
import { openPortal } from "./open-portal";

// The account page's billing button: signed-in readers only; one without a Stripe customer has
// nothing to manage yet and is sent to subscribe.
export async function POST(request: NextRequest) {
  return openPortal(request, "/subscribe");
}
