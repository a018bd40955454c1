import { readFileSync } from 'node:fs';
import { describe, expect, it } from 'vitest';
import { parsePortfolio } from '../config/portfolio.js';

const example = readFileSync('config/examples/portfolio-sources.yaml', 'utf8');
const load = (text: string) => () => parsePortfolio(text, 'p.yaml');

describe('source checks at start-up', () => {
  it('loads the example portfolio with its sources', () => {
    const portfolio = parsePortfolio(example, 'p.yaml');
    expect(portfolio.sources?.map((s) => s.id)).toEqual(['ttn', 'chirpstack', 'senml', 'tasmota', 'shelly']);
    expect(portfolio.devices.filter((d) => d.source).length).toBe(11);
  });

  it.each([
    [
      'an unknown source id, naming the device',
      example.replace(
        "id: ttn\n      external_id: 'kutaisi-bin-0042'",
        "id: lora\n      external_id: 'kutaisi-bin-0042'",
      ),
      /p\.yaml:\/devices\/\d+\/source\/id: expected a source from sources:, got "lora" \(device bin-nikea-02\)/,
    ],
    [
      'a duplicate external id (case-insensitive), naming both devices',
      example.replace("'kutaisi-bin-0042'", "'KUTAISI-BIN-0041'"),
      /source\/external_id: expected a unique external id in source ttn, "KUTAISI-BIN-0041" is also bin-nikea-01's \(device bin-nikea-02\)/,
    ],
    [
      'a map that is not JSONata',
      example.replace('"fill": level_pct / 100,', '"fill": level_pct / ,'),
      /source\/map: expected a JSONata expression \(device bin-nikea-02\): .* at position \d+/,
    ],
    [
      'a password in the portfolio',
      example.replace("topic: 'v3/+/devices/+/up'", "topic: 'v3/+/devices/+/up'\n    password: hunter2"),
      /sources\/0\/password: expected password_env/,
    ],
    [
      'a bad topic filter',
      example.replace("topic: 'tele/+/SENSOR'", "topic: 'tele/#/SENSOR'"),
      /sources\/3\/topic: expected `#` only as the last level/,
    ],
    [
      'a Tasmota source for a bin without a map',
      example.replace(
        'id: ttn\n      external_id: \'kutaisi-bin-0042\'\n      map: \'{"fill": level_pct / 100, "battery_v": battery_mv / 1000, "temp_c": temperature_c}\'',
        "id: tasmota\n      external_id: 'bin-plug'",
      ),
      /source\/map: expected a map: tasmota yields energy readings by itself, device bin-nikea-02 is waste/,
    ],
    [
      'a senml source without a topic',
      example.replace("    topic: 'senml/+'\n", ''),
      /sources\/2\/topic: expected a topic filter for the senml format/,
    ],
  ])('stops on %s', (_what, text, message) => {
    expect(text).not.toBe(example);
    expect(load(text)).toThrow(message);
  });
});
