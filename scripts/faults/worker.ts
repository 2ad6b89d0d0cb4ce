/**
 * A fault-matrix worker process: runs the scenarios it is sent, one at a time (a local run sets
 * the process's environment and clock), and sends back each outcome.
 */
import { type RunSpec, runSpec } from "./run-cell.js";

process.env.AWS_SDK_JS_NODE_VERSION_SUPPORT_WARNING_DISABLED = "true";
process.on("message", (spec: RunSpec) => {
  void runSpec(spec).then((outcome) => process.send?.(outcome));
});
process.send?.({ ready: true });
