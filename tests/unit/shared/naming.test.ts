import { describe, expect, it } from "vitest";
import { Integration } from "../../../functions/shared/config.js";
import {
  compactUtc,
  lockParameter,
  MAX_RUN_NAME,
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
  it("builds the run name from mode, app, the execution start in UTC to the second, and the execution", () => {
    // Prepare
    const start = new Date("2026-03-01T09:00:59.999Z");
    const arn = "arn:aws:states:us-west-2:111122223333:execution:drctl-shop:4b1d";
    // Act
    const name = runName("drill", "shop", start, arn);
    // Assess
    expect(name).toBe(`drill-shop-20260301T090059Z-${runSuffix(arn)}`);
    expect(compactUtc(new Date("2026-12-31T23:59:07+02:00"))).toBe("20261231T215907Z");
  });

  it("gives two executions started in the same second different run names, sorted by start time", () => {
    // Prepare
    const start = new Date("2026-03-01T09:00:00Z");
    const arn = (id: string) => `arn:aws:states:us-west-2:111122223333:execution:drctl-shop:${id}`;
    // Act
    const a = runName("failover", "shop", start, arn("alarm-1"));
    const b = runName("failover", "shop", start, arn("health-1"));
    const later = runName("failover", "shop", new Date("2026-03-01T09:00:01Z"), arn("alarm-1"));
    // Assess
    expect(a).not.toBe(b);
    expect(parameterPrefixFor("drill", a)).not.toBe(parameterPrefixFor("drill", b));
    expect([later, b, a].sort().at(-1)).toBe(later);
  });

  it("keeps the longest run name within every limit it flows into", () => {
    // Prepare: the longest mode and app (64 characters, the config's limit).
    const name = runName("failover", "a".repeat(64), new Date("2026-03-01T09:00:00Z"), "arn:x");
    // Assess
    expect(name).toHaveLength(MAX_RUN_NAME);
    // CloudFormation ClientRequestToken (CFN model: 1-128, [a-zA-Z0-9][-a-zA-Z0-9]*).
    expect(name).toMatch(/^[a-zA-Z0-9][-a-zA-Z0-9]{0,127}$/);
    // Tag values (256) and S3 keys (1,024 bytes) with drctl's longest key under runs/<name>/.
    expect(name.length).toBeLessThanOrEqual(256);
    expect(Buffer.byteLength(`runs/${name}/integration.json`)).toBeLessThanOrEqual(1024);
    // SSM: 1,011 characters including the ARN before the name, at most 15 levels; a drill
    // parameter is the prefix plus the app's own name (the config allows names up to 800).
    const arnPrefix = "arn:aws-us-gov:ssm:us-gov-west-1:111122223333:parameter";
    const parameter = `${parameterPrefixFor("drill", name)}/${"p".repeat(800)}`;
    expect(arnPrefix.length + parameter.length).toBeLessThanOrEqual(1011);
    const withParameter = (ssmParameter: string) => Integration.safeParse({ ssmParameter }).success;
    expect(withParameter(`/${"p".repeat(799)}`)).toBe(true);
    expect(withParameter(`/${"p".repeat(800)}`)).toBe(false);
    expect(withParameter("/a/b/c/d/e/f/g/h/i/j/k/l/m")).toBe(true); // 13 levels
    expect(withParameter("/a/b/c/d/e/f/g/h/i/j/k/l/m/n")).toBe(false);
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
