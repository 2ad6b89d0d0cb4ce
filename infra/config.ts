/**
 * The CDK app's view of the drctl configuration: which file, validated with the same zod schema
 * (AppConfig) the step functions use at run time, so a bad value fails `cdk synth` with a message
 * naming the field and the value instead of failing a recovery at 3 a.m.
 */
import { existsSync, readFileSync } from "node:fs";
import { resolve } from "node:path";
import { AppConfig, describeIssues } from "../functions/shared/config.js";
import { type S3Object, s3ObjectOfUrl } from "../functions/shared/s3-url.js";

/** The config file used when the CDK context names none and drctl.config.json exists. */
export const DEFAULT_CONFIG_FILE = "drctl.config.json";
/** The shipped example (the 3-tier "shop" app), used when there is no drctl.config.json. */
export const EXAMPLE_CONFIG_FILE = "drctl.config.example.json";

export class ConfigError extends Error {
  override readonly name = "ConfigError";
}

/**
 * Which config file to load: the CDK context value `config` (`cdk synth -c config=path`), else
 * drctl.config.json when present, else the shipped example.
 */
export function resolveConfigPath(contextValue: unknown, cwd: string = process.cwd()): string {
  if (contextValue !== undefined && contextValue !== null && contextValue !== "") {
    if (typeof contextValue !== "string") {
      throw new ConfigError(`context 'config' must be a file path (got ${JSON.stringify(contextValue)})`);
    }
    return resolve(cwd, contextValue);
  }
  const preferred = resolve(cwd, DEFAULT_CONFIG_FILE);
  return existsSync(preferred) ? preferred : resolve(cwd, EXAMPLE_CONFIG_FILE);
}

/** Parses a config document; throws ConfigError naming every bad field and its value. */
export function parseAppConfig(raw: unknown, source: string): AppConfig {
  const parsed = AppConfig.safeParse(raw);
  if (!parsed.success) {
    throw new ConfigError(`invalid drctl config ${source}: ${describeIssues(parsed.error, raw)}`);
  }
  const config = parsed.data;
  templateObject(config.stack.templateUrl); // throws when CloudFormation could not read it
  return config;
}

/** Reads, parses and validates the config file. */
export function loadAppConfig(file: string): AppConfig {
  if (!existsSync(file)) throw new ConfigError(`drctl config file not found: ${file}`);
  let raw: unknown;
  try {
    raw = JSON.parse(readFileSync(file, "utf8"));
  } catch (err) {
    throw new ConfigError(`drctl config ${file} is not valid JSON: ${(err as Error).message}`);
  }
  return parseAppConfig(raw, file);
}

/**
 * The S3 object of the DR app template (CloudFormation reads TemplateURL with the caller's
 * credentials, so deployStack needs s3:GetObject on exactly this object), in the virtual-hosted
 * and path-style forms CloudFormation accepts (see s3ObjectOfUrl).
 */
export function templateObject(templateUrl: string): S3Object {
  const object = s3ObjectOfUrl(templateUrl);
  if (object) return object;
  throw new ConfigError(
    `stack.templateUrl: CloudFormation reads templates from Amazon S3 only; expected ` +
      `https://BUCKET.s3.REGION.amazonaws.com/KEY (got ${JSON.stringify(templateUrl)})`,
  );
}
