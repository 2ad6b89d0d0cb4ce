/**
 * S3, SNS, Systems Manager and Route 53 operations → IAM requests (Service Authorization
 * Reference of each service).
 *
 * - S3: ListObjectsV2 is s3:ListBucket, HeadObject is s3:GetObject. GetObject/HeadObject of a key
 *   that does not exist also needs s3:ListBucket, or S3 answers 403 instead of 404 (S3 API
 *   reference, GetObject: "If you don't have the s3:ListBucket permission, Amazon S3 returns an
 *   HTTP status code 403 Access Denied error").
 * - SSM: a parameter's ARN drops the name's leading slash; PutParameter with Tags and CreateOpsItem
 *   with Tags also need ssm:AddTagsToResource (SSM model, CreateOpsItemRequest.Tags; CDK
 *   AWS::SSM::Parameter docs); CreateOpsItem and GetCommandInvocation have no resource types.
 * - Route 53: ChangeResourceRecordSets carries the record names normalized as Route 53 documents
 *   (lowercase, no trailing dot, other characters than a-z 0-9 - _ . as \ + three octal digits),
 *   the record types and the change actions.
 */
import {
  ANY,
  type Authorization,
  arnOf,
  freshId,
  just,
  type MapCtx,
  type Mapper,
  need,
  on,
  type ResourceRef,
  requestTagContext,
  str,
  strs,
  tagsOf,
} from "./requests.js";

const bucketArn = (ctx: MapCtx, bucket: string) => `arn:${ctx.partition}:s3:::${bucket}`;
const objectRef = (ctx: MapCtx) =>
  on(`${bucketArn(ctx, str(ctx.input, "Bucket") ?? "")}/${str(ctx.input, "Key") ?? ""}`, "object");

function readObject(ctx: MapCtx): Authorization {
  const bucket = str(ctx.input, "Bucket") ?? "";
  const required = [need("s3:GetObject", [objectRef(ctx)])];
  const exists = ctx.world.s3.get(bucket)?.has(str(ctx.input, "Key") ?? "") ?? false;
  if (!exists) required.push(need("s3:ListBucket", [on(bucketArn(ctx, bucket), "bucket")]));
  return { required };
}

export const S3: Record<string, Mapper> = {
  CreateBucket: (ctx) =>
    just(need("s3:CreateBucket", [on(bucketArn(ctx, str(ctx.input, "Bucket") ?? ""), "bucket")])),
  PutObject: (ctx) => just(need("s3:PutObject", [objectRef(ctx)])),
  GetObject: readObject,
  HeadObject: readObject,
  DeleteObject: (ctx) => just(need("s3:DeleteObject", [objectRef(ctx)])),
  ListObjectsV2: (ctx) => {
    const prefix = str(ctx.input, "Prefix");
    const context: Record<string, string> = {};
    if (prefix !== undefined) context["s3:prefix"] = prefix;
    const delimiter = str(ctx.input, "Delimiter");
    if (delimiter !== undefined) context["s3:delimiter"] = delimiter;
    return just(
      need("s3:ListBucket", [on(bucketArn(ctx, str(ctx.input, "Bucket") ?? ""), "bucket")], context),
    );
  },
};

export const SNS: Record<string, Mapper> = {
  CreateTopic: (ctx) =>
    just(need("sns:CreateTopic", [on(arnOf(ctx, "sns", str(ctx.input, "Name") ?? ""), "topic")])),
  Publish: (ctx) =>
    just(need("sns:Publish", [on(str(ctx.input, "TopicArn") ?? str(ctx.input, "TargetArn") ?? "", "topic")])),
};

const parameter = (ctx: MapCtx, name: string): ResourceRef =>
  on(arnOf(ctx, "ssm", `parameter/${name.replace(/^\//, "")}`), "parameter");

/** What an SSM tagging call's ResourceType/ResourceId name. */
function ssmTaggable(ctx: MapCtx): ResourceRef {
  const id = str(ctx.input, "ResourceId") ?? "";
  const byType: Record<string, [string, string]> = {
    OpsItem: [`opsitem/${id}`, "opsitem"],
    ManagedInstance: [`managed-instance/${id}`, "managed-instance"],
    Document: [`document/${id}`, "document"],
    MaintenanceWindow: [`maintenancewindow/${id}`, "maintenancewindow"],
    PatchBaseline: [`patchbaseline/${id}`, "patchbaseline"],
    OpsMetadata: [`opsmetadata/${id}`, "opsmetadata"],
    Automation: [`automation-execution/${id}`, "automation-execution"],
  };
  const t = byType[str(ctx.input, "ResourceType") ?? ""];
  return t ? on(arnOf(ctx, "ssm", t[0]), t[1]) : parameter(ctx, id);
}

/** AWS-owned documents (AWS-RunShellScript, …) have no account in their ARN. */
const ssmDocument = (ctx: MapCtx, name: string): ResourceRef =>
  on(
    arnOf(ctx, "ssm", `document/${name}`, ctx.region, /^(AWS|Amazon)/.test(name) ? "" : ctx.account),
    "document",
  );

