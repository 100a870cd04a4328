// The security probe suite (issue 17): wire-level probes of the product's promises — four eyes,
// the audit log, exactly once, Teams authentication, ingest refusals, secrets, Slack deliveries,
// the playground's Host check, the directory budget — and the fuzzing of the three HTTP entry
// points. Everything in test/security, on its own: `npm run test:security`; .ci/run runs it as
// its own step. The ordinary `npm test` runs these files too.
import base from '../jest.config.js';

/** @type {import('jest').Config} */
export default {
  ...base,
  rootDir: '..',
  testMatch: ['<rootDir>/test/security/**/*.test.ts'],
  // a probe that breaks the bot can leave its servers or a database transaction open; the
  // failure is reported either way, and CI must not wait forever for the process to end
  forceExit: true,
};
