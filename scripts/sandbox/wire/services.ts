/**
 * Routing tables: SigV4 signing names → sandbox services, and each service's wire protocol with
 * the constants the SDK clients use (JSON target prefix, query API version, XML namespace).
 * Operation metadata itself comes from the SDK clients' embedded schemas (schema.ts).
 */
import type { ServiceName } from "../types.js";
import { modelFromModule, type ServiceModel } from "./schema.js";

export type Protocol = "awsJson1_0" | "awsJson1_1" | "restJson1" | "awsQuery" | "ec2Query" | "restXml";

export interface ServiceSpec {
  name: ServiceName;
  protocol: Protocol;
  /** SigV4 signing name (credential scope service). */
  signingName: string;
  /** X-Amz-Target prefix (awsJson). */
  target?: string;
  /** API version (query protocols; also the restXml URI prefix date). */
  version?: string;
  /** XML namespace of responses. */
  xmlns?: string;
  /** Error code for a missing required member, as the service spells it. */
  validationError: string;
  load: () => Promise<Record<string, unknown>>;
}

export const SERVICE_SPECS: Record<ServiceName, ServiceSpec> = {
  backup: {
    name: "backup",
    protocol: "restJson1",
    signingName: "backup",
    validationError: "MissingParameterValueException",
    load: () => import("@aws-sdk/client-backup"),
  },
  efs: {
    name: "efs",
    protocol: "restJson1",
    signingName: "elasticfilesystem",
    validationError: "BadRequest",
    load: () => import("@aws-sdk/client-efs"),
  },
  dynamodb: {
    name: "dynamodb",
    protocol: "awsJson1_0",
    signingName: "dynamodb",
    target: "DynamoDB_20120810",
    validationError: "ValidationException",
    load: () => import("@aws-sdk/client-dynamodb"),
  },
  ssm: {
    name: "ssm",
    protocol: "awsJson1_1",
    signingName: "ssm",
    target: "AmazonSSM",
    validationError: "ValidationException",
    load: () => import("@aws-sdk/client-ssm"),
  },
  sfn: {
    name: "sfn",
    protocol: "awsJson1_0",
    signingName: "states",
    target: "AWSStepFunctions",
    validationError: "ValidationException",
    load: () => import("@aws-sdk/client-sfn"),
  },
  rds: {
    name: "rds",
    protocol: "awsQuery",
    signingName: "rds",
    version: "2014-10-31",
    xmlns: "http://rds.amazonaws.com/doc/2014-10-31/",
    validationError: "MissingParameter",
    load: () => import("@aws-sdk/client-rds"),
  },
  cloudformation: {
    name: "cloudformation",
    protocol: "awsQuery",
    signingName: "cloudformation",
    version: "2010-05-15",
    xmlns: "http://cloudformation.amazonaws.com/doc/2010-05-15/",
    validationError: "ValidationError",
    load: () => import("@aws-sdk/client-cloudformation"),
  },
  sns: {
    name: "sns",
    protocol: "awsQuery",
    signingName: "sns",
    version: "2010-03-31",
    xmlns: "http://sns.amazonaws.com/doc/2010-03-31/",
    validationError: "InvalidParameter",
    load: () => import("@aws-sdk/client-sns"),
  },
  ec2: {
    name: "ec2",
    protocol: "ec2Query",
    signingName: "ec2",
    version: "2016-11-15",
    xmlns: "http://ec2.amazonaws.com/doc/2016-11-15/",
    validationError: "MissingParameter",
    load: () => import("@aws-sdk/client-ec2"),
  },
  route53: {
    name: "route53",
    protocol: "restXml",
    signingName: "route53",
    version: "2013-04-01",
    xmlns: "https://route53.amazonaws.com/doc/2013-04-01/",
    validationError: "InvalidInput",
    load: () => import("@aws-sdk/client-route-53"),
  },
  s3: {
    name: "s3",
    protocol: "restXml",
    signingName: "s3",
    version: "2006-03-01",
    xmlns: "http://s3.amazonaws.com/doc/2006-03-01/",
    validationError: "InvalidArgument",
    load: () => import("@aws-sdk/client-s3"),
  },
};

const BY_SIGNING_NAME = new Map<string, ServiceSpec>(
  Object.values(SERVICE_SPECS).map((spec) => [spec.signingName, spec]),
);

/** The sandbox service for a SigV4 signing name (credential scope), or undefined. */
export function serviceForSigningName(signingName: string): ServiceSpec | undefined {
  return BY_SIGNING_NAME.get(signingName);
}

const models = new Map<ServiceName, Promise<ServiceModel>>();

/** The service's model, loaded lazily from its SDK client package (EC2's takes ~1 s). */
export function modelFor(service: ServiceName): Promise<ServiceModel> {
  let model = models.get(service);
  if (!model) {
    model = SERVICE_SPECS[service].load().then((mod) => modelFromModule(mod as Record<string, unknown>));
    models.set(service, model);
  }
  return model;
}
