/**
 * What a completed stack runs: the EC2 instances its Auto Scaling groups launch (DesiredCapacity,
 * else MinSize, spread evenly over the VPCZoneIdentifier subnets in order) and its
 * AWS::EC2::Instance resources. Instance tags, as AWS sets them:
 * - the launch template's TagSpecifications for "instance", overridden by the group's tags with
 *   PropagateAtLaunch true (EC2 Auto Scaling User Guide, "Tag Auto Scaling groups and instances");
 * - the stack's tags, which CloudFormation applies to the instances whatever PropagateAtLaunch says,
 *   and aws:cloudformation:stack-name / stack-id / logical-id (the group's logical id)
 *   (CloudFormation template reference, AWS::AutoScaling::AutoScalingGroup TagProperty; resource tagging);
 * - aws:autoscaling:groupName.
 * https://docs.aws.amazon.com/AWSCloudFormation/latest/TemplateReference/aws-properties-autoscaling-autoscalinggroup-tagproperty.html
 * https://docs.aws.amazon.com/AWSCloudFormation/latest/TemplateReference/aws-properties-resource-tags.html
 */
import type { Region, Stack, StackResource, Tags, WorldCore } from "../model.js";
import { launchInstance } from "../services/ec2.js";

const isObject = (v: unknown): v is Record<string, unknown> =>
  typeof v === "object" && v !== null && !Array.isArray(v);

function tagList(v: unknown, propagatedOnly: boolean): Tags {
  const out: Tags = {};
  if (!Array.isArray(v)) return out;
  for (const t of v) {
    if (!isObject(t) || typeof t.Key !== "string") continue;
    if (propagatedOnly && !(t.PropagateAtLaunch === true || t.PropagateAtLaunch === "true")) continue;
    out[t.Key] = String(t.Value ?? "");
  }
  return out;
}

const subnetsOf = (v: unknown): string[] =>
  (Array.isArray(v) ? v.map(String) : typeof v === "string" ? v.split(",") : []).filter((x) => x !== "");

/** The launch template a group names (by id or name) among the stack's resources. */
function launchTemplateData(s: Stack, ref: unknown): Record<string, unknown> {
  if (!isObject(ref)) return {};
  const id = ref.LaunchTemplateId ?? ref.LaunchTemplateName;
  const lt = s.resources.find(
    (r) =>
      r.type === "AWS::EC2::LaunchTemplate" &&
      (r.physicalId === id || r.properties.LaunchTemplateName === id),
  );
  const data = lt?.properties.LaunchTemplateData;
  return isObject(data) ? data : {};
}

function instanceTagSpecs(data: Record<string, unknown>): Tags {
  const specs = Array.isArray(data.TagSpecifications) ? data.TagSpecifications : [];
  const spec = specs.find((x) => isObject(x) && x.ResourceType === "instance");
  return isObject(spec) ? tagList(spec.Tags, false) : {};
}

const stackTags = (s: Stack, logicalId: string): Tags => ({
  ...s.tags,
  "aws:cloudformation:stack-name": s.name,
  "aws:cloudformation:stack-id": s.id,
  "aws:cloudformation:logical-id": logicalId,
});

function launchGroup(w: WorldCore, region: Region, s: Stack, r: StackResource): void {
  const p = r.properties;
  const count = Number(p.DesiredCapacity ?? p.MinSize ?? 0);
  const subnets = subnetsOf(p.VPCZoneIdentifier);
  const data = launchTemplateData(s, p.LaunchTemplate);
  const tags: Tags = {
    ...stackTags(s, r.logicalId),
    ...instanceTagSpecs(data),
    ...tagList(p.Tags, true),
    "aws:autoscaling:groupName": r.physicalId,
  };
  const sgIds = Array.isArray(data.SecurityGroupIds) ? data.SecurityGroupIds.map(String) : undefined;
  for (let i = 0; i < count && subnets.length > 0; i++) {
    const inst = launchInstance(w, region, r.endAt, {
      subnetId: subnets[i % subnets.length] as string,
      tags,
      ...(typeof data.InstanceType === "string" ? { instanceType: data.InstanceType } : {}),
      ...(typeof data.ImageId === "string" ? { imageId: data.ImageId } : {}),
      ...(sgIds ? { sgIds } : {}),
    });
    inst.stackId = s.id;
    s.instanceIds.push(inst.id);
  }
}

function launchSingle(w: WorldCore, region: Region, s: Stack, r: StackResource): void {
  const p = r.properties;
  const subnetId = typeof p.SubnetId === "string" ? p.SubnetId : (region.network?.subnetIds[0] ?? "");
  const inst = launchInstance(w, region, r.endAt, {
    id: r.physicalId,
    subnetId,
    tags: { ...stackTags(s, r.logicalId), ...tagList(p.Tags, false) },
    ...(typeof p.InstanceType === "string" ? { instanceType: p.InstanceType } : {}),
    ...(typeof p.ImageId === "string" ? { imageId: p.ImageId } : {}),
  });
  inst.stackId = s.id;
  s.instanceIds.push(inst.id);
}

/**
 * Launches the instances of a stack once it completed (scheduled at its completeAt; DeleteStack
 * terminates them). A stack deleted before it completed launches nothing.
 */
export function settleStack(w: WorldCore, region: Region, s: Stack, now: number): void {
  if (s.materialized || s.completeAt === undefined || s.completeAt > now) return;
  if (s.deletingAt !== undefined && s.deletingAt <= s.completeAt) return;
  s.materialized = true;
  for (const r of s.resources) {
    if (r.type === "AWS::AutoScaling::AutoScalingGroup") launchGroup(w, region, s, r);
    else if (r.type === "AWS::EC2::Instance") launchSingle(w, region, s, r);
  }
}
