/**
 * (7) The peer: Node-RED 5 with the flow cities build by hand (mqtt in → json → InfluxDB out)
 * against our server writing to the same InfluxDB, both fed by the same publisher and broker.
 * Node-RED and its InfluxDB node are installed on first use into bench/.peer (git-ignored),
 * from the npm registry, so the project's own dependencies stay lean.
 */
import { execFileSync, spawn } from 'node:child_process';
import { existsSync, mkdirSync, writeFileSync } from 'node:fs';
import { join, resolve } from 'node:path';
import { createInfluxd, influxql } from '../test/helpers/influxd.js';
import { freePort, waitFor } from '../test/helpers/brokers.js';
import { has, publish, stopChild, tempDir } from './env.js';
import { ingestRate, type Rate } from './throughput.js';

const PEER = resolve('bench/.peer');
const RED = join(PEER, 'node_modules/node-red/red.js');

export interface NodeRedComparison {
  node_red: Rate & { complete: boolean };
  ours_influx: Rate;
  ratio: number;
  versions: Record<string, string>;
}

function ensurePeer(): void {
  if (existsSync(RED) && existsSync(join(PEER, 'node_modules/node-red-contrib-influxdb'))) return;
  process.stderr.write('bench: installing node-red@5 and node-red-contrib-influxdb into bench/.peer …\n');
  mkdirSync(PEER, { recursive: true });
  writeFileSync(join(PEER, 'package.json'), '{ "name": "bench-peer", "private": true }\n');
  execFileSync('npm', ['install', '--no-audit', '--no-fund', 'node-red@5', 'node-red-contrib-influxdb@0'], {
    cwd: PEER,
    stdio: 'ignore',
  });
}

// Node ids must not equal node type names (an id `json` makes Node-RED report a circular config dependency).
function flow(broker: URL, influx: URL, database: string): unknown[] {
  return [
    { id: 'tab', type: 'tab', label: 'telemetry' },
    {
      id: 'broker',
      type: 'mqtt-broker',
      broker: broker.hostname,
      port: broker.port,
      clientid: 'bench-node-red',
      usetls: false,
      protocolVersion: '4',
      keepalive: '60',
      cleansession: true,
    },
    {
      id: 'db',
      type: 'influxdb',
      hostname: influx.hostname,
      port: influx.port,
      protocol: 'http',
      database,
      name: 'bench',
      usetls: false,
      influxdbVersion: '1.x',
    },
    {
      id: 'flow-mqtt-in',
      type: 'mqtt in',
      z: 'tab',
      topic: 'kutaisi/v1/waste/+/telemetry',
      qos: '1',
      datatype: 'utf8',
      broker: 'broker',
      wires: [['flow-json']],
    },
    { id: 'flow-json', type: 'json', z: 'tab', action: 'obj', wires: [['flow-influx-out']] },
    {
      id: 'flow-influx-out',
      type: 'influxdb out',
      z: 'tab',
      influxdb: 'db',
      measurement: 'waste',
      precision: '',
      retentionPolicy: '',
      wires: [],
    },
  ];
}

export async function nodeRedComparison(
  brokerUrl: string,
  count: number,
  bins: number,
): Promise<NodeRedComparison | { skipped: string }> {
  if (!has('influxd')) return { skipped: 'influxd is not installed (apt-get install influxdb)' };
  ensurePeer();
  const influxd = await createInfluxd();
  await influxd.start();
  try {
    const database = 'nodered';
    await fetch(`${influxd.url}/query`, {
      method: 'POST',
      body: new URLSearchParams({ q: `CREATE DATABASE ${database}` }),
    });
    const dir = tempDir('node-red');
    const port = await freePort();
    writeFileSync(
      join(dir, 'flows.json'),
      JSON.stringify(flow(new URL(brokerUrl), new URL(influxd.url), database)),
    );
    writeFileSync(
      join(dir, 'settings.js'),
      `module.exports = { uiPort: ${port}, uiHost: '127.0.0.1', flowFile: 'flows.json', userDir: ${JSON.stringify(dir)}, logging: { console: { level: 'warn' } }, editorTheme: { tours: false } };\n`,
    );
    const red = spawn(process.execPath, [RED, '--userDir', dir, '--settings', join(dir, 'settings.js')], {
      stdio: 'ignore',
    });
    try {
      // The flow is running once the editor answers and the broker shows the subscription working.
      await waitFor(
        'Node-RED to start',
        async () => ((await fetch(`http://127.0.0.1:${port}/`)).ok ? true : undefined),
        60_000,
        250,
      );
      await new Promise((r) => setTimeout(r, 2000));
      const count_ = async () =>
        Number(
          (await influxql(influxd.url, database, 'SELECT COUNT("fill") FROM "waste"'))[0]?.values[0]?.[1] ??
            0,
        );
      const published = publish({ url: brokerUrl, bins, count, rate: 0, clock: 'past' });
      let last = 0;
      let lastChange = Date.now();
      let doneAt = Date.now();
      for (;;) {
        const n = await count_();
        if (n !== last) {
          last = n;
          lastChange = doneAt = Date.now();
        }
        if (n >= count || Date.now() - lastChange > 15_000) break;
        await new Promise((r) => setTimeout(r, 200));
      }
      const result = await published;
      const nodeRed = {
        readings: last,
        seconds: (doneAt - result.startedAt) / 1000,
        per_s: Math.round(last / ((doneAt - result.startedAt) / 1000)),
        complete: last >= count,
      };
      await stopChild(red);
      const ours = await ingestRate(brokerUrl, count, bins, {
        INFLUX_URL: influxd.url,
        INFLUX_API: 'v1',
        INFLUX_DATABASE: 'ours',
      });
      const version = (pkg: string) =>
        JSON.parse(
          execFileSync('node', ['-p', `JSON.stringify(require('${pkg}/package.json').version)`], {
            cwd: PEER,
          }).toString(),
        ) as string;
      return {
        node_red: nodeRed,
        ours_influx: ours,
        ratio: ours.per_s / nodeRed.per_s,
        versions: {
          'node-red': version('node-red'),
          'node-red-contrib-influxdb': version('node-red-contrib-influxdb'),
          influxdb: '1.x (Debian)',
        },
      };
    } finally {
      await stopChild(red);
    }
  } finally {
    await influxd.stop();
  }
}
