/**
 * One Lambda function per state-machine step, typed from the step's zod environment schema
 * (functions/shared/env.ts STEP_ENV): the construct can only be given the variables the handler
 * parses, with the types it expects, and literal values are validated at synth time.
 */
import { Duration, RemovalPolicy, Stack, Token } from "aws-cdk-lib";
import * as iam from "aws-cdk-lib/aws-iam";
import * as lambda from "aws-cdk-lib/aws-lambda";
import { NodejsFunction, OutputFormat, SourceMapMode } from "aws-cdk-lib/aws-lambda-nodejs";
import * as logs from "aws-cdk-lib/aws-logs";
import { Construct } from "constructs";
import type { z } from "zod";
import { describeIssues } from "../../functions/shared/config.js";
import { STEP_ENV } from "../../functions/shared/env.js";
import type { FunctionKey } from "../../state-machines/names.js";
import { TIMEOUTS } from "../../state-machines/tasks.asl.js";

/** The variables a step's handler parses, minus AWS_REGION (set by Lambda itself). */
export type StepEnvironment<K extends FunctionKey> = Omit<z.input<(typeof STEP_ENV)[K]>, "AWS_REGION">;

/** Lambda runtime of every step (nodejs20.x stops accepting new functions on 2027-02-01). */
export const STEP_RUNTIME = lambda.Runtime.NODEJS_24_X;
export const STEP_ARCHITECTURE = lambda.Architecture.ARM_64;

/** ESM output needs a `require` for the CommonJS dependencies esbuild inlines. */
export const ESM_REQUIRE_BANNER =
  "import { createRequire } from 'node:module'; const require = createRequire(import.meta.url);";

/**
 * esbuild settings shared by the construct and scripts/bundle-size.ts (which must measure exactly
 * what gets deployed). The AWS SDK v3 clients come from the nodejs24.x runtime, which ships them:
 * bundling them would make every function 1.1-2 MB, against a 500 KB budget that keeps cold starts
 * short. Everything else (middy, Powertools, zod, drctl's code) is bundled and pinned.
 */
export const STEP_BUNDLING = {
  format: OutputFormat.ESM,
  target: "node24",
  minify: true,
  sourceMap: true,
  sourceMapMode: SourceMapMode.DEFAULT,
  sourcesContent: false,
  /** Prefer ES modules so esbuild can tree-shake the SDK and its dependencies. */
  mainFields: ["module", "main"],
  banner: ESM_REQUIRE_BANNER,
  externalModules: ["@aws-sdk/*", "@smithy/*"] as string[],
  /** Local esbuild from node_modules; no Docker anywhere in the toolchain. */
  forceDockerBundling: false,
} as const;

/** Extra seconds a function may run past its Task's TimeoutSeconds, so the state machine's
 * States.Timeout (retried) fires first rather than a Lambda timeout (a plain task failure). */
export const TIMEOUT_MARGIN_SECONDS = 30;
/** Lambda's own upper limit. */
const LAMBDA_MAX_TIMEOUT_SECONDS = 900;

/** Steps that handle per-resource documents (hundreds of resources): more memory = more CPU. */
const LARGE_STEPS: ReadonlySet<FunctionKey> = new Set([
  "planRestores",
  "startRestores",
  "pollRestores",
  "integrate",
  "writeReport",
  "cleanup",
]);

export const functionTimeoutSeconds = (key: FunctionKey): number =>
  Math.min(TIMEOUTS[key] + TIMEOUT_MARGIN_SECONDS, LAMBDA_MAX_TIMEOUT_SECONDS);

export const functionMemoryMb = (key: FunctionKey): 256 | 512 => (LARGE_STEPS.has(key) ? 512 : 256);

/** Repository root, where package-lock.json and functions/ live. */
export const PROJECT_ROOT = new URL("../../", import.meta.url).pathname.replace(/\/$/, "");

export const handlerEntry = (key: FunctionKey, root: string = PROJECT_ROOT): string =>
  `${root}/functions/${key}/handler.ts`;

export interface StepFunctionProps<K extends FunctionKey> {
  /** The step: functions/<key>/handler.ts exporting `handler`. */
  readonly key: K;
  /** Exactly the variables STEP_ENV[key] declares (AWS_REGION excluded). */
  readonly environment: StepEnvironment<K>;
  /** Powertools log level. Default INFO. */
  readonly logLevel?: "DEBUG" | "INFO" | "WARN" | "ERROR";
  /** Default: one year; run evidence for audits lives in the reports, logs are for debugging. */
  readonly logRetention?: logs.RetentionDays;
  /** Default RETAIN: logs of a recovery must outlive a stack update gone wrong. */
  readonly logRemovalPolicy?: RemovalPolicy;
}

