import { describe, expect, it, vi } from "vitest";
import { backgroundPasses } from "@/lib/jobs/background-passes";

describe("background passes", () => {
  it("idle waits for every pass, a failed one is logged and never thrown to the caller", async () => {
    const logged = vi.spyOn(console, "error").mockImplementation(() => {});
    const passes = backgroundPasses("Waits for the sweep:");
    const done: string[] = [];
    let release!: () => void;
    const gate = new Promise<void>((resolve) => (release = resolve));
    passes.start(async () => {
      await gate;
      done.push("slow");
    });
    passes.start(async () => {
      throw new Error("mail server down");
    });
    const idle = passes.idle();
    release();
    await idle;
    expect(done).toEqual(["slow"]);
    expect(logged).toHaveBeenCalledWith("Waits for the sweep:", expect.objectContaining({ message: "mail server down" }));
    await passes.idle();
    logged.mockRestore();
  });
});
