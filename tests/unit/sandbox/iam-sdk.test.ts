/**
 * End to end: a step function's call outside its role's grant, through the real SDK v3 clients
 * and the sandbox's wire layer, answers the service's own AccessDenied shape (code, HTTP status,
 * SDK error class) naming the principal, the action and the resource; drctl's wrappers turn it
 * into a non-retryable AwsCallFailed that names them too. Any other access key is the account's
 * administrator.
 */
import { BackupClient, BackupServiceException, StartRestoreJobCommand } from "@aws-sdk/client-backup";
import { CloudFormationClient, DeleteStackCommand } from "@aws-sdk/client-cloudformation";
import { DeleteTableCommand, DynamoDBClient } from "@aws-sdk/client-dynamodb";
import { EC2Client, TerminateInstancesCommand } from "@aws-sdk/client-ec2";
import { DeleteFileSystemCommand, EFSClient } from "@aws-sdk/client-efs";
import { DeleteDBInstanceCommand, RDSClient } from "@aws-sdk/client-rds";
import { ChangeResourceRecordSetsCommand, Route53Client } from "@aws-sdk/client-route-53";
import { AccessDenied, GetObjectCommand, S3Client } from "@aws-sdk/client-s3";
import { SFNClient, StartExecutionCommand } from "@aws-sdk/client-sfn";
import { AuthorizationErrorException, PublishCommand, SNSClient } from "@aws-sdk/client-sns";
import { AccessDeniedException, PutParameterCommand, SSMClient } from "@aws-sdk/client-ssm";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { backupFor } from "../../../functions/shared/aws/backup.js";
import { functionCredentials, runAsFunction } from "../../../scripts/sandbox/iam/principals.js";
import {
  deploymentNames,
  handlerEnvironment,
  type LocalSandbox,
  startLocalSandbox,
  useHandlerEnvironment,
} from "../../../scripts/sandbox/runner.js";
import { loadScenario } from "../../../scripts/sandbox/scenario.js";
import { EXAMPLES } from "./world-helpers.js";

let box: LocalSandbox;
let restoreEnv: () => void;
let names: ReturnType<typeof deploymentNames>;
const A = "111122223333";

beforeAll(async () => {
  const scenario = await loadScenario(`${EXAMPLES}shop-drill.yaml`);
  box = await startLocalSandbox(scenario);
  restoreEnv = useHandlerEnvironment(handlerEnvironment(scenario, box.url));
  names = deploymentNames(scenario);
});
afterAll(async () => {
  restoreEnv();
  await box.close();
});

const as = (fn: "integrate" | "validateInput") => ({
  region: names.region,
  endpoint: box.url,
  credentials: functionCredentials(fn),
  maxAttempts: 1,
});
const integrateRole = () => box.world.iam?.principals.step("integrate").arn as string;
const sentence = (action: string, resource: string) =>
  `User: ${integrateRole()} is not authorized to perform: ${action} on resource: ${resource} because no identity-based policy allows the ${action} action`;

async function failure(p: Promise<unknown>): Promise<Error & { $metadata: { httpStatusCode?: number } }> {
  return p.then(
    () => {
      throw new Error("the call succeeded");
    },
    (e: unknown) => e as Error & { $metadata: { httpStatusCode?: number } },
  );
}

