/**
 * The handler types derived from the SDK clients (scripts/sandbox/world/typed.ts). These are
 * compile-time checks: `npx tsc --noEmit` fails if a `@ts-expect-error` below stops being an
 * error, i.e. if a handler the real API could not answer with would compile.
 */
import type * as backup from "@aws-sdk/client-backup";
import type * as s3 from "@aws-sdk/client-s3";
import type * as sfn from "@aws-sdk/client-sfn";
import type * as ssm from "@aws-sdk/client-ssm";
import { describe, expectTypeOf, it } from "vitest";
import { optDate, optNumber, requireString, stringList } from "../../../scripts/sandbox/world/errors.js";
import { dispatchTable, serviceHandlers } from "../../../scripts/sandbox/world/handlers.js";
import type { Ctx } from "../../../scripts/sandbox/world/model.js";
import { backupHandlers } from "../../../scripts/sandbox/world/services/backup.js";
import { ssmHandlers } from "../../../scripts/sandbox/world/services/ssm.js";
import {
  asyncTypedHandlers,
  type OperationName,
  type OpHandlers,
  type OpInput,
  type OpOutput,
} from "../../../scripts/sandbox/world/typed.js";

type Backup = typeof backup;
type Ssm = typeof ssm;
type Sfn = typeof sfn;

