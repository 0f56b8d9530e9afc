import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { segmentRules } from "@/db/schema";
import { segmentsChannel } from "@/tools/leak-audit/channels/segments";
import { runAudit, type AuditReport } from "@/tools/leak-audit/run-audit";
import { startAuditSite, type AuditSite } from "@/tools/leak-audit/site";

/**
 * The leak audit with segment rules live: one gives search arrivals a longer lead-in and a larger
 * meter, one gives phones their own card. The canaries come from past the longest lead-in, and the
 * segments channel reads every article as every reader with each rule's request: nothing leaks.
 */
describe("the leak audit crawls every live segment rule", () => {
  let site: AuditSite;
  let report: AuditReport;
  beforeAll(async () => {
    site = await startAuditSite({
      prepare: async (db) => {
        await db.insert(segmentRules).values([
          { name: "Search arrivals", position: 0, referrerClasses: ["search"], leadInBlocks: 4, anonymousLimit: 5, paywallHeading: "Found us on search?" },
          { name: "Phones", position: 1, devices: ["mobile"], paywallHeading: "Reading on the go?" },
        ]);
      },
    });
    report = await runAudit({ base: site.url, articles: site.articles, segments: site.segments, sessionToken: site.sessionToken, mailboxDir: null, channels: [segmentsChannel] });
  }, 240_000);
  afterAll(() => site?.close());

  it("visits each rule and finds nothing", () => {
    expect(site.segments.map((s) => s.name)).toEqual(["Search arrivals", "Phones"]);
    const channel = report.channels.find((c) => c.name === "segments")!;
    expect(channel.probes).toBe(site.articles.length * 3 * 2);
    expect(report.notes.join("\n")).toContain("Search arrivals, Phones");
    expect(report.findings).toEqual([]);
    expect(report.ok).toBe(true);
  });
});
