/**
 * The world's service handlers typed by the SDK clients (typed.ts): each service's handler map is
 * `serviceHandlers<Module>()({ … })`, so a handler's input is the operation's SDK input and what it
 * returns must be the SDK output, with no member the API lacks. The dispatch table keeps a loose
 * view of them (`dispatchTable`), the one place where the types are widened.
 */
import type * as backup from "@aws-sdk/client-backup";
import type * as cloudformation from "@aws-sdk/client-cloudformation";
import type * as cloudwatch from "@aws-sdk/client-cloudwatch";
import type * as dynamodb from "@aws-sdk/client-dynamodb";
import type * as ec2 from "@aws-sdk/client-ec2";
import type * as efs from "@aws-sdk/client-efs";
import type * as rds from "@aws-sdk/client-rds";
import type * as route53 from "@aws-sdk/client-route-53";
import type * as s3 from "@aws-sdk/client-s3";
import type * as sfn from "@aws-sdk/client-sfn";
import type * as sns from "@aws-sdk/client-sns";
import type * as ssm from "@aws-sdk/client-ssm";
import type { ServiceName } from "../types.js";
import type { Ctx, Handlers } from "./model.js";
import { type OperationName, type OpHandlers, type OpInput, typedHandlers } from "./typed.js";

export type Backup = typeof backup;
export type CloudFormation = typeof cloudformation;
export type CloudWatch = typeof cloudwatch;
export type DynamoDb = typeof dynamodb;
export type Ec2 = typeof ec2;
export type Efs = typeof efs;
export type Rds = typeof rds;
export type Route53 = typeof route53;
export type S3 = typeof s3;
export type Sfn = typeof sfn;
export type Sns = typeof sns;
export type Ssm = typeof ssm;

/** The SDK client module of each sandbox service. */
export interface ServiceModules {
  backup: Backup;
  cloudformation: CloudFormation;
  cloudwatch: CloudWatch;
  dynamodb: DynamoDb;
  ec2: Ec2;
  efs: Efs;
  rds: Rds;
  route53: Route53;
  s3: S3;
  sfn: Sfn;
  sns: Sns;
  ssm: Ssm;
}

/** Handlers of (some of) a service's operations, typed by its SDK client module `M`. */
export type ServiceHandlers<M> = OpHandlers<M, Ctx>;

/** What the handler of operation `Op` of `M` gets (for a handler written outside its map). */
export type HandlerCtx<M, Op extends OperationName<M>> = Omit<Ctx, "input"> & { input: OpInput<M, Op> };

/** Declares a service's handlers: `serviceHandlers<Ec2>()({ DescribeVolumes(ctx) { … } })`. */
export const serviceHandlers = <M>() => typedHandlers<M, Ctx>();

/** The world's handlers per service, each typed by that service's own SDK client. */
export type HandlerTable = { [S in ServiceName]?: ServiceHandlers<ServiceModules[S]> };

/**
 * The dispatch table's loose view of the typed handlers (operation name → handler of a
 * `Record<string, unknown>` input): the one conversion from the SDK types. It is sound because the
 * wire layer decodes every request with the model these types come from and refuses one that does
 * not fit it (wire/dispatch.ts: `conform` on the input schema, `missingRequired`), so a handler
 * never sees an input its type does not describe (except an enum member's value, which the schemas
 * do not list: it is a string, not necessarily one of the enum's); and every SDK output is a plain
 * object. A test that calls the world directly may pass anything: the input helpers in errors.ts
 * stay lenient.
 */
export function dispatchTable(table: HandlerTable): Partial<Record<ServiceName, Handlers>> {
  return table as unknown as Partial<Record<ServiceName, Handlers>>;
}
