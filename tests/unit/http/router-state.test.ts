import { describe, expect, it } from "vitest";
import { refuseMalformedRouterState } from "@/lib/http/router-state";

describe("a page request's router state header, checked with Next's own parser before Next renders", () => {
  const withState = (value: string) => new Headers({ "next-router-state-tree": value });

  it("passes a request without one, and a well-formed one", () => {
    expect(refuseMalformedRouterState(new Headers())).toBeUndefined();
    expect(refuseMalformedRouterState(withState(encodeURIComponent(JSON.stringify(["", { children: ["__PAGE__", {}] }, null, null]))))).toBeUndefined();
  });

  it.each(["junk", "%", "9.3e-114", "%5B%22%22%5D", encodeURIComponent(JSON.stringify({ children: [] })), "x".repeat(50_000)])("answers 400 to %j instead of Next's 500", (value) => {
    expect(refuseMalformedRouterState(withState(value))?.status).toBe(400);
  });
});
