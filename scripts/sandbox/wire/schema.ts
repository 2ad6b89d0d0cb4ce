/**
 * A reader for the static Smithy schemas the AWS SDK v3 clients embed (`Foo$` exports of
 * `@aws-sdk/client-*`): the wire layer is model-driven, so every operation of every client knows
 * its HTTP binding, member locations, XML names, list wrapping and timestamp formats.
 *
 * Static schema encoding (see @smithy/core/schema):
 * - numbers: 0 string, 1 number, 2 boolean, 4 timestamp (protocol default), 5 date-time,
 *   6 http-date, 7 epoch-seconds, 15 document, 17 big integer, 19 big decimal, 21 blob,
 *   42 streaming blob, 64|x list of x, 128|x map of string to x; "unit" = no shape;
 * - arrays [kind, namespace, name, traits, ...]: kind 0 simple (…, target), 1 list (…, member),
 *   2 map (…, key, value), 3 structure / -3 error / 4 union (…, memberNames, memberSchemas,
 *   requiredCount?), 9 operation (…, input, output);
 * - a member reference is [target, traits]; references may be thunks.
 * - traits: an object, or a bit field over TRAIT_BITS.
 */

export type Traits = Record<string, unknown>;

const TRAIT_BITS = [
  "httpLabel",
  "idempotent",
  "idempotencyToken",
  "sensitive",
  "httpPayload",
  "httpResponseCode",
  "httpQueryParams",
] as const;

export type ShapeKind =
  | "unit"
  | "string"
  | "number"
  | "boolean"
  | "timestamp"
  | "blob"
  | "document"
  | "bigInteger"
  | "bigDecimal"
  | "list"
  | "map"
  | "structure"
  | "union";

/** Timestamp formats as the static schemas number them. */
export type TimestampFormat = 5 | 6 | 7;
export const DATE_TIME = 5;
export const HTTP_DATE = 6;
export const EPOCH_SECONDS = 7;

type Ref = unknown;

function deref(ref: Ref): unknown {
  return typeof ref === "function" ? (ref as () => unknown)() : ref;
}

function isMemberRef(ref: unknown): ref is [Ref, unknown] {
  return Array.isArray(ref) && ref.length === 2;
}

function isStatic(sc: unknown): sc is unknown[] {
  return Array.isArray(sc) && sc.length >= 5;
}

function translateTraits(indicator: unknown): Traits {
  if (indicator && typeof indicator === "object") return indicator as Traits;
  const bits = typeof indicator === "number" ? indicator | 0 : 0;
  const traits: Traits = {};
  TRAIT_BITS.forEach((trait, i) => {
    if ((bits >> i) & 1) traits[trait] = 1;
  });
  return traits;
}

/** A shape as seen from one place in the model (a member carries its member traits). */
export class Shape {
  readonly kind: ShapeKind;
  /** Shape name without namespace ("" for anonymous simple shapes). */
  readonly name: string;
  readonly namespace: string;
  /** Own traits of the target shape merged with the member's traits (member wins). */
  readonly traits: Traits;
  /** Only the member's traits (where the SDK distinguishes, e.g. xmlName of a member). */
  readonly memberTraits: Traits;
  /** Explicit timestamp format, when the model sets one. */
  readonly timestampFormat: TimestampFormat | undefined;
  private readonly sc: unknown;
  private membersCache: Member[] | undefined;

  constructor(ref: Ref, memberTraits: Traits = {}) {
    let r = ref;
    const stack: unknown[] = [];
    while (isMemberRef(r)) {
      stack.push(r[1]);
      r = deref(r[0]);
    }
    const mt: Traits = {};
    for (let i = stack.length - 1; i >= 0; i--) Object.assign(mt, translateTraits(stack[i]));
    Object.assign(mt, memberTraits);
    let sc = deref(r);
    let own: Traits = {};
    this.name = "";
    this.namespace = "";
    if (isStatic(sc)) {
      this.namespace = String(sc[1]);
      this.name = String(sc[2]);
      own = translateTraits(sc[3]);
      if (sc[0] === 0) {
        // simple shape with traits: [0, ns, name, traits, target]
        sc = deref(sc[4]);
      }
    }
    this.sc = sc;
    this.memberTraits = mt;
    this.traits = { ...own, ...mt };
    this.kind = kindOf(sc);
    this.timestampFormat = typeof sc === "number" && sc >= 5 && sc <= 7 ? (sc as TimestampFormat) : undefined;
  }

