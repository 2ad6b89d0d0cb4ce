import { describe, expect, it } from "vitest";
import {
  compactUtc,
  lockParameter,
  nameFromArn,
  parameterPrefixFor,
  resourceTypeOf,
  restoredName,
  restoreIdempotencyToken,
  runName,
  runSuffix,
  sanitizeName,
  stackNameFor,
} from "../../../functions/shared/naming.js";

describe("naming", () => {
  it("builds the run name from mode, app and the execution start in UTC", () => {
    // Prepare
    const start = new Date("2026-03-01T09:00:59.999Z");
    // Act
    const name = runName("drill", "shop", start);
    // Assess
    expect(name).toBe("drill-shop-20260301T0900Z");
    expect(compactUtc(new Date("2026-12-31T23:59:00+02:00"))).toBe("20261231T2159Z");
  });

  it("derives a 6-hex suffix that is stable per execution and differs between executions", () => {
    const a = runSuffix("arn:aws:states:us-west-2:1:execution:sm:one");
    expect(a).toMatch(/^[0-9a-f]{6}$/);
    expect(runSuffix("arn:aws:states:us-west-2:1:execution:sm:one")).toBe(a);
    expect(runSuffix("arn:aws:states:us-west-2:1:execution:sm:two")).not.toBe(a);
  });

  it("names stacks, parameter prefixes and the lock per mode", () => {
    expect(stackNameFor("shop-dr", "failover", "abc123")).toBe("shop-dr");
    expect(stackNameFor("shop-dr", "drill", "abc123")).toBe("shop-dr-drill-abc123");
    expect(parameterPrefixFor("failover", "failover-shop-20260301T0900Z")).toBe("");
    expect(parameterPrefixFor("drill", "drill-shop-20260301T0900Z")).toBe(
      "/drctl-drill/drill-shop-20260301T0900Z",
    );
    expect(lockParameter("shop")).toBe("/drctl/lock/shop");
  });

  it("names restored resources within RDS identifier rules", () => {
    // Prepare
    const long = `9${"a".repeat(80)}`;
    // Act
    const drill = restoredName({ mode: "drill", suffix: "abc123" }, "orders-db");
    const failover = restoredName({ mode: "failover", suffix: "abc123" }, "orders-db");
    const clipped = restoredName({ mode: "failover", suffix: "abc123" }, long);
    // Assess
    expect(drill).toBe("orders-db-abc123");
    expect(failover).toBe("orders-db-dr-abc123");
    expect(clipped.length).toBeLessThanOrEqual(63);
    expect(clipped).toMatch(/^[a-z][a-z0-9-]*-dr-abc123$/);
    expect(clipped).not.toMatch(/--/);
  });

  it("sanitises names taken from ARNs", () => {
    expect(nameFromArn("arn:aws:dynamodb:us-east-1:1:table/Carts_Table")).toBe("carts-table");
    expect(nameFromArn("arn:aws:ec2:us-east-1:1:volume/vol-0abc")).toBe("vol-0abc");
    expect(sanitizeName("--9lives--")).toBe("r-9lives");
  });

  it("makes idempotency tokens stable per execution, resource and attempt", () => {
    const t1 = restoreIdempotencyToken("arn:x", "orders-db", 1);
    expect(t1).toBe(restoreIdempotencyToken("arn:x", "orders-db", 1));
    expect(t1).toMatch(/^[0-9a-f]{64}$/);
    expect(restoreIdempotencyToken("arn:x", "orders-db", 2)).not.toBe(t1);
    expect(restoreIdempotencyToken("arn:y", "orders-db", 1)).not.toBe(t1);
  });

  it("maps AWS Backup resource types", () => {
    expect(resourceTypeOf("Aurora")).toBe("aurora");
    expect(resourceTypeOf("DynamoDB")).toBe("dynamodb");
    expect(resourceTypeOf("S3")).toBeUndefined();
  });
});
