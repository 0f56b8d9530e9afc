import { normalise, type AuditArticle, type AuditSegment } from "@/lib/leak-audit/canaries";
import type { Finding } from "@/lib/leak-audit/report-schema";

export type { Finding };

/** Who the audit reads as, and the articles that reader may legitimately read in full. */
export interface Identity {
  name: "stranger" | "registered" | "no-cookies";
  /** The Cookie header it sends, or null. */
  cookie: string | null;
  mayRead: Set<number>;
}


export interface Probe {
  channel: string;
  identity: Identity;
  url: string;
  method?: "GET" | "HEAD";
  headers?: Record<string, string>;
  /** Articles this one request may carry in full beyond what the identity may read (a read that counts). */
  alsoMayRead?: number[];
}

export interface ProbeResponse {
  status: number;
  headers: Headers;
  body: string;
}

/** What one text was (a response, a mail, a rendered page), for naming it in a finding. */
export interface Source {
  channel: string;
  identity: Identity;
  url: string;
  method: string;
  headers: Record<string, string>;
  mayRead: Set<number>;
}

/**
 * The audit's state: the articles and their canaries, every finding, and how many probes each
 * channel made. Every text any channel sees goes through `inspect`.
 */
export class AuditContext {
  readonly findings: Finding[] = [];
  readonly probes = new Map<string, number>();
  readonly skipped: Array<{ channel: string; why: string }> = [];
  /** What the report should say beyond its findings (repeats an admin confirmed). */
  readonly notes: string[] = [];
  private readonly seen = new Set<string>();

  constructor(
    readonly base: URL,
    readonly articles: AuditArticle[],
    readonly identities: Identity[],
    /** The live segment rules, each crawled with the request it names (channels/segments.ts). */
    readonly segments: AuditSegment[] = [],
  ) {}

  identity(name: Identity["name"]): Identity | undefined {
    return this.identities.find((i) => i.name === name);
  }

  url(path: string): string {
    return new URL(path, this.base).toString();
  }

  count(channel: string): void {
    this.probes.set(channel, (this.probes.get(channel) ?? 0) + 1);
  }

  skip(channel: string, why: string): void {
    this.skipped.push({ channel, why });
  }

  note(text: string): void {
    this.notes.push(text);
  }

  /** A public field that repeats a locked sentence: a leak to anyone, found in the article itself. */
  reportRepeat(article: AuditArticle, field: string, sentence: string): void {
    this.findings.push({
      kind: "leak",
      channel: "public-fields",
      identity: "anyone",
      url: this.url(`/articles/${article.slug}`),
      method: "GET",
      headers: {},
      article: { id: article.id, slug: article.slug, title: article.title },
      canary: sentence,
      where: field,
    });
  }

  /** Sends one request as the identity, and inspects what comes back. */
  async probe(p: Probe): Promise<ProbeResponse> {
    const headers: Record<string, string> = { ...(p.identity.cookie ? { cookie: p.identity.cookie } : {}), ...p.headers };
    const method = p.method ?? "GET";
    this.count(p.channel);
    const response = await fetch(p.url, { method, headers, redirect: "follow" });
    const body = method === "HEAD" ? "" : await response.text();
    const mayRead = new Set([...p.identity.mayRead, ...(p.alsoMayRead ?? [])]);
    const source: Source = { channel: p.channel, identity: p.identity, url: p.url, method, headers, mayRead };
    this.inspect(source, body, response.headers);
    return { status: response.status, headers: response.headers, body };
  }

  /** Looks for every canary this source may not carry; full text it may carry must not be cacheable. */
  inspect(source: Source, text: string, headers?: Headers): void {
    const body = normalise(text);
    const headerText = headers ? [...headers].map(([k, v]) => `${k}: ${v}`) : [];
    for (const article of this.articles) {
      for (const canary of article.canaries) {
        const inHeader = headerText.find((h) => normalise(h).includes(canary));
        const at = body.indexOf(canary);
        if (!inHeader && at < 0) continue;
        if (source.mayRead.has(article.id)) {
          if (headers && !/private|no-store/i.test(headers.get("cache-control") ?? "")) {
            this.add({ kind: "cache", source, article, canary, where: `cache-control: ${headers.get("cache-control") ?? "(none)"}` });
          }
        } else {
          this.add({ kind: "leak", source, article, canary, where: inHeader ? `header ${inHeader.split(":")[0]}` : locate(body, at) });
        }
        break;
      }
    }
  }

  private add(f: { kind: Finding["kind"]; source: Source; article: AuditArticle; canary: string; where: string }): void {
    const { source } = f;
    const key = `${f.kind}|${source.channel}|${source.identity.name}|${source.method}|${source.url}|${JSON.stringify(source.headers)}|${f.article.id}`;
    if (this.seen.has(key)) return;
    this.seen.add(key);
    this.findings.push({
      kind: f.kind,
      channel: source.channel,
      identity: source.identity.name,
      url: source.url,
      method: source.method,
      headers: source.headers,
      article: { id: f.article.id, slug: f.article.slug, title: f.article.title },
      canary: f.canary,
      where: f.where,
    });
  }
}

/** Names the element a match sits in, from the last tag opened before it. */
export function locate(body: string, at: number): string {
  const before = body.slice(0, at);
  const lastTag = /<(script|meta|noscript|style|template|title|link|textarea)\b[^>]*>?[^<]*$/i.exec(before);
  if (lastTag) {
    const tag = lastTag[1]!.toLowerCase();
    if (tag === "script" && /application\/ld\+json/i.test(lastTag[0])) return "JSON-LD";
    if (tag === "meta") return `meta tag ${/(?:property|name)="([^"]+)"/.exec(lastTag[0])?.[1] ?? ""}`.trim();
    return `<${tag}>`;
  }
  if (!/<[a-z!]/i.test(body.slice(0, 200))) return "body (not HTML)";
  return /<\/head>/i.test(before) ? "HTML body" : "HTML head";
}
