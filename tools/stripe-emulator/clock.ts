/**
 * The emulator's clock: wall time plus an offset that `POST /_emulator/clock` moves forward.
 * The offset lives in the state so it survives a restart with a state file.
 */

export class Clock {
  constructor(private readonly holder: () => { clock_offset: number }) {}

  /** Current emulator time in unix seconds. */
  now(): number {
    return Math.floor(Date.now() / 1000) + this.holder().clock_offset;
  }

  get offset(): number {
    return this.holder().clock_offset;
  }

  /** Moves the clock so that `now()` returns `unixSeconds`; never backwards. */
  setTo(unixSeconds: number): void {
    const target = Math.max(unixSeconds, this.now());
    this.holder().clock_offset = target - Math.floor(Date.now() / 1000);
  }
}
