/**
 * What a failed SMTP send means for an outbox row (the newsletter's and the billing mail's). A
 * reply code is the server's word: 5xx is a refusal (failed, with its reason), 4xx is "try later". Without a reply, the phase decides: an
 * error before the message was handed over (connecting, greeting, envelope) sent nothing and is
 * retried; one during or after DATA may have been accepted, so the row is `unknown`, not resent.
 */
export type SendFailure =
  | { state: "failed"; error: string }
  | { state: "unknown"; error: string }
  | { state: "pending"; error: string; retryInSeconds: number };

export const MAX_ATTEMPTS = 5;
const BEFORE_DATA = new Set(["CONN", "EHLO", "HELO", "LHLO", "STARTTLS", "AUTH PLAIN", "AUTH LOGIN", "AUTH XOAUTH2", "MAIL FROM", "RCPT TO"]);
const NOT_SENT_CODES = new Set(["ECONNECTION", "ECONNREFUSED", "EDNS", "ETLS", "EAUTH", "EENVELOPE", "EMESSAGE"]);

/** `maxAttempts`: how many tries a retryable error gets (the retry delay doubles from 30 s to an hour). */
export function classifySendError(error: unknown, attempts: number, maxAttempts = MAX_ATTEMPTS): SendFailure {
  const e = (error ?? {}) as { responseCode?: unknown; command?: unknown; code?: unknown; message?: unknown; response?: unknown };
  const reason = String(e.response ?? e.message ?? error).replace(/\s+/g, " ").slice(0, 300);
  const retry = (): SendFailure =>
    attempts >= maxAttempts
      ? { state: "failed", error: `Gave up after ${attempts} attempts: ${reason}` }
      : { state: "pending", error: reason, retryInSeconds: Math.min(3600, 30 * 2 ** (attempts - 1)) };
  if (typeof e.responseCode === "number") {
    if (e.responseCode >= 500) return { state: "failed", error: reason };
    if (e.responseCode >= 400) return retry();
  }
  if (e.code === "EENVELOPE" || e.code === "EMESSAGE") return { state: "failed", error: reason };
  if ((typeof e.command === "string" && BEFORE_DATA.has(e.command)) || (typeof e.code === "string" && NOT_SENT_CODES.has(e.code))) return retry();
  return { state: "unknown", error: `Delivery unknown (${reason}): not resent automatically.` };
}
