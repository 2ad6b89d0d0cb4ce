import { describe, expect, it } from "vitest";
import {
  adaptiveWait,
  elapsedBackoff,
  expectedRemainingSeconds,
  restorePollWait,
} from "../../../functions/shared/waits.js";

describe("adaptiveWait", () => {
  it("waits 30 s when nothing is known", () => {
    expect(adaptiveWait([])).toBe(30);
    expect(adaptiveWait([undefined, undefined])).toBe(30);
  });

  it("waits 15 s when something should finish within a minute (or is overdue)", () => {
    expect(adaptiveWait([3600, 45])).toBe(15);
    expect(adaptiveWait([-120])).toBe(15);
  });

  it("waits until the nearest expected end, clamped to [15, 300]", () => {
    expect(adaptiveWait([200, 900, undefined])).toBe(200);
    expect(adaptiveWait([7200])).toBe(300);
    expect(adaptiveWait([61.2])).toBe(62);
  });

  it("takes other bounds", () => {
    expect(adaptiveWait([1000], { maxSeconds: 120 })).toBe(120);
    expect(adaptiveWait([], { unknownSeconds: 10 })).toBe(10);
  });
});

describe("expectedRemainingSeconds", () => {
  const startedAt = new Date("2026-03-01T09:00:00Z");
  const now = new Date("2026-03-01T09:10:00Z");

  it("uses the expected duration from the start", () => {
    expect(expectedRemainingSeconds({ startedAt, now, expectedMinutes: 35 })).toBe(25 * 60);
  });

  it("extrapolates from the percentage done", () => {
    expect(expectedRemainingSeconds({ startedAt, now, percentDone: 25 })).toBe(30 * 60);
  });

  it("is undefined without an estimate", () => {
    expect(expectedRemainingSeconds({ startedAt, now })).toBeUndefined();
    expect(expectedRemainingSeconds({ startedAt, now, percentDone: 0 })).toBeUndefined();
  });
});

describe("elapsedBackoff", () => {
  it("grows with the elapsed time within bounds", () => {
    expect(elapsedBackoff(10)).toBe(15);
    expect(elapsedBackoff(200)).toBe(40);
    expect(elapsedBackoff(3600)).toBe(60);
  });
});

describe("restorePollWait", () => {
  it("is a tenth of the job's age within [15 s, 90 s] when nothing is known", () => {
    expect(restorePollWait(0, undefined)).toBe(15);
    expect(restorePollWait(600, undefined)).toBe(60);
    expect(restorePollWait(7200, undefined)).toBe(90);
  });

  it("an estimate only shortens it, never below the floor; overdue or nonsense estimates are ignored", () => {
    expect(restorePollWait(600, 45)).toBe(45);
    expect(restorePollWait(600, 5)).toBe(15);
    expect(restorePollWait(600, 99_999)).toBe(60);
    expect(restorePollWait(600, -30)).toBe(60);
    expect(restorePollWait(600, Number.NaN)).toBe(60);
  });
});
