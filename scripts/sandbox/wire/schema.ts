/**
 * The service models, read from the static Smithy schemas the AWS SDK v3 clients embed (`Foo$`
 * exports of `@aws-sdk/client-*`) through the SDK's own reader, `NormalizedSchema` of
 * `@smithy/core/schema`: member traits, list/map members, XML names, timestamp formats and HTTP
 * bindings all come from there. What NormalizedSchema does not expose is added here: which
 * members are required, and synthetic structures (a subset of members under another name) built
 * the way the SDK builds its own HTTP body schemas.
 */
import { NormalizedSchema, translateTraits } from "@smithy/core/schema";
import type { SchemaTraitsObject, StaticOperationSchema, StaticStructureSchema } from "@smithy/types";

export type Schema = NormalizedSchema;
export type Traits = SchemaTraitsObject;

/** An operation of a service model. */
export interface Operation {
  name: string;
  traits: Traits;
  input: Schema;
  output: Schema;
  /** [method, uri template, success code] for REST protocols. */
  http: [string, string, number] | undefined;
}

/** Everything the wire layer needs of one SDK client package. */
export interface ServiceModel {
  operations: Map<string, Operation>;
  /** Modeled errors by name and by their awsQueryError code. */
  errors: Map<string, Schema>;
}

const isStatic = (value: unknown): value is unknown[] => Array.isArray(value) && value.length >= 5;

export function modelFromModule(mod: Record<string, unknown>): ServiceModel {
  const operations = new Map<string, Operation>();
  const errors = new Map<string, Schema>();
  for (const [key, value] of Object.entries(mod)) {
    if (!key.endsWith("$") || !isStatic(value)) continue;
    if (value[0] === 9 && value.length >= 6) {
      const op = value as StaticOperationSchema;
      const traits = translateTraits(op[3]);
      operations.set(op[2], {
        name: op[2],
        traits,
        input: NormalizedSchema.of(op[4]),
        output: NormalizedSchema.of(op[5]),
        http: traits.http as [string, string, number] | undefined,
      });
    } else if (value[0] === -3) {
      const ns = NormalizedSchema.of(value as never);
      const name = ns.getName() ?? "";
      errors.set(name, ns);
      const aqe = ns.getMergedTraits().awsQueryError;
      if (Array.isArray(aqe) && typeof aqe[0] === "string") errors.set(aqe[0], ns);
    }
  }
  return { operations, errors };
}

/**
 * The HTTP status of a modeled error: its `httpError` trait, else Smithy's default for the
 * `error` trait (400 for "client", 500 for "server"); undefined for an error the model lacks.
 */
export function errorStatus(model: ServiceModel, code: string): number | undefined {
  const traits = model.errors.get(code)?.getMergedTraits();
  if (!traits) return undefined;
  if (typeof traits.httpError === "number") return traits.httpError;
  return traits.error === "server" ? 500 : 400;
}

/** The static structure behind a structure schema (undefined for unit and non-structures). */
function staticStruct(ns: Schema): StaticStructureSchema | undefined {
  const sc = ns.getSchema();
  return ns.isStructSchema() && isStatic(sc) ? (sc as StaticStructureSchema) : undefined;
}

const memberSets = new WeakMap<object, ReadonlySet<string>>();
const requiredSets = new WeakMap<object, ReadonlySet<string>>();

/** The member names of a structure. */
export function memberNames(ns: Schema): ReadonlySet<string> {
  const sc = staticStruct(ns);
  if (!sc) return new Set();
  let set = memberSets.get(sc);
  if (!set) {
    set = new Set(sc[4]);
    memberSets.set(sc, set);
  }
  return set;
}

/**
 * The required members of a structure: a static structure lists its required members first and
 * counts them in its 7th element (`[3, ns, name, traits, names, schemas, requiredCount?]`, the
 * count the SDK itself carries over to its synthetic body schemas).
 */
export function requiredMembers(ns: Schema): ReadonlySet<string> {
  const sc = staticStruct(ns);
  if (!sc) return new Set();
  let set = requiredSets.get(sc);
  if (!set) {
    set = new Set(sc[4].slice(0, typeof sc[6] === "number" ? sc[6] : 0));
    requiredSets.set(sc, set);
  }
  return set;
}

/** The members of a structure, as the SDK iterates them. */
export function members(ns: Schema): Iterable<[string, Schema]> {
  return ns.isStructSchema() ? ns.structIterator() : [];
}

/**
 * A structure of some of `ns`'s members, named `name` (default: `ns`'s own name), with `ns`'s
 * traits: what the SDK does for HTTP bodies (only the members without an HTTP binding), used
 * here also for the awsQuery `<OpResult>` element.
 */
export function subStructure(ns: Schema, keep: (member: string) => boolean, name?: string): Schema {
  const sc = staticStruct(ns);
  if (!sc) throw new Error(`schema: ${ns.getName()} is not a structure`);
  const names: string[] = [];
  const schemas: unknown[] = [];
  const required = requiredMembers(ns);
  let requiredCount = 0;
  sc[4].forEach((member, i) => {
    if (!keep(member)) return;
    if (required.has(member)) requiredCount++;
    names.push(member);
    schemas.push(sc[5][i]);
  });
  const sub = [3, sc[1], name ?? sc[2], ns.getMergedTraits(), names, schemas];
  if (requiredCount > 0) sub.push(requiredCount);
  return NormalizedSchema.of(sub as never);
}

/** The element / query key name of a member: its xmlName trait, else the member name. */
export function xmlName(member: Schema): string {
  return String(member.getMemberTraits().xmlName ?? member.getMemberName());
}
