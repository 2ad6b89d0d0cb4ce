/**
 * Systems Manager managed instances (docs/fidelity.md, "Systems Manager"): an instance registers
 * app.ssmRegistrationSeconds after it is running; DescribeInstanceInformation lists it from then
 * on; SendCommand naming an instance that is not a managed instance answers InvalidInstanceId.
 */
import { describe, expect, it } from "vitest";
import type { ScenarioInput } from "../../../scripts/sandbox/scenario.js";
import {
  type Harness,
  harness,
  modelProblems,
  NETWORK_PARAMETERS,
  putTemplate,
  scenarioOf,
} from "./world-helpers.js";

const STACK = "shop-dr-drill-x";

function world(app: Partial<ScenarioInput["app"]> = {}): Harness {
  return harness(
    scenarioOf({ app: { stackName: "shop-dr", deploySeconds: 540, healthyAfterSeconds: 60, ...app } }),
  );
}

/**
 * Creates the DR stack and advances the clock (5 s steps) until its instances are running: the
 * Auto Scaling group launches them while the stack is still being created. Returns their ids and
 * when the last of them started running.
 */
async function stackUp(h: Harness): Promise<{ ids: string[]; runningAt: number }> {
  await h.call("cloudformation", "CreateStack", {
    StackName: STACK,
    TemplateURL: await putTemplate(h),
    Parameters: NETWORK_PARAMETERS,
    Capabilities: ["CAPABILITY_IAM"],
  });
  for (let t = 0; t <= h.scenario.app.deploySeconds; t += 5) {
    h.clock.advanceBy(5);
    const out = await h.call("ec2", "DescribeInstances", {
      Filters: [
        { Name: "tag:aws:cloudformation:stack-name", Values: [STACK] },
        { Name: "instance-state-name", Values: ["running"] },
      ],
    });
    const ids = (out.Reservations as { Instances: { InstanceId: string }[] }[]).flatMap((r) =>
      r.Instances.map((i) => i.InstanceId),
    );
    if (ids.length > 0) {
      const runningAt = Math.max(...ids.map((id) => h.world.recovery.instances.get(id)?.readyAt ?? 0));
      return { ids, runningAt };
    }
  }
  throw new Error("the stack launched no instance");
}

const byIds = (ids: string[]) => ({ Filters: [{ Key: "InstanceIds", Values: ids }] });
const listed = (out: Record<string, unknown>) =>
  (out.InstanceInformationList as { InstanceId: string; PingStatus: string }[]).map((i) => i.InstanceId);
const send = (ids: string[]) => ({
  DocumentName: "AWS-RunShellScript",
  InstanceIds: ids,
  Parameters: { commands: ["true"] },
});

