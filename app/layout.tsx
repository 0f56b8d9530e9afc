import type { Metadata, Viewport } from "next";
import { env } from "@/lib/env";
import { stylesheetHref } from "@/lib/ui/assets";
import { cookies } from "next/headers";
import { headerStateFrom, siteFooter, siteHeader } from "@/lib/ui/site-chrome";

export function generateMetadata(): Metadata {
  const { SITE_NAME, SITE_URL } = env();
  return {
    metadataBase: new URL(SITE_URL),
    title: { default: SITE_NAME, template: `%s — ${SITE_NAME}` },
    description: `${SITE_NAME}: independent reporting from Port Calder and the coast.`,
    icons: { icon: "/favicon.svg" },
  };
}

export const viewport: Viewport = { width: "device-width", initialScale: 1, themeColor: "#ffffff" };

// The header and footer are shared with the article pages, which are rendered without React.
// The header is picked from the cookies alone (signed in, subscriber hint): no script, no query.
export default async function RootLayout({ children }: { children: React.ReactNode }) {
  const header = siteHeader(headerStateFrom(await cookies()));
  return (
    <html lang="en">
      <head>
        <link rel="stylesheet" href={stylesheetHref()} />
      </head>
      <body>
        <div className="chrome" dangerouslySetInnerHTML={{ __html: header.value }} />
        <main id="main" tabIndex={-1}>
          {children}
        </main>
        <div className="chrome" dangerouslySetInnerHTML={{ __html: siteFooter().value }} />
      </body>
    </html>
  );
}