export class StepFunction<K extends FunctionKey> extends Construct {
  readonly key: K;
  readonly function: NodejsFunction;
  /** The function's own role: logs on its log group, X-Ray, plus what grant() adds. */
  readonly role: iam.Role;
  readonly logGroup: logs.LogGroup;

  constructor(scope: Construct, id: string, props: StepFunctionProps<K>) {
    super(scope, id);
    this.key = props.key;
    const environment = validateEnvironment(this, props.key, props.environment);

    this.logGroup = new logs.LogGroup(this, "Logs", {
      retention: props.logRetention ?? logs.RetentionDays.ONE_YEAR,
      removalPolicy: props.logRemovalPolicy ?? RemovalPolicy.RETAIN,
    });

    // An explicit role instead of the AWSLambdaBasicExecutionRole managed policy: writing logs to
    // this function's log group only.
    this.role = new iam.Role(this, "Role", {
      assumedBy: new iam.ServicePrincipal("lambda.amazonaws.com"),
      description: `drctl ${props.key} step`,
    });
    this.role.addToPrincipalPolicy(
      new iam.PolicyStatement({
        actions: ["logs:CreateLogStream", "logs:PutLogEvents"],
        resources: [this.logGroup.logGroupArn],
      }),
    );

    this.function = new NodejsFunction(this, "Function", {
      entry: handlerEntry(props.key),
      handler: "handler",
      projectRoot: PROJECT_ROOT,
      depsLockFilePath: `${PROJECT_ROOT}/package-lock.json`,
      runtime: STEP_RUNTIME,
      architecture: STEP_ARCHITECTURE,
      memorySize: functionMemoryMb(props.key),
      timeout: Duration.seconds(functionTimeoutSeconds(props.key)),
      role: this.role,
      logGroup: this.logGroup,
      tracing: lambda.Tracing.ACTIVE,
      description: `drctl step ${props.key}`,
      environment: {
        ...environment,
        POWERTOOLS_SERVICE_NAME: "drctl",
        POWERTOOLS_LOG_LEVEL: props.logLevel ?? "INFO",
        NODE_OPTIONS: "--enable-source-maps",
      },
      bundling: {
        ...STEP_BUNDLING,
        mainFields: [...STEP_BUNDLING.mainFields],
        externalModules: [...STEP_BUNDLING.externalModules],
      },
    });
  }

  get functionArn(): string {
    return this.function.functionArn;
  }

  /** Adds one least-privilege statement to this step's role. */
  grant(statement: iam.PolicyStatement): void {
    this.role.addToPrincipalPolicy(statement);
  }
}

/**
 * Checks literal values against the step's schema (tokens such as a bucket name are resolved only
 * at deploy time and are skipped) and returns the variables as Lambda wants them: strings.
 */
function validateEnvironment<K extends FunctionKey>(
  scope: Construct,
  key: K,
  environment: StepEnvironment<K>,
): Record<string, string> {
  const schema = STEP_ENV[key] as z.ZodObject;
  const values = environment as Record<string, unknown>;
  const declared = Object.keys(schema.shape).filter((name) => name !== "AWS_REGION");
  const unknown = Object.keys(values).filter((name) => !declared.includes(name));
  if (unknown.length > 0) {
    throw new Error(`${scope.node.path}: ${key} does not read ${unknown.join(", ")} (it reads ${declared})`);
  }
  const probe = { ...values, AWS_REGION: Stack.of(scope).region };
  const parsed = schema.safeParse(probe);
  if (!parsed.success) {
    const real = parsed.error.issues.filter((issue) => {
      const value = probe[String(issue.path[0]) as keyof typeof probe];
      return !(typeof value === "string" && Token.isUnresolved(value));
    });
    if (real.length > 0) {
      const error = { ...parsed.error, issues: real } as z.ZodError;
      throw new Error(`${scope.node.path}: ${key} environment: ${describeIssues(error, probe)}`);
    }
  }
  const out: Record<string, string> = {};
  for (const [name, value] of Object.entries(values)) {
    if (value !== undefined) out[name] = String(value);
  }
  return out;
}
