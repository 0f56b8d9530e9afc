import "server-only";
import { getDb } from "@/db/client";
import { billingConfigured } from "@/lib/billing/mode";
import { reconcileTypedCodes } from "./typed-codes";

const started = Symbol.for("masthead.typedCodeReconciler");
const EVERY_MS = 60_000;

/**
 * Once a minute, each server makes Stripe's typeable codes match the offers (an offer's start
 * date passing needs nobody to act). Three small queries when nothing differs; Stripe is called only
 * for a difference. Failures are logged and retried on the next round.
 */
export function startTypedCodeReconciler(): void {
  const g = globalThis as Record<symbol, unknown>;
  if (!billingConfigured() || g[started]) return;
  g[started] = true;
  const round = async () => {
    try {
      await reconcileTypedCodes(await getDb());
    } catch (error) {
      console.error("Reconciling typed offer codes failed; trying again in a minute:", error);
    }
  };
  setInterval(() => void round(), EVERY_MS).unref();
}
