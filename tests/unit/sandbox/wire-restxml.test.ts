/** restXml (Route 53, S3 path-style) through the sandbox server with the SDK v3 clients. */
import {
  ChangeResourceRecordSetsCommand,
  GetChangeCommand,
  ListResourceRecordSetsCommand,
  Route53Client,
} from "@aws-sdk/client-route-53";
import {
  GetObjectCommand,
  HeadObjectCommand,
  PutObjectCommand,
  paginateListObjectsV2,
  S3Client,
} from "@aws-sdk/client-s3";
import { describe, expect, it } from "vitest";
import { SandboxError } from "../../../scripts/sandbox/types.js";
import { body, useFakeSandbox } from "./wire-fake.js";

const sb = useFakeSandbox();

const T0 = new Date("2026-03-01T09:00:00.000Z");
const T1 = new Date("2026-03-01T09:00:07.000Z");

describe("route53 (restXml)", () => {
  it("ChangeResourceRecordSets: XML request body with nested lists and an alias target", async () => {
    // Prepare
    sb.backend.on("route53", "ChangeResourceRecordSets", {
      ChangeInfo: { Id: "/change/C123", Status: "PENDING", SubmittedAt: T0, Comment: "drctl failover" },
    });
    const changeBatch = {
      Comment: "drctl failover",
      Changes: [
        {
          Action: "UPSERT" as const,
          ResourceRecordSet: {
            Name: "shop.example.com.",
            Type: "CNAME" as const,
            TTL: 60,
            ResourceRecords: [{ Value: "dr-alb.us-west-2.elb.local" }],
          },
        },
        {
          Action: "UPSERT" as const,
          ResourceRecordSet: {
            Name: "api.example.com.",
            Type: "A" as const,
            AliasTarget: { HostedZoneId: "Z2ALB", DNSName: "dr-alb.local.", EvaluateTargetHealth: false },
          },
        },
      ],
    };
    // Act
    const out = await new Route53Client(sb.config("us-east-1")).send(
      new ChangeResourceRecordSetsCommand({ HostedZoneId: "/hostedzone/Z0SHOP", ChangeBatch: changeBatch }),
    );
    // Assess
    expect(sb.backend.last()).toEqual({
      service: "route53",
      operation: "ChangeResourceRecordSets",
      region: "us-east-1",
      input: { HostedZoneId: "Z0SHOP", ChangeBatch: changeBatch },
    });
    expect(body(out)).toEqual({
      ChangeInfo: { Id: "/change/C123", Status: "PENDING", SubmittedAt: T0, Comment: "drctl failover" },
    });
  });

  it("GetChange and ListResourceRecordSets (name/type/maxitems query, truncation)", async () => {
    // Prepare
    sb.backend.on("route53", "GetChange", {
      ChangeInfo: { Id: "/change/C123", Status: "INSYNC", SubmittedAt: T0 },
    });
    sb.backend.on("route53", "ListResourceRecordSets", {
      ResourceRecordSets: [
        {
          Name: "shop.example.com.",
          Type: "CNAME",
          TTL: 60,
          ResourceRecords: [{ Value: "primary-alb.local" }],
        },
      ],
      IsTruncated: true,
      NextRecordName: "www.example.com.",
      NextRecordType: "A",
      MaxItems: 1,
    });
    const client = new Route53Client(sb.config("us-east-1"));
    // Act
    const change = await client.send(new GetChangeCommand({ Id: "C123" }));
    const records = await client.send(
      new ListResourceRecordSetsCommand({
        HostedZoneId: "Z0SHOP",
        StartRecordName: "shop.example.com.",
        StartRecordType: "CNAME",
        MaxItems: 1,
      }),
    );
    // Assess
    expect(sb.backend.calls.map((c) => [c.operation, c.input])).toEqual([
      ["GetChange", { Id: "C123" }],
      [
        "ListResourceRecordSets",
        {
          HostedZoneId: "Z0SHOP",
          StartRecordName: "shop.example.com.",
          StartRecordType: "CNAME",
          MaxItems: 1,
        },
      ],
    ]);
    expect(body(change)).toEqual({ ChangeInfo: { Id: "/change/C123", Status: "INSYNC", SubmittedAt: T0 } });
    expect(body(records)).toEqual({
      ResourceRecordSets: [
        {
          Name: "shop.example.com.",
          Type: "CNAME",
          TTL: 60,
          ResourceRecords: [{ Value: "primary-alb.local" }],
        },
      ],
      IsTruncated: true,
      NextRecordName: "www.example.com.",
      NextRecordType: "A",
      MaxItems: 1,
    });
  });

  it("errors: InvalidChangeBatch and NoSuchChange (404) in Route 53's ErrorResponse", async () => {
    // Prepare
    sb.backend.on("route53", "ChangeResourceRecordSets", () => {
      throw new SandboxError("InvalidChangeBatch", "RRSet of type CNAME with DNS name x. is not permitted");
    });
    sb.backend.on("route53", "GetChange", () => {
      throw new SandboxError("NoSuchChange", "A change with the specified change ID does not exist.", 404);
    });
    const client = new Route53Client(sb.config("us-east-1"));
    // Act
    const invalid = await client
      .send(
        new ChangeResourceRecordSetsCommand({
          HostedZoneId: "Z0SHOP",
          ChangeBatch: { Changes: [{ Action: "DELETE", ResourceRecordSet: { Name: "x.", Type: "CNAME" } }] },
        }),
      )
      .catch((e) => e);
    const noChange = await client.send(new GetChangeCommand({ Id: "C9" })).catch((e) => e);
    // Assess
    expect(invalid.name).toBe("InvalidChangeBatch");
    expect(invalid.message).toBe("RRSet of type CNAME with DNS name x. is not permitted");
    expect(invalid.$metadata.httpStatusCode).toBe(400);
    expect(noChange.name).toBe("NoSuchChange");
    expect(noChange.$metadata.httpStatusCode).toBe(404);
  });
});