describe("denied calls answer each service's AccessDenied", () => {
  const rp = `arn:aws:backup:us-west-2:${A}:recovery-point:00000000-0000-0000-0000-000000000000`;

  it("AWS Backup: AccessDeniedException (BackupServiceException), 403", async () => {
    const err = await failure(
      new BackupClient(as("integrate")).send(
        new StartRestoreJobCommand({ RecoveryPointArn: rp, IamRoleArn: names.restoreRoleArn, Metadata: {} }),
      ),
    );
    expect(err).toBeInstanceOf(BackupServiceException);
    expect(err.name).toBe("AccessDeniedException");
    expect(err.$metadata.httpStatusCode).toBe(403);
    expect(err.message).toBe(sentence("backup:StartRestoreJob", rp));
  });

  it("S3: AccessDenied (modelled class), 403, resource quoted", async () => {
    const err = await failure(
      new S3Client({ ...as("integrate"), forcePathStyle: true }).send(
        new GetObjectCommand({ Bucket: names.bucket, Key: "secret/keys.json" }),
      ),
    );
    expect(err).toBeInstanceOf(AccessDenied);
    expect(err.$metadata.httpStatusCode).toBe(403);
    expect(err.message).toContain(
      `s3:GetObject on resource: "arn:aws:s3:::${names.bucket}/secret/keys.json"`,
    );
  });

  it("Systems Manager: AccessDeniedException (modelled class)", async () => {
    const err = await failure(
      new SSMClient(as("integrate")).send(
        new PutParameterCommand({ Name: "/other/app", Value: "x", Type: "String" }),
      ),
    );
    expect(err).toBeInstanceOf(AccessDeniedException);
    expect(err.message).toBe(sentence("ssm:PutParameter", `arn:aws:ssm:us-west-2:${A}:parameter/other/app`));
  });

  it("SNS: AuthorizationError (AuthorizationErrorException)", async () => {
    const err = await failure(
      new SNSClient(as("integrate")).send(new PublishCommand({ TopicArn: names.topicArn, Message: "m" })),
    );
    expect(err).toBeInstanceOf(AuthorizationErrorException);
    expect(err.message).toBe(sentence("sns:Publish", names.topicArn));
  });

  it("EC2: UnauthorizedOperation with an encoded authorization failure message", async () => {
    const err = await failure(
      new EC2Client(as("integrate")).send(
        new TerminateInstancesCommand({ InstanceIds: ["i-0123456789abcdef0"] }),
      ),
    );
    expect(err.name).toBe("UnauthorizedOperation");
    expect(err.$metadata.httpStatusCode).toBe(403);
    const resource = `arn:aws:ec2:us-west-2:${A}:instance/i-0123456789abcdef0`;
    expect(err.message).toContain(
      `You are not authorized to perform this operation. ${sentence("ec2:TerminateInstances", resource)}`,
    );
    const encoded = /Encoded authorization failure message: (\S+)$/.exec(err.message)?.[1] ?? "";
    expect(JSON.parse(Buffer.from(encoded, "base64url").toString())).toMatchObject({
      allowed: false,
      explicitDeny: false,
      context: { action: "ec2:TerminateInstances", resource, principal: { arn: integrateRole() } },
    });
  });

  it.each([
    [
      "RDS",
      () =>
        new RDSClient(as("integrate")).send(
          new DeleteDBInstanceCommand({ DBInstanceIdentifier: "x", SkipFinalSnapshot: true }),
        ),
      "AccessDenied",
      403,
      "rds:DeleteDBInstance",
    ],
    [
      "CloudFormation",
      () => new CloudFormationClient(as("integrate")).send(new DeleteStackCommand({ StackName: "shop-dr" })),
      "AccessDenied",
      403,
      "cloudformation:DeleteStack",
    ],
    [
      "Route 53",
      () =>
        new Route53Client({ ...as("integrate"), region: "us-east-1" }).send(
          new ChangeResourceRecordSetsCommand({
            HostedZoneId: "Z1",
            ChangeBatch: {
              Changes: [{ Action: "DELETE", ResourceRecordSet: { Name: "a.example.com", Type: "A" } }],
            },
          }),
        ),
      "AccessDenied",
      403,
      "route53:ChangeResourceRecordSets",
    ],
    [
      "DynamoDB",
      () => new DynamoDBClient(as("integrate")).send(new DeleteTableCommand({ TableName: "carts" })),
      "AccessDeniedException",
      400,
      "dynamodb:DeleteTable",
    ],
    [
      "EFS",
      () =>
        new EFSClient(as("integrate")).send(
          new DeleteFileSystemCommand({ FileSystemId: "fs-0123456789abcdef0" }),
        ),
      "AccessDeniedException",
      403,
      "elasticfilesystem:DeleteFileSystem",
    ],
    [
      "Step Functions",
      () =>
        new SFNClient(as("integrate")).send(
          new StartExecutionCommand({
            stateMachineArn: `arn:aws:states:us-west-2:${A}:stateMachine:drctl-shop`,
          }),
        ),
      "AccessDeniedException",
      400,
      "states:StartExecution",
    ],
  ] as const)("%s: %s", async (_service, send, code, status, action) => {
    const err = await failure(send());
    expect(err.name).toBe(code);
    expect(err.$metadata.httpStatusCode).toBe(status);
    expect(err.message).toContain(`is not authorized to perform: ${action} on resource: `);
  });
});

describe("principals", () => {
  it("drctl's wrapper, inside the function's invocation, fails with AwsCallFailed naming action and resource", async () => {
    const rp = `arn:aws:backup:us-west-2:${A}:recovery-point:00000000-0000-0000-0000-000000000001`;
    const err = await runAsFunction("integrate", () =>
      backupFor(names.region).startRestoreJob({
        recoveryPointArn: rp,
        iamRoleArn: names.restoreRoleArn,
        metadata: {},
        resourceType: "RDS",
        idempotencyToken: "t",
      }),
    ).catch((e: unknown) => e as Error);
    expect(err).toMatchObject({ name: "AwsCallFailed", retryable: false });
    expect((err as Error).message).toBe(
      `backup:StartRestoreJob failed for ${rp}: AccessDeniedException: ${sentence("backup:StartRestoreJob", rp)}`,
    );
  });

  it("any other access key is the account's administrator (allowed)", async () => {
    const admin = new SSMClient({
      region: names.region,
      endpoint: box.url,
      credentials: { accessKeyId: "AKIAEXAMPLE", secretAccessKey: "x" },
    });
    await expect(
      admin.send(new PutParameterCommand({ Name: "/other/app", Value: "x", Type: "String" })),
    ).resolves.toMatchObject({ Version: 1 });
  });
});
