/**
 * The drctl deployment in the sandbox, as the CDK app and the operator make it on AWS: the names
 * of its resources, the app configuration, and the deployment itself (artifacts bucket and
 * notification topic created, the DR app template and config/<app>.json uploaded, the recovery
 * state machine created through the Step Functions API).
 */
import { readFile } from "node:fs/promises";
import { fileURLToPath } from "node:url";
import { CreateBucketCommand, PutObjectCommand, S3Client } from "@aws-sdk/client-s3";
import { CreateStateMachineCommand, SFNClient } from "@aws-sdk/client-sfn";
import { CreateTopicCommand, SNSClient } from "@aws-sdk/client-sns";
import { type AppConfigInput, configKey } from "../../functions/shared/config.js";
import { s3ObjectOfUrl } from "../../functions/shared/s3-url.js";
import { renderDefinition } from "../../state-machines/recovery.asl.js";
import { configFromScenario } from "./config-from-scenario.js";
import { appName, type Scenario } from "./scenario.js";
import { functionArn } from "./sfn/drctl-functions.js";

/** Names of the drctl deployment in a scenario's account (as the CDK app names them). */
export function deploymentNames(scenario: Scenario) {
  const app = appName(scenario);
  const region = scenario.regions.recovery;
  const account = scenario.account;
  return {
    app,
    region,
    account,
    stateMachineName: `drctl-${app}`,
    bucket: `drctl-artifacts-${account}-${region}`,
    orchestratorRoleArn: `arn:aws:iam::${account}:role/drctl-orchestrator`,
    restoreRoleArn: `arn:aws:iam::${account}:role/drctl-restore`,
    topicArn: `arn:aws:sns:${region}:${account}:drctl-${app}`,
    /** Where deployToSandbox uploads the DR app template (templates/dr-app.yaml); CreateStack reads it there. */
    templateUrl: `https://s3.${region}.amazonaws.com/drctl-artifacts-${account}-${region}/templates/${scenario.app.stackName}.yaml`,
  };
}

/** The app configuration the sandbox uploads (config/<app>.json) and the IAM policies derive from. */
export const sandboxConfig = (scenario: Scenario): AppConfigInput =>
  configFromScenario(scenario, { templateUrl: deploymentNames(scenario).templateUrl });

/** The DR app template the examples deploy (its contract: README, "The DR app template"). */
export const DR_APP_TEMPLATE = fileURLToPath(new URL("../../templates/dr-app.yaml", import.meta.url));

export function clients(scenario: Scenario, url: string) {
  const region = scenario.regions.recovery;
  const credentials = { accessKeyId: "test", secretAccessKey: "test" };
  return {
    sfn: new SFNClient({ region, endpoint: url, credentials }),
    s3: new S3Client({ region, endpoint: url, credentials, forcePathStyle: true }),
    sns: new SNSClient({ region, endpoint: url, credentials }),
  };
}

/**
 * Creates the artifacts bucket and the notification topic, uploads the DR app template (to the config's stack.templateUrl) and config/<app>.json, and
 * creates the recovery state machine through the Step Functions API (same definition as the CDK
 * stack, function ARNs drctl-<fn>). Returns the state machine ARN.
 */
export async function deployToSandbox(scenario: Scenario, url: string): Promise<string> {
  const n = deploymentNames(scenario);
  const c = clients(scenario, url);
  const template = s3ObjectOfUrl(n.templateUrl);
  if (!template) throw new Error(`not an S3 URL: ${n.templateUrl}`);
  // What the orchestrator stack creates: the artifacts bucket (here also the template's) and topic.
  // (Outside us-east-1 the S3 client adds the region as the bucket's LocationConstraint.)
  for (const Bucket of new Set([n.bucket, template.bucket]))
    await c.s3.send(new CreateBucketCommand({ Bucket }));
  await c.sns.send(new CreateTopicCommand({ Name: n.topicArn.split(":").at(-1) }));
  await c.s3.send(
    new PutObjectCommand({
      Bucket: template.bucket,
      Key: template.key,
      Body: await readFile(DR_APP_TEMPLATE, "utf8"),
      ContentType: "application/x-yaml",
    }),
  );
  await c.s3.send(
    new PutObjectCommand({
      Bucket: n.bucket,
      Key: configKey(n.app),
      Body: `${JSON.stringify(sandboxConfig(scenario), null, 2)}\n`,
      ContentType: "application/json",
    }),
  );
  const definition = renderDefinition((fn) => functionArn(n.region, n.account, fn));
  const out = await c.sfn.send(
    new CreateStateMachineCommand({
      name: n.stateMachineName,
      definition: JSON.stringify(definition),
      roleArn: n.orchestratorRoleArn,
      type: "STANDARD",
    }),
  );
  if (!out.stateMachineArn) throw new Error("CreateStateMachine returned no stateMachineArn");
  return out.stateMachineArn;
}
