import "server-only";

/**
 * Runs `pass` every `intervalMs` in this server (instrumentation.ts), never two at once: a pass
 * still running when the next is due is not doubled. A failed pass is logged and tried again next
 * time. Every instance runs its own; the passes claim their rows, so two instances never do the
 * same one. Returns a stop function that waits for a pass in progress (for tests).
 */
export function startPeriodicSweep(name: string, pass: () => Promise<unknown>, intervalMs: number): () => Promise<void> {
  let running: Promise<unknown> | null = null;
  const timer = setInterval(() => {
    if (running) return;
    running = pass()
      .catch((error: unknown) => console.error(`The ${name} failed; trying again next time:`, error))
      .finally(() => (running = null));
  }, intervalMs);
  timer.unref();
  return async () => {
    clearInterval(timer);
    await running;
  };
}

/** Starts `start` once per server, however often instrumentation runs. */
export function startOncePerServer(key: string, start: () => unknown): void {
  const g = globalThis as Record<symbol, unknown>;
  const started = Symbol.for(`masthead.${key}`);
  if (g[started]) return;
  g[started] = start();
}
