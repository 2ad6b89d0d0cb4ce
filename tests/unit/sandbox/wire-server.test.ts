/**
 * The sandbox server's HTTP edge: SigV4 routing, missing credentials, unknown operations, internal
 * errors, strict output checking, required members, the extra-routes hook, and what botocore / the
 * AWS CLI send (form bodies, chunked and aws-chunked bodies, Expect: 100-continue, presigned URLs).
 */
import { request } from "node:http";
import { BackupClient, DeleteBackupVaultCommand, ListBackupVaultsCommand } from "@aws-sdk/client-backup";
import { GetParameterCommand, SSMClient } from "@aws-sdk/client-ssm";
import { describe, expect, it } from "vitest";
import { startServer } from "../../../scripts/sandbox/server.js";
import { decodeAwsChunked } from "../../../scripts/sandbox/wire/http.js";
import { useFakeSandbox } from "./wire-fake.js";

const sb = useFakeSandbox();

interface RawResponse {
  status: number;
  headers: Record<string, string | string[] | undefined>;
  text: string;
}

function auth(service: string, region = "us-west-2"): string {
  return `AWS4-HMAC-SHA256 Credential=AKIDEXAMPLE/20260301/${region}/${service}/aws4_request, SignedHeaders=host;x-amz-date, Signature=0000`;
}

/** One raw HTTP exchange; `chunks` are written separately (chunked transfer encoding when no content-length). */
function raw(
  method: string,
  path: string,
  headers: Record<string, string>,
  chunks: (string | Buffer)[] = [],
  opts: { expectContinue?: boolean } = {},
): Promise<RawResponse> {
  return new Promise((resolve, reject) => {
    const url = new URL(sb.server.url);
    const req = request({ host: url.hostname, port: url.port, method, path, headers }, (res) => {
      const data: Buffer[] = [];
      res.on("data", (d: Buffer) => data.push(d));
      res.on("end", () =>
        resolve({
          status: res.statusCode ?? 0,
          headers: res.headers,
          text: Buffer.concat(data).toString("utf8"),
        }),
      );
    });
    req.on("error", reject);
    const writeAll = () => {
      for (const c of chunks) req.write(c);
      req.end();
    };
    if (opts.expectContinue) req.on("continue", writeAll);
    else writeAll();
  });
}

describe("routing by the SigV4 credential scope", () => {
  it("routes the same operation to different regions", async () => {
    // Prepare
    sb.backend.on("backup", "ListBackupVaults", { BackupVaultList: [] });
    // Act
    await new BackupClient(sb.config("us-east-1")).send(new ListBackupVaultsCommand({}));
    await new BackupClient(sb.config("us-west-2")).send(new ListBackupVaultsCommand({}));
    // Assess
    expect(sb.backend.calls.map((c) => c.region)).toEqual(["us-east-1", "us-west-2"]);
  });

  it("an unknown signing name is rejected, not routed", async () => {
    // Act
    const res = await raw(
      "POST",
      "/",
      { authorization: auth("lambda"), "content-type": "application/json" },
      ["{}"],
    );
    // Assess
    expect(res.status).toBe(400);
    expect(JSON.parse(res.text).__type).toBe("UnrecognizedServiceException");
    expect(sb.backend.calls).toEqual([]);
  });
});

describe("requests without credentials get 403 in the protocol's format", () => {
  it("awsJson (x-amz-target) and restJson", async () => {
    // Act
    const ssm = await raw(
      "POST",
      "/",
      { "x-amz-target": "AmazonSSM.GetParameter", "content-type": "application/x-amz-json-1.1" },
      ['{"Name":"/a"}'],
    );
    const backup = await raw("GET", "/backup-vaults/", {});
    // Assess
    expect(ssm.status).toBe(403);
    expect(ssm.headers["x-amzn-errortype"]).toBe("MissingAuthenticationTokenException");
    expect(JSON.parse(ssm.text)).toEqual({
      __type: "MissingAuthenticationTokenException",
      message: "Missing Authentication Token",
    });
    expect(backup.status).toBe(403);
    expect(backup.headers["x-amzn-errortype"]).toBe("MissingAuthenticationTokenException");
    expect(sb.backend.calls).toEqual([]);
  });

  it("awsQuery, ec2Query and S3", async () => {
    // Act
    const rds = await raw("POST", "/", { "content-type": "application/x-www-form-urlencoded" }, [
      "Action=DescribeDBInstances&Version=2014-10-31",
    ]);
    const ec2 = await raw("POST", "/", { "content-type": "application/x-www-form-urlencoded" }, [
      "Action=DescribeInstances&Version=2016-11-15",
    ]);
    const s3 = await raw("GET", "/drctl-artifacts/config/shop.json", {});
    // Assess
    expect(rds.status).toBe(403);
    expect(rds.text).toContain('<ErrorResponse xmlns="http://rds.amazonaws.com/doc/2014-10-31/">');
    expect(rds.text).toContain("<Type>Sender</Type><Code>MissingAuthenticationToken</Code>");
    expect(ec2.status).toBe(403);
    expect(ec2.text).toContain("<Response><Errors><Error><Code>MissingAuthenticationToken</Code>");
    expect(s3.status).toBe(403);
    expect(s3.text).toContain("<Error><Code>AccessDenied</Code>");
  });
});

