/**
 * A RabbitMQ node of a test's own (its own name, port, data directory), for tests that restart a
 * broker: the shared one on 5672 is never touched. Uses the machine's rabbitmq-server; about six
 * seconds to start.
 */
import { execFile } from 'node:child_process';
import { chownSync, mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { createServer } from 'node:net';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { promisify } from 'node:util';

const run = promisify(execFile);

async function freePort(): Promise<number> {
  const server = createServer();
  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
  const address = server.address();
  await new Promise<void>((resolve) => server.close(() => resolve()));
  if (address === null || typeof address === 'string') throw new Error('no port');
  return address.port;
}

export interface BrokerNode {
  url: string;
  /** stop_app then start_app: connections dropped, transient exchanges and bindings gone. */
  restart(): Promise<void>;
  stop(): Promise<void>;
}

export async function startBrokerNode(): Promise<BrokerNode> {
  const dir = mkdtempSync(join(tmpdir(), 'callhook-broker-'));
  const name = `callhooktest${process.pid}${Date.now() % 100_000}@localhost`;
  const port = await freePort();
  const distPort = await freePort();
  writeFileSync(join(dir, 'enabled_plugins'), '[].\n');
  writeFileSync(join(dir, 'rabbitmq.conf'), `listeners.tcp.default = 127.0.0.1:${port}\nloopback_users = none\n`);
  // rabbitmq-server drops to the rabbitmq user; it must own its directory.
  const { stdout } = await run('id', ['-u', 'rabbitmq']).catch(() => ({ stdout: '' }));
  const { stdout: gid } = await run('id', ['-g', 'rabbitmq']).catch(() => ({ stdout: '' }));
  if (stdout.trim() !== '') {
    for (const path of [dir, join(dir, 'enabled_plugins'), join(dir, 'rabbitmq.conf')]) chownSync(path, Number(stdout), Number(gid));
  }
  const env = {
    ...process.env,
    RABBITMQ_NODENAME: name,
    RABBITMQ_DIST_PORT: String(distPort),
    RABBITMQ_CONFIG_FILE: join(dir, 'rabbitmq.conf'),
    RABBITMQ_MNESIA_BASE: join(dir, 'mnesia'),
    RABBITMQ_LOG_BASE: join(dir, 'log'),
    RABBITMQ_ENABLED_PLUGINS_FILE: join(dir, 'enabled_plugins'),
    RABBITMQ_PID_FILE: join(dir, 'pid'),
  };
  await run('rabbitmq-server', ['-detached'], { env });
  await run('rabbitmqctl', ['-n', name, 'wait', join(dir, 'pid'), '--timeout', '60'], { env });
  const ctl = (...args: string[]) => run('rabbitmqctl', ['-n', name, ...args], { env });
  return {
    url: `amqp://guest:guest@127.0.0.1:${port}`,
    async restart() {
      await ctl('stop_app');
      await ctl('start_app');
    },
    async stop() {
      await ctl('stop').catch(() => undefined);
      rmSync(dir, { recursive: true, force: true });
    },
  };
}
