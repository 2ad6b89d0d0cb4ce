process.env.AWS_SDK_JS_NODE_VERSION_SUPPORT_WARNING_DISABLED = "true";
const t0 = performance.now();
const { register } = await import("tsx/esm/api");
register();
await import("../scripts/polyfills.ts");
const r = await import("../scripts/sandbox/runner.ts");
console.log("imported", Math.round(performance.now() - t0));
const res = await r.runLocalDrill({ scenarioPath: "/tmp/scn/shop-drill.yaml", outDir: "/tmp/drill1", print: (l) => console.log(Math.round(performance.now() - t0), l) });
console.log("done", Math.round(performance.now() - t0), res.exitCode);
