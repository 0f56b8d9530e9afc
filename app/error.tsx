"use client";

export default function ErrorPage({ reset }: { error: Error & { digest?: string }; reset: () => void }) {
  return (
    <section className="notice">
      <p className="notice__code">500</p>
      <h1>Something went wrong on our side</h1>
      <p>Please try again in a moment.</p>
      <p>
        <button className="button" type="button" onClick={() => reset()}>
          Try again
        </button>
      </p>
    </section>
  );
}
