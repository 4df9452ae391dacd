/**
 * Settings that are each valid but contradict each other. Each check names both settings and
 * says what would go wrong, so start-up refuses the pair instead of running into it later.
 */
import type { ConfigSchema } from './config-schema.js';

type Label = (key: keyof ConfigSchema) => string;

interface Rule {
  holds(config: ConfigSchema): boolean;
  problem(config: ConfigSchema, label: Label): string;
}

const rules: readonly Rule[] = [
  {
    // The worker only sends while the lease outlives an attempt by a second; a delivery that
    // waited in its destination's queue needs some room left too.
    holds: (c) => c.leaseSeconds * 1000 >= c.deliveryTimeoutMs + 2000,
    problem: (c, label) =>
      `${label('leaseSeconds')} (${c.leaseSeconds} s) must be at least ${label('deliveryTimeoutMs')} (${c.deliveryTimeoutMs} ms) ` +
      'plus 2 s: a delivery whose lease cannot outlive its attempt is claimed, skipped and claimed again forever',
  },
  {
    holds: (c) => c.maxConcurrencyPerDestination <= c.maxInFlight,
    problem: (c, label) =>
      `${label('maxConcurrencyPerDestination')} (${c.maxConcurrencyPerDestination}) cannot exceed ${label('maxInFlight')} ` +
      `(${c.maxInFlight}): one destination could never use that many`,
  },
  {
    holds: (c) => c.amqpQueue !== c.amqpDeadLetterQueue,
    problem: (c, label) =>
      `${label('amqpQueue')} and ${label('amqpDeadLetterQueue')} are both "${c.amqpQueue}": dead-lettered messages would be consumed again`,
  },
  {
    // Integrated mode needs both: the URL to reach Crossbar, the key to read the account tree.
    holds: (c) => (c.kazooUrl === undefined) === (c.kazooApiKey === undefined),
    problem: (c, label) =>
      `${label('kazooUrl')} and ${label('kazooApiKey')} go together: Kazoo-integrated mode needs Crossbar's URL and the master ` +
      `account's API key (${c.kazooUrl === undefined ? label('kazooUrl') : label('kazooApiKey')} is missing)`,
  },
  {
    holds: (c) => c.retrySchedule.every((seconds) => seconds >= c.minRetryDelaySeconds),
    problem: (c, label) =>
      `${label('retrySchedule')} (${c.retrySchedule.join(',')}) has waits shorter than ${label('minRetryDelaySeconds')} ` +
      `(${c.minRetryDelaySeconds} s): retries that close together hammer a receiver that is already failing`,
  },
  {
    holds: (c) => c.pollIntervalMs < c.leaseSeconds * 1000,
    problem: (c, label) =>
      `${label('pollIntervalMs')} (${c.pollIntervalMs} ms) must be shorter than ${label('leaseSeconds')} (${c.leaseSeconds} s): ` +
      'leases would expire between two looks at the outbox',
  },
  {
    holds: (c) => c.pageSize <= c.maxPageSize,
    problem: (c, label) =>
      `${label('pageSize')} (${c.pageSize}) cannot exceed ${label('maxPageSize')} (${c.maxPageSize}): ` +
      'a client asking for the default page size would be refused',
  },
  {
    // The token-signing key is never kept in the store; beside SQLite it is generated into the data
    // directory, which MongoDB deployments (several instances, no shared disk) do not share.
    holds: (c) => c.mongodbUrl === undefined || c.jwtSecret !== undefined,
    problem: (_c, label) =>
      `${label('mongodbUrl')} needs ${label('jwtSecret')}: auth tokens are signed with a key the store never holds, and every ` +
      'instance must have the same one (make one with: openssl rand -base64 48)',
  },
  {
    // Node refuses to create a server whose headers may take longer than the whole request.
    holds: (c) => c.httpHeadersTimeoutMs <= c.httpRequestTimeoutMs,
    problem: (c, label) =>
      `${label('httpHeadersTimeoutMs')} (${c.httpHeadersTimeoutMs} ms) cannot exceed ${label('httpRequestTimeoutMs')} ` +
      `(${c.httpRequestTimeoutMs} ms): the headers are part of the request`,
  },
];

export function crossFieldProblems(config: ConfigSchema, label: Label): string[] {
  return rules.filter((rule) => !rule.holds(config)).map((rule) => rule.problem(config, label));
}
