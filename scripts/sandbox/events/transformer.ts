/**
 * A rule target's input: the fixed `Input`, the InputTransformer, or the whole event
 * (https://docs.aws.amazon.com/eventbridge/latest/APIReference/API_InputTransformer.html,
 * https://docs.aws.amazon.com/eventbridge/latest/userguide/eb-transform-target-input.html).
 * InputPathsMap values are JSON paths in dot notation; each `<name>` of the template is replaced by
 * the value at its path: outside a JSON string as JSON (a string gets its quotes), inside a string
 * as the text of the value. A name the map does not define stays as written.
 */

export interface TargetInput {
  input?: string;
  inputTransformer?: { inputPathsMap?: Record<string, string>; inputTemplate: string };
}

function valueAt(event: unknown, path: string): unknown {
  if (path === "$") return event;
  if (!path.startsWith("$.")) throw new Error(`InputPathsMap: '${path}' is not a JSON path in dot notation`);
  return path
    .slice(2)
    .split(".")
    .reduce<unknown>(
      (v, k) => (v !== null && typeof v === "object" ? (v as Record<string, unknown>)[k] : undefined),
      event,
    );
}

export function targetInput(target: TargetInput, event: unknown): string {
  if (target.input !== undefined) return target.input;
  const t = target.inputTransformer;
  if (!t) return JSON.stringify(event);
  const values = new Map(Object.entries(t.inputPathsMap ?? {}).map(([k, p]) => [k, valueAt(event, p)]));
  let out = "";
  let inString = false;
  const text = t.inputTemplate;
  for (let i = 0; i < text.length; i++) {
    const c = text[i] as string;
    if (c === "\\" && inString) {
      out += text.slice(i, i + 2);
      i++;
      continue;
    }
    if (c === '"') inString = !inString;
    const m = c === "<" ? /^<([A-Za-z0-9_.-]+)>/.exec(text.slice(i)) : null;
    if (m && values.has(m[1] as string)) {
      const v = values.get(m[1] as string);
      const json = JSON.stringify(v ?? null);
      out += inString
        ? typeof v === "string"
          ? JSON.stringify(v).slice(1, -1)
          : json.replace(/"/g, '\\"')
        : json;
      i += m[0].length - 1;
      continue;
    }
    out += c;
  }
  return out;
}
