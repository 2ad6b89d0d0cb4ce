/** The world's dispatch table: every operation it answers, per service. */
import { dispatchTable } from "./handlers.js";
import { ec2CopyHandlers, withSnapshotTags } from "./services/backup/copies.js";
import { withDeletionProtection } from "./services/backup/protection.js";
import { backupHandlers } from "./services/backup.js";
import { cloudFormationHandlers } from "./services/cloudformation.js";
import { cloudWatchHandlers } from "./services/cloudwatch.js";
import { dynamodbHandlers } from "./services/dynamodb.js";
import { ec2Handlers } from "./services/ec2.js";
import { efsHandlers } from "./services/efs.js";
import { rdsHandlers } from "./services/rds.js";
import { route53Handlers } from "./services/route53.js";
import { s3Handlers } from "./services/s3.js";
import { snsHandlers } from "./services/sns.js";
import { ssmHandlers } from "./services/ssm.js";

const PROTECTED = withDeletionProtection({
  rds: withSnapshotTags(rdsHandlers),
  dynamodb: dynamodbHandlers,
  ec2: { ...ec2Handlers, ...ec2CopyHandlers },
});

export const HANDLERS = dispatchTable({
  backup: backupHandlers,
  rds: PROTECTED.rds,
  ec2: PROTECTED.ec2,
  efs: efsHandlers,
  dynamodb: PROTECTED.dynamodb,
  cloudformation: cloudFormationHandlers,
  route53: route53Handlers,
  ssm: ssmHandlers,
  sns: snsHandlers,
  s3: s3Handlers,
  cloudwatch: cloudWatchHandlers,
});
