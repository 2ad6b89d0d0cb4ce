/**
 * The scenario rules that span fields: distinct regions, the DNS record inside its zone, unique
 * resource names, dependsOn naming other resources without cycles, the integrate and source
 * fields each resource type accepts, resources found by the selection tags having nothing only a
 * config entry could hold, and faults naming resources, services and the stack.
 */
import type { z } from "zod";
import { faultService } from "./scenario-faults.js";
import { INTEGRATE_FIELDS } from "./scenario-fields.js";
import type { ScenarioFields } from "./scenario-schema.js";
import { selectedByTags } from "./scenario-selection.js";
import { SOURCE_FIELDS } from "./scenario-source.js";
import { SERVICES } from "./types.js";

/** The zod superRefine of the scenario schema: one custom issue per broken rule. */
export function checkScenario(s: ScenarioFields, ctx: z.RefinementCtx<ScenarioFields>): void {
  const names = s.resources.map((r) => r.name);
  const known = new Set(names);
  const allowedNames = names.join(" | ");
  if (s.regions.primary === s.regions.recovery) {
    ctx.addIssue({
      code: "custom",
      path: ["regions", "recovery"],
      message: "allowed: a region other than primary",
    });
  }
  if (!s.dns.record.toLowerCase().endsWith(s.dns.hostedZone.toLowerCase())) {
    ctx.addIssue({
      code: "custom",
      path: ["dns", "record"],
      message: `allowed: a name inside ${s.dns.hostedZone}`,
    });
  }
  const seen = new Set<string>();
  s.resources.forEach((r, i) => {
    if (seen.has(r.name)) {
      ctx.addIssue({
        code: "custom",
        path: ["resources", i, "name"],
        message: "allowed: a name not used by another resource",
      });
    }
    seen.add(r.name);
    r.dependsOn.forEach((dep, j) => {
      if (!known.has(dep) || dep === r.name) {
        ctx.addIssue({
          code: "custom",
          path: ["resources", i, "dependsOn", j],
          message: `allowed: ${names.filter((n) => n !== r.name).join(" | ") || "(no other resources)"}`,
        });
      }
    });
    for (const [field, perType] of [
      ["integrate", INTEGRATE_FIELDS],
      ["source", SOURCE_FIELDS],
    ] as const) {
      const allowed = perType[r.type];
      for (const key of Object.keys(r[field])) {
        if (!allowed.includes(key)) {
          ctx.addIssue({
            code: "custom",
            path: ["resources", i, field, key],
            message: `not allowed for type ${r.type}; allowed: ${allowed.join(" | ") || "(none)"}`,
          });
        }
      }
    }
    if (r.type === "ebs" && (r.integrate.attachToTag === undefined) !== (r.integrate.device === undefined)) {
      const missing = r.integrate.attachToTag === undefined ? "attachToTag" : "device";
      ctx.addIssue({
        code: "custom",
        path: ["resources", i, "integrate", missing],
        message: "required: ebs integration needs both attachToTag and device",
      });
    }
  });
  checkSelection(s, ctx);
  const cycle = findCycle(s.resources);
  if (cycle) {
    const at = s.resources.findIndex((r) => r.name === cycle[0]);
    ctx.addIssue({
      code: "custom",
      path: ["resources", at, "dependsOn"],
      message: `allowed: no dependsOn cycles (found ${cycle.join(" -> ")})`,
    });
  }
  s.faults.forEach((f, i) => {
    const ref = (key: string, value: string) => {
      if (!known.has(value)) {
        ctx.addIssue({ code: "custom", path: ["faults", i, key], message: `allowed: ${allowedNames}` });
      }
    };
    if ("call" in f) {
      const service = f.call.split(":")[0] ?? "";
      if (f.call.includes(":") && !faultService(f.call)) {
        ctx.addIssue({
          code: "custom",
          path: ["faults", i, "call"],
          message: `unknown service "${service}"; allowed services: ${SERVICES.join(" | ")}`,
        });
      }
      if (f.resource !== undefined) ref("resource", f.resource);
    } else if ("restore" in f) {
      ref("restore", f.restore);
    } else if ("recoveryPoints" in f) {
      ref("recoveryPoints", f.recoveryPoints);
    } else if (f.stack !== s.app.stackName) {
      ctx.addIssue({
        code: "custom",
        path: ["faults", i, "stack"],
        message: `allowed: ${s.app.stackName}`,
      });
    }
  });
}

function findCycle(resources: { name: string; dependsOn: string[] }[]): string[] | undefined {
  const deps = new Map(resources.map((r) => [r.name, r.dependsOn]));
  const state = new Map<string, "visiting" | "done">();
  const stack: string[] = [];
  const visit = (n: string): string[] | undefined => {
    if (state.get(n) === "done") return undefined;
    if (state.get(n) === "visiting") return [...stack.slice(stack.indexOf(n)), n];
    state.set(n, "visiting");
    stack.push(n);
    for (const d of deps.get(n) ?? []) {
      if (d === n || !deps.has(d)) continue;
      const c = visit(d);
      if (c) return c;
    }
    stack.pop();
    state.set(n, "done");
    return undefined;
  };
  for (const r of resources) {
    const c = visit(r.name);
    if (c) return c;
  }
  return undefined;
}

/** A resource drctl finds by the selection tags has no config entry: no dependsOn, integrate, dependents. */
function checkSelection(s: ScenarioFields, ctx: z.RefinementCtx<ScenarioFields>): void {
  const selected = new Set(s.resources.filter((r) => selectedByTags(s, r)).map((r) => r.name));
  s.resources.forEach((r, i) => {
    for (const field of ["dependsOn", "integrate"] as const) {
      if (selected.has(r.name) && Object.keys(r[field]).length > 0) {
        ctx.addIssue({
          code: "custom",
          path: ["resources", i, field],
          message: "not allowed: the resource matches selection.tags, so drctl's config does not list it",
        });
      }
    }
    r.dependsOn.forEach((dep, j) => {
      if (selected.has(dep)) {
        ctx.addIssue({
          code: "custom",
          path: ["resources", i, "dependsOn", j],
          message: `not allowed: ${dep} matches selection.tags, so drctl's config does not list it`,
        });
      }
    });
  });
}
