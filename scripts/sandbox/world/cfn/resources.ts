/**
 * What CloudFormation gives each resource type the DR app template uses: the physical id Ref
 * returns and the attributes Fn::GetAtt returns (the "Return values" section of each type's page
 * in the template reference), with names generated as CloudFormation generates them
 * (<stack>-<logical id>-<random>) where the template names none.
 * https://docs.aws.amazon.com/AWSCloudFormation/latest/TemplateReference/aws-template-resource-type-ref.html
 */
import { hashHex } from "../naming.js";
import { validation } from "./parse.js";

export interface ResourceContext {
  stackName: string;
  stackId: string;
  region: string;
  account: string;
  partition: string;
}

export interface Provisioned {
  ref: string;
  attributes: Record<string, unknown>;
}

/** Canonical hosted zone ids of Application Load Balancers per region (Elastic Load Balancing endpoints). */
export const ALB_ZONES: Record<string, string> = {
  "us-east-1": "Z35SXDOTRQ7X7K",
  "us-east-2": "Z3AADJGX6KTTL2",
  "us-west-1": "Z368ELLRRE2KJ0",
  "us-west-2": "Z1H1FL5HABSF5",
  "eu-west-1": "Z32O12XQLNTSW2",
  "eu-central-1": "Z215JYRZR1TBD5",
};

const ALPHANUM = "ABCDEFGHIJKLMNOPQRSTUVWXYZ0123456789";

/** Deterministic per stack and logical id: CloudFormation's random suffix of generated names. */
function randomSuffix(c: ResourceContext, logicalId: string, length = 12): string {
  const h = hashHex(c.stackId, logicalId, "suffix");
  let out = "";
  for (let i = 0; out.length < length; i++) {
    out += ALPHANUM[Number.parseInt(h.slice((i * 2) % 60, ((i * 2) % 60) + 2), 16) % ALPHANUM.length];
  }
  return out;
}

/** A generated physical name: <stack>-<logical id>-<random>, both parts shortened to fit `max`. */
export function generatedName(c: ResourceContext, logicalId: string, max: number): string {
  const rand = randomSuffix(c, logicalId, max < 40 ? 12 : 13);
  const room = max - rand.length - 2;
  const stackPart = c.stackName.slice(0, Math.min(c.stackName.length, Math.ceil(room / 2)));
  const logicalPart = logicalId.slice(0, room - stackPart.length);
  return `${stackPart}-${logicalPart}-${rand}`;
}

const hex = (c: ResourceContext, logicalId: string, n: number) => hashHex(c.stackId, logicalId).slice(0, n);
const str = (v: unknown): string | undefined => (typeof v === "string" && v !== "" ? v : undefined);

type Provisioner = (c: ResourceContext, logicalId: string, props: Record<string, unknown>) => Provisioned;

function elbArn(c: ResourceContext, kind: string): string {
  return `arn:${c.partition}:elasticloadbalancing:${c.region}:${c.account}:${kind}`;
}

const loadBalancer: Provisioner = (c, id, p) => {
  const name = str(p.Name) ?? generatedName(c, id, 32);
  const type = p.Type === "network" ? "net" : "app";
  const full = `${type}/${name}/${hex(c, id, 16)}`;
  const n = Number.parseInt(hex(c, `${id}-dns`, 8), 16) % 2_000_000_000;
  const internal = p.Scheme === "internal" ? "internal-" : "";
  return {
    ref: elbArn(c, `loadbalancer/${full}`),
    attributes: {
      DNSName: `${internal}${name}-${n}.${c.region}.elb.amazonaws.com`,
      CanonicalHostedZoneID: ALB_ZONES[c.region] ?? `Z${hashHex(c.region).slice(0, 13).toUpperCase()}`,
      LoadBalancerArn: elbArn(c, `loadbalancer/${full}`),
      LoadBalancerFullName: full,
      LoadBalancerName: name,
      SecurityGroups: Array.isArray(p.SecurityGroups) ? p.SecurityGroups : [],
    },
  };
};

const targetGroup: Provisioner = (c, id, p) => {
  const name = str(p.Name) ?? generatedName(c, id, 32);
  const full = `targetgroup/${name}/${hex(c, id, 16)}`;
  return {
    ref: elbArn(c, full),
    attributes: {
      TargetGroupArn: elbArn(c, full),
      TargetGroupFullName: full,
      TargetGroupName: name,
      LoadBalancerArns: [],
    },
  };
};

const listener: Provisioner = (c, id, p) => {
  const lb = str(p.LoadBalancerArn)?.split(":loadbalancer/")[1] ?? `app/unknown/${hex(c, "lb", 16)}`;
  const arn = elbArn(c, `listener/${lb}/${hex(c, id, 16)}`);
  return { ref: arn, attributes: { ListenerArn: arn } };
};

const securityGroup: Provisioner = (c, id, p) => {
  const sg = `sg-0${hex(c, id, 16)}`;
  return { ref: sg, attributes: { GroupId: sg, VpcId: str(p.VpcId) ?? "" } };
};

const iamArn = (c: ResourceContext, kind: string, path: unknown, name: string) =>
  `arn:${c.partition}:iam::${c.account}:${kind}${str(path) ?? "/"}${name}`;

const role: Provisioner = (c, id, p) => {
  const name = str(p.RoleName) ?? generatedName(c, id, 64);
  const roleId = `AROA${hashHex(c.stackId, id, "role").slice(0, 17).toUpperCase()}`;
  return { ref: name, attributes: { Arn: iamArn(c, "role", p.Path, name), RoleId: roleId } };
};

