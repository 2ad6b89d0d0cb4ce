// Node 20 lacks Promise.withResolvers, which aws-local-stepfunctions uses.
import "../scripts/polyfills.js";