describe("s3 (restXml, path style)", () => {
  const s3 = () => new S3Client({ ...sb.config(), forcePathStyle: true });

  it("PutObject: key with slashes and spaces, body as string, headers into members", async () => {
    // Prepare
    sb.backend.on("s3", "PutObject", { ETag: '"etag-1"' });
    const report = '{"run":"drill-shop-1","rto":"PT42M"}';
    // Act
    const out = await s3().send(
      new PutObjectCommand({
        Bucket: "drctl-artifacts",
        Key: "runs/drill-shop-1/report v1.json",
        Body: report,
        ContentType: "application/json",
      }),
    );
    // Assess
    const call = sb.backend.last();
    expect(call).toMatchObject({ service: "s3", operation: "PutObject", region: "us-west-2" });
    expect(call.input).toMatchObject({
      Bucket: "drctl-artifacts",
      Key: "runs/drill-shop-1/report v1.json",
      Body: report,
      ContentType: "application/json",
      ContentLength: report.length,
    });
    expect(out.ETag).toBe('"etag-1"');
  });

  it("GetObject: streaming body, header-bound output members (dates as HTTP dates)", async () => {
    // Prepare
    sb.backend.on("s3", "GetObject", {
      Body: "# Report\nRTO 42 min — ok\n",
      ContentType: "text/markdown; charset=utf-8",
      ETag: '"e2"',
      LastModified: T1,
      Metadata: { run: "drill-shop-1" },
    });
    // Act
    const out = await s3().send(new GetObjectCommand({ Bucket: "drctl-artifacts", Key: "runs/r/report.md" }));
    const text = await out.Body?.transformToString();
    // Assess
    expect(sb.backend.last().input).toEqual({
      Bucket: "drctl-artifacts",
      Key: "runs/r/report.md",
      ChecksumMode: "ENABLED",
    });
    expect(text).toBe("# Report\nRTO 42 min — ok\n");
    expect(out.ContentType).toBe("text/markdown; charset=utf-8");
    expect(out.ETag).toBe('"e2"');
    expect(out.LastModified).toEqual(T1);
    expect(out.Metadata).toEqual({ run: "drill-shop-1" });
  });

  it("HeadObject: headers only", async () => {
    // Prepare
    sb.backend.on("s3", "HeadObject", {
      ContentLength: 123,
      ContentType: "application/json",
      ETag: '"e3"',
      LastModified: T0,
    });
    // Act
    const out = await s3().send(
      new HeadObjectCommand({ Bucket: "drctl-artifacts", Key: "config/shop.json" }),
    );
    // Assess
    expect(sb.backend.last().input).toEqual({ Bucket: "drctl-artifacts", Key: "config/shop.json" });
    expect(body(out)).toEqual({
      ContentLength: 123,
      ContentType: "application/json",
      ETag: '"e3"',
      LastModified: T0,
      Metadata: {}, // the SDK always fills the x-amz-meta-* map
    });
  });

  it("ListObjectsV2: list-type=2 routing, flattened Contents, continuation tokens round-trip", async () => {
    // Prepare
    sb.backend.on("s3", "ListObjectsV2", (call) =>
      call.input.ContinuationToken === "c/2"
        ? {
            Name: "drctl-artifacts",
            Prefix: "runs/",
            KeyCount: 1,
            MaxKeys: 1,
            IsTruncated: false,
            Contents: [
              { Key: "runs/b.json", Size: 2, LastModified: T1, ETag: '"b"', StorageClass: "STANDARD" },
            ],
          }
        : {
            Name: "drctl-artifacts",
            Prefix: "runs/",
            KeyCount: 1,
            MaxKeys: 1,
            IsTruncated: true,
            NextContinuationToken: "c/2",
            Contents: [
              { Key: "runs/a.json", Size: 1, LastModified: T0, ETag: '"a"', StorageClass: "STANDARD" },
            ],
          },
    );
    // Act
    const keys: string[] = [];
    const pages = [];
    for await (const page of paginateListObjectsV2(
      { client: s3() },
      { Bucket: "drctl-artifacts", Prefix: "runs/", MaxKeys: 1 },
    )) {
      pages.push(page);
      for (const o of page.Contents ?? []) keys.push(o.Key ?? "");
    }
    // Assess
    expect(sb.backend.calls.map((c) => c.input)).toEqual([
      { Bucket: "drctl-artifacts", Prefix: "runs/", MaxKeys: 1 },
      { Bucket: "drctl-artifacts", Prefix: "runs/", MaxKeys: 1, ContinuationToken: "c/2" },
    ]);
    expect(keys).toEqual(["runs/a.json", "runs/b.json"]);
    expect(pages[0]?.Contents?.[0]).toEqual({
      Key: "runs/a.json",
      Size: 1,
      LastModified: T0,
      ETag: '"a"',
      StorageClass: "STANDARD",
    });
  });

  it("errors: NoSuchKey (404) and HeadObject's body-less 404 NotFound", async () => {
    // Prepare
    sb.backend.on("s3", "GetObject", () => {
      throw new SandboxError("NoSuchKey", "The specified key does not exist.", 404);
    });
    sb.backend.on("s3", "HeadObject", () => {
      throw new SandboxError("NotFound", "Not Found", 404);
    });
    // Act
    const noKey = await s3()
      .send(new GetObjectCommand({ Bucket: "drctl-artifacts", Key: "nope" }))
      .catch((e) => e);
    const noHead = await s3()
      .send(new HeadObjectCommand({ Bucket: "drctl-artifacts", Key: "nope" }))
      .catch((e) => e);
    // Assess
    expect(noKey.name).toBe("NoSuchKey");
    expect(noKey.message).toBe("The specified key does not exist.");
    expect(noKey.$metadata.httpStatusCode).toBe(404);
    expect(noHead.name).toBe("NotFound");
    expect(noHead.$metadata.httpStatusCode).toBe(404);
  });
});
