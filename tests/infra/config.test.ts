import { mkdtempSync, writeFileSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { describe, expect, it } from "vitest";
import {
  ConfigError,
  EXAMPLE_CONFIG_FILE,
  loadAppConfig,
  parseAppConfig,
  resolveConfigPath,
  templateObject,
} from "../../infra/config.js";
import { exampleConfig } from "./synth.js";

const raw = (): Record<string, unknown> =>
  JSON.parse(JSON.stringify(exampleConfig())) as Record<string, unknown>;

describe("config loading", () => {
  it("accepts the shipped example (the shop app)", () => {
    const config = exampleConfig();
    expect(config.app).toBe("shop");
    expect(config.regions).toEqual({ primary: "us-east-1", recovery: "us-west-2" });
    expect(config.resources.map((r) => `${r.name}:${r.type}`)).toEqual([
      "orders-db:rds",
      "web-data:ebs",
      "shared-files:efs",
      "carts:dynamodb",
    ]);
  });

  it("names the field and the bad value", () => {
    const bad = raw();
    (bad.regions as Record<string, string>).recovery = "mars-1";
    expect(() => parseAppConfig(bad, "x.json")).toThrow(/regions\.recovery: .*\(got "mars-1"\)/);
  });

  it("rejects unknown dependsOn names", () => {
    const bad = raw();
    (bad.resources as { dependsOn: string[] }[])[3] = {
      ...(bad.resources as object[])[3],
      dependsOn: ["nope"],
    } as { dependsOn: string[] };
    expect(() => parseAppConfig(bad, "x.json")).toThrow(/resources\.3\.dependsOn: unknown resource 'nope'/);
  });

  it("rejects a template URL CloudFormation cannot read", () => {
    const bad = raw();
    (bad.stack as Record<string, string>).templateUrl = "https://example.com/app.yaml";
    expect(() => parseAppConfig(bad, "x.json")).toThrow(ConfigError);
    expect(() => parseAppConfig(bad, "x.json")).toThrow(/stack\.templateUrl.*example\.com/);
  });

  it("requires a stack role ARN of the app's account, naming the field and why", () => {
    const withRole = raw();
    (withRole.stack as Record<string, unknown>).roleArn = "arn:aws:iam::111122223333:role/dr/shop-cfn";
    expect(parseAppConfig(withRole, "x.json").stack.roleArn).toBe(
      "arn:aws:iam::111122223333:role/dr/shop-cfn",
    );
    const without = raw();
    delete (without.stack as Record<string, unknown>).roleArn;
    expect(() => parseAppConfig(without, "x.json")).toThrow(
      /stack\.roleArn: required: the CloudFormation service role .*step functions' own roles would have to create everything/,
    );
    const notARole = raw();
    (notARole.stack as Record<string, unknown>).roleArn = "arn:aws:iam::111122223333:user/admin";
    expect(() => parseAppConfig(notARole, "x.json")).toThrow(/stack\.roleArn: an IAM role ARN/);
    const otherAccount = raw();
    (otherAccount.stack as Record<string, unknown>).roleArn = "arn:aws:iam::999999999999:role/shop-cfn";
    expect(() => parseAppConfig(otherAccount, "x.json")).toThrow(/stack\.roleArn: .*account 111122223333/);
  });

  it("reports broken JSON and missing files", () => {
    const dir = mkdtempSync(join(tmpdir(), "drctl-config-"));
    writeFileSync(join(dir, "broken.json"), "{ nope");
    expect(() => loadAppConfig(join(dir, "broken.json"))).toThrow(/not valid JSON/);
    expect(() => loadAppConfig(join(dir, "absent.json"))).toThrow(/not found/);
  });

  it("resolves context path, then drctl.config.json, then the example", () => {
    const dir = mkdtempSync(join(tmpdir(), "drctl-config-"));
    expect(resolveConfigPath(undefined, dir)).toBe(join(dir, EXAMPLE_CONFIG_FILE));
    writeFileSync(join(dir, "drctl.config.json"), "{}");
    expect(resolveConfigPath(undefined, dir)).toBe(join(dir, "drctl.config.json"));
    expect(resolveConfigPath("other.json", dir)).toBe(join(dir, "other.json"));
    expect(() => resolveConfigPath(42, dir)).toThrow(/context 'config'/);
  });

  it("parses virtual-hosted and path-style S3 template URLs", () => {
    expect(templateObject("https://b.s3.us-west-2.amazonaws.com/k/app.yaml")).toEqual({
      bucket: "b",
      key: "k/app.yaml",
    });
    expect(templateObject("https://s3.amazonaws.com/b/app.yaml")).toEqual({ bucket: "b", key: "app.yaml" });
    expect(() => templateObject("https://b.s3.amazonaws.com/")).toThrow(ConfigError);
  });
});
