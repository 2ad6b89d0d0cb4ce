/**
 * The hand-written codecs' view of a schema (kind, members, traits), now read through the SDK's
 * NormalizedSchema (schema.ts). Transitional: it goes when the codecs take NormalizedSchema.
 */
import type { NormalizedSchema } from "@smithy/core/schema";
import { requiredMembers, type Traits } from "./schema.js";

export type { Traits };

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

export interface Member {
  name: string;
  shape: Shape;
  required: boolean;
}

function kindOf(ns: NormalizedSchema): ShapeKind {
  if (ns.isUnitSchema()) return "unit";
  if (ns.isUnionSchema()) return "union";
  if (ns.isStructSchema()) return "structure";
  if (ns.isListSchema()) return "list";
  if (ns.isMapSchema()) return "map";
  if (ns.isNumericSchema()) return "number";
  if (ns.isBooleanSchema()) return "boolean";
  if (ns.isTimestampSchema()) return "timestamp";
  if (ns.isBlobSchema()) return "blob";
  if (ns.isDocumentSchema()) return "document";
  if (ns.isBigIntegerSchema()) return "bigInteger";
  if (ns.isBigDecimalSchema()) return "bigDecimal";
  return "string";
}

const shapes = new WeakMap<NormalizedSchema, Shape>();

export function shapeOf(ns: NormalizedSchema): Shape {
  let shape = shapes.get(ns);
  if (!shape) {
    shape = new Shape(ns);
    shapes.set(ns, shape);
  }
  return shape;
}

/** A shape as seen from one place in the model (a member carries its member traits). */
export class Shape {
  readonly kind: ShapeKind;
  readonly name: string;
  /** Own traits of the target shape merged with the member's traits (member wins). */
  readonly traits: Traits;
  /** Only the member's traits. */
  readonly memberTraits: Traits;
  /** Explicit timestamp format, when the model sets one. */
  readonly timestampFormat: TimestampFormat | undefined;
  private membersCache: Member[] | undefined;

  constructor(readonly ns: NormalizedSchema) {
    this.kind = kindOf(ns);
    this.name = ns.getName() ?? "";
    this.traits = ns.getMergedTraits();
    this.memberTraits = ns.getMemberTraits();
    const sc = ns.getSchema();
    this.timestampFormat = sc === 5 || sc === 6 || sc === 7 ? sc : undefined;
  }

  get streaming(): boolean {
    return this.ns.isStreaming();
  }

  /** List member / map value. */
  get member(): Shape {
    return shapeOf(this.ns.getValueSchema());
  }

  /** Map key. */
  get key(): Shape {
    return shapeOf(this.ns.getKeySchema());
  }

  get members(): Member[] {
    if (!this.membersCache) {
      const required = requiredMembers(this.ns);
      this.membersCache = this.ns.isStructSchema()
        ? [...this.ns.structIterator()].map(([name, m]) => ({
            name,
            shape: shapeOf(m),
            required: required.has(name),
          }))
        : [];
    }
    return this.membersCache;
  }

  member_(name: string): Member | undefined {
    return this.members.find((m) => m.name === name);
  }

  /** XML element name of this shape when it is a member (or a top-level structure). */
  xmlName(fallback: string): string {
    return String(this.memberTraits.xmlName ?? fallback);
  }
}
