/** The SSM parameter a resource's integration writes (its endpoint, file system id or table name). */
import { fail, type Target, type TickContext } from "./tick.js";

/**
 * Writes `run.parameterPrefix + integrate.ssmParameter`: failover overwrites the production
 * parameter; a drill creates it under its own prefix (Overwrite=false: a conflict is fine only
 * when the parameter already holds our value, i.e. a retried tick). Once per value: a later look
 * at the resource (a mount in progress) finds it in the journal.
 */
export async function writeParameter(ctx: TickContext, t: Target, value: string): Promise<void> {
  if (!t.integrate.ssmParameter) return;
  const name = `${ctx.run.parameterPrefix}${t.integrate.ssmParameter}`;
  const entry = `wrote ${name} = ${value}`;
  if (t.record.actions.includes(entry)) return;
  const description = `drctl ${ctx.run.name}: ${t.plan.name}`;
  if (ctx.run.mode === "failover") {
    await ctx.apis.ssm.putParameter(name, value, { overwrite: true, description });
  } else {
    const put = await ctx.apis.ssm.putParameter(name, value, {
      overwrite: false,
      tags: ctx.tags,
      description,
    });
    if (put === "exists") {
      const current = await ctx.apis.ssm.getParameter(name);
      if (current !== value) fail(t, `SSM parameter ${name} exists with another value (${current})`);
    }
  }
  if (!t.record.parameters.includes(name)) t.record.parameters.push(name);
  t.record.actions.push(entry);
}
