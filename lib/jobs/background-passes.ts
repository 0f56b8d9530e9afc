/**
 * Work started after the answer has gone (a webhook's mail, a page's request): each pass runs in
 * the background, a failure is logged and left to the periodic sweep, and a test can wait until
 * none is running.
 */
export function backgroundPasses(failureNote: string): { start(pass: () => Promise<unknown>): void; idle(): Promise<void> } {
  const running = new Set<Promise<unknown>>();
  return {
    start(pass) {
      const started: Promise<unknown> = pass()
        .catch((error: unknown) => console.error(failureNote, error))
        .finally(() => running.delete(started));
      running.add(started);
    },
    async idle() {
      while (running.size > 0) await Promise.allSettled([...running]);
    },
  };
}
