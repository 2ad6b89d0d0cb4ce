/**
 * Bundles every step handler exactly as the CDK construct does (infra/constructs/step-function.ts
 * STEP_BUNDLING: esbuild, ESM, minified, SDK v3 bundled) and prints the sizes. Exits 1 when the
 * largest bundle is 500 KiB or more, or when a handler is missing.
 *
 *   npx tsx scripts/bundle-size.ts            # what gets deployed
 *   npx tsx scripts/bundle-size.ts --top 5    # plus the 5 largest packages of each bundle
 *   npx tsx scripts/bundle-size.ts --sdk-external   # what-if: SDK v3 from the Lambda runtime
 */
import { existsSync } from "node:fs";
import { gzipSync } from "node:zlib";
import { build, type Metafile } from "esbuild";
import { handlerEntry, PROJECT_ROOT, STEP_BUNDLING } from "../infra/constructs/step-function.js";
import { FUNCTIONS, type FunctionKey } from "../state-machines/names.js";

export const LIMIT_BYTES = 500 * 1024;

export interface BundleSize {
  key: FunctionKey;
  bytes: number;
  gzipBytes: number;
  packages: [string, number][];
}

/** esbuild options equivalent to the CLI flags aws-lambda-nodejs derives from STEP_BUNDLING. */
export async function bundle(key: FunctionKey, sdkExternal = false): Promise<BundleSize> {
  const result = await build({
    absWorkingDir: PROJECT_ROOT,
    entryPoints: [handlerEntry(key)],
    bundle: true,
    platform: "node",
    target: STEP_BUNDLING.target,
    format: STEP_BUNDLING.format,
    minify: STEP_BUNDLING.minify,
    mainFields: [...STEP_BUNDLING.mainFields],
    banner: { js: STEP_BUNDLING.banner },
    external: sdkExternal ? ["@aws-sdk/*", "@smithy/*"] : [...STEP_BUNDLING.externalModules],
    outfile: "index.mjs",
    write: false,
    metafile: true,
    logLevel: "error",
  });
  const code = result.outputFiles.find((f) => f.path.endsWith(".mjs"));
  if (!code) throw new Error(`${key}: esbuild produced no index.mjs`);
  return {
    key,
    bytes: code.contents.byteLength,
    gzipBytes: gzipSync(code.contents).byteLength,
    packages: byPackage(result.metafile),
  };
}

/** Output bytes per npm package (or "(drctl)" for the project's own code). */
function byPackage(meta: Metafile): [string, number][] {
  const totals = new Map<string, number>();
  for (const output of Object.values(meta.outputs)) {
    for (const [input, { bytesInOutput }] of Object.entries(output.inputs)) {
      const match = /node_modules\/((?:@[^/]+\/)?[^/]+)/.exec(input);
      const name = match?.[1] ?? "(drctl)";
      totals.set(name, (totals.get(name) ?? 0) + bytesInOutput);
    }
  }
  return [...totals.entries()].sort((a, b) => b[1] - a[1]);
}

const kib = (n: number): string => `${(n / 1024).toFixed(1)} KiB`;

async function main(argv: string[]): Promise<number> {
  const sdkExternal = argv.includes("--sdk-external");
  const topAt = argv.indexOf("--top");
  const top = topAt >= 0 ? Number(argv[topAt + 1] ?? 5) : 0;
  const missing = FUNCTIONS.filter((key) => !existsSync(handlerEntry(key)));
  const present = FUNCTIONS.filter((key) => !missing.includes(key));
  const sizes = await Promise.all(present.map((key) => bundle(key, sdkExternal)));
  sizes.sort((a, b) => b.bytes - a.bytes);

  console.log(`Step bundles (esbuild ${sdkExternal ? "with @aws-sdk/* external" : "as deployed"}):`);
  console.log(`${"function".padEnd(16)}${"index.mjs".padStart(14)}${"gzip".padStart(14)}  status`);
  for (const s of sizes) {
    const status = s.bytes >= LIMIT_BYTES ? `>= ${kib(LIMIT_BYTES)}` : "ok";
    console.log(`${s.key.padEnd(16)}${kib(s.bytes).padStart(14)}${kib(s.gzipBytes).padStart(14)}  ${status}`);
    if (top > 0) {
      for (const [name, bytes] of s.packages.slice(0, top))
        console.log(`    ${kib(bytes).padStart(12)}  ${name}`);
    }
  }
  for (const key of missing)
    console.log(`${key.padEnd(16)}${"-".padStart(14)}${"-".padStart(14)}  missing handler`);

  const largest = sizes[0];
  if (missing.length > 0) {
    console.error(`\nmissing handlers: ${missing.map((k) => `functions/${k}/handler.ts`).join(", ")}`);
    return 1;
  }
  if (largest && largest.bytes >= LIMIT_BYTES) {
    console.error(
      `\nlargest bundle ${largest.key} is ${kib(largest.bytes)} (limit: under ${kib(LIMIT_BYTES)})`,
    );
    return 1;
  }
  console.log(
    `\nlargest bundle ${largest?.key ?? "-"}: ${kib(largest?.bytes ?? 0)} (limit: under ${kib(LIMIT_BYTES)})`,
  );
  return 0;
}

if (import.meta.url === `file://${process.argv[1]}`) {
  main(process.argv.slice(2)).then(
    (code) => process.exit(code),
    (err: unknown) => {
      console.error(err);
      process.exit(1);
    },
  );
}
