/**
 * Types for the world's handlers, derived from the SDK v3 client modules themselves: for each
 * `<Op>Command` class of a client (`typeof import("@aws-sdk/client-backup")`), the operation's
 * input and output (without `$metadata`) as the real API defines them. A handler typed with
 * `OpHandlers` gets its input typed and cannot return a member of the wrong type.
 *
 * Members the API does not have: TypeScript does not check excess properties of an object literal
 * returned by a contextually typed function (nor of one a `.map` callback returns), so `OpHandlers`
 * alone does not reject them. `serviceHandlers<M>()({ … })` does: it infers each handler's return
 * type and refuses, at any depth, a member the operation's output lacks (`Exact`). The service
 * handler maps of the world are all written that way:
 *
 *   export const backupHandlers = serviceHandlers<Backup>()({
 *     DescribeRestoreJob({ input }) { … return { RestoreJobId: input.RestoreJobId, … }; },
 *   });
 */
import type { Command } from "@smithy/core/client";
import type { StreamingBlobPayloadOutputTypes } from "@smithy/types";

/** The command instance a (concrete) class of the module constructs; never for anything else. */
type Instance<T> = T extends new (...args: never) => infer C ? C : never;

/** The operation names of a client module: `Foo` for every concrete `FooCommand` class. */
export type OperationName<M> = {
  [K in keyof M]: K extends `${infer Op}Command`
    ? [Instance<M[K]>] extends [never]
      ? never
      : Instance<M[K]> extends Command<infer _I, infer _O, infer _C>
        ? Op
        : never
    : never;
}[keyof M] &
  string;

type CommandOf<M, Op extends string> = Instance<M[`${Op}Command` & keyof M]>;

/** The input of an operation, e.g. `OpInput<typeof import("@aws-sdk/client-ssm"), "GetParameter">`. */
export type OpInput<M, Op extends OperationName<M>> =
  CommandOf<M, Op> extends Command<infer I, infer _O, infer _C> ? I : never;

/** The members of an output that are a streaming payload (S3 GetObject's `Body`). */
type StreamMember<O> = {
  [K in keyof O]-?: NonNullable<O[K]> extends StreamingBlobPayloadOutputTypes ? K : never;
}[keyof O];

/** A streaming payload as a backend gives it: its text or bytes (the wire layer sends them as the body). */
type Payload<O> = [StreamMember<O>] extends [never]
  ? O
  : Omit<O, StreamMember<O>> & { [K in StreamMember<O>]?: string | Uint8Array | undefined };

/** The output of an operation, without the SDK's `$metadata` (a streaming payload as text or bytes). */
export type OpOutput<M, Op extends OperationName<M>> =
  CommandOf<M, Op> extends Command<infer _I, infer O, infer _C> ? Payload<Omit<O, "$metadata">> : never;

/** A handler of one operation: the context with its typed input in, the typed output out. */
export type OpHandler<M, Op extends OperationName<M>, Ctx extends { input: unknown }> = (
  ctx: Omit<Ctx, "input"> & { input: OpInput<M, Op> },
) => OpOutput<M, Op>;

/** Handlers of (some of) a client's operations. */
export type OpHandlers<M, Ctx extends { input: unknown }> = {
  [Op in OperationName<M>]?: OpHandler<M, Op, Ctx>;
};

/** Handlers that may answer asynchronously (a backend that awaits, as Step Functions' StopExecution). */
export type AsyncOpHandlers<M, Ctx extends { input: unknown }> = {
  [Op in OperationName<M>]?: (
    ctx: Omit<Ctx, "input"> & { input: OpInput<M, Op> },
  ) => OpOutput<M, Op> | Promise<OpOutput<M, Op>>;
};

type Scalar = string | number | boolean | bigint | Date | Uint8Array | null | undefined;

/**
 * `T` (a value a handler builds) with every member the SDK shape `S` lacks, at any depth, typed
 * `never`: `T` is assignable to `Exact<T, S>` only when it has no such member.
 */
export type Exact<T, S> = T extends Scalar
  ? T
  : T extends readonly (infer E)[]
    ? NonNullable<S> extends readonly (infer SE)[]
      ? Exact<E, SE>[]
      : T
    : { [K in keyof T]: K extends keyof NonNullable<S> ? Exact<T[K], NonNullable<S>[K]> : never };

/** A handler's result (or the value its promise resolves to) as it must be: `Exact`. */
type ExactResult<R, S> = R extends Promise<infer A> ? Promise<Exact<A, S>> : Exact<R, S>;

/** Each handler of `H` as it must be: returning nothing the operation's output lacks. */
export type ExactHandlers<H, M> = {
  [Op in keyof H]: Op extends OperationName<M>
    ? H[Op] extends (...args: never) => infer R
      ? (ctx: never) => ExactResult<R, OpOutput<M, Op>>
      : H[Op]
    : H[Op];
};

/**
 * Declares handlers of a client's operations: `typedHandlers<typeof ssm, Ctx>()({ … })` types
 * each handler's input and output (as `OpHandlers`) and also refuses members the output lacks.
 * An identity at run time.
 */
export function typedHandlers<M, Ctx extends { input: unknown }>() {
  return <H extends OpHandlers<M, Ctx>>(handlers: H & ExactHandlers<H, M>): OpHandlers<M, Ctx> => handlers;
}

/** `typedHandlers` for handlers that may answer with a promise (`AsyncOpHandlers`). */
export function asyncTypedHandlers<M, Ctx extends { input: unknown }>() {
  return <H extends AsyncOpHandlers<M, Ctx>>(handlers: H & ExactHandlers<H, M>): AsyncOpHandlers<M, Ctx> =>
    handlers;
}
