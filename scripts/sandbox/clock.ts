/**
 * The sandbox's virtual clock. Simulated time only moves forward, through advanceTo/advanceBy
 * (the SFN emulation's Wait states and Retry intervals) or, in wall-time mode, with real time
 * multiplied by a speed factor. The world computes every job's progress lazily from now().
 */

export interface Clock {
  now(): Date;
}

export class VirtualClock implements Clock {
  private ms: number;
  private readonly startMs: number;
  private wall: { timer: NodeJS.Timeout; speed: number; realStart: number; simStart: number } | undefined;

  constructor(start: Date | string | number) {
    const ms = new Date(start).getTime();
    if (Number.isNaN(ms)) throw new RangeError(`VirtualClock: invalid start ${String(start)}`);
    this.ms = ms;
    this.startMs = ms;
  }

  now(): Date {
    this.syncWall();
    return new Date(this.ms);
  }

  nowMs(): number {
    this.syncWall();
    return this.ms;
  }

  /** The scenario's t=0. */
  get start(): Date {
    return new Date(this.startMs);
  }

  /** Simulated seconds since t=0. */
  elapsedSeconds(): number {
    return (this.nowMs() - this.startMs) / 1000;
  }

  /** Moves to `to` if it is later than now; an earlier time is ignored (time never goes back). */
  advanceTo(to: Date | number): Date {
    const target = typeof to === "number" ? to : to.getTime();
    if (Number.isNaN(target)) throw new RangeError("VirtualClock.advanceTo: invalid time");
    this.syncWall();
    if (target > this.ms) {
      this.ms = target;
      if (this.wall) {
        this.wall.simStart = this.ms;
        this.wall.realStart = Date.now();
      }
    }
    return new Date(this.ms);
  }

  /** Moves forward by `seconds` (>= 0). */
  advanceBy(seconds: number): Date {
    if (!(seconds >= 0)) throw new RangeError(`VirtualClock.advanceBy: seconds must be >= 0, got ${seconds}`);
    return this.advanceTo(this.nowMs() + seconds * 1000);
  }

  /**
   * Waits `seconds` of simulated time: in virtual mode the clock jumps at once; in wall-time
   * mode it sleeps seconds/speed of real time (and the clock has moved at least that far).
   */
  async sleep(seconds: number): Promise<void> {
    if (!this.wall) {
      this.advanceBy(seconds);
      return;
    }
    const target = this.nowMs() + seconds * 1000;
    const realMs = (seconds * 1000) / this.wall.speed;
    await new Promise((resolve) => setTimeout(resolve, realMs));
    this.advanceTo(target);
  }

  /** True while runWithWall is active. */
  get wallMode(): boolean {
    return this.wall !== undefined;
  }

  /**
   * Lets simulated time flow with real time: `speed` simulated seconds per real second
   * (default 60: one simulated minute per second). Explicit advances still jump ahead.
   * Returns stop(), the same as calling clock.stop().
   */
  runWithWall(speed = 60): () => void {
    if (!(speed > 0)) throw new RangeError(`VirtualClock.runWithWall: speed must be > 0, got ${speed}`);
    this.stop();
    this.wall = {
      speed,
      realStart: Date.now(),
      simStart: this.ms,
      // Keeps the event loop honest for observers; now() computes the time exactly anyway.
      timer: setInterval(() => this.syncWall(), 250),
    };
    this.wall.timer.unref();
    return () => this.stop();
  }

  /** Leaves wall-time mode; the clock keeps the time it reached. */
  stop(): void {
    if (!this.wall) return;
    this.syncWall();
    clearInterval(this.wall.timer);
    this.wall = undefined;
  }

  private syncWall(): void {
    if (!this.wall) return;
    const sim = this.wall.simStart + (Date.now() - this.wall.realStart) * this.wall.speed;
    if (sim > this.ms) this.ms = Math.floor(sim);
  }
}