describe("unknown operations are errors, never silent successes", () => {
  it("per protocol: bad X-Amz-Target, bad Action, unknown REST path", async () => {
    // Act
    const json = await raw(
      "POST",
      "/",
      {
        authorization: auth("ssm"),
        "x-amz-target": "AmazonSSM.Frobnicate",
        "content-type": "application/x-amz-json-1.1",
      },
      ["{}"],
    );
    const query = await raw(
      "POST",
      "/",
      { authorization: auth("rds"), "content-type": "application/x-www-form-urlencoded" },
      ["Action=Frobnicate&Version=2014-10-31"],
    );
    const ec2 = await raw(
      "POST",
      "/",
      { authorization: auth("ec2"), "content-type": "application/x-www-form-urlencoded" },
      ["Action=Frobnicate&Version=2016-11-15"],
    );
    const rest = await raw("GET", "/no-such-resource/x", { authorization: auth("backup") });
    const s3 = await raw("POST", "/bucket/key?frobnicate", { authorization: auth("s3") }, ["x"]);
    // Assess
    expect([json.status, json.headers["x-amzn-errortype"]]).toEqual([400, "UnknownOperationException"]);
    expect([query.status, query.text.includes("<Code>InvalidAction</Code>")]).toEqual([400, true]);
    expect([ec2.status, ec2.text.includes("<Code>InvalidAction</Code>")]).toEqual([400, true]);
    expect([rest.status, rest.headers["x-amzn-errortype"]]).toEqual([404, "UnknownOperationException"]);
    expect([s3.status, s3.text.includes("<Code>MethodNotAllowed</Code>")]).toEqual([405, true]);
    expect(sb.backend.calls).toEqual([]);
  });

  it("an operation the backend does not emulate surfaces as UnknownOperationException in the SDK", async () => {
    // Act
    const err = await new BackupClient(sb.config())
      .send(new DeleteBackupVaultCommand({ BackupVaultName: "dr" }))
      .catch((e) => e);
    // Assess
    expect(sb.backend.last().operation).toBe("DeleteBackupVault");
    expect(err.name).toBe("UnknownOperationException");
    expect(err.$metadata.httpStatusCode).toBe(400);
  });
});

describe("backend failures and model checks", () => {
  it("any other thrown error becomes 500 InternalFailure (a server fault)", async () => {
    // Prepare
    sb.backend.on("ssm", "GetParameter", () => {
      throw new TypeError("cannot read properties of undefined");
    });
    // Act
    const err = await new SSMClient(sb.config())
      .send(new GetParameterCommand({ Name: "/a" }))
      .catch((e) => e);
    // Assess
    expect(err.name).toBe("InternalFailure");
    expect(err.$fault).toBe("server");
    expect(err.$metadata.httpStatusCode).toBe(500);
    expect(err.message).toContain("cannot read properties of undefined");
  });

  it("strict mode: an output member the SDK model does not know is a 500 naming it", async () => {
    // Prepare
    sb.backend.on("ssm", "GetParameter", { Parameter: { Name: "/a", Value: "b", Valu: "typo" } });
    // Act
    const err = await new SSMClient(sb.config())
      .send(new GetParameterCommand({ Name: "/a" }))
      .catch((e) => e);
    // Assess
    expect(err.name).toBe("InternalFailure");
    expect(err.message).toContain("GetParameter.Parameter.Valu: not a member of Parameter");
  });

  it("non-strict mode drops unknown members and reports them to onRequest", async () => {
    // Prepare
    const entries: unknown[] = [];
    const lenient = await startServer({
      backend: { call: async () => ({ Parameter: { Name: "/a", Value: "b", Extra: 1 } }) },
      onRequest: (e) => entries.push(e),
    });
    try {
      // Act
      const out = await new SSMClient({ ...sb.config(), endpoint: lenient.url }).send(
        new GetParameterCommand({ Name: "/a" }),
      );
      // Assess
      expect(out.Parameter).toEqual({ Name: "/a", Value: "b" });
      expect(entries).toEqual([
        expect.objectContaining({
          service: "ssm",
          operation: "GetParameter",
          region: "us-west-2",
          status: 200,
          problems: ["GetParameter.Parameter.Extra: not a member of Parameter"],
        }),
      ]);
    } finally {
      await lenient.close();
    }
  });

  it("a missing required member is the service's validation error and never reaches the backend", async () => {
    // Act
    const ssm = await raw(
      "POST",
      "/",
      {
        authorization: auth("ssm"),
        "x-amz-target": "AmazonSSM.GetParameter",
        "content-type": "application/x-amz-json-1.1",
      },
      ["{}"],
    );
    const rds = await raw(
      "POST",
      "/",
      { authorization: auth("rds"), "content-type": "application/x-www-form-urlencoded" },
      ["Action=AddTagsToResource&Version=2014-10-31&Tags.Tag.1.Key=a&Tags.Tag.1.Value=b"],
    );
    // Assess
    expect(ssm.status).toBe(400);
    expect(JSON.parse(ssm.text).__type).toBe("ValidationException");
    const ssmBody = JSON.parse(ssm.text);
    expect(ssmBody.message ?? ssmBody.Message).toContain("'Name'");
    expect(rds.status).toBe(400);
    expect(rds.text).toContain("<Code>MissingParameter</Code>");
    expect(rds.text).toContain("ResourceName");
    expect(sb.backend.calls).toEqual([]);
  });
});

