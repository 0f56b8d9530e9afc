import { beforeAll, describe, expect, it } from "vitest";
import { adminForms, newsletterFormSchema, newsletterSettingsFormSchema } from "@/lib/admin/newsletters/form";
import { signupFormSchema } from "@/lib/newsletters/fields";
import { isBlockedAddress } from "@/lib/newsletters/settings";
import { classifySendError } from "@/lib/mail/smtp-outcome";
import { resetEnvForTests } from "@/lib/env";

describe("newsletter signed links", () => {
  beforeAll(() => {
    process.env.AUTH_SECRET = "unit-secret-unit-secret-unit-secret-0123";
    resetEnvForTests();
  });

  it("a confirmation works for 24 hours, then says expired; tampering or another purpose's signature is invalid", async () => {
    const links = await import("@/lib/newsletters/signed-links");
    const now = new Date("2026-11-30T12:00:00Z");
    const token = links.confirmationToken("a@ledger.test", [1, 2], now);
    expect(links.readConfirmationToken(token, new Date(now.getTime() + 23 * 3_600_000))).toMatchObject({ ok: true, confirmation: { email: "a@ledger.test", newsletterIds: [1, 2] } });
    expect(links.readConfirmationToken(token, new Date(now.getTime() + 24 * 3_600_000))).toEqual({ ok: false, reason: "expired" });
    const [body, sig] = token.split(".") as [string, string];
    const forged = Buffer.from(JSON.stringify({ e: "b@ledger.test", n: [1], x: 9_999_999_999 })).toString("base64url");
    expect(links.readConfirmationToken(`${forged}.${sig}`, now)).toEqual({ ok: false, reason: "invalid" });
    expect(links.readConfirmationToken(`${body}.${sig.slice(1)}`, now)).toEqual({ ok: false, reason: "invalid" });
    expect(links.readConfirmationToken("", now)).toEqual({ ok: false, reason: "invalid" });
    // Signed for preferences, used to unsubscribe (or the reverse): refused.
    expect(links.readUnsubscribeToken(links.preferencesToken("user-1"))).toBeNull();
    expect(links.readPreferencesToken(links.unsubscribeToken("user-1", 3))).toBeNull();
    expect(links.readUnsubscribeToken(links.unsubscribeToken("user-1", 3))).toEqual({ userId: "user-1", newsletterId: 3 });
  });
});

describe("newsletter fields", () => {
  it("refuse line breaks and control characters in header text (names, subjects)", () => {
    const base = { description: "", subscribeOnSignup: "on", audience: "everyone" };
    expect(newsletterFormSchema.safeParse({ ...base, name: "Morning", senderName: "The Desk" }).success).toBe(true);
    for (const senderName of ["The Desk\r\nBcc: all@x.test", "A\nB", "Tab\tbed", "Nul\u0000"]) {
      const parsed = newsletterFormSchema.safeParse({ ...base, name: "Morning", senderName });
      expect(parsed.success).toBe(false);
      expect(parsed.error?.issues[0]?.message).toContain("line breaks or control characters");
    }
    const issue = adminForms.issue.safeParse({ newsletterId: "1", subject: "Hi\r\nTo: x@y.test", source: "markdown", markdown: "Hello", segment: "everyone" });
    expect(issue.success).toBe(false);
  });

  it("addresses: lower-cased, at most 254 characters, one address only", () => {
    const parse = (email: string) => signupFormSchema.safeParse({ email, newsletters: "1", website: "" });
    expect(parse(" Reader@Ledger.TEST ").data?.email).toBe("reader@ledger.test");
    expect(parse(`${"a".repeat(243)}@ledger.test`).success).toBe(false);
    expect(parse("a@ledger.test, b@ledger.test").success).toBe(false);
    expect(parse("a@ledger.test\nBcc: b@ledger.test").success).toBe(false);
  });

  it("blocked domains match the domain and its subdomains only", () => {
    expect(isBlockedAddress("x@spam.test", ["spam.test"])).toBe(true);
    expect(isBlockedAddress("x@mail.spam.test", ["spam.test"])).toBe(true);
    expect(isBlockedAddress("x@notspam.test", ["spam.test"])).toBe(false);
    expect(newsletterSettingsFormSchema.safeParse({ blockedDomains: "spam.test\nnot a domain", messagesPerSecond: "5" }).success).toBe(false);
  });
});

describe("what a failed SMTP send means for its row", () => {
  it("5xx fails, 4xx and errors before DATA retry, anything during or after DATA is unknown (never resent blindly)", () => {
    expect(classifySendError({ responseCode: 550, response: "550 no such user" }, 1)).toMatchObject({ state: "failed" });
    expect(classifySendError({ responseCode: 451, response: "451 try later" }, 1)).toMatchObject({ state: "pending", retryInSeconds: 30 });
    expect(classifySendError({ responseCode: 451, response: "451 try later" }, 5)).toMatchObject({ state: "failed" });
    expect(classifySendError({ code: "ECONNECTION", command: "CONN" }, 2)).toMatchObject({ state: "pending", retryInSeconds: 60 });
    expect(classifySendError({ code: "ESOCKET", command: "DATA" }, 1)).toMatchObject({ state: "unknown" });
    expect(classifySendError(new Error("socket hang up"), 1)).toMatchObject({ state: "unknown" });
  });
});
