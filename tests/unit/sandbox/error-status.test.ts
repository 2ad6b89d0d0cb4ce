import { describe, expect, it } from "vitest";
import { statusFor } from "../../../scripts/sandbox/world/errors.js";

describe("HTTP status of an injected fault", () => {
  it("is the httpError trait of the error shape the SDK's model gives", () => {
    expect(statusFor("efs", "FileSystemNotFound")).toBe(404);
    expect(statusFor("efs", "ThrottlingException")).toBe(429);
    expect(statusFor("rds", "DBClusterNotFoundFault")).toBe(404);
    expect(statusFor("s3", "NoSuchBucket")).toBe(404);
    expect(statusFor("route53", "ThrottlingException")).toBe(400);
    expect(statusFor("sfn", "ServiceQuotaExceededException")).toBe(402);
  });

  it("is Smithy's default for the error trait when the shape has no httpError", () => {
    expect(statusFor("backup", "ServiceUnavailableException")).toBe(500);
    expect(statusFor("dynamodb", "InternalServerError")).toBe(500);
    // DynamoDB models RequestLimitExceeded as a client error: 400, not EC2's 503.
    expect(statusFor("dynamodb", "RequestLimitExceeded")).toBe(400);
    expect(statusFor("ssm", "AccessDeniedException")).toBe(400);
  });

  it("falls back to AWS's usual status for codes the model does not carry", () => {
    expect(statusFor("ec2", "RequestLimitExceeded")).toBe(503);
    expect(statusFor("ec2", "UnauthorizedOperation")).toBe(403);
    expect(statusFor("s3", "SlowDown")).toBe(503);
    expect(statusFor("backup", "AccessDeniedException")).toBe(403);
    expect(statusFor("sfn", "ThrottlingException")).toBe(400);
  });
});
