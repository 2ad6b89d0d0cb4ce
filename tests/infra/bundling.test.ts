/** The one test that really bundles: a single step through the construct, with the local esbuild. */
import { existsSync, readFileSync } from "node:fs";
import { join } from "node:path";
import { App, Stack } from "aws-cdk-lib";
import { Template } from "aws-cdk-lib/assertions";
import { beforeAll, describe, expect, it } from "vitest";
import { ESM_REQUIRE_BANNER, StepFunction } from "../../infra/constructs/step-function.js";

let code: string;
let template: Template;

beforeAll(() => {
  const app = new App();
  const stack = new Stack(app, "BundleTest", { env: { account: "111122223333", region: "us-west-2" } });
  new StepFunction(stack, "ValidateInput", {
    key: "validateInput",
    environment: { ARTIFACTS_BUCKET: "drctl-artifacts", DRCTL_LOCAL: "false", DEFAULT_APP: "shop" },
  });
  const assembly = app.synth();
  template = Template.fromStack(stack);
  const fn = Object.values(template.findResources("AWS::Lambda::Function"))[0] as {
    Properties: { Code: { S3Key: string } };
  };
  const dir = join(assembly.directory, `asset.${fn.Properties.Code.S3Key.replace(/\.zip$/, "")}`);
  code = readFileSync(join(dir, "index.mjs"), "utf8");
  expect(existsSync(join(dir, "index.mjs.map"))).toBe(true);
}, 120_000);

describe("StepFunction bundling", () => {
  it("emits a minified ESM bundle with the createRequire banner, taking the SDK from the runtime", () => {
    expect(code.startsWith(ESM_REQUIRE_BANNER)).toBe(true);
    expect(code).toMatch(/export\s*\{[^}]*as handler/);
    // validateInput calls S3 and SSM: imported from the nodejs24.x runtime, not bundled.
    expect(code).toMatch(/from\s*"@aws-sdk\/client-s3"/);
    expect(code).toMatch(/from\s*"@aws-sdk\/client-ssm"/);
    // Only the clients the step uses: per-service imports keep the others out.
    expect(code).not.toMatch(/@aws-sdk\/client-ec2/);
    expect(code.length).toBeLessThan(500 * 1024);
    expect(code.length / code.split("\n").length).toBeGreaterThan(1000); // minified: long lines
  });

  it("rejects environment values the step's schema rejects", () => {
    const stack = new Stack(new App({ context: { "aws:cdk:bundling-stacks": [] } }), "Bad", {
      env: { account: "111122223333", region: "us-west-2" },
    });
    expect(
      () =>
        new StepFunction(stack, "Notify", {
          key: "notify",
          environment: { ARTIFACTS_BUCKET: "b", SNS_TOPIC_ARN: "not-an-arn" },
        }),
    ).toThrow(/SNS_TOPIC_ARN/);
  });
});
