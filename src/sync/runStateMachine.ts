// The states of a run and the moves between them (PURE). The store applies a move only if the
// run is still in the state the move starts from, so two simultaneous clicks make one change.
//
//   validating → validated_clean | validated_with_errors → upload_requested
//     → approved | rejected | expired;  approved → uploading | expired
//     uploading → succeeded | partially_failed | failed;  partially_failed | failed → uploading (retry)

export const RUN_STATES = [
  'validating',
  'validated_clean',
  'validated_with_errors',
  'upload_requested',
  'approved',
  'rejected',
  'expired',
  'uploading',
  'succeeded',
  'partially_failed',
  'failed',
] as const;
export type RunState = (typeof RUN_STATES)[number];

export type RunEvent =
  | 'validation_clean'
  | 'validation_with_errors'
  | 'request_upload'
  | 'approve'
  | 'reject'
  | 'expire'
  | 'start_upload'
  | 'upload_succeeded'
  | 'upload_partially_failed'
  | 'upload_failed';

const MOVES: Record<RunEvent, { from: readonly RunState[]; to: RunState }> = {
  validation_clean: { from: ['validating'], to: 'validated_clean' },
  validation_with_errors: { from: ['validating'], to: 'validated_with_errors' },
  request_upload: { from: ['validated_clean', 'validated_with_errors'], to: 'upload_requested' },
  approve: { from: ['upload_requested'], to: 'approved' },
  reject: { from: ['upload_requested'], to: 'rejected' },
  expire: { from: ['upload_requested', 'approved'], to: 'expired' },
  start_upload: { from: ['approved', 'partially_failed', 'failed'], to: 'uploading' },
  upload_succeeded: { from: ['uploading'], to: 'succeeded' },
  upload_partially_failed: { from: ['uploading'], to: 'partially_failed' },
  upload_failed: { from: ['uploading'], to: 'failed' },
};

export type Move =
  { ok: true; from: readonly RunState[]; to: RunState } | { ok: false; code: 'RUN_STATE'; message: string };

const WORDS: Record<RunState, string> = {
  validating: 'still validating',
  validated_clean: 'validated',
  validated_with_errors: 'validated with errors',
  upload_requested: 'waiting for approval',
  approved: 'approved',
  rejected: 'rejected',
  expired: 'expired',
  uploading: 'uploading',
  succeeded: 'uploaded',
  partially_failed: 'partially failed',
  failed: 'failed',
};

export const describeState = (state: RunState): string => WORDS[state];

export function nextState(current: RunState, event: RunEvent): Move {
  const move = MOVES[event];
  if (move.from.includes(current)) return { ok: true, from: move.from, to: move.to };
  return {
    ok: false,
    code: 'RUN_STATE',
    message: `the run is ${WORDS[current]}, so it cannot ${event.replace(/_/g, ' ')} (only when ${move.from
      .map((s) => WORDS[s])
      .join(' or ')})`,
  };
}

export const isRunState = (value: string): value is RunState =>
  (RUN_STATES as readonly string[]).includes(value);
