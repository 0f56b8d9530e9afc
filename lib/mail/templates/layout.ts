import { escapeHtml } from "@/lib/ui/html";

/** A clean, branded HTML email: one column, inline styles (mail clients ignore stylesheets). */
export function emailLayout(input: { siteName: string; preheader: string; bodyHtml: string; footer: string }): string {
  return `<!doctype html>
<html lang="en"><head><meta charset="utf-8"><meta name="viewport" content="width=device-width, initial-scale=1"><title>${escapeHtml(input.siteName)}</title></head>
<body style="margin:0;padding:0;background:#f6f4ef;font-family:Georgia,'Times New Roman',serif;color:#16181d">
<span style="display:none;max-height:0;overflow:hidden">${escapeHtml(input.preheader)}</span>
<table role="presentation" width="100%" cellpadding="0" cellspacing="0" style="background:#f6f4ef;padding:32px 12px">
<tr><td align="center">
<table role="presentation" width="100%" cellpadding="0" cellspacing="0" style="max-width:520px;background:#ffffff;border-top:4px solid #a4161a;border-radius:0 0 8px 8px">
<tr><td style="padding:28px 32px 8px;font-size:22px;font-weight:bold">${escapeHtml(input.siteName)}</td></tr>
<tr><td style="padding:8px 32px 28px;font-family:system-ui,-apple-system,'Segoe UI',Roboto,Arial,sans-serif;font-size:16px;line-height:1.55">${input.bodyHtml}</td></tr>
</table>
<p style="max-width:520px;font-family:system-ui,Arial,sans-serif;font-size:12px;color:#464c57;line-height:1.5;margin:16px auto 0">${escapeHtml(input.footer)}</p>
</td></tr></table>
</body></html>`;
}

export function emailButton(href: string, label: string): string {
  return `<table role="presentation" cellpadding="0" cellspacing="0" style="margin:24px 0"><tr><td style="background:#a4161a;border-radius:6px">
<a href="${escapeHtml(href)}" style="display:inline-block;padding:12px 22px;color:#ffffff;font-weight:600;text-decoration:none">${escapeHtml(label)}</a>
</td></tr></table>`;
}
