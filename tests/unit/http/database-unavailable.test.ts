import { describe, expect, it } from "vitest";
import { answerUnlessDatabaseDown, isDatabaseUnavailable } from "@/lib/http/database-unavailable";

const driverError = (code: string) => Object.assign(new Error(`driver says ${code}`), { code });
// drizzle wraps the driver's error: "Failed query: …" with the driver's in `cause`.
const wrapped = (cause: Error) => new Error("Failed query: select 1", { cause });

describe("database outages answer 503, other errors stay errors", () => {
  it("knows a refused, dropped or timed-out connection and a server shutting down, also when wrapped", () => {
    for (const code of ["ECONNREFUSED", "CONNECT_TIMEOUT", "CONNECTION_CLOSED", "57P01", "57P03"]) {
      expect(isDatabaseUnavailable(driverError(code))).toBe(true);
      expect(isDatabaseUnavailable(wrapped(driverError(code)))).toBe(true);
    }
  });

  it("does not take a query's own failure for an outage", () => {
    expect(isDatabaseUnavailable(wrapped(driverError("23505")))).toBe(false); // unique violation
    expect(isDatabaseUnavailable(new Error("boom"))).toBe(false);
    expect(isDatabaseUnavailable("ECONNREFUSED")).toBe(false);
  });

  it("answers the 503 page for an outage and rethrows anything else", async () => {
    const answer = await answerUnlessDatabaseDown(() => Promise.reject(wrapped(driverError("ECONNREFUSED"))));
    expect(answer.status).toBe(503);
    expect(answer.headers.get("retry-after")).toBe("5");
    expect(answer.headers.get("cache-control")).toBe("no-store");
    expect(await answer.text()).toContain("503");
    await expect(answerUnlessDatabaseDown(() => Promise.reject(new Error("boom")))).rejects.toThrow("boom");
  });
});
