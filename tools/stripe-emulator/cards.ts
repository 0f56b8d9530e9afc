/** Stripe's test card numbers and what each one does in the emulator. */
import type { CardBehavior } from "./store";

export type CardOutcome =
  | { ok: true; brand: string; last4: string; behavior: CardBehavior }
  | { ok: false; message: string; decline_code: string };

const DECLINES: Record<string, { message: string; decline_code: string }> = {
  "4000000000000002": { message: "Your card was declined.", decline_code: "generic_decline" },
  "4000000000009995": { message: "Your card has insufficient funds.", decline_code: "insufficient_funds" },
  "4000000000009987": { message: "Your card was declined.", decline_code: "lost_card" },
  "4000000000000069": { message: "Your card has expired.", decline_code: "expired_card" },
  "4000000000000127": { message: "Your card's security code is incorrect.", decline_code: "incorrect_cvc" },
  "4000000000000119": { message: "An error occurred while processing your card. Try again in a little bit.", decline_code: "processing_error" },
};

/** Attaches fine and pays the first invoice, then every later charge fails. */
const FAILS_LATER = new Set(["4000000000000341"]);

function luhnValid(digits: string): boolean {
  let sum = 0;
  for (let i = 0; i < digits.length; i++) {
    let digit = Number(digits[digits.length - 1 - i]);
    if (i % 2 === 1) {
      digit *= 2;
      if (digit > 9) digit -= 9;
    }
    sum += digit;
  }
  return sum % 10 === 0;
}

function brandOf(digits: string): string {
  if (digits.startsWith("4")) return "visa";
  if (/^(5[1-5]|2[2-7])/.test(digits)) return "mastercard";
  if (/^3[47]/.test(digits)) return "amex";
  if (/^6(011|5)/.test(digits)) return "discover";
  return "unknown";
}

export function normalizeCardNumber(input: string): string {
  return input.replace(/[\s-]/g, "");
}

export function checkCard(input: string): CardOutcome {
  const digits = normalizeCardNumber(input);
  if (!/^\d{12,19}$/.test(digits) || !luhnValid(digits)) {
    return { ok: false, message: "Your card number is incorrect.", decline_code: "incorrect_number" };
  }
  const decline = DECLINES[digits];
  if (decline) return { ok: false, ...decline };
  return {
    ok: true,
    brand: brandOf(digits),
    last4: digits.slice(-4),
    behavior: FAILS_LATER.has(digits) ? "fail_off_session" : "succeed",
  };
}
