// What GET /readyz checks (docs/operations.md): the database answers a ping, the job worker is
// polling its store, and Autotask answers — by the client's recent requests or a cached
// credential-free probe, never an API call per probe; the built-in sandbox reports "sandbox".
import type { AutotaskClient } from '../autotask/autotaskClient.js';
import type { Config } from '../config.js';
import type { Database } from '../db/database.js';
import type { HealthProbe } from '../http/httpServer.js';
import type { JobScheduler } from '../jobs/jobScheduler.js';

export function readinessProbes(input: {
  config: Pick<Config, 'autotask'>;
  database: Pick<Database, 'ping'>;
  jobs: Pick<JobScheduler, 'readiness'>;
  autotask: Pick<AutotaskClient, 'reachability'>;
}): HealthProbe[] {
  return [
    { name: 'database', check: () => input.database.ping() },
    {
      name: 'jobs',
      check: async () => {
        const jobs = await input.jobs.readiness();
        return jobs.ready ? { state: 'ok' } : { state: 'failing', reason: jobs.reason };
      },
    },
    {
      name: 'autotask',
      check: async () => {
        if (input.config.autotask.mode === 'sandbox') return { state: 'sandbox' };
        const autotask = await input.autotask.reachability();
        return autotask.reachable ? { state: 'ok' } : { state: 'failing', reason: autotask.reason };
      },
    },
  ];
}
