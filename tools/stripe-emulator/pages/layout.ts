/** Shared bits of the hosted pages: escaping, money and date formatting, the page shell. */
import type Stripe from "stripe";

export interface PageResult {
  status: number;
  html?: string;
  location?: string;
}

export function escapeHtml(value: unknown): string {
  return String(value)
    .replace(/&/g, "&amp;")
    .replace(/</g, "&lt;")
    .replace(/>/g, "&gt;")
    .replace(/"/g, "&quot;")
    .replace(/'/g, "&#39;");
}

const ZERO_DECIMAL = new Set(["bif", "clp", "djf", "gnf", "jpy", "kmf", "krw", "mga", "pyg", "rwf", "ugx", "vnd", "vuv", "xaf", "xof", "xpf"]);

export function formatMoney(amount: number, currency: string): string {
  const value = ZERO_DECIMAL.has(currency.toLowerCase()) ? amount : amount / 100;
  try {
    return new Intl.NumberFormat("en-US", { style: "currency", currency: currency.toUpperCase() }).format(value);
  } catch {
    return `${value.toFixed(2)} ${currency.toUpperCase()}`;
  }
}

export function formatInterval(recurring: Stripe.Price.Recurring | null): string {
  if (!recurring) return "";
  return recurring.interval_count === 1 ? `per ${recurring.interval}` : `every ${recurring.interval_count} ${recurring.interval}s`;
}

export function formatPrice(price: Stripe.Price): string {
  return `${formatMoney(price.unit_amount ?? 0, price.currency)} ${formatInterval(price.recurring)}`.trim();
}

export function formatDate(unixSeconds: number): string {
  return new Date(unixSeconds * 1000).toLocaleDateString("en-US", { year: "numeric", month: "long", day: "numeric", timeZone: "UTC" });
}

const STYLE = `
  :root { color-scheme: light; font-family: system-ui, -apple-system, "Segoe UI", sans-serif; }
  body { margin: 0; background: #f6f8fa; color: #1a1f36; }
  main { max-width: 32rem; margin: 2rem auto; background: #fff; padding: 2rem; border-radius: 12px; box-shadow: 0 1px 4px rgba(0,0,0,.08); }
  .banner { background: #fff4d6; color: #5c4400; border-radius: 6px; padding: .5rem .75rem; font-size: .875rem; margin: 0 0 1.5rem; }
  h1 { font-size: 1.4rem; margin: 0 0 .25rem; }
  h2 { font-size: 1.1rem; margin: 0 0 .5rem; }
  .price { font-size: 1.6rem; font-weight: 600; margin: .25rem 0 1.5rem; }
  label { display: block; font-weight: 500; margin: 1rem 0 .25rem; }
  input[type=email], input[type=text] { width: 100%; box-sizing: border-box; padding: .6rem .7rem; font-size: 1rem; border: 1px solid #c1c9d2; border-radius: 6px; }
  input[readonly] { background: #f0f2f5; }
  button { margin-top: 1.25rem; padding: .7rem 1.2rem; font-size: 1rem; border: 0; border-radius: 6px; background: #635bff; color: #fff; cursor: pointer; }
  button.secondary { background: #e3e8ee; color: #1a1f36; }
  button:focus-visible, a:focus-visible, input:focus-visible { outline: 3px solid #8f89ff; outline-offset: 2px; }
  .error { background: #fde8e8; color: #8a1c1c; padding: .6rem .75rem; border-radius: 6px; }
  .notice { background: #e6f6ec; color: #135c2e; padding: .6rem .75rem; border-radius: 6px; }
  section { border-top: 1px solid #e3e8ee; padding-top: 1rem; margin-top: 1rem; }
  fieldset { border: 1px solid #e3e8ee; border-radius: 6px; margin-top: 1rem; }
  fieldset label { display: inline; font-weight: 400; margin: 0 0 0 .35rem; }
  .choice { margin: .4rem 0; }
  .muted { color: #5b6b7f; font-size: .9rem; }
  a { color: #4b45c6; }
`;

export function page(title: string, body: string): string {
  return `<!doctype html>
<html lang="en">
<head>
<meta charset="utf-8">
<meta name="viewport" content="width=device-width, initial-scale=1">
<meta name="robots" content="noindex">
<title>${escapeHtml(title)}</title>
<style>${STYLE}</style>
</head>
<body>
<main>
<p class="banner" role="note">Test mode: Stripe emulator. No real money moves.</p>
${body}
</main>
</body>
</html>`;
}

export function messagePage(status: number, title: string, message: string, link?: { href: string; text: string }): PageResult {
  const linkHtml = link ? `<p><a href="${escapeHtml(link.href)}">${escapeHtml(link.text)}</a></p>` : "";
  return { status, html: page(title, `<h1>${escapeHtml(title)}</h1><p>${escapeHtml(message)}</p>${linkHtml}`) };
}