describe("OpHandlers: handlers typed by the SDK's <Op>Command classes", () => {
  it("derives operation names, inputs and outputs (without $metadata)", () => {
    expectTypeOf<"DescribeRestoreJob">().toExtend<OperationName<Backup>>();
    expectTypeOf<"CancelCommand">().toExtend<OperationName<Ssm>>();
    // `$Command` (the abstract base class the modules re-export) is not an operation.
    expectTypeOf<"$">().not.toExtend<OperationName<Ssm>>();
    expectTypeOf<OpInput<Ssm, "GetParameter">>().toEqualTypeOf<ssm.GetParameterCommandInput>();
    expectTypeOf<OpOutput<Backup, "DescribeRestoreJob">>().toEqualTypeOf<
      Omit<backup.DescribeRestoreJobCommandOutput, "$metadata">
    >();
    expectTypeOf<OpOutput<Backup, "DescribeRestoreJob">>().not.toHaveProperty("$metadata");
    // A streaming payload is what a backend gives the wire layer: text or bytes.
    expectTypeOf<OpOutput<typeof s3, "GetObject">["Body"]>().toEqualTypeOf<string | Uint8Array | undefined>();
    expectTypeOf<OpOutput<typeof s3, "GetObject">["ETag"]>().toEqualTypeOf<string | undefined>();
  });

  it("accepts a handler that answers as the API does, with its input typed", () => {
    const handlers: OpHandlers<Ssm, Ctx> = {
      GetParameter({ input, now }) {
        expectTypeOf(input.Name).toEqualTypeOf<string | undefined>();
        return { Parameter: { Name: input.Name, Value: "v", Version: 1, LastModifiedDate: new Date(now) } };
      },
    };
    expectTypeOf(handlers.GetParameter).not.toBeUndefined();
  });

  it("rejects a wrong member type, an unknown operation and a misread input at compile time", () => {
    const wrongType: OpHandlers<Backup, Ctx> = {
      // @ts-expect-error CreationDate is a Date in the API, not a string.
      DescribeRestoreJob: () => ({ RestoreJobId: "j-1", CreationDate: "2026-03-01T09:00:00Z" }),
    };
    const unknownMember: OpHandlers<Backup, Ctx> = {
      // An excess member needs `satisfies` (TypeScript does not check returned literals for them).
      DescribeRestoreJob: () =>
        // @ts-expect-error DescribeRestoreJob has no output member `Progress`.
        ({ RestoreJobId: "j-1", Progress: 50 }) satisfies OpOutput<Backup, "DescribeRestoreJob">,
    };
    const unknownOperation: OpHandlers<Backup, Ctx> = {
      // @ts-expect-error Backup has no operation `DescribeRestore`.
      DescribeRestore: () => ({}),
    };
    const wrongInput: OpHandlers<Backup, Ctx> = {
      DescribeRestoreJob: ({ input }) => {
        // @ts-expect-error RestoreJobId is a string, not a number.
        const id: number = input.RestoreJobId;
        return { RestoreJobId: String(id) };
      },
    };
    expectTypeOf([wrongType, unknownMember, unknownOperation, wrongInput]).toBeArray();
  });

  it("rejects, with serviceHandlers, a member the output lacks at any depth", () => {
    // OpHandlers alone lets these through (no excess-property check on a returned literal).
    const loose: OpHandlers<Backup, Ctx> = {
      DescribeRestoreJob: () => ({ RestoreJobId: "j-1", Progress: 50 }),
      ListRestoreJobs: () => ({ RestoreJobs: [1].map(() => ({ RestoreJobId: "j-1", Progress: 50 })) }),
    };
    const topLevel = serviceHandlers<Backup>()({
      // @ts-expect-error DescribeRestoreJob has no output member `Progress`.
      DescribeRestoreJob: ({ input }) => ({ RestoreJobId: input.RestoreJobId, Progress: 50 }),
    });
    const nested = serviceHandlers<Backup>()({
      // @ts-expect-error A RestoreJobsListMember has no member `Progress` (built in a .map callback).
      ListRestoreJobs: () => ({ RestoreJobs: [1].map(() => ({ RestoreJobId: "j-1", Progress: 50 })) }),
    });
    function outside({ now }: Pick<Ctx, "now">) {
      return { RestoreJobId: "j-1", CreationDate: new Date(now), Status: "RUNNING" as const, Progress: 50 };
    }
    // @ts-expect-error A handler written outside the map is checked where the map names it.
    const named = serviceHandlers<Backup>()({ DescribeRestoreJob: outside });
    const exact = serviceHandlers<Backup>()({
      DescribeRestoreJob: ({ now }) => ({
        RestoreJobId: "j-1",
        Status: "RUNNING",
        CreationDate: new Date(now),
        ...(now > 0 ? { CompletionDate: new Date(now) } : {}),
      }),
      ListRestoreJobs: () => ({ RestoreJobs: [1].map(() => ({ RestoreJobId: "j-1", Status: "COMPLETED" })) }),
    });
    expectTypeOf([loose, topLevel, nested, named, exact]).toBeArray();
  });

  it("checks handlers that answer with a promise the same way (asyncTypedHandlers)", () => {
    const asyncHandlers = asyncTypedHandlers<Sfn, Ctx>()({
      StopExecution: async ({ now }) => ({ stopDate: new Date(now) }),
      // @ts-expect-error DescribeExecution's output has no member `bogus`.
      DescribeExecution: async ({ now }) => ({
        executionArn: "arn:aws:states:us-west-2:111122223333:execution:m:e",
        stateMachineArn: "arn:aws:states:us-west-2:111122223333:stateMachine:m",
        startDate: new Date(now),
        status: "RUNNING",
        bogus: 1,
      }),
    });
    expectTypeOf(asyncHandlers.StopExecution).not.toBeUndefined();
  });

  it("types the world's handler maps by their SDK client", () => {
    type Handler = NonNullable<(typeof backupHandlers)["DescribeRestoreJob"]>;
    expectTypeOf<Parameters<Handler>[0]["input"]>().toEqualTypeOf<backup.DescribeRestoreJobCommandInput>();
    expectTypeOf<ReturnType<Handler>>().toEqualTypeOf<OpOutput<Backup, "DescribeRestoreJob">>();
    // The dispatch table takes each service's handlers typed by that service's own client.
    expectTypeOf(dispatchTable).toBeCallableWith({ backup: backupHandlers, ssm: ssmHandlers });
    // @ts-expect-error SSM's handlers are not EC2's.
    expectTypeOf(dispatchTable).toBeCallableWith({ ec2: ssmHandlers });
  });

  it("checks the input helpers' member names and types against the input", () => {
    const input: OpInput<Backup, "ListRestoreJobs"> = {};
    expectTypeOf(optDate(input, "ByCreatedAfter")).toEqualTypeOf<number | undefined>();
    expectTypeOf(optNumber(input, "MaxResults")).toEqualTypeOf<number | undefined>();
    // @ts-expect-error No member `ByCreatedAfterDate` (a misspelt member).
    optDate(input, "ByCreatedAfterDate");
    // @ts-expect-error NextToken is a string, not a number.
    optNumber(input, "NextToken");
    // @ts-expect-error ByStatus is a string, not a list.
    stringList(input, "ByStatus");
    const describe: OpInput<Backup, "DescribeRestoreJob"> = { RestoreJobId: "j-1" };
    // @ts-expect-error No member `RestoreJobID`.
    expectTypeOf(() => requireString("backup", describe, "RestoreJobID")).toBeFunction();
  });
});
