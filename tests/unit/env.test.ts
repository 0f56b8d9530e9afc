import { describe, expect, it } from "vitest";
import { parseEnv } from "@/lib/env";

// What `next start` gets from the e2e and bench servers: a complete production environment.
const production = {
  NODE_ENV: "production",
  AUTH_SECRET: "a-production-secret-of-at-least-32-chars",
  SITE_URL: "https://news.example.com",
  STRIPE_SECRET_KEY: "sk_live_abc",
  STRIPE_WEBHOOK_SECRET: "whsec_abc",
};

function problem(source: Record<string, string | undefined>): string {
  try {
    parseEnv(source);
  } catch (error) {
    return (error as Error).message;
  }
  throw new Error("the environment was accepted");
}

describe("environment", () => {
  it("accepts a complete production environment, and a development one with nothing set", () => {
    expect(parseEnv(production)).toMatchObject({ SITE_URL: "https://news.example.com", AUTH_SECRET: production.AUTH_SECRET });
    expect(parseEnv({ ...production, STRIPE_SECRET_KEY: undefined, STRIPE_WEBHOOK_SECRET: undefined }).STRIPE_SECRET_KEY).toBeUndefined();
    expect(parseEnv({})).toMatchObject({ NODE_ENV: "development", SITE_URL: "http://localhost:3000" });
  });

  it("in production, stops without AUTH_SECRET or with a short one", () => {
    expect(problem({ ...production, AUTH_SECRET: undefined })).toMatch(/AUTH_SECRET: AUTH_SECRET is required in production/);
    expect(problem({ ...production, AUTH_SECRET: "" })).toMatch(/AUTH_SECRET: AUTH_SECRET is required in production/);
    expect(problem({ ...production, AUTH_SECRET: "too-short" })).toMatch(/AUTH_SECRET: AUTH_SECRET must be at least 32 characters/);
  });

  it("in production, stops with one Stripe key and not the other", () => {
    expect(problem({ ...production, STRIPE_WEBHOOK_SECRET: undefined })).toMatch(
      /STRIPE_WEBHOOK_SECRET: STRIPE_WEBHOOK_SECRET is required when STRIPE_SECRET_KEY is set/,
    );
    expect(problem({ ...production, STRIPE_SECRET_KEY: undefined })).toMatch(
      /STRIPE_SECRET_KEY: STRIPE_SECRET_KEY is required when STRIPE_WEBHOOK_SECRET is set/,
    );
  });

  it("in production, stops without SITE_URL or with one that is not an http(s) origin", () => {
    expect(problem({ ...production, SITE_URL: undefined })).toMatch(/SITE_URL: SITE_URL is required in production/);
    for (const bad of ["news.example.com", "ftp://news.example.com", "https://news.example.com/paper", "https://news.example.com/?a=1", "https://u:p@news.example.com"]) {
      expect(problem({ ...production, SITE_URL: bad }), bad).toMatch(/SITE_URL: SITE_URL must be/);
    }
    expect(parseEnv({ ...production, SITE_URL: "https://News.Example.com/" }).SITE_URL).toBe("https://news.example.com");
  });

  it("names every bad variable at once", () => {
    const message = problem({ NODE_ENV: "production", STRIPE_SECRET_KEY: "sk_test_x" });
    expect(message).toContain("AUTH_SECRET:");
    expect(message).toContain("SITE_URL:");
    expect(message).toContain("STRIPE_WEBHOOK_SECRET:");
  });

  it("leaves `next build` (production mode, no server secrets) and development alone", () => {
    expect(parseEnv({ NODE_ENV: "production", NEXT_PHASE: "phase-production-build" }).AUTH_SECRET).toBeUndefined();
    expect(parseEnv({ NODE_ENV: "development", STRIPE_SECRET_KEY: "sk_test_x" }).STRIPE_WEBHOOK_SECRET).toBeUndefined();
  });
});
