import { RUN_STATES, nextState, type RunEvent, type RunState } from '../../../src/sync/runStateMachine.js';

describe('run state machine', () => {
  const path: [RunState, RunEvent, RunState][] = [
    ['validating', 'validation_clean', 'validated_clean'],
    ['validating', 'validation_with_errors', 'validated_with_errors'],
    ['validated_clean', 'request_upload', 'upload_requested'],
    ['validated_with_errors', 'request_upload', 'upload_requested'],
    ['upload_requested', 'approve', 'approved'],
    ['upload_requested', 'reject', 'rejected'],
    ['upload_requested', 'expire', 'expired'],
    ['approved', 'expire', 'expired'],
    ['approved', 'start_upload', 'uploading'],
    ['uploading', 'upload_succeeded', 'succeeded'],
    ['uploading', 'upload_partially_failed', 'partially_failed'],
    ['uploading', 'upload_failed', 'failed'],
    ['partially_failed', 'start_upload', 'uploading'],
    ['failed', 'start_upload', 'uploading'],
  ];

  it.each(path)('%s --%s--> %s', (from, event, to) => {
    expect(nextState(from, event)).toMatchObject({ ok: true, to });
  });

  it('refuses every other move, saying why', () => {
    const allowed = new Set(path.map(([from, event]) => `${from}:${event}`));
    const events = [...new Set(path.map(([, e]) => e))];
    for (const state of RUN_STATES)
      for (const event of events) {
        if (allowed.has(`${state}:${event}`)) continue;
        const move = nextState(state, event);
        expect(move).toMatchObject({ ok: false, code: 'RUN_STATE' });
      }
    expect(nextState('succeeded', 'start_upload')).toMatchObject({
      ok: false,
      message: expect.stringMatching(/run is uploaded, so it cannot start upload/),
    });
  });
});
