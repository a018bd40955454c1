/**
 * A private Mosquitto for the device-ACL test, configured from the repository's own template
 * (config/mosquitto/mosquitto.conf) with the files `npm run mosquitto:auth` generates, and with
 * the template's commented TLS listener switched on when openssl can make a CA and a certificate
 * (the recipe in docs/security.md). Loopback ports only.
 */
import { execFileSync, spawn, spawnSync, type ChildProcess } from 'node:child_process';
import { mkdirSync, mkdtempSync, readFileSync, writeFileSync } from 'node:fs';
import { connect } from 'node:net';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { freePort, waitFor } from '../helpers/brokers.js';
import { stopProcess } from '../helpers/processes.js';

export interface AclMosquitto {
  url: string;
  /** mqtts:// URL of the TLS listener, with the CA that signed its certificate; undefined without openssl. */
  tls: { url: string; ca: Buffer } | undefined;
  log(): string;
  stop(): Promise<void>;
}

export function hasBinary(name: string): boolean {
  return spawnSync('sh', ['-c', `command -v ${name}`], { stdio: 'ignore' }).status === 0;
}

/** Runs the real generator script, as an operator would. */
export function generateAuthFiles(
  dir: string,
  env: { DEVICE_KEY: string; MQTT_USERNAME: string; MQTT_PASSWORD: string; MQTT_TOPIC_ROOT: string },
): void {
  execFileSync(process.execPath, ['--import', 'tsx', 'scripts/mosquitto-auth.ts', '--out', dir], {
    env: { ...process.env, PORTFOLIO: 'config/portfolio.yaml', ...env },
    stdio: ['ignore', 'ignore', 'inherit'],
  });
}

/** The recipe in docs/security.md: a CA, and a server certificate for 127.0.0.1 signed by it. */
function makeCertificates(dir: string): void {
  const run = (...args: string[]) => execFileSync('openssl', args, { cwd: dir, stdio: 'ignore' });
  run(
    'req',
    '-x509',
    '-newkey',
    'rsa:2048',
    '-nodes',
    '-days',
    '2',
    '-subj',
    '/CN=Kutaisi test CA',
    '-keyout',
    'ca.key',
    '-out',
    'ca.crt',
  );
  run(
    'req',
    '-newkey',
    'rsa:2048',
    '-nodes',
    '-subj',
    '/CN=127.0.0.1',
    '-keyout',
    'server.key',
    '-out',
    'server.csr',
  );
  writeFileSync(join(dir, 'san.ext'), 'subjectAltName=IP:127.0.0.1,DNS:localhost\n');
  run(
    'x509',
    '-req',
    '-in',
    'server.csr',
    '-CA',
    'ca.crt',
    '-CAkey',
    'ca.key',
    '-CAcreateserial',
    '-days',
    '2',
    '-extfile',
    'san.ext',
    '-out',
    'server.crt',
  );
}

export async function startAclMosquitto(generatedDir: string): Promise<AclMosquitto> {
  const dir = mkdtempSync(join(tmpdir(), 'kutaisi-acl-mosquitto-'));
  const port = await freePort();
  const tlsPort = hasBinary('openssl') ? await freePort() : undefined;
  const tlsDir = join(dir, 'tls');
  if (tlsPort !== undefined) {
    mkdirSync(tlsDir);
    makeCertificates(tlsDir);
  }
  const template = readFileSync('config/mosquitto/mosquitto.conf', 'utf8');
  const config = template.split('\n').map((line) => {
    if (line === 'listener 1883') return `listener ${port} 127.0.0.1`;
    if (line === '#listener 8883') return tlsPort === undefined ? line : `listener ${tlsPort} 127.0.0.1`;
    if (tlsPort !== undefined && /^#(cafile|certfile|keyfile|tls_version) /.test(line))
      return line.slice(1).replace('/mosquitto/config/tls', tlsDir);
    return line.replace('/mosquitto/config/generated', generatedDir).replace('/mosquitto/data/', `${dir}/`);
  });
  // Started as root (CI, containers) Mosquitto would switch to the user `mosquitto`, which cannot read our temp folder.
  config.push('user root', '');
  const configFile = join(dir, 'mosquitto.conf');
  writeFileSync(configFile, config.join('\n'));
  for (const needed of [
    `listener ${port} 127.0.0.1`,
    'allow_anonymous false',
    `password_file ${generatedDir}/passwd`,
    `acl_file ${generatedDir}/acl`,
  ])
    if (!config.includes(needed))
      throw new Error(`the template no longer has the line the test expects: ${needed}`);

  let output = '';
  const child: ChildProcess = spawn('mosquitto', ['-c', configFile], { stdio: ['ignore', 'pipe', 'pipe'] });
  child.stdout?.on('data', (chunk: Buffer) => (output += chunk.toString()));
  child.stderr?.on('data', (chunk: Buffer) => (output += chunk.toString()));
  await waitFor(
    `mosquitto to listen on ${port}`,
    async () => {
      if (child.exitCode !== null) throw new Error(`mosquitto exited (${child.exitCode}): ${output}`);
      return (await canConnect(port)) && (tlsPort === undefined || (await canConnect(tlsPort)))
        ? true
        : undefined;
    },
    15_000,
    50,
  );
  return {
    url: `mqtt://127.0.0.1:${port}`,
    tls:
      tlsPort === undefined
        ? undefined
        : { url: `mqtts://127.0.0.1:${tlsPort}`, ca: readFileSync(join(tlsDir, 'ca.crt')) },
    log: () => output,
    stop: async () => {
      await stopProcess(child, 'SIGTERM');
    },
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
