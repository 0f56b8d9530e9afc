import type { Metadata } from "next";
import { getDb } from "@/db/client";
import { sourceClass } from "@/db/schema";
import { DEVICE_CLASSES } from "@/lib/segments/device-class";
import { requireAdmin } from "@/lib/auth/current-user";
import { adminTrace, traceQuerySchema } from "@/lib/trace/admin-trace";
import { recentArticleChoices } from "@/lib/trace/article-choices";
import { TraceResult } from "./trace-result";

export const metadata: Metadata = { title: "Access trace · Admin" };

const first = (v: string | string[] | undefined) => (Array.isArray(v) ? v[0] : v);

// Support's "why did this reader see the paywall?": the decision now, with every input, from
// the same decideAccess as the gate; nothing is spent or recorded. Trace ids are read only here.
export default async function TracePage({ searchParams }: { searchParams: Promise<Record<string, string | string[] | undefined>> }) {
  await requireAdmin();
  const raw = await searchParams;
  const query = traceQuerySchema.parse({ reader: first(raw.reader), article: first(raw.article), intent: first(raw.intent), referrer: first(raw.referrer), device: first(raw.device), country: first(raw.country) ?? null });
  const [choices, outcome] = await Promise.all([recentArticleChoices(await getDb()), query.reader || query.article ? adminTrace(query) : null]);
  return (
    <section className="admin-page admin-page--wide">
      <h1>Access trace</h1>
      <p>
        Why a reader gets the full article or the paywall, decided now by the same rules as the article pages. Nothing is spent or counted:
        tracing a read that would count leaves the reader&apos;s meter as it was.
      </p>
      <form method="get" className="admin-filters">
        <div className="field">
          <label htmlFor="reader">Reader: email, trace id, &ldquo;anonymous&rdquo; or &ldquo;googlebot&rdquo;</label>
          <input id="reader" name="reader" defaultValue={query.reader} size={48} aria-invalid={outcome?.ok === false && outcome.field === "reader" ? true : undefined} />
        </div>
        <div className="field">
          <label htmlFor="article">Article (slug; a trace id names its own)</label>
          <input id="article" name="article" list="article-choices" defaultValue={query.article} size={40} />
          <datalist id="article-choices">
            {choices.map((c) => (
              <option key={c.slug} value={c.slug}>
                {c.title}
              </option>
            ))}
          </datalist>
        </div>
        <div className="field">
          <label htmlFor="intent">Request</label>
          <select id="intent" name="intent" defaultValue={query.intent}>
            <option value="read">read (the article page; may count)</option>
            <option value="recheck">recheck (the page handler; never counts)</option>
            <option value="prefetch">prefetch or router request</option>
          </select>
        </div>
        <div className="field">
          <label htmlFor="referrer">Arriving from</label>
          <select id="referrer" name="referrer" defaultValue={query.referrer}>
            {sourceClass.enumValues.map((c) => (
              <option key={c} value={c}>
                {c}
              </option>
            ))}
          </select>
        </div>
        <div className="field">
          <label htmlFor="device">Device</label>
          <select id="device" name="device" defaultValue={query.device}>
            {DEVICE_CLASSES.map((d) => (
              <option key={d} value={d}>
                {d}
              </option>
            ))}
          </select>
        </div>
        <div className="field">
          <label htmlFor="country">Country</label>
          <input id="country" name="country" defaultValue={query.country ?? ""} size={3} maxLength={2} />
        </div>
        <div className="field">
          <button className="button" type="submit">
            Trace
          </button>
        </div>
      </form>
      {outcome && !outcome.ok && (
        <p className="form-message form-message--error" role="alert">
          {outcome.message}
        </p>
      )}
      {outcome?.ok && <TraceResult trace={outcome.trace} readerLabel={outcome.readerLabel} traceIssuedAt={outcome.traceIssuedAt} />}
    </section>
  );
}
