/**
 * The DR app's health, as its load balancer answers it. The stack's HealthUrl output is built
 * from the load balancer's DNS name (http://<DNSName>/health); in the sandbox that name does not
 * resolve, so a probe sends the request to the sandbox endpoint with the original Host header and
 * the stack whose load balancer has that DNS name answers (healthForHost).
 */
import { stackStatus } from "./cfn/timeline.js";
import type { Region } from "./model.js";

export interface HealthAnswer {
  status: 200 | 404 | 503;
  body: { region: string; stack: string; healthy: boolean; reason: string; healthyAt?: string };
}

/** What the health answer needs of the world. */
export interface HealthWorld {
  readonly primary: Region;
  readonly recovery: Region;
  readonly scenario: { app: { healthyAfterSeconds: number } };
  readonly clock: { now(): Date };
  region(name: string): Region;
  settle(now?: number): void;
}

/**
 * 200 once virtual time is at least the stack's completion or the last integration call in its
 * region after it (PutParameter, AttachVolume, SendCommand, counted when their effect is done)
 * + app.healthyAfterSeconds; 503 before (an ALB without healthy targets answers 503).
 */
export function appHealth(world: HealthWorld, regionName: string, stackName: string): HealthAnswer {
  const now = world.clock.now().getTime();
  world.settle(now);
  const region = world.region(regionName);
  const stack = [...region.stacks].reverse().find((s) => s.name === stackName || s.id === stackName);
  const base = { region: regionName, stack: stackName };
  if (!stack) return { status: 503, body: { ...base, healthy: false, reason: "no such stack" } };
  const status = stackStatus(stack, now);
  if (status !== "CREATE_COMPLETE" || stack.completeAt === undefined) {
    return { status: 503, body: { ...base, healthy: false, reason: `stack is ${status}` } };
  }
  const completeAt = stack.completeAt;
  const last = region.integrationMarks
    .filter((m) => m.calledAt >= completeAt)
    .reduce((acc, m) => Math.max(acc, m.doneAt), completeAt);
  const healthyAt = last + world.scenario.app.healthyAfterSeconds * 1000;
  const at = new Date(healthyAt).toISOString();
  if (now >= healthyAt) return { status: 200, body: { ...base, healthy: true, reason: "ok", healthyAt: at } };
  return {
    status: 503,
    body: { ...base, healthy: false, reason: "warming up after integration", healthyAt: at },
  };
}

const LOAD_BALANCER = "AWS::ElasticLoadBalancingV2::LoadBalancer";

/**
 * `GET http://<load balancer DNS name><path>`: the stack whose load balancer has that DNS name
 * answers its health on its target group's HealthCheckPath; another path of a healthy app is 404.
 * No such load balancer: 404.
 */
export function healthForHost(world: HealthWorld, host: string, path: string): HealthAnswer {
  const name = host.toLowerCase().replace(/:\d+$/, "");
  for (const region of [world.recovery, world.primary]) {
    for (const s of [...region.stacks].reverse()) {
      const lb = s.resources.find(
        (r) => r.type === LOAD_BALANCER && String(r.attributes.DNSName).toLowerCase() === name,
      );
      if (!lb) continue;
      const answer = appHealth(world, region.name, s.id);
      const tg = s.resources.find((r) => r.type === "AWS::ElasticLoadBalancingV2::TargetGroup");
      const checkPath = String(tg?.properties.HealthCheckPath ?? "/");
      if (answer.status === 200 && path.split("?")[0] !== checkPath) {
        return { status: 404, body: { ...answer.body, reason: `the app serves its health at ${checkPath}` } };
      }
      return answer;
    }
  }
  return {
    status: 404,
    body: { region: "", stack: "", healthy: false, reason: `no load balancer has the DNS name ${name}` },
  };
}
