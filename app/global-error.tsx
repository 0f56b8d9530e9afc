"use client";

export default function GlobalError() {
  return (
    <html lang="en">
      <body>
        <main style={{ fontFamily: "system-ui, sans-serif", maxWidth: 560, margin: "4rem auto", padding: "0 1rem" }}>
          <h1>Something went wrong</h1>
          <p>Please reload the page in a moment.</p>
          <p>
            {/* eslint-disable-next-line @next/next/no-html-link-for-pages -- a full reload is the point after a root error */}
            <a href="/">Go to the front page</a>
          </p>
        </main>
      </body>
    </html>
  );
}