  get streaming(): boolean {
    return this.sc === 42 || !!this.traits.streaming;
  }

  /** List member / map value. */
  get member(): Shape {
    const sc = this.sc;
    if (typeof sc === "number") return new Shape(sc & 0b0011_1111);
    if (isStatic(sc) && (sc[0] === 1 || sc[0] === 2)) return new Shape(sc[3 + (sc[0] as number)]);
    throw new Error(`schema: ${this.name} has no member`);
  }

  /** Map key. */
  get key(): Shape {
    const sc = this.sc;
    if (isStatic(sc) && sc[0] === 2) return new Shape(sc[4]);
    return new Shape(0);
  }

  get members(): Member[] {
    if (this.membersCache) return this.membersCache;
    const sc = this.sc;
    const out: Member[] = [];
    if (isStatic(sc) && (sc[0] === 3 || sc[0] === -3 || sc[0] === 4)) {
      const names = sc[4] as string[];
      const schemas = sc[5] as unknown[];
      const required = typeof sc[6] === "number" ? sc[6] : 0;
      names.forEach((name, i) => {
        const m = schemas[i];
        out.push({ name, shape: new Shape(isMemberRef(m) ? m : [m, 0]), required: i < required });
      });
    }
    this.membersCache = out;
    return out;
  }

  member_(name: string): Member | undefined {
    return this.members.find((m) => m.name === name);
  }

  /** XML element name of this shape when it is a member (or a top-level structure). */
  xmlName(fallback: string): string {
    const n = this.memberTraits.xmlName ?? fallback;
    return String(n);
  }
}

export interface Member {
  name: string;
  shape: Shape;
  required: boolean;
}

function kindOf(sc: unknown): ShapeKind {
  if (sc === "unit" || sc === undefined) return "unit";
  if (typeof sc === "number") {
    if (sc >= 64 && sc < 128) return "list";
    if (sc >= 128 && sc <= 255) return "map";
    switch (sc) {
      case 0:
        return "string";
      case 1:
        return "number";
      case 2:
        return "boolean";
      case 4:
      case 5:
      case 6:
      case 7:
        return "timestamp";
      case 15:
        return "document";
      case 17:
        return "bigInteger";
      case 19:
        return "bigDecimal";
      case 21:
      case 42:
        return "blob";
      default:
        return "string";
    }
  }
  if (isStatic(sc)) {
    switch (sc[0]) {
      case 1:
        return "list";
      case 2:
        return "map";
      case 3:
      case -3:
        return "structure";
      case 4:
        return "union";
      default:
        return "document";
    }
  }
  return "string";
}

/** An operation of a service model. */
export interface Operation {
  name: string;
  traits: Traits;
  input: Shape;
  output: Shape;
  /** [method, uri template, success code] for REST protocols. */
  http: [string, string, number] | undefined;
}

/** Everything the wire layer needs of one SDK client package. */
export interface ServiceModel {
  operations: Map<string, Operation>;
  /** Modeled errors by name and by their awsQueryError code. */
  errors: Map<string, Shape>;
}

export function modelFromModule(mod: Record<string, unknown>): ServiceModel {
  const operations = new Map<string, Operation>();
  const errors = new Map<string, Shape>();
  for (const [key, value] of Object.entries(mod)) {
    if (!key.endsWith("$") || !Array.isArray(value)) continue;
    if (value[0] === 9 && value.length >= 6) {
      const traits = translateTraits(value[3]);
      const http = (traits.http ?? undefined) as [string, string, number] | undefined;
      operations.set(String(value[2]), {
        name: String(value[2]),
        traits,
        input: new Shape(value[4]),
        output: new Shape(value[5]),
        http,
      });
    } else if (value[0] === -3) {
      const shape = new Shape(value);
      errors.set(shape.name, shape);
      const aqe = shape.traits.awsQueryError;
      if (Array.isArray(aqe) && typeof aqe[0] === "string") errors.set(aqe[0], shape);
    }
  }
  return { operations, errors };
}
