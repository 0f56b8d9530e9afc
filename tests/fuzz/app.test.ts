import fs from "node:fs";
import os from "node:os";
import path from "node:path";
import fc from "fast-check";
import { afterAll, beforeAll, describe, expect, test } from "vitest";
import { engines } from "../integration/support/databases";
import { invalidFieldValue, requestTo, type FuzzRequest } from "./support/generators";
import { describe as describeRequest, sendAll, type Finding } from "./support/send";
import { serverLogErrors } from "./support/server-log";
import { startFuzzStack, type AdminState, type FuzzStack } from "./support/stack";
import { buildTargets, type Target } from "./support/targets";

/** FUZZ_SEED replays a run; FUZZ_RUNS is the number of requests per route. */
const SEED = Number(process.env.FUZZ_SEED ?? 20261130);
const RUNS = Number(process.env.FUZZ_RUNS ?? 150);
const DIST_DIR = process.env.NEXT_DIST_DIR || ".next";
const LOG_FILE = (engine: string) => path.join(os.tmpdir(), `masthead-fuzz-server-${engine}.log`);

/** Every field name the admin forms have, each sent with a value its schema refuses. */
const ADMIN_FIELDS = ["id", "title", "slug", "dek", "body", "byline", "access", "status", "publishAt", "leadInBlocks", "heroImage", "heroImageAlt", "heroImageCredit", "file", "replaceAll", "name", "description", "features", "trialDays", "amount", "interval", "currency", "direction", "active", "meterAnonymousLimit", "meterRegisteredLimit", "meterWindowDays", "defaultLeadInBlocks", "paywallHeading", "paywallBody", "userId", "reason", "endsOn", "grantId", "eventId"];

function report(findings: Finding[]): string {
  const shown = findings.slice(0, 10).map((f) => `- ${f.target} #${f.index}: ${f.problem}\n  ${f.request}`);
  return `${findings.length} finding(s) with FUZZ_SEED=${SEED} FUZZ_RUNS=${RUNS} (replay: FUZZ_SEED=${SEED} FUZZ_RUNS=${RUNS} npm run test:fuzz):\n${shown.join("\n")}`;
}

/** The requests for one target: a fixed sample from its seed, so a run replays. */
function sample(targets: Target[], make: (target: Target) => fc.Arbitrary<FuzzRequest>, offset: number, runs: number) {
  return targets.map((target, i) => ({ target: target.name, requests: fc.sample(make(target), { seed: SEED + offset + i, numRuns: runs }) }));
}

/** A server action call as the browser makes it (`[state, FormData]`), every field refused. */
function adminActionCall(target: Target, cookie: string, origin: string): fc.Arbitrary<FuzzRequest> {
  // Every field, so each action's own fields are there and refused (a missing setting is valid: it means the default).
  const fields = fc.tuple(...ADMIN_FIELDS.map((name) => invalidFieldValue.map((value) => [name, value] as const)));
  return fc.tuple(fc.constant(target.adminPage!), fields, fc.constantFrom('["$undefined","$K1"]', '[{},"$K1"]', '[null,"$K1"]')).map(([path, entries, root]) => {
    // As React sends it: `$K1`'s entries prefixed `_1_`, and the root last (Next decodes as the body streams in).
    const form = [...entries.map(([name, value]) => [`_1_${name}`, value] as const), ["0", root] as const];
    const boundary = "fuzzadmin";
    const text = form.map(([name, value]) => `--${boundary}\r\ncontent-disposition: form-data; name="${name}"\r\n\r\n${value}\r\n`).join("") + `--${boundary}--\r\n`;
    return {
      method: "POST",
      path,
      headers: { "next-action": target.actionId!, "content-type": `multipart/form-data; boundary=${boundary}`, cookie, origin, accept: "text/x-component" },
      body: Buffer.from(text),
    };
  });
}

describe.each(engines)("fuzz against a production build on %s", (engine) => {
  let stack: FuzzStack;
  let targets: Target[];

  beforeAll(async () => {
    stack = await startFuzzStack(engine);
    targets = buildTargets(DIST_DIR, stack.known);
  });
  afterAll(async () => {
    if (stack && stack.exited() === null) await stack.stop();
  });

  test("the admin's server actions, signed in as an admin, answer field errors to every invalid form", async () => {
    const admin = targets.filter((t) => t.adminPage);
    expect(admin.length).toBeGreaterThanOrEqual(10);
    const batches = sample(admin, (t) => adminActionCall(t, stack.adminCookie, stack.origin), 10_000, Math.ceil(RUNS / 3));
    const { findings, sent, results } = await sendAll(stack.origin, batches, 4, '"ok":false');
    expect(findings, report(findings)).toEqual([]);
    // Each call reached the action (200, an RSC answer) and came back with field errors.
    const accepted = results.filter(({ answer }) => !(answer.status === 200 && answer.watched));
    const first = accepted[0];
    expect(accepted.length, first && `${first.target}: ${first.answer.status} ${first.answer.body.slice(0, 200)} … ${first.answer.body.slice(-400)}\n${describeRequest(first.request)}`).toBe(0);
    // The admin pages themselves, with the admin's session and junk in every other place.
    const pages = targets.filter((t) => !t.actionId && t.name.startsWith("/admin"));
    const withSession = sample(pages, (t) => requestTo(t.path, { headers: { cookie: stack.adminCookie } }), 20_000, Math.ceil(RUNS / 3));
    const pageRun = await sendAll(stack.origin, withSession);
    expect(pageRun.findings, report(pageRun.findings)).toEqual([]);
    console.log(`admin: ${sent} action calls, ${pageRun.sent} page requests`);
  });

  test("every route answers every generated request without a 5xx, within 5 s", async () => {
    const batches = sample(targets, (t) => (t.actionId ? requestTo(t.path, { headers: { "next-action": t.actionId }, methods: fc.constant("POST") }) : requestTo(t.path)), 0, RUNS);
    const started = performance.now();
    const { findings, sent } = await sendAll(stack.origin, batches);
    console.log(`${engine}: ${targets.length} targets, ${sent} requests in ${((performance.now() - started) / 1000).toFixed(1)} s`);
    expect(findings, report(findings)).toEqual([]);
  });

  test("the server logged no error, is still running, and nothing an admin can change was changed", async () => {
    expect(stack.exited(), "the server process died").toBeNull();
    const errors = serverLogErrors(stack.log());
    fs.writeFileSync(LOG_FILE(engine), stack.log());
    expect(errors, `${errors.length} error(s) in the server's log (FUZZ_SEED=${SEED}):\n${errors.slice(0, 5).join("\n")}\n(the whole log: ${LOG_FILE(engine)})`).toEqual([]);
    const after: AdminState = await stack.stop();
    expect(after).toEqual(stack.adminStateBefore);
  });
});
