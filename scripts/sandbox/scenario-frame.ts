/**
 * The two-region frame that generated scenarios share (the benchmark's, the tests'): clock start,
 * us-east-1 → us-west-2, the DR vault, the DR network and the Route 53 record. Each caller adds
 * its name, objectives and resources.
 */
import type { ScenarioInput } from "./scenario-schema.js";

export interface FrameNames {
  /** The DR app stack's name. */
  stackName: string;
  /** The Route 53 record failover changes. */
  record: string;
  /** The record's production target (default primary-alb.us-east-1.elb.amazonaws.com). */
  primaryTarget?: string;
}

export function scenarioFrame(names: FrameNames) {
  return {
    start: "2026-03-01T09:00:00Z",
    regions: { primary: "us-east-1", recovery: "us-west-2" },
    vault: "dr-vault",
    app: { stackName: names.stackName, deploySeconds: 540, healthyAfterSeconds: 60 },
    network: {
      vpcId: "vpc-0dr",
      subnetIds: ["subnet-0dra", "subnet-0drb"],
      securityGroupIds: ["sg-0drdb"],
      dbSubnetGroup: "dr-db-subnets",
    },
    dns: {
      hostedZone: "example.com.",
      record: names.record,
      primaryTarget: names.primaryTarget ?? "primary-alb.us-east-1.elb.amazonaws.com",
      propagationSeconds: 60,
    },
  } satisfies Partial<ScenarioInput>;
}
