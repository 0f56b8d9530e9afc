"use client";

import { useRouter } from "next/navigation";
import { useEffect, useState } from "react";

interface Progress {
  state: "draft" | "sending" | "sent";
  total: number;
  percent: number;
  byState: Record<"pending" | "sending" | "sent" | "failed" | "unknown", number>;
}

/** Polls the issue's progress every second while it sends; when done, reloads the page for the report. */
export function ProgressBar({ issueId, initial }: { issueId: number; initial: Progress }) {
  const [progress, setProgress] = useState(initial);
  const router = useRouter();
  useEffect(() => {
    if (progress.state === "sent") return;
    const timer = setTimeout(async () => {
      try {
        const res = await fetch(`/admin/newsletters/issues/${issueId}/progress`, { cache: "no-store" });
        if (!res.ok) return;
        const next = (await res.json()) as Progress;
        setProgress(next);
        if (next.state === "sent") router.refresh();
      } catch {
        setProgress((p) => ({ ...p })); // try again on the next tick
      }
    }, 1_000);
    return () => clearTimeout(timer);
  }, [issueId, progress, router]);
  const done = progress.byState.sent + progress.byState.failed + progress.byState.unknown;
  return (
    <div className="newsletter-progress" data-testid="send-progress" data-percent={progress.percent} data-state={progress.state}>
      <label htmlFor="send-progress-bar">
        {progress.state === "sent" ? "Sent" : "Sending"}: {done} of {progress.total} ({progress.percent} %)
      </label>
      <progress id="send-progress-bar" max={100} value={progress.percent}>
        {progress.percent} %
      </progress>
    </div>
  );
}
