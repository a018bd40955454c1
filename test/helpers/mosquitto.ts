/** A private Mosquitto on a free loopback port with its own config and persistence folder, which a test may stop and start. */
import { spawn, type ChildProcess } from 'node:child_process';
import { closeSync, mkdtempSync, openSync, readFileSync, writeFileSync } from 'node:fs';
import { connect } from 'node:net';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { freePort, waitFor } from './brokers.js';
import { stopProcess } from './processes.js';

export interface Mosquitto {
  url: string;
  dir: string;
  start(): Promise<void>;
  /** SIGTERM lets Mosquitto write its persistence file; SIGKILL does not. */
  stop(signal?: NodeJS.Signals): Promise<void>;
  /** The broker's own log (stdout and stderr of every start), for a failure message. */
  log(): string;
}

export async function createMosquitto(): Promise<Mosquitto> {
  const dir = mkdtempSync(join(tmpdir(), 'kutaisi-mosquitto-'));
  const port = await freePort();
  const config = join(dir, 'mosquitto.conf');
  const logFile = join(dir, 'mosquitto.log');
  writeFileSync(
    config,
    [
      `listener ${port} 127.0.0.1`,
      'allow_anonymous true',
      // Sessions and queued QoS 1 messages survive a restart.
      'persistence true',
      `persistence_location ${dir}/`,
      // Started as root (CI, containers) Mosquitto would switch to the user `mosquitto`, which cannot write our temp folder.
      'user root',
      'max_queued_messages 1000000',
      'max_queued_bytes 0',
      'log_dest stdout',
      '',
    ].join('\n'),
  );
  const url = `mqtt://127.0.0.1:${port}`;
  let child: ChildProcess | undefined;
  return {
    url,
    dir,
    start: async () => {
      const out = openSync(logFile, 'a');
      child = spawn('mosquitto', ['-c', config], { stdio: ['ignore', out, out] });
      closeSync(out);
      const started = child;
      await waitFor(
        `mosquitto to listen on ${port}`,
        async () => {
          if (started.exitCode !== null)
            throw new Error(`mosquitto exited: ${readFileSync(logFile, 'utf8')}`);
          return (await canConnect(port)) ? true : undefined;
        },
        15_000,
        50,
      );
    },
    stop: async (signal = 'SIGTERM') => {
      if (child) await stopProcess(child, signal);
      child = undefined;
    },
    log: () => readFileSync(logFile, 'utf8'),
  };
}

function canConnect(port: number): Promise<boolean> {
  return new Promise((resolve) => {
    const socket = connect(port, '127.0.0.1');
    socket.once('connect', () => {
      socket.destroy();
      resolve(true);
    });
    socket.once('error', () => resolve(false));
  });
}