const instanceProfile: Provisioner = (c, id, p) => {
  const name = str(p.InstanceProfileName) ?? generatedName(c, id, 128);
  return { ref: name, attributes: { Arn: iamArn(c, "instance-profile", p.Path, name) } };
};

const launchTemplate: Provisioner = (c, id) => {
  const lt = `lt-0${hex(c, id, 16)}`;
  return {
    ref: lt,
    attributes: { LaunchTemplateId: lt, LatestVersionNumber: "1", DefaultVersionNumber: "1" },
  };
};

const named =
  (
    nameProp: string,
    max: number,
    attrs: (name: string, c: ResourceContext) => Record<string, unknown> = () => ({}),
  ): Provisioner =>
  (c, id, p) => {
    const name = str(p[nameProp]) ?? generatedName(c, id, max);
    return { ref: name, attributes: attrs(name, c) };
  };

const PROVISIONERS: Record<string, Provisioner> = {
  "AWS::ElasticLoadBalancingV2::LoadBalancer": loadBalancer,
  "AWS::ElasticLoadBalancingV2::TargetGroup": targetGroup,
  "AWS::ElasticLoadBalancingV2::Listener": listener,
  "AWS::EC2::SecurityGroup": securityGroup,
  "AWS::EC2::SecurityGroupIngress": (c, id) => ({
    ref: `sgr-0${hex(c, id, 16)}`,
    attributes: { Id: `sgr-0${hex(c, id, 16)}` },
  }),
  "AWS::EC2::SecurityGroupEgress": (c, id) => ({
    ref: `sgr-0${hex(c, id, 16)}`,
    attributes: { Id: `sgr-0${hex(c, id, 16)}` },
  }),
  "AWS::EC2::LaunchTemplate": launchTemplate,
  "AWS::IAM::Role": role,
  "AWS::IAM::InstanceProfile": instanceProfile,
  "AWS::IAM::Policy": (c, id) => ({
    ref: `${c.stackName.slice(0, 5)}-${id.slice(0, 5)}-${randomSuffix(c, id)}`,
    attributes: {},
  }),
  "AWS::IAM::ManagedPolicy": (c, id, p) => {
    const name = str(p.ManagedPolicyName) ?? generatedName(c, id, 128);
    const arn = iamArn(c, "policy", p.Path, name);
    return { ref: arn, attributes: { PolicyArn: arn } };
  },
  "AWS::AutoScaling::AutoScalingGroup": named("AutoScalingGroupName", 255),
  "AWS::EC2::Instance": (c, id) => ({
    ref: `i-0${hex(c, id, 16)}`,
    attributes: { InstanceId: `i-0${hex(c, id, 16)}` },
  }),
  "AWS::SSM::Parameter": (c, id, p) => ({
    ref: str(p.Name) ?? `CFN-${id}-${randomSuffix(c, id)}`,
    attributes: { Type: p.Type ?? "String", Value: p.Value ?? "" },
  }),
  "AWS::S3::Bucket": (c, id, p) => {
    const name = str(p.BucketName) ?? generatedName(c, id, 63).toLowerCase();
    return {
      ref: name,
      attributes: {
        Arn: `arn:${c.partition}:s3:::${name}`,
        DomainName: `${name}.s3.amazonaws.com`,
        RegionalDomainName: `${name}.s3.${c.region}.amazonaws.com`,
      },
    };
  },
  "AWS::SNS::Topic": (c, id, p) => {
    const name = str(p.TopicName) ?? generatedName(c, id, 256);
    const arn = `arn:${c.partition}:sns:${c.region}:${c.account}:${name}`;
    return { ref: arn, attributes: { TopicArn: arn, TopicName: name } };
  },
  "AWS::Logs::LogGroup": named("LogGroupName", 512, (name, c) => ({
    Arn: `arn:${c.partition}:logs:${c.region}:${c.account}:log-group:${name}:*`,
  })),
  "AWS::CloudWatch::Alarm": named("AlarmName", 255, (name, c) => ({
    Arn: `arn:${c.partition}:cloudwatch:${c.region}:${c.account}:alarm:${name}`,
  })),
};

/** Ref value and attributes of a resource; Fn::GetAtt of an attribute the type lacks is refused later. */
export function provision(
  c: ResourceContext,
  logicalId: string,
  type: string,
  props: Record<string, unknown>,
): Provisioned {
  const p = PROVISIONERS[type];
  if (p) return p(c, logicalId, props);
  // Types the sandbox does not model: a generated name, and no attributes.
  return { ref: generatedName(c, logicalId, 64), attributes: {} };
}

/** Fn::GetAtt, refused as CloudFormation refuses an attribute the resource type does not return. */
export function attribute(logicalId: string, provisioned: Provisioned, name: string): unknown {
  if (name in provisioned.attributes) return provisioned.attributes[name];
  throw validation(
    `Template error: resource ${logicalId} does not support attribute type ${name} in Fn::GetAtt`,
  );
}

/** Rough creation time of each type (seconds), scaled to the scenario's deploySeconds. */
export function creationWeight(type: string): number {
  const w: Record<string, number> = {
    "AWS::ElasticLoadBalancingV2::LoadBalancer": 180,
    "AWS::IAM::InstanceProfile": 120,
    "AWS::AutoScaling::AutoScalingGroup": 60,
    "AWS::EC2::Instance": 45,
    "AWS::IAM::Role": 15,
    "AWS::ElasticLoadBalancingV2::TargetGroup": 10,
    "AWS::EC2::SecurityGroup": 6,
    "AWS::EC2::LaunchTemplate": 3,
    "AWS::ElasticLoadBalancingV2::Listener": 2,
  };
  return w[type] ?? 10;
}
