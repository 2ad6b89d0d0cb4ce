/**
 * Each step imports the wrappers it calls from functions/shared/aws/<service>.ts (`backupFor(region)`,
 * `ssmFor(region)`, ...), so a bundle loads only the SDK clients it uses.
 */
export { resetApis } from "./aws/clients.js";
