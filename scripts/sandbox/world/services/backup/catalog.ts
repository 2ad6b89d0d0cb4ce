/**
 * What exists by name in each region besides the network (ec2.ts seeds that): DB parameter,
 * cluster parameter and option groups, EC2 key pairs and KMS keys; and the account's IAM roles.
 * A restore whose metadata names one that does not exist in the recovery region fails there, as
 * the owning service's create call would (restore-checks.ts). Seeded lazily per world:
 *   - every region: the engines' default.* / default:* groups and the AWS managed aws/* keys;
 *   - the primary: each protected resource's production groups, key pair and KMS key (`source`);
 *   - the recovery region: the scenario network's keyPairs, groups and kmsKeys.
 */
import type { Region, WorldCore } from "../../model.js";
import { uuidFrom } from "../../naming.js";
import { sourceSettings } from "./source-metadata.js";

export interface Catalog {
  dbParameterGroups: Set<string>;
  dbClusterParameterGroups: Set<string>;
  optionGroups: Set<string>;
  keyPairs: Set<string>;
  /** KMS key id → its ARN. */
  kmsKeys: Map<string, string>;
  /** alias/… → key id. */
  kmsAliases: Map<string, string>;
}

/** Default groups RDS creates per engine family (DescribeDBParameterGroups of a fresh account). */
const DEFAULT_PARAMETER_GROUPS = [
  "default.postgres15",
  "default.postgres16",
  "default.mysql8.0",
  "default.aurora-postgresql15",
  "default.aurora-postgresql16",
  "default.aurora-mysql8.0",
];
const DEFAULT_CLUSTER_PARAMETER_GROUPS = [
  "default.aurora-postgresql15",
  "default.aurora-postgresql16",
  "default.aurora-mysql8.0",
];
const DEFAULT_OPTION_GROUPS = ["default:postgres-15", "default:postgres-16", "default:mysql-8-0"];
/** AWS managed keys that exist once a service has encrypted something in the region. */
const AWS_MANAGED_ALIASES = ["aws/rds", "aws/ebs", "aws/elasticfilesystem", "aws/dynamodb", "aws/backup"];

export const kmsKeyArn = (region: string, account: string, id: string) =>
  `arn:aws:kms:${region}:${account}:key/${id}`;

const catalogs = new WeakMap<Region, Catalog>();
const roles = new WeakMap<WorldCore, Set<string>>();

function seed(w: WorldCore, region: Region): Catalog {
  const cat: Catalog = {
    dbParameterGroups: new Set(DEFAULT_PARAMETER_GROUPS),
    dbClusterParameterGroups: new Set(DEFAULT_CLUSTER_PARAMETER_GROUPS),
    optionGroups: new Set(DEFAULT_OPTION_GROUPS),
    keyPairs: new Set(),
    kmsKeys: new Map(),
    kmsAliases: new Map(),
  };
  const addKey = (id: string) => cat.kmsKeys.set(id, kmsKeyArn(region.name, w.account, id));
  for (const alias of AWS_MANAGED_ALIASES) {
    const id = uuidFrom(w.scenario.name, "aws-managed-key", region.name, alias);
    addKey(id);
    cat.kmsAliases.set(`alias/${alias}`, id);
  }
  if (region === w.primary) {
    for (const res of w.scenario.resources) {
      const src = sourceSettings(w, res);
      if (src.dbParameterGroup) cat.dbParameterGroups.add(src.dbParameterGroup);
      if (src.dbClusterParameterGroup) cat.dbClusterParameterGroups.add(src.dbClusterParameterGroup);
      if (src.optionGroup) cat.optionGroups.add(src.optionGroup);
      if (src.keyName) cat.keyPairs.add(src.keyName);
      addKey(src.kmsKeyId);
    }
  } else if (region === w.recovery) {
    const net = w.scenario.network;
    for (const k of net.keyPairs) cat.keyPairs.add(k);
    for (const g of net.dbParameterGroups) cat.dbParameterGroups.add(g);
    for (const g of net.dbClusterParameterGroups) cat.dbClusterParameterGroups.add(g);
    for (const g of net.optionGroups) cat.optionGroups.add(g);
    for (const k of net.kmsKeys) addKey(k);
  }
  return cat;
}

export function catalogOf(w: WorldCore, region: Region): Catalog {
  let cat = catalogs.get(region);
  if (!cat) {
    cat = seed(w, region);
    catalogs.set(region, cat);
  }
  return cat;
}

/** True when a KMS key reference (id, key ARN, alias name or alias ARN) resolves in the region. */
export function kmsKeyExists(w: WorldCore, region: Region, ref: string): boolean {
  const cat = catalogOf(w, region);
  const arn = /^arn:aws[a-z-]*:kms:([^:]+):(\d{12}):(key|alias)\/(.+)$/.exec(ref);
  if (arn) {
    if (arn[1] !== region.name || arn[2] !== w.account) return false;
    return arn[3] === "key" ? cat.kmsKeys.has(arn[4] ?? "") : cat.kmsAliases.has(`alias/${arn[4]}`);
  }
  return ref.startsWith("alias/") ? cat.kmsAliases.has(ref) : cat.kmsKeys.has(ref);
}

/**
 * IAM roles of the account (ARNs): drctl's restore role, the AWS Backup default service role and
 * the scenario's `iamRoles` (e.g. the guide's AWSBackupServiceRole).
 */
export function rolesOf(w: WorldCore): Set<string> {
  let set = roles.get(w);
  if (!set) {
    const names = ["drctl-restore", "service-role/AWSBackupDefaultServiceRole", ...w.scenario.iamRoles];
    set = new Set(names.map((n) => `arn:aws:iam::${w.account}:role/${n}`));
    roles.set(w, set);
  }
  return set;
}
