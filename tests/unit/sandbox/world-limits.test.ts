/**
 * EC2 Describe* limits as AWS enforces them (docs/fidelity.md, "EC2, EFS, RDS, …: limits and
 * lifecycles"): MaxResults ranges and clamping, MaxResults with explicit ids, the 100-id limit of
 * DescribeInstanceStatus and the 200 filter values of a call.
 */
import { describe, expect, it } from "vitest";
import { launchInstance } from "../../../scripts/sandbox/world/services/ec2.js";
import { type Harness, harness, scenarioOf } from "./world-helpers.js";

/** A world whose recovery region holds `n` running instances tagged fleet=big (and one volume each). */
function fleet(n: number): { h: Harness; ids: string[] } {
  const h = harness(scenarioOf());
  const region = h.world.recovery;
  const t0 = h.clock.now().getTime() - 3600_000;
  const ids: string[] = [];
  for (let i = 0; i < n; i++) {
    const inst = launchInstance(h.world, region, t0, { subnetId: "subnet-0dra", tags: { fleet: "big" } });
    ids.push(inst.id);
    const vol = `vol-0${String(i).padStart(16, "0")}`;
    region.volumes.set(vol, {
      id: vol,
      arn: `arn:aws:ec2:us-west-2:111122223333:volume/${vol}`,
      az: inst.az,
      sizeGiB: 8,
      volumeType: "gp3",
      encrypted: true,
      iops: 3000,
      createdAt: t0,
      readyAt: t0,
      tags: { fleet: "big" },
    });
  }
  return { h, ids };
}

const count = (out: Record<string, unknown>, key: string) => (out[key] as unknown[]).length;

describe("EC2 MaxResults", () => {
  it("DescribeVolumes takes MaxResults=1000 (what `aws ec2 describe-volumes` sends) and pages above 1000", async () => {
    // Prepare
    const { h } = fleet(1200);

    // Act
    const first = await h.call("ec2", "DescribeVolumes", { MaxResults: 1000 });
    const second = await h.call("ec2", "DescribeVolumes", { MaxResults: 1000, NextToken: first.NextToken });
    const clamped = await h.call("ec2", "DescribeVolumes", { MaxResults: 5000 });
    const all = await h.call("ec2", "DescribeVolumes", {});

    // Assess
    expect(count(first, "Volumes")).toBe(1000);
    expect(count(second, "Volumes")).toBe(200);
    expect(second.NextToken).toBeUndefined();
    expect(count(clamped, "Volumes")).toBe(1000);
    expect(clamped.NextToken).toBeTypeOf("string");
    expect(count(all, "Volumes")).toBe(1200);
    expect(all.NextToken).toBeUndefined();
  });

  it("refuses MaxResults below 5 with EC2's message, on every Describe call that pages", async () => {
    const { h } = fleet(1);
    for (const op of [
      "DescribeInstances",
      "DescribeInstanceStatus",
      "DescribeVolumes",
      "DescribeSubnets",
      "DescribeSecurityGroups",
      "DescribeVpcs",
    ]) {
      const err = await h.fail("ec2", op, { MaxResults: 4 });
      expect(err.code, op).toBe("InvalidParameterValue");
      expect(err.message, op).toBe(
        "Value ( 4 ) for parameter maxResults is invalid. Expecting a value greater than 5.",
      );
    }
  });

  it("DescribeInstances and DescribeInstanceStatus refuse MaxResults with InstanceIds; a large MaxResults returns 1000", async () => {
    // Prepare
    const { h, ids } = fleet(1100);

    // Act
    const withIds = await h.fail("ec2", "DescribeInstances", { InstanceIds: [ids[0]], MaxResults: 10 });
    const statusWithIds = await h.fail("ec2", "DescribeInstanceStatus", {
      InstanceIds: [ids[0]],
      MaxResults: 10,
    });
    const page = await h.call("ec2", "DescribeInstances", { MaxResults: 2000 });
    const statusPage = await h.call("ec2", "DescribeInstanceStatus", { MaxResults: 2000 });

    // Assess
    expect(withIds.code).toBe("InvalidParameterCombination");
    expect(withIds.message).toBe("The parameter instancesSet cannot be used with the parameter maxResults");
    expect(statusWithIds.code).toBe("InvalidParameterCombination");
    expect(count(page, "Reservations")).toBe(1000);
    expect(page.NextToken).toBeTypeOf("string");
    expect(count(statusPage, "InstanceStatuses")).toBe(1000);
  });

  it("pages DescribeSubnets with MaxResults", async () => {
    const h = harness(scenarioOf());
    const first = await h.call("ec2", "DescribeSubnets", { MaxResults: 5 });
    expect(count(first, "Subnets")).toBe(2);
    expect(first.NextToken).toBeUndefined();
  });
});

describe("EC2 id and filter limits", () => {
  it("DescribeInstanceStatus takes at most 100 instance ids", async () => {
    // Prepare
    const { h, ids } = fleet(101);

    // Act
    const ok = await h.call("ec2", "DescribeInstanceStatus", { InstanceIds: ids.slice(0, 100) });
    const err = await h.fail("ec2", "DescribeInstanceStatus", { InstanceIds: ids });

    // Assess
    expect(count(ok, "InstanceStatuses")).toBe(100);
    expect(err.code).toBe("InvalidRequest");
    expect(err.message).toBe(
      "101 exceeds the maximum number of instance IDs that can be specificied (100). Please specify fewer than 100 instance IDs.",
    );
  });

  it("a call carries at most 200 filter values, all filters together", async () => {
    // Prepare
    const { h, ids } = fleet(200);

    // Act
    const ok = await h.call("ec2", "DescribeInstances", {
      Filters: [{ Name: "instance-id", Values: ids }],
    });
    const err = await h.fail("ec2", "DescribeVolumes", {
      Filters: [
        { Name: "tag:fleet", Values: ["big"] },
        { Name: "volume-id", Values: ids },
      ],
    });

    // Assess
    expect(count(ok, "Reservations")).toBe(200);
    expect(err.code).toBe("FilterLimitExceeded");
    expect(err.message).toBe("The maximum number of filter values specified on a single call is 200");
  });
});

