import { afterEach, describe, expect, it, vi } from "vitest";
import { VirtualClock } from "../../../scripts/sandbox/clock.js";

const START = "2026-03-01T09:00:00Z";

describe("VirtualClock", () => {
  afterEach(() => {
    vi.useRealTimers();
  });

  it("starts at the scenario start and advances by seconds", () => {
    // Prepare
    const clock = new VirtualClock(START);
    // Act
    clock.advanceBy(90);
    // Assess
    expect(clock.now().toISOString()).toBe("2026-03-01T09:01:30.000Z");
    expect(clock.elapsedSeconds()).toBe(90);
    expect(clock.start.toISOString()).toBe("2026-03-01T09:00:00.000Z");
  });

  it("never goes backwards: an earlier advanceTo is ignored, a negative advanceBy throws", () => {
    // Prepare
    const clock = new VirtualClock(START);
    clock.advanceTo(new Date("2026-03-01T10:00:00Z"));
    // Act
    clock.advanceTo(new Date("2026-03-01T09:30:00Z"));
    // Assess
    expect(clock.now().toISOString()).toBe("2026-03-01T10:00:00.000Z");
    expect(() => clock.advanceBy(-1)).toThrow(RangeError);
  });

  it("rejects an invalid start", () => {
    expect(() => new VirtualClock("not a date")).toThrow(RangeError);
  });

  it("sleep jumps the clock at once in virtual mode", async () => {
    // Prepare
    const clock = new VirtualClock(START);
    const before = Date.now();
    // Act
    await clock.sleep(3600);
    // Assess
    expect(clock.elapsedSeconds()).toBe(3600);
    expect(Date.now() - before).toBeLessThan(60_000); // an hour is not slept in real time
  });

  it("runWithWall moves simulated time at `speed` times real time until stopped", () => {
    // Prepare
    vi.useFakeTimers({ now: new Date("2030-01-01T00:00:00Z") });
    const clock = new VirtualClock(START);
    // Act
    const stop = clock.runWithWall(60);
    vi.advanceTimersByTime(2000);
    const during = clock.elapsedSeconds();
    stop();
    vi.advanceTimersByTime(5000);
    // Assess
    expect(during).toBe(120);
    expect(clock.elapsedSeconds()).toBe(120);
    expect(clock.wallMode).toBe(false);
  });

  it("explicit advances still jump ahead in wall mode", () => {
    // Prepare
    vi.useFakeTimers({ now: new Date("2030-01-01T00:00:00Z") });
    const clock = new VirtualClock(START);
    clock.runWithWall(10);
    // Act
    clock.advanceBy(600);
    vi.advanceTimersByTime(1000);
    // Assess
    expect(clock.elapsedSeconds()).toBe(610);
    clock.stop();
  });
});
