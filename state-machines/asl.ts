/** Amazon States Language (JSONPath flavour) types: just what the recovery machine uses. */

export interface Retrier {
  ErrorEquals: string[];
  IntervalSeconds?: number;
  MaxAttempts?: number;
  BackoffRate?: number;
  MaxDelaySeconds?: number;
  JitterStrategy?: "FULL" | "NONE";
}

export interface Catcher {
  ErrorEquals: string[];
  ResultPath?: string;
  Next: string;
}

type Transition = { Next: string; End?: never } | { End: true; Next?: never };

interface Common {
  Comment?: string;
}

export type TaskState = Common &
  Transition & {
    Type: "Task";
    Resource: string;
    Parameters?: Record<string, unknown>;
    ResultSelector?: Record<string, unknown>;
    ResultPath?: string | null;
    OutputPath?: string;
    Retry: Retrier[];
    Catch?: Catcher[];
  } & ({ TimeoutSeconds: number } | { TimeoutSecondsPath: string });

export type PassState = Common &
  Transition & {
    Type: "Pass";
    Parameters?: Record<string, unknown>;
    Result?: unknown;
    ResultPath?: string | null;
  };

export type WaitState = Common &
  Transition & { Type: "Wait"; Seconds?: number; SecondsPath?: string; TimestampPath?: string };

export type Condition =
  | { Variable: string; StringEquals: string }
  | { Variable: string; BooleanEquals: boolean }
  | { Variable: string; IsPresent: boolean }
  | { Variable: string; NumericGreaterThan: number }
  | { And: Condition[] };

export type ChoiceRule = Condition & { Next: string };

export interface ChoiceState extends Common {
  Type: "Choice";
  Choices: ChoiceRule[];
  Default: string;
}

export type ParallelState = Common &
  Transition & {
    Type: "Parallel";
    Branches: Branch[];
    Parameters?: Record<string, unknown>;
    ResultSelector?: Record<string, unknown>;
    ResultPath?: string | null;
    Retry?: Retrier[];
    Catch?: Catcher[];
  };

export interface SucceedState extends Common {
  Type: "Succeed";
}

export interface FailState extends Common {
  Type: "Fail";
  Error?: string;
  Cause?: string;
  ErrorPath?: string;
  CausePath?: string;
}

export type State =
  | TaskState
  | PassState
  | WaitState
  | ChoiceState
  | ParallelState
  | SucceedState
  | FailState;

export interface Branch {
  StartAt: string;
  States: Record<string, State>;
}

export interface StateMachineDefinition extends Branch {
  Comment?: string;
  TimeoutSeconds?: number;
}
