import { describe, expect, it } from "vitest";
import { readerFrom, type SessionReaderFacts } from "@/lib/access/reader-record";
import { subscriptionFacts } from "../../support/subscription-facts";

const now = new Date("2026-06-15T12:00:00Z");
const period = { start: new Date("2026-06-01T00:00:00Z"), end: new Date("2026-07-01T00:00:00Z") };
const ended = { start: new Date("2026-04-01T00:00:00Z"), end: new Date("2026-05-01T00:00:00Z") };
const facts = (subscriptions: SessionReaderFacts["subscriptions"]): SessionReaderFacts => ({
  userId: "user-1",
  experimentKey: null,
  sessionExpires: new Date("2026-07-01T00:00:00Z"),
  subscriptions,
  grants: [],
  licences: [],
  families: [],
  trialedPlanIds: [],
  meter: null,
});

// The paywall card asks whether a signed-in reader already subscribes; the answer comes from the
// same cached rows as the entitlement, so it never costs a query on the reading path.
describe("a signed-in reader's live subscription, from their cached facts", () => {
  it("is live while a subscription still bills or can be paid again, entitled today or not", () => {
    for (const status of ["active", "trialing", "past_due", "unpaid", "paused"] as const) {
      expect(readerFrom(facts([subscriptionFacts(period, { status })]), now, 0)).toMatchObject({ kind: "user", subscribed: true });
    }
    const unpaid = readerFrom(facts([subscriptionFacts(ended, { status: "unpaid" })]), now, 0);
    expect(unpaid).toMatchObject({ entitlement: null, subscribed: true });
  });

  it("is not live with only ended or never-started subscriptions, or none", () => {
    for (const status of ["canceled", "incomplete", "incomplete_expired"] as const) {
      expect(readerFrom(facts([subscriptionFacts(ended, { status })]), now, 0)).toMatchObject({ subscribed: false });
    }
    expect(readerFrom(facts([]), now, 0)).toMatchObject({ subscribed: false, entitlement: null });
  });
});
