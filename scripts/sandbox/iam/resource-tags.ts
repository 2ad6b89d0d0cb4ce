/**
 * The tags IAM sees on a resource (aws:ResourceTag/*): the world's current tags of the resource an
 * ARN names, as of a short while ago. Tagging APIs are eventually consistent, and tag-based
 * authorization sees a change a few seconds after the call that made it ("The application or
 * removal of tags using TagResource and UntagResource APIs is eventually consistent ... only
 * reflect the changes after a few seconds", DynamoDB TagResource API reference; "the result of an
 * API command ... might not be immediately visible to all subsequent commands", Amazon EC2 API
 * eventual consistency). The sandbox keeps the tag sets each tagging call produced and answers
 * the newest one at least `delaySeconds` old.
 */
import type { Region, Tags, WorldCore } from "../world/model.js";

/** What IAM needs of the world. */
export interface IamWorld {
  readonly account: string;
  readonly s3: WorldCore["s3"];
  readonly recovery: Region;
  region(name: string): Region;
}

/** Documented as "a few seconds": the sandbox's choice. */
export const TAG_PROPAGATION_SECONDS = 5;

export interface ParsedArn {
  partition: string;
  service: string;
  region: string;
  account: string;
  /** After the fifth colon: `db:name`, `volume/vol-1`, `stack/name/id`, … */
  resource: string;
}

export function parseArn(arn: string): ParsedArn | undefined {
  const m = /^arn:([^:]+):([^:]+):([^:]*):([^:]*):(.+)$/.exec(arn);
  if (!m) return undefined;
  const [, partition, service, region, account, resource] = m as unknown as [
    string,
    string,
    string,
    string,
    string,
    string,
  ];
  return { partition, service, region, account, resource };
}

/** The world's current tags of the resource an ARN names; undefined when it does not exist. */
export function currentTags(world: IamWorld, arn: string): Tags | undefined {
  const a = parseArn(arn);
  if (!a) return undefined;
  const r = world.region(a.region);
  const [type, ...rest] = a.resource.split(/[:/]/);
  const id = rest.join(a.resource.includes("/") ? "/" : ":");
  switch (`${a.service}:${type}`) {
    case "rds:db":
      return r.dbInstances.get(id)?.tags;
    case "rds:cluster":
      return r.dbClusters.get(id)?.tags;
    case "ec2:instance":
      return r.instances.get(id)?.tags;
    case "ec2:volume":
      return r.volumes.get(id)?.tags;
    case "ec2:subnet":
      return r.subnets.get(id)?.tags;
    case "ec2:security-group":
      return r.securityGroups.get(id)?.tags;
    case "ec2:vpc":
      return r.vpcs.get(id)?.tags;
    case "ec2:network-interface":
      return [...r.mountTargets.values()].find((m) => m.eni === id)?.tags;
    case "elasticfilesystem:file-system":
      return r.fileSystems.get(id)?.tags;
    case "dynamodb:table":
      return r.tables.get(id.split("/")[0] ?? id)?.tags;
    case "cloudformation:stack":
      return r.stacks.find((s) => s.id === arn)?.tags;
    case "ssm:parameter":
      return r.parameters.get(`/${id}`)?.tags ?? r.parameters.get(id)?.tags;
    default:
      return undefined;
  }
}

/**
 * Service condition keys of a resource that the step policies may test besides its tags: the
 * subnet and VPC of a network interface (ec2:Subnet, ec2:Vpc, ARN-valued).
 */
export function resourceKeys(world: IamWorld, arn: string): Record<string, string> {
  const a = parseArn(arn);
  if (a?.service !== "ec2" || !a.resource.startsWith("network-interface/")) return {};
  const eni = a.resource.slice("network-interface/".length);
  const r = world.region(a.region);
  const m = [...r.mountTargets.values()].find((x) => x.eni === eni);
  if (!m) return {};
  const ec2 = (resource: string) => `arn:${a.partition}:ec2:${a.region}:${a.account}:${resource}`;
  return { "ec2:Subnet": ec2(`subnet/${m.subnetId}`), "ec2:Vpc": ec2(`vpc/${m.vpcId}`) };
}

interface Change {
  at: number;
  tags: Tags;
}

/** The tag sets tagging calls produced, per ARN, to answer what IAM sees at a given time. */
export class TagHistory {
  private readonly changes = new Map<string, Change[]>();

  constructor(readonly delaySeconds: number = TAG_PROPAGATION_SECONDS) {}

  /** Before a tagging call: remembers the tags IAM saw until now (once per ARN). */
  before(arn: string, tags: Tags | undefined): void {
    if (!this.changes.has(arn)) this.changes.set(arn, [{ at: Number.NEGATIVE_INFINITY, tags: { ...tags } }]);
  }

  /** After a tagging call succeeded at `at`: the resource's new tags. */
  after(arn: string, at: number, tags: Tags | undefined): void {
    const list = this.changes.get(arn) ?? [];
    list.push({ at, tags: { ...tags } });
    this.changes.set(arn, list);
  }

  /** The tags IAM evaluates at `now`: the newest change at least delaySeconds old. */
  effective(arn: string, now: number, current: Tags | undefined): Tags | undefined {
    if (current === undefined) return undefined;
    const list = this.changes.get(arn);
    if (!list) return current;
    const cutoff = now - this.delaySeconds * 1000;
    let seen: Change | undefined;
    for (const c of list) if (c.at <= cutoff) seen = c;
    return seen?.tags ?? current;
  }
}
