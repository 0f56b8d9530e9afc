import { expect } from "@playwright/test";
import { STRIPE_URL } from "./env";

/** Moves the emulator's clock (renewals, failures, period ends happen) and waits for its webhooks. */
export async function advanceStripeClock(days: number): Promise<void> {
  const res = await fetch(`${STRIPE_URL}/_emulator/clock`, {
    method: "POST",
    headers: { "content-type": "application/json" },
    body: JSON.stringify({ advance_seconds: Math.round(days * 86_400) }),
  });
  expect(res.ok).toBe(true);
  await expect
    .poll(async () => ((await (await fetch(`${STRIPE_URL}/_emulator/deliveries`)).json()) as { pending: number }).pending, { timeout: 15_000 })
    .toBe(0);
}
