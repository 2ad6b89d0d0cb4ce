import { beforeAll, describe, expect, it } from "vitest";
import { AppConfig } from "../../../functions/shared/config.js";
import { deploymentNames, sandboxConfig } from "../../../scripts/sandbox/deploy.js";
import {
  type EventRule,
  eventRulesFrom,
  executionStatusEvent,
  matchesPattern,
  targetInput,
  UnsupportedPattern,
} from "../../../scripts/sandbox/events/index.js";
import { orchestratorStack } from "../../../scripts/sandbox/iam/policy-source.js";
import { loadScenario } from "../../../scripts/sandbox/scenario.js";
import type { ExecutionRecord } from "../../../scripts/sandbox/sfn/execution.js";

let rule: EventRule;
let machineArn: string;

const record = (status: ExecutionRecord["status"], input = '{"mode":"drill"}', machine = machineArn) =>
  ({
    executionArn: `${machine.replace(":stateMachine:", ":execution:")}:run-1`,
    stateMachineArn: machine,
    name: "run-1",
    status,
    input,
    startDate: new Date("2026-03-01T09:00:00Z"),
    ...(status !== "RUNNING" && { stopDate: new Date("2026-03-01T09:05:00.250Z") }),
  }) as ExecutionRecord;

beforeAll(async () => {
  const scenario = await loadScenario("scenarios/shop-drill.yaml");
  const names = deploymentNames(scenario);
  machineArn = `arn:aws:states:${names.region}:${names.account}:stateMachine:${names.stateMachineName}`;
  const rules = eventRulesFrom(orchestratorStack(AppConfig.parse(sandboxConfig(scenario))), names);
  const found = rules.find((r) => (r.pattern.source as string[])[0] === "aws.states");
  if (!found) throw new Error("no aws.states rule in the synthesized stack");
  rule = found;
});

describe("sandbox EventBridge: the synthesized aftermath rule", () => {
  it("builds the Execution Status Change event as Step Functions documents it", () => {
    const event = executionStatusEvent(
      record("ABORTED"),
      "111122223333",
      "us-west-2",
      new Date("2026-03-01T09:05:01.500Z"),
    );
    expect(event).toMatchObject({
      version: "0",
      "detail-type": "Step Functions Execution Status Change",
      source: "aws.states",
      time: "2026-03-01T09:05:01Z",
      resources: [record("ABORTED").executionArn],
      detail: {
        status: "ABORTED",
        stateMachineArn: machineArn,
        startDate: Date.parse("2026-03-01T09:00:00Z"),
        stopDate: Date.parse("2026-03-01T09:05:00.250Z"),
        inputDetails: { included: true },
        output: null,
        error: null,
      },
    });
  });

  it("matches ABORTED, TIMED_OUT and FAILED of its own state machine only, never an aftermath's own end", () => {
    const at = (r: ExecutionRecord) =>
      matchesPattern(rule.pattern, executionStatusEvent(r, "1", "r", new Date()));
    expect(["ABORTED", "TIMED_OUT", "FAILED"].map((s) => at(record(s as never)))).toEqual([true, true, true]);
    expect(at(record("SUCCEEDED"))).toBe(false);
    expect(at(record("RUNNING"))).toBe(false);
    expect(at(record("FAILED", '{"mode":"drill"}', `${machineArn}-other`))).toBe(false);
    expect(at(record("FAILED", '{"cleanupOf":"arn:x","trigger":"execution-status-change"}'))).toBe(false);
  });

  it("starts the state machine with the transformed input {cleanupOf, trigger}", () => {
    const r = record("ABORTED");
    expect(rule.targets.map((t) => t.arn)).toEqual([machineArn]);
    const input = targetInput(rule.targets[0] ?? { arn: "" }, executionStatusEvent(r, "1", "r", new Date()));
    expect(JSON.parse(input)).toEqual({ cleanupOf: r.executionArn, trigger: "execution-status-change" });
  });
});

describe("sandbox EventBridge: patterns and input transformers", () => {
  it("matches values, arrays in the event, prefix, anything-but and exists; refuses operators it does not model", () => {
    const event = { source: "aws.x", detail: { tags: ["a", "b"], name: "drill-1" } };
    expect(matchesPattern({ detail: { tags: ["b"] } }, event)).toBe(true);
    expect(matchesPattern({ detail: { name: [{ prefix: "drill-" }] } }, event)).toBe(true);
    expect(matchesPattern({ detail: { name: [{ "anything-but": { prefix: "drill-" } }] } }, event)).toBe(
      false,
    );
    expect(matchesPattern({ detail: { name: [{ "anything-but": ["x"] }] } }, event)).toBe(true);
    expect(matchesPattern({ detail: { missing: [{ exists: false }] } }, event)).toBe(true);
    expect(matchesPattern({ detail: { missing: ["x"] } }, event)).toBe(false);
    expect(() => matchesPattern({ detail: { name: [{ numeric: [">", 1] }] } }, event)).toThrow(
      UnsupportedPattern,
    );
  });

  it("fills placeholders as JSON outside strings and as text inside them; an unknown one stays", () => {
    const event = { detail: { instance: "i-1", state: "RUNNING", n: 3 } };
    const out = targetInput(
      {
        inputTransformer: {
          inputPathsMap: { instance: "$.detail.instance", state: "$.detail.state", n: "$.detail.n" },
          inputTemplate: '{"id": <instance>, "say": "<instance> is \\"<state>\\"", "n": <n>, "x": "<other>"}',
        },
      },
      event,
    );
    expect(JSON.parse(out)).toEqual({ id: "i-1", say: 'i-1 is "RUNNING"', n: 3, x: "<other>" });
  });
});
