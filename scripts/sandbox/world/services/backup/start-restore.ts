/**
 * StartRestoreJob: rejects only what AWS rejects synchronously (a malformed request, an unknown
 * recovery point, a resource type that does not match it); what the recovery region lacks, a
 * name that already exists and the scenario's restore faults decide the job's fate instead.
 */
import { BACKUP_RESOURCE_TYPE } from "../../../../../functions/shared/naming.js";
import { SandboxError } from "../../../types.js";
import { optBool, optString, requireString } from "../../errors.js";
import { type Backup, type HandlerCtx, serviceHandlers } from "../../handlers.js";
import { type RestoreJob, TIMINGS } from "../../model.js";
import { settleRestoreJob } from "./materialize.js";
import { invalidValue, notFound } from "./recovery-points.js";
import { checkRequest, faultMessage, jobTarget, restoreFault, targetExists } from "./restore-checks.js";

const MINUTE = 60_000;
/** RUNNING time before a job fails on what the recovery region lacks (the create call fails early). */
const FAIL_AFTER_RUNNING_MS = 60_000;

export const startRestoreHandlers = serviceHandlers<Backup>()({ StartRestoreJob: startRestoreJob });

function startRestoreJob({ world, region, input, now }: HandlerCtx<Backup, "StartRestoreJob">) {
  const rpArn = requireString("backup", input, "RecoveryPointArn");
  const token = optString(input, "IdempotencyToken");
  if (token !== undefined) {
    const existing = region.restoreTokens.get(token);
    if (existing) return { RestoreJobId: existing };
  }
  // Optional in the model: without it AWS Backup uses its default service role.
  const roleArn =
    optString(input, "IamRoleArn") ??
    `arn:aws:iam::${world.account}:role/service-role/AWSBackupDefaultServiceRole`;
  if (!/^arn:aws[a-z-]*:iam::\d{12}:role\/.+/.test(roleArn)) {
    throw invalidValue(`IamRoleArn "${roleArn}" is not a valid IAM role ARN`);
  }
  const raw = input.Metadata;
  if (raw === null || typeof raw !== "object" || Object.keys(raw).length === 0) {
    throw new SandboxError("MissingParameterValueException", "Metadata is required", 400);
  }
  const metadata: Record<string, string> = {};
  for (const [k, v] of Object.entries(raw)) metadata[k] = String(v);
  const rp = region.recoveryPoints.find((r) => r.arn === rpArn);
  if (!rp) throw notFound(`Recovery point ${rpArn} not found`);
  const type = rp.resource.type;
  const givenType = optString(input, "ResourceType");
  if (givenType !== undefined && givenType.toLowerCase() !== BACKUP_RESOURCE_TYPE[type].toLowerCase()) {
    throw invalidValue(
      `ResourceType ${givenType} does not match the recovery point's resource type ${BACKUP_RESOURCE_TYPE[type]}`,
    );
  }
  const target = checkRequest(type, metadata);
  const fault = world.faults.takeRestore(rp.resource.name);
  const id = world.nextUuid("restore-job").toUpperCase();
  const restoreMs = rp.resource.restoreSeconds * 1000;
  const runMs = restoreMs + fault.extraSeconds * 1000;
  const runningAt = now + TIMINGS.restorePendingSeconds * 1000;
  const lacking = restoreFault(world, region, type, metadata, roleArn);
  const conflict =
    target !== undefined &&
    (targetExists(region, target) ||
      [...region.restoreJobs.values()].some(
        (j) => j.fate === "COMPLETED" && !j.materialized && jobTarget(j) === target,
      ));
  let fate: RestoreJob["fate"] = "COMPLETED";
  let fateMessage: string | undefined;
  let endsAt = runningAt + runMs;
  if (lacking) {
    fate = "FAILED";
    fateMessage = faultMessage(world, lacking, id);
    endsAt = runningAt + Math.min(runMs, FAIL_AFTER_RUNNING_MS);
  } else if (conflict) {
    fate = "FAILED";
    fateMessage = `${target?.split(":")[1]} already exists in ${region.name}`;
    endsAt = runningAt + 1000;
  } else if (fault.status) {
    fate = fault.status;
    fateMessage =
      fault.message ?? (fault.status === "FAILED" ? "Restore job failed" : "Restore job was aborted");
    endsAt = runningAt + Math.max(1000, Math.floor(runMs / 2));
  }
  const job: RestoreJob = {
    id,
    recoveryPointArn: rp.arn,
    resource: rp.resource,
    resourceType: BACKUP_RESOURCE_TYPE[type],
    roleArn,
    metadata,
    createdAt: now,
    runningAt,
    endsAt,
    fate,
    expectedMinutes: Math.ceil((TIMINGS.restorePendingSeconds * 1000 + restoreMs) / MINUTE),
    sizeBytes: rp.sizeBytes,
    materialized: false,
    copyTags: optBool(input, "CopySourceTagsToRestoredResource") ?? false,
    ...(token !== undefined ? { token } : {}),
    ...(fateMessage !== undefined ? { fateMessage } : {}),
  };
  region.restoreJobs.set(id, job);
  if (fate === "COMPLETED") world.schedule(endsAt, (at) => settleRestoreJob(world, region, job, at));
  if (token !== undefined) region.restoreTokens.set(token, id);
  world.remember(id, rp.resource.name);
  return { RestoreJobId: id };
}