describe("SSM managed instances", () => {
  it("registers a running instance ssmRegistrationSeconds later (default 120 s); DescribeInstanceInformation lists it then", async () => {
    // Prepare
    const h = world();
    const { ids, runningAt } = await stackUp(h);

    // Act
    const before = await h.call("ssm", "DescribeInstanceInformation", byIds(ids));
    h.clock.advanceTo(runningAt + 119_000);
    const almost = await h.call("ssm", "DescribeInstanceInformation", byIds(ids));
    h.clock.advanceTo(runningAt + 120_000);
    const after = await h.call("ssm", "DescribeInstanceInformation", byIds(ids));

    // Assess
    expect(h.scenario.app.ssmRegistrationSeconds).toBe(120);
    expect(listed(before)).toEqual([]);
    expect(listed(almost)).toEqual([]);
    expect(listed(after).sort()).toEqual([...ids].sort());
    const info = (after.InstanceInformationList as Record<string, unknown>[])[0];
    expect(info).toMatchObject({
      PingStatus: "Online",
      ResourceType: "EC2Instance",
      PlatformType: "Linux",
      SourceType: "AWS::EC2::Instance",
    });
    expect(info?.IPAddress).toMatch(/^10\.20\.\d+\.\d+$/);
    expect(info?.LastPingDateTime).toBeInstanceOf(Date);
    expect(await modelProblems()).toEqual([]);
  });

  it("SendCommand naming an instance that is not registered yet answers InvalidInstanceId, synchronously", async () => {
    // Prepare
    const h = world({ ssmRegistrationSeconds: 600 });
    const { ids } = await stackUp(h);

    // Act
    const early = await h.fail("ssm", "SendCommand", send(ids));
    h.clock.advanceBy(600);
    const sent = await h.call("ssm", "SendCommand", send(ids));

    // Assess
    expect(early.code).toBe("InvalidInstanceId");
    expect(early.message).toBe(
      `Instances [[${ids.join(", ")}]] not in a valid state for account 111122223333`,
    );
    expect((sent.Command as { CommandId: string }).CommandId).toMatch(/^[0-9a-f-]{36}$/);
  });

  it("a terminated instance leaves the list; one shutting down shows ConnectionLost and takes no command", async () => {
    // Prepare
    const h = world();
    const { ids } = await stackUp(h);
    h.clock.advanceBy(120);
    const [first] = ids as [string];

    // Act
    await h.call("ec2", "TerminateInstances", { InstanceIds: [first] });
    const stopping = await h.call("ssm", "DescribeInstanceInformation", byIds([first]));
    const refused = await h.fail("ssm", "SendCommand", send([first]));
    h.clock.advanceBy(60);
    const gone = await h.call("ssm", "DescribeInstanceInformation", byIds([first]));

    // Assess
    expect(stopping.InstanceInformationList).toEqual([
      expect.objectContaining({ InstanceId: first, PingStatus: "ConnectionLost" }),
    ]);
    expect(refused.code).toBe("InvalidInstanceId");
    expect(listed(gone)).toEqual([]);
  });

  it("filters by PingStatus and tags, pages with MaxResults 5 to 50 (default 10)", async () => {
    // Prepare
    const h = world();
    const { ids } = await stackUp(h);
    h.clock.advanceBy(120);

    // Act
    const online = await h.call("ssm", "DescribeInstanceInformation", {
      Filters: [{ Key: "PingStatus", Values: ["Online"] }],
    });
    const tagged = await h.call("ssm", "DescribeInstanceInformation", {
      Filters: [{ Key: "tag:aws:cloudformation:stack-name", Values: [STACK] }],
      MaxResults: 5,
    });
    const tooMany = await h.fail("ssm", "DescribeInstanceInformation", { MaxResults: 51 });
    const tooFew = await h.fail("ssm", "DescribeInstanceInformation", { MaxResults: 4 });
    const badKey = await h.fail("ssm", "DescribeInstanceInformation", {
      Filters: [{ Key: "Colour", Values: ["blue"] }],
    });

    // Assess
    expect(listed(online)).toEqual(expect.arrayContaining(ids));
    expect(listed(tagged).sort()).toEqual([...ids].sort().slice(0, Math.min(5, ids.length)).sort());
    expect(tooMany.code).toBe("ValidationException");
    expect(tooMany.message).toBe(
      "1 validation error detected: Value '51' at 'maxResults' failed to satisfy constraint: Member must have value less than or equal to 50",
    );
    expect(tooFew.code).toBe("ValidationException");
    expect(badKey.code).toBe("InvalidFilterKey");
  });

  it("SendCommand takes at most 50 instance ids", async () => {
    const h = world();
    const ids = Array.from({ length: 51 }, (_, i) => `i-0${String(i).padStart(16, "0")}`);
    const err = await h.fail("ssm", "SendCommand", send(ids));
    expect(err.code).toBe("ValidationException");
    expect(err.message).toMatch(
      /^1 validation error detected: Value '\[.*\]' at 'instanceIds' failed to satisfy constraint: Member must have length less than or equal to 50$/,
    );
  });
});