describe("what botocore and the AWS CLI send", () => {
  it("awsQuery form with member lists (CloudFormation CreateStack)", async () => {
    // Prepare
    sb.backend.on("cloudformation", "CreateStack", { StackId: "arn:stack/s/1" });
    const form = [
      "Action=CreateStack",
      "Version=2010-05-15",
      "StackName=shop-dr",
      "TemplateURL=https%3A%2F%2Fb.s3.amazonaws.com%2Fdr.yaml",
      "Parameters.member.1.ParameterKey=ParameterPrefix",
      "Parameters.member.1.ParameterValue=%2Fdrctl-drill%2Frun",
      "Capabilities.member.1=CAPABILITY_IAM",
      "Tags.member.1.Key=app",
      "Tags.member.1.Value=shop",
      "TimeoutInMinutes=30",
      "DisableRollback=false",
    ].join("&");
    // Act
    const res = await raw(
      "POST",
      "/",
      {
        authorization: auth("cloudformation"),
        "content-type": "application/x-www-form-urlencoded; charset=utf-8",
      },
      [form],
    );
    // Assess
    expect(res.status).toBe(200);
    expect(res.text).toContain("<CreateStackResult><StackId>arn:stack/s/1</StackId></CreateStackResult>");
    expect(sb.backend.last().input).toEqual({
      StackName: "shop-dr",
      TemplateURL: "https://b.s3.amazonaws.com/dr.yaml",
      Parameters: [{ ParameterKey: "ParameterPrefix", ParameterValue: "/drctl-drill/run" }],
      Capabilities: ["CAPABILITY_IAM"],
      Tags: [{ Key: "app", Value: "shop" }],
      TimeoutInMinutes: 30,
      DisableRollback: false,
    });
  });

  it("awsQuery empty list (`Key=`) decodes to []", async () => {
    // Prepare
    sb.backend.on("cloudformation", "CreateStack", { StackId: "s" });
    // Act
    await raw(
      "POST",
      "/",
      { authorization: auth("cloudformation"), "content-type": "application/x-www-form-urlencoded" },
      ["Action=CreateStack&Version=2010-05-15&StackName=s&Capabilities="],
    );
    // Assess
    expect(sb.backend.last().input).toEqual({ StackName: "s", Capabilities: [] });
  });

  it("JSON with X-Amz-Target sent with chunked transfer encoding", async () => {
    // Prepare
    sb.backend.on("dynamodb", "DescribeTable", { Table: { TableName: "orders", TableStatus: "ACTIVE" } });
    // Act
    const res = await raw(
      "POST",
      "/",
      {
        authorization: auth("dynamodb"),
        "x-amz-target": "DynamoDB_20120810.DescribeTable",
        "content-type": "application/x-amz-json-1.0",
      },
      ['{"Table', 'Name":"ord', 'ers"}'],
    );
    // Assess
    expect(res.status).toBe(200);
    expect(res.headers["content-type"]).toBe("application/x-amz-json-1.0");
    expect(JSON.parse(res.text)).toEqual({ Table: { TableName: "orders", TableStatus: "ACTIVE" } });
    expect(sb.backend.last().input).toEqual({ TableName: "orders" });
  });

  it("Expect: 100-continue (S3 upload from the CLI) with an aws-chunked body and trailing checksum", async () => {
    // Prepare
    sb.backend.on("s3", "PutObject", { ETag: '"x"' });
    const payload = "hello sandbox";
    const chunked =
      `${payload.length.toString(16)};chunk-signature=abc\r\n${payload}\r\n` +
      "0;chunk-signature=def\r\nx-amz-checksum-crc32:AAAAAA==\r\n\r\n";
    // Act
    const res = await raw(
      "PUT",
      "/drctl-artifacts/runs/r/x.txt",
      {
        authorization: auth("s3"),
        expect: "100-continue",
        "content-encoding": "aws-chunked",
        "x-amz-content-sha256": "STREAMING-UNSIGNED-PAYLOAD-TRAILER",
        "x-amz-decoded-content-length": String(payload.length),
        "content-length": String(Buffer.byteLength(chunked)),
        "content-type": "text/plain",
      },
      [chunked],
      { expectContinue: true },
    );
    // Assess
    expect(res.status).toBe(200);
    expect(res.headers.etag).toBe('"x"');
    expect(res.headers["x-amz-request-id"]).toBeTruthy();
    // As S3 does: aws-chunked is a transfer detail, not the object's Content-Encoding / length.
    expect(sb.backend.last().input).toEqual({
      Bucket: "drctl-artifacts",
      Key: "runs/r/x.txt",
      Body: payload,
      ContentLength: payload.length,
      ContentType: "text/plain",
    });
  });

  it("S3 operations sharing a path are told apart without the SDK's x-id (required query/header members)", async () => {
    // Prepare
    for (const op of ["PutObject", "CopyObject", "UploadPart", "GetObject", "ListParts", "DeleteObject"]) {
      sb.backend.on("s3", op, {});
    }
    const h = { authorization: auth("s3") };
    // Act
    await raw("PUT", "/b/k", { ...h, "content-length": "1" }, ["x"]);
    await raw("PUT", "/b/k", { ...h, "x-amz-copy-source": "/b/src", "content-length": "0" });
    await raw("PUT", "/b/k?partNumber=2&uploadId=u1", { ...h, "content-length": "1" }, ["x"]);
    await raw("GET", "/b/k", h);
    await raw("GET", "/b/k?uploadId=u1", h);
    await raw("DELETE", "/b/k", h);
    // Assess
    expect(sb.backend.calls.map((c) => c.operation)).toEqual([
      "PutObject",
      "CopyObject",
      "UploadPart",
      "GetObject",
      "ListParts",
      "DeleteObject",
    ]);
    expect(sb.backend.calls[2]?.input).toMatchObject({ PartNumber: 2, UploadId: "u1", Body: "x" });
  });

  it("presigned URLs route by X-Amz-Credential", async () => {
    // Prepare
    sb.backend.on("s3", "GetObject", { Body: "report", ContentType: "text/html" });
    const q = new URLSearchParams({
      "X-Amz-Algorithm": "AWS4-HMAC-SHA256",
      "X-Amz-Credential": "AKID/20260301/eu-central-1/s3/aws4_request",
      "X-Amz-Signature": "00",
    });
    // Act
    const res = await raw("GET", `/drctl-artifacts/runs/r/report.html?${q}`, {});
    // Assess
    expect(res.status).toBe(200);
    expect(res.text).toBe("report");
    expect(sb.backend.last()).toMatchObject({ region: "eu-central-1", input: { Key: "runs/r/report.html" } });
  });

  it("decodes multi-chunk aws-chunked payloads", () => {
    // Act
    const out = decodeAwsChunked(Buffer.from("3;chunk-signature=a\r\nabc\r\n2\r\nde\r\n0\r\n\r\n"));
    // Assess
    expect(out.toString()).toBe("abcde");
  });
});

describe("extra routes", () => {
  it("serves /_sandbox paths without credentials through the hook, replaceable at runtime", async () => {
    // Prepare
    const server = await startServer({
      backend: sb.backend,
      extraRoutes: (req, res) => {
        if (!req.url?.startsWith("/_sandbox/health/")) return false;
        res.writeHead(200, { "content-type": "application/json" });
        res.end(JSON.stringify({ ok: true, path: req.url }));
        return true;
      },
    });
    try {
      const url = `${server.url}/_sandbox/health/us-west-2/shop-drill-a1b2c3`;
      // Act
      const first = await fetch(url);
      const firstBody = await first.json();
      server.setExtraRoutes(undefined);
      const second = await fetch(url);
      // Assess
      expect(first.status).toBe(200);
      expect(firstBody).toEqual({ ok: true, path: "/_sandbox/health/us-west-2/shop-drill-a1b2c3" });
      expect(second.status).toBe(403); // no hook: an unsigned request
    } finally {
      await server.close();
    }
  });
});
