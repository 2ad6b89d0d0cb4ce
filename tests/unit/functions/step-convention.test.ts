/**
 * The step convention of docs/design.md ("Writing a step"), checked on every folder of functions/:
 * `<step>.ts` exports `<Step>Event` (a zod schema and its type) and `<step>(event: <Step>Event,
 * deps: <Step>Deps)` with no optional dependency; `handler.ts` is one `stepHandler({...})` that
 * imports only wiring, loads the config the one way (runConfig) and then takes its regions from it.
 */
import { readdirSync, readFileSync } from "node:fs";
import { join } from "node:path";
import ts from "typescript";
import { beforeAll, describe, expect, it } from "vitest";
import { FUNCTIONS } from "../../../state-machines/names.js";

const ROOT = join(import.meta.dirname, "../../..");
const FUNCTIONS_DIR = join(ROOT, "functions");
const pascal = (step: string) => step[0]?.toUpperCase() + step.slice(1);

/** What a handler may import: the clients, the clock, the env schemas, the middleware, the shared wiring and its own folder. */
const WIRING = [
  /^\.\.\/shared\/aws\/[a-z0-9-]+\.js$/,
  /^\.\.\/shared\/(clock|env|middleware|step-deps)\.js$/,
  /^\.\/[A-Za-z0-9-]+\.js$/,
];

/** The one step whose logic reads config/<app>.json itself: it resolves the app from the execution input and validates its config. */
const READS_OWN_CONFIG = "validateInput";

/** Steps that act only on the orchestrator's own resources (lock, executions, topic, bucket): env.AWS_REGION. */
const ORCHESTRATOR_ONLY = ["aftermath", "notify", "resume", "validateInput", "writeReport"];

const stepDirs = readdirSync(FUNCTIONS_DIR, { withFileTypes: true })
  .filter((d) => d.isDirectory() && d.name !== "shared")
  .map((d) => d.name)
  .sort();

let program: ts.Program;
let checker: ts.TypeChecker;

beforeAll(() => {
  const roots = stepDirs.flatMap((s) => [
    join(FUNCTIONS_DIR, s, `${s}.ts`),
    join(FUNCTIONS_DIR, s, "handler.ts"),
  ]);
  const options: ts.CompilerOptions = {
    target: ts.ScriptTarget.ES2022,
    module: ts.ModuleKind.NodeNext,
    moduleResolution: ts.ModuleResolutionKind.NodeNext,
    strict: true,
    exactOptionalPropertyTypes: true,
    skipLibCheck: true,
    noEmit: true,
    types: ["node"],
  };
  // The SDK's and the middleware's declarations are not needed to read the steps' own types: left
  // empty, they keep the program small (zod's stay: the events are checked to be schemas).
  const host = ts.createCompilerHost(options);
  const read = host.getSourceFile.bind(host);
  host.getSourceFile = (name, language, ...rest) =>
    /node_modules\/(@aws-sdk|@smithy|@aws-lambda-powertools|@middy|@aws-crypto)\//.test(name)
      ? ts.createSourceFile(name, "export {};", language)
      : read(name, language, ...rest);
  program = ts.createProgram(roots, options, host);
  checker = program.getTypeChecker();
}, 60_000);

function sourceOf(path: string): ts.SourceFile {
  const file = program.getSourceFile(path);
  if (!file) throw new Error(`${path} is not in the program`);
  return file;
}

function exportsOf(file: ts.SourceFile): Map<string, ts.Symbol> {
  const module = checker.getSymbolAtLocation(file);
  const symbols = module ? checker.getExportsOfModule(module) : [];
  return new Map(symbols.map((s) => [s.name, s]));
}

function importsOf(file: ts.SourceFile): string[] {
  return file.statements
    .filter(ts.isImportDeclaration)
    .map((d) => (d.moduleSpecifier as ts.StringLiteral).text);
}

/** The step function's declaration (an exported `async function <step>(...)`). */
function stepFunction(file: ts.SourceFile, step: string): ts.FunctionDeclaration | undefined {
  return file.statements.find(
    (s): s is ts.FunctionDeclaration => ts.isFunctionDeclaration(s) && s.name?.text === step,
  );
}

