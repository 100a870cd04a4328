// The reliability suite (docs/quality.md "Reliability"): the crash, fault, duplicate-delivery and
// two-process tests that already live in the ordinary suites, selected by path and test name —
// nothing is copied here. `npm run test:reliability`; .ci/run runs it as its own step.
//
// Names are matched rather than file names for the chat tests, so the selection survives the
// Slack and Teams test files being split or renamed.
import base from '../jest.config.js';

/** @type {import('jest').Config} */
export default {
  ...base,
  rootDir: '..',
  testMatch: [
    '<rootDir>/test/e2e/uploadCrash.test.ts',
    '<rootDir>/test/e2e/jobWorkers.test.ts',
    '<rootDir>/test/integration/sync/uploadFaults*.test.ts',
    '<rootDir>/test/integration/**/slack*.test.ts',
    '<rootDir>/test/integration/**/teams*.test.ts',
  ],
  testNamePattern: [
    'crash during upload',
    'injected faults',
    'two worker processes',
    'across a restart',
    'graceful shutdown',
    'X-Slack-Retry-Num',
    'delivered \\d+ times',
    'double.click',
    // the approval card the Slack double-click test presses is posted by the test before it
    // (only that one: Teams' "Request upload" test needs the whole file's mappings before it)
    '"Request upload" posts an approval card',
  ].join('|'),
};