describe("page limits of EFS, DynamoDB and Systems Manager", () => {
  it("EFS DescribeFileSystems pages at 100 whatever MaxItems asks for; MaxItems below 1 is refused", async () => {
    // Prepare
    const h = harness(scenarioOf());
    const t0 = h.clock.now().getTime() - 3600_000;
    for (let i = 0; i < 130; i++) {
      const id = `fs-${String(i).padStart(8, "0")}`;
      h.world.recovery.fileSystems.set(id, {
        id,
        arn: `arn:aws:elasticfilesystem:us-west-2:111122223333:file-system/${id}`,
        creationToken: id,
        encrypted: true,
        performanceMode: "generalPurpose",
        sizeBytes: 6144,
        createdAt: t0,
        readyAt: t0,
        tags: {},
      });
    }

    // Act
    const first = await h.call("efs", "DescribeFileSystems", { MaxItems: 500 });
    const rest = await h.call("efs", "DescribeFileSystems", { MaxItems: 500, Marker: first.NextMarker });
    const err = await h.fail("efs", "DescribeFileSystems", { MaxItems: 0 });

    // Assess
    expect(count(first, "FileSystems")).toBe(100);
    expect(count(rest, "FileSystems")).toBe(30);
    expect(rest.NextMarker).toBeUndefined();
    expect(err.code).toBe("BadRequest");
  });

  it("DynamoDB ListTables takes a Limit of 1 to 100", async () => {
    const h = harness(scenarioOf());
    const err = await h.fail("dynamodb", "ListTables", { Limit: 101 });
    expect(err.code).toBe("ValidationException");
    expect(err.message).toBe(
      "1 validation error detected: Value '101' at 'limit' failed to satisfy constraint: Member must have value less than or equal to 100",
    );
    const zero = await h.fail("dynamodb", "ListTables", { Limit: 0 });
    expect(zero.message).toBe(
      "1 validation error detected: Value '0' at 'limit' failed to satisfy constraint: Member must have value greater than or equal to 1",
    );
  });

  it("SSM GetParametersByPath takes a MaxResults of 1 to 10, each bound with its own message", async () => {
    const h = harness(scenarioOf());
    const over = await h.fail("ssm", "GetParametersByPath", { Path: "/shop", MaxResults: 11 });
    const zero = await h.fail("ssm", "GetParametersByPath", { Path: "/shop", MaxResults: 0 });
    expect(over.message).toBe(
      "1 validation error detected: Value '11' at 'maxResults' failed to satisfy constraint: Member must have value less than or equal to 10",
    );
    expect(zero.message).toBe(
      "1 validation error detected: Value '0' at 'maxResults' failed to satisfy constraint: Member must have value greater than or equal to 1",
    );
  });
});

describe("list limits of Systems Manager", () => {
  it("DeleteParameters takes 1 to 10 names", async () => {
    const h = harness(scenarioOf());
    const names = Array.from({ length: 11 }, (_, i) => `/p/${i}`);
    const err = await h.fail("ssm", "DeleteParameters", { Names: names });
    expect(err.code).toBe("ValidationException");
    expect(err.message).toBe(
      `1 validation error detected: Value '[${names.join(", ")}]' at 'names' failed to satisfy constraint: Member must have length less than or equal to 10`,
    );
    const out = await h.call("ssm", "DeleteParameters", { Names: names.slice(0, 10) });
    expect(out.InvalidParameters).toEqual(names.slice(0, 10));
  });
});

describe("page limits of RDS and Route 53", () => {
  it("RDS DescribeDBInstances and DescribeDBClusters take a MaxRecords of 20 to 100", async () => {
    const h = harness(scenarioOf());
    for (const op of ["DescribeDBInstances", "DescribeDBClusters"]) {
      const low = await h.fail("rds", op, { MaxRecords: 10 });
      expect(low.code, op).toBe("InvalidParameterValue");
      expect(low.message, op).toBe("Invalid value 10 for MaxRecords. Must be between 20 and 100");
      await expect(h.call("rds", op, { MaxRecords: 20 })).resolves.toBeDefined();
    }
  });

  it("Route 53 ListResourceRecordSets returns at most 300 record sets, whatever MaxItems asks for", async () => {
    const h = harness(scenarioOf());
    const zone = h.world.dns.zoneId;
    for (let i = 0; i < 320; i++) {
      h.world.dns.records.push({
        name: `r${String(i).padStart(3, "0")}.example.com.`,
        type: "A",
        ttl: 60,
        values: ["10.0.0.1"],
      });
    }
    const out = await h.call(
      "route53",
      "ListResourceRecordSets",
      { HostedZoneId: zone, MaxItems: 1000 },
      "us-east-1",
    );
    expect(count(out, "ResourceRecordSets")).toBe(300);
    expect(out.IsTruncated).toBe(true);
  });
});