describe("the step convention (docs/design.md, Writing a step)", () => {
  it("every function in state-machines/names.ts has its folder, and every folder is a function", () => {
    expect(stepDirs).toEqual([...FUNCTIONS].sort());
  });

  describe.each(stepDirs)("%s", (step) => {
    const Step = pascal(step);
    const logicPath = join(FUNCTIONS_DIR, step, `${step}.ts`);
    const handlerPath = join(FUNCTIONS_DIR, step, "handler.ts");

    it(`${step}.ts exports ${Step}Event as a zod schema and its type`, () => {
      const symbol = exportsOf(sourceOf(logicPath)).get(`${Step}Event`);
      expect(symbol, `${Step}Event is not exported`).toBeDefined();
      if (!symbol) return;
      const target = symbol.flags & ts.SymbolFlags.Alias ? checker.getAliasedSymbol(symbol) : symbol;
      expect(target.flags & ts.SymbolFlags.Value, `${Step}Event is not a value (the schema)`).toBeTruthy();
      expect(target.flags & ts.SymbolFlags.Type, `${Step}Event is not a type`).toBeTruthy();
      const schema = checker.getTypeOfSymbol(target);
      expect(schema.getProperty("safeParse"), `${Step}Event is not a zod schema`).toBeDefined();
    });

    it(`${step}.ts exports ${step}(event: ${Step}Event, deps: ${Step}Deps)`, () => {
      const file = sourceOf(logicPath);
      const fn = stepFunction(file, step);
      expect(fn, `no function ${step} in ${step}.ts`).toBeDefined();
      if (!fn) return;
      expect(fn.modifiers?.some((m) => m.kind === ts.SyntaxKind.ExportKeyword)).toBe(true);
      expect(fn.parameters.map((p) => [p.name.getText(file), p.type?.getText(file)])).toEqual([
        ["event", `${Step}Event`],
        ["deps", `${Step}Deps`],
      ]);
      expect(exportsOf(file).has(`${Step}Deps`), `${Step}Deps is not exported`).toBe(true);
    });

    it(`${Step}Deps has no optional member (now, config, clients and tunables are all given)`, () => {
      const fn = stepFunction(sourceOf(logicPath), step);
      const deps = fn?.parameters[1];
      expect(deps).toBeDefined();
      if (!deps) return;
      const type = checker.getTypeAtLocation(deps);
      const optional = checker
        .getPropertiesOfType(type)
        .filter((p) => p.flags & ts.SymbolFlags.Optional)
        .map((p) => p.name);
      expect(optional).toEqual([]);
    });

    it("only the handler reads the clock; the logic gets deps.now", () => {
      const files = readdirSync(join(FUNCTIONS_DIR, step)).filter(
        (f) => f.endsWith(".ts") && f !== "handler.ts",
      );
      const readers = files.filter((f) =>
        importsOf(sourceOf(join(FUNCTIONS_DIR, step, f))).includes("../shared/clock.js"),
      );
      expect(readers).toEqual([]);
    });

    it("the logic gets the config from the handler", () => {
      const text = readFileSync(logicPath, "utf8");
      expect(/\bloadConfig\(/.test(text)).toBe(step === READS_OWN_CONFIG);
    });

    it("handler.ts imports only wiring and exports only the handler", () => {
      const file = sourceOf(handlerPath);
      const foreign = importsOf(file).filter((m) => !WIRING.some((re) => re.test(m)));
      expect(foreign).toEqual([]);
      expect([...exportsOf(file).keys()]).toEqual(["handler"]);
    });

    it("handler.ts is one stepHandler({ step, event, env, run }) for this step", () => {
      const text = readFileSync(handlerPath, "utf8");
      expect(text.match(/\bstepHandler\(\{/g)).toHaveLength(1);
      expect(text).toContain(`step: "${step}",`);
      expect(text).toContain(`event: ${Step}Event,`);
      expect(text).toContain(`env: STEP_ENV.${step},`);
      expect(
        text.match(new RegExp(`\\b${step}\\(event, \\{`, "g")),
        `${step}(event, {...}) once`,
      ).toHaveLength(1);
    });

    it("the handler loads the config (runConfig) when the step's deps take it or it acts in the app's regions", () => {
      const text = readFileSync(handlerPath, "utf8");
      const deps = stepFunction(sourceOf(logicPath), step)?.parameters[1];
      const takesConfig =
        deps !== undefined && checker.getTypeAtLocation(deps).getProperty("config") !== undefined;
      const needsConfig = takesConfig || !ORCHESTRATOR_ONLY.includes(step);
      expect(text.includes("await runConfig(env, event.")).toBe(needsConfig);
      expect(text).not.toContain("loadConfig");
    });

    it("the handler takes the app's regions from the config, the orchestrator's own from env.AWS_REGION", () => {
      const text = readFileSync(handlerPath, "utf8");
      if (ORCHESTRATOR_ONLY.includes(step)) expect(text).not.toMatch(/regions\.(recovery|primary)/);
      else expect(text).not.toContain("AWS_REGION");
    });
  });
});