export const SSM: Record<string, Mapper> = {
  GetParameter: (ctx) => just(need("ssm:GetParameter", [parameter(ctx, str(ctx.input, "Name") ?? "")])),
  PutParameter: (ctx) => {
    const p = parameter(ctx, str(ctx.input, "Name") ?? "");
    const tags = requestTagContext(tagsOf(ctx.input.Tags));
    const required = [need("ssm:PutParameter", [p], tags)];
    if (Object.keys(tags).length > 0) required.push(need("ssm:AddTagsToResource", [p], tags));
    return { required, ...(Object.keys(tags).length > 0 ? { tagsChanged: [p.arn] } : {}) };
  },
  DeleteParameter: (ctx) => just(need("ssm:DeleteParameter", [parameter(ctx, str(ctx.input, "Name") ?? "")])),
  DeleteParameters: (ctx) =>
    just(
      need(
        "ssm:DeleteParameters",
        strs(ctx.input, "Names").map((n) => parameter(ctx, n)),
      ),
    ),
  GetParametersByPath: (ctx) =>
    just(need("ssm:GetParametersByPath", [parameter(ctx, str(ctx.input, "Path") ?? "")])),
  AddTagsToResource: (ctx) => {
    const r = ssmTaggable(ctx);
    return {
      required: [need("ssm:AddTagsToResource", [r], requestTagContext(tagsOf(ctx.input.Tags)))],
      tagsChanged: [r.arn],
    };
  },
  ListTagsForResource: (ctx) => just(need("ssm:ListTagsForResource", [ssmTaggable(ctx)])),
  SendCommand: (ctx) => {
    const instances = strs(ctx.input, "InstanceIds").map((id) =>
      on(arnOf(ctx, "ec2", `instance/${id}`), "instance"),
    );
    return just(
      need("ssm:SendCommand", [ssmDocument(ctx, str(ctx.input, "DocumentName") ?? ""), ...instances]),
    );
  },
  GetCommandInvocation: () => just(need("ssm:GetCommandInvocation", [ANY])),
  DescribeInstanceInformation: () => just(need("ssm:DescribeInstanceInformation", [ANY])),
  CreateOpsItem: (ctx) => {
    const tags = requestTagContext(tagsOf(ctx.input.Tags));
    const required = [need("ssm:CreateOpsItem", [ANY], tags)];
    if (Object.keys(tags).length > 0) {
      const item = on(arnOf(ctx, "ssm", `opsitem/${freshId(ctx, "oi-", 15)}`), "opsitem");
      required.push(need("ssm:AddTagsToResource", [item], tags));
    }
    return { required };
  },
};

/** Route 53's normalized record name (for route53:ChangeResourceRecordSetsNormalizedRecordNames). */
export function normalizeRecordName(name: string): string {
  const lower = name.toLowerCase().replace(/\.$/, "");
  let out = "";
  for (let i = 0; i < lower.length; i++) {
    const ch = lower[i] as string;
    const octal = /^\\[0-7]{3}/.exec(lower.slice(i));
    if (octal) {
      out += octal[0];
      i += 3;
    } else if (/[a-z0-9_.-]/.test(ch)) out += ch;
    else out += `\\${(ch.codePointAt(0) ?? 0).toString(8).padStart(3, "0")}`;
  }
  return out;
}

const zone = (ctx: MapCtx, id: string | undefined): ResourceRef =>
  on(`arn:${ctx.partition}:route53:::hostedzone/${(id ?? "").replace(/^\/?hostedzone\//, "")}`, "hostedzone");

export const ROUTE53: Record<string, Mapper> = {
  ChangeResourceRecordSets: (ctx) => {
    const changes = ((ctx.input.ChangeBatch as { Changes?: unknown[] } | undefined)?.Changes ?? []) as {
      Action?: string;
      ResourceRecordSet?: { Name?: string; Type?: string };
    }[];
    const distinct = (values: (string | undefined)[]) => [...new Set(values.filter((v): v is string => !!v))];
    return just(
      need("route53:ChangeResourceRecordSets", [zone(ctx, str(ctx.input, "HostedZoneId"))], {
        "route53:ChangeResourceRecordSetsNormalizedRecordNames": distinct(
          changes.map((c) =>
            c.ResourceRecordSet?.Name ? normalizeRecordName(c.ResourceRecordSet.Name) : undefined,
          ),
        ),
        "route53:ChangeResourceRecordSetsRecordTypes": distinct(
          changes.map((c) => c.ResourceRecordSet?.Type),
        ),
        "route53:ChangeResourceRecordSetsActions": distinct(changes.map((c) => c.Action)),
      }),
    );
  },
  GetChange: (ctx) =>
    just(
      need("route53:GetChange", [
        on(
          `arn:${ctx.partition}:route53:::change/${(str(ctx.input, "Id") ?? "").replace(/^\/?change\//, "")}`,
          "change",
        ),
      ]),
    ),
  ListResourceRecordSets: (ctx) =>
    just(need("route53:ListResourceRecordSets", [zone(ctx, str(ctx.input, "HostedZoneId"))])),
  GetHostedZone: (ctx) => just(need("route53:GetHostedZone", [zone(ctx, str(ctx.input, "Id"))])),
};
