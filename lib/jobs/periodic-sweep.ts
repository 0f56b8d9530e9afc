import "server-only";

/** Work a server repeats on a timer: its name (in logs), how often, and one pass of it. */
export interface Sweep {
  name: string;
  everyMs: number;
  pass: () => Promise<unknown>;
}

/**
 * Runs the sweep's pass every `everyMs` in this server, never two at once: a pass still running
 * when the next is due is not doubled. A failed pass is logged and tried again next time. Every
 * instance runs its own; the passes claim their rows, so two instances never do the same one.
 * Returns a stop function that waits for a pass in progress (for tests).
 */
export function startPeriodicSweep(sweep: Sweep, everyMs = sweep.everyMs): () => Promise<void> {
  let running: Promise<unknown> | null = null;
  const timer = setInterval(() => {
    if (running) return;
    running = sweep
      .pass()
      .catch((error: unknown) => console.error(`The ${sweep.name} failed; trying again next time:`, error))
      .finally(() => (running = null));
  }, everyMs);
  timer.unref();
  return async () => {
    clearInterval(timer);
    await running;
  };
}

/** Starts each sweep once per server, however often instrumentation runs. */
export function startSweepsOncePerServer(sweeps: Sweep[]): void {
  const g = globalThis as Record<symbol, unknown>;
  for (const sweep of sweeps) {
    const started = Symbol.for(`masthead.sweep.${sweep.name}`);
    if (!g[started]) g[started] = startPeriodicSweep(sweep);
  }
}
