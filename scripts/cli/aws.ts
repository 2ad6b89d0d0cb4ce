/** `drctl status|report|cleanup`: a deployed orchestrator's executions, with the caller's credentials. */
import { mkdir, writeFile } from "node:fs/promises";
import { join, resolve } from "node:path";
import { parseArgs } from "node:util";
import { regionOfArn } from "../approve.js";
import type { CleanupFacts } from "./cleanup.js";
import { type Code, UsageError } from "./usage.js";

export async function status(args: string[]): Promise<Code> {
  const { values } = parseArgs({
    args,
    strict: true,
    options: {
      "state-machine-arn": { type: "string" },
      region: { type: "string" },
      max: { type: "string", default: "10" },
    },
  });
  const arn = values["state-machine-arn"];
  if (!arn) throw new UsageError("status needs --state-machine-arn ARN");
  const { SFNClient, ListExecutionsCommand, GetExecutionHistoryCommand } = await import(
    "@aws-sdk/client-sfn"
  );
  const region = values.region ?? regionOfArn(arn);
  const sfn = new SFNClient(region ? { region } : {});
  const list = await sfn.send(
    new ListExecutionsCommand({ stateMachineArn: arn, maxResults: Number(values.max) }),
  );
  const executions = list.executions ?? [];
  if (executions.length === 0) console.log("no executions");
  for (const e of executions) {
    let where = "";
    if (e.status === "RUNNING" && e.executionArn) {
      const h = await sfn.send(
        new GetExecutionHistoryCommand({ executionArn: e.executionArn, reverseOrder: true, maxResults: 50 }),
      );
      const entered = h.events?.find((ev) => ev.stateEnteredEventDetails?.name);
      if (entered)
        where = ` at ${entered.stateEnteredEventDetails?.name} since ${entered.timestamp?.toISOString()}`;
    }
    console.log(
      `${e.name}  ${e.status}  started ${e.startDate?.toISOString()}${e.stopDate ? `  stopped ${e.stopDate.toISOString()}` : ""}${where}`,
    );
  }
  return 0;
}

/** The run context (ValidateInput's result) of an execution and its artifacts bucket. */
export async function runFacts(
  executionArn: string,
  bucketOption: string | undefined,
): Promise<CleanupFacts> {
  const sfnMod = await import("@aws-sdk/client-sfn");
  const region = regionOfArn(executionArn);
  if (!region)
    throw new UsageError(`--execution-arn: '${executionArn}' is not a Step Functions execution ARN`);
  const sfn = new sfnMod.SFNClient({ region });
  const described = await sfn.send(new sfnMod.DescribeExecutionCommand({ executionArn }));
  let run: CleanupFacts["run"] | undefined;
  let nextToken: string | undefined;
  do {
    const page = await sfn.send(
      new sfnMod.GetExecutionHistoryCommand({
        executionArn,
        maxResults: 1000,
        ...(nextToken ? { nextToken } : {}),
      }),
    );
    for (const e of page.events ?? []) {
      const d = e.stateExitedEventDetails;
      if (d?.name === "ValidateInput" && d.output)
        run = (JSON.parse(d.output) as { run?: CleanupFacts["run"] }).run;
    }
    nextToken = run ? undefined : page.nextToken;
  } while (nextToken);
  if (!run) throw new Error(`${executionArn}: ValidateInput did not complete, the run has no artifacts`);
  const bucket = bucketOption ?? (await artifactsBucketOf(region, described.stateMachineArn ?? ""));
  return { region, run, status: described.status ?? "UNKNOWN", bucket };
}

/** The ArtifactsBucket output of the orchestrator stack that owns the state machine. */
async function artifactsBucketOf(region: string, stateMachineArn: string): Promise<string> {
  const cfn = await import("@aws-sdk/client-cloudformation");
  const client = new cfn.CloudFormationClient({ region });
  let nextToken: string | undefined;
  do {
    const page = await client.send(new cfn.DescribeStacksCommand(nextToken ? { NextToken: nextToken } : {}));
    for (const s of page.Stacks ?? []) {
      const outputs = s.Outputs ?? [];
      if (outputs.some((o) => o.OutputKey === "StateMachineArn" && o.OutputValue === stateMachineArn)) {
        const b = outputs.find((o) => o.OutputKey === "ArtifactsBucket")?.OutputValue;
        if (b) return b;
      }
    }
    nextToken = page.NextToken;
  } while (nextToken);
  throw new UsageError(`no CloudFormation stack in ${region} outputs ${stateMachineArn}; pass --bucket`);
}

export async function report(args: string[]): Promise<Code> {
  const { values } = parseArgs({
    args,
    strict: true,
    options: { "execution-arn": { type: "string" }, out: { type: "string" }, bucket: { type: "string" } },
  });
  const arn = values["execution-arn"];
  if (!arn) throw new UsageError("report needs --execution-arn ARN");
  const facts = await runFacts(arn, values.bucket);
  const { S3Client, GetObjectCommand } = await import("@aws-sdk/client-s3");
  const { runKeys } = await import("../../functions/shared/artifacts.js");
  const keys = runKeys(facts.run.artifactsPrefix);
  const s3 = new S3Client({ region: facts.region });
  const outDir = resolve(values.out ?? join("drill-reports", facts.run.name));
  await mkdir(outDir, { recursive: true });
  let found = 0;
  for (const [file, key] of [
    ["report.json", keys.report],
    ["report.md", keys.markdown],
    ["report.html", keys.html],
  ] as const) {
    try {
      const out = await s3.send(new GetObjectCommand({ Bucket: facts.bucket, Key: key }));
      await writeFile(join(outDir, file), (await out.Body?.transformToString()) ?? "");
      found++;
    } catch (e) {
      if ((e as { name?: string }).name !== "NoSuchKey") throw e;
      console.error(`missing s3://${facts.bucket}/${key}`);
    }
  }
  console.log(`${facts.run.name} (${facts.status}): ${found}/3 report files in ${outDir}`);
  return found === 3 ? 0 : 1;
}

export async function cleanup(args: string[]): Promise<Code> {
  const { values } = parseArgs({
    args,
    strict: true,
    options: {
      "execution-arn": { type: "string" },
      bucket: { type: "string" },
      confirm: { type: "boolean", default: false },
    },
  });
  const arn = values["execution-arn"];
  if (!arn) throw new UsageError("cleanup needs --execution-arn ARN");
  const facts = await runFacts(arn, values.bucket);
  const { cleanupRun } = await import("./cleanup.js");
  return cleanupRun(facts, { executionArn: arn, confirm: values.confirm });
}
