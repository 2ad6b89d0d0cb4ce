/**
 * Restore metadata from GetRecoveryPointRestoreMetadata describes the source in the primary
 * region: its DB parameter/option groups, key pair and KMS keys are names of that region, which the
 * recovery region does not have (restoring with them fails the job there). Each is replaced through
 * the app config's regionalNames map or dropped, so the restore uses the recovery region's default.
 * KMS keys are found by key name (/kms/i) at the top level and inside JSON values such as
 * BlockDeviceMappings; a key ARN of the recovery region itself is kept.
 */
import type { RegionalNames } from "./config.js";

export type Metadata = Record<string, string>;

/** Metadata keys (lowercase) naming a regional resource, and the map that translates them. */
const NAMED: Record<string, keyof RegionalNames> = {
  dbparametergroupname: "dbParameterGroups",
  dbclusterparametergroupname: "dbClusterParameterGroups",
  optiongroupname: "optionGroups",
  keyname: "keyPairs",
};

const isKmsKey = (key: string): boolean => /kms/i.test(key);

const EMPTY: RegionalNames = {
  dbParameterGroups: {},
  dbClusterParameterGroups: {},
  optionGroups: {},
  keyPairs: {},
  kmsKeys: {},
};

/** Region of an ARN (undefined for ids and aliases). */
const arnRegion = (value: string): string | undefined =>
  value.startsWith("arn:") ? value.split(":")[3] : undefined;

export function localizeMetadata(
  meta: Metadata,
  recoveryRegion: string,
  names: RegionalNames = EMPTY,
): Metadata {
  const kms = (value: string): string | undefined =>
    names.kmsKeys[value] ?? (arnRegion(value) === recoveryRegion ? value : undefined);
  /** A nested JSON value with its KMS keys replaced or removed. */
  const nested = (v: unknown): unknown => {
    if (Array.isArray(v)) return v.map(nested);
    if (v === null || typeof v !== "object") return v;
    const out: Record<string, unknown> = {};
    for (const [k, x] of Object.entries(v)) {
      if (isKmsKey(k) && typeof x === "string") {
        const mapped = kms(x);
        if (mapped !== undefined) out[k] = mapped;
      } else out[k] = nested(x);
    }
    return out;
  };
  const out: Metadata = {};
  for (const [key, value] of Object.entries(meta)) {
    const kind = NAMED[key.toLowerCase()];
    let next: string | undefined = value;
    if (kind) next = names[kind][value];
    else if (isKmsKey(key)) next = kms(value);
    else if (/^\s*[[{]/.test(value)) {
      try {
        next = JSON.stringify(nested(JSON.parse(value)));
        if (next === JSON.stringify(JSON.parse(value))) next = value; // untouched: keep as given
      } catch {
        next = value; // not JSON after all
      }
    }
    if (next !== undefined && next !== "") out[key] = next;
  }
  return out;
}
