/**
 * Messages shaped as each system documents them, written for these tests from the documented
 * fields (The Things Stack's ApplicationUp, ChirpStack v4's UplinkEvent in JSON, RFC 8428 SenML,
 * Tasmota's tele/…/SENSOR, Shelly Gen2 status and NotifyStatus). Vendors add fields; the adapters
 * must tolerate them, so the envelopes carry the usual radio metadata too.
 */

export interface TtnUplink {
  deviceId: string;
  devEui: string;
  /** `{application id}@{tenant}`, as in the topic. */
  application: string;
  fCnt?: number;
  receivedAt: string;
  decoded?: Record<string, unknown>;
  simulated?: boolean;
}

export function ttnTopic(u: Pick<TtnUplink, 'application' | 'deviceId'>): string {
  return `v3/${u.application}/devices/${u.deviceId}/up`;
}

export function ttnUplink(u: TtnUplink): Record<string, unknown> {
  const [applicationId] = u.application.split('@');
  return {
    end_device_ids: {
      device_id: u.deviceId,
      application_ids: { application_id: applicationId },
      dev_eui: u.devEui,
      join_eui: '70B3D57ED0000000',
      dev_addr: '260B1234',
    },
    correlation_ids: ['as:up:01HX7Q9ZQ3J5K6M7N8P9R0S1T2', 'rpc:/ttn.lorawan.v3.GsNs/HandleUplink:01HX7Q9Z'],
    received_at: new Date(Date.parse(u.receivedAt) + 40).toISOString(),
    uplink_message: {
      session_key_id: 'AYa9yMPtq1nN0bEzz1xKyw==',
      f_port: 2,
      ...(u.fCnt !== undefined ? { f_cnt: u.fCnt } : {}),
      frm_payload: 'AQIDBA==',
      ...(u.decoded ? { decoded_payload: u.decoded } : {}),
      rx_metadata: [
        {
          gateway_ids: { gateway_id: 'kutaisi-gw-01', eui: 'B827EBFFFE000001' },
          time: u.receivedAt,
          timestamp: 2_147_483_000,
          rssi: -97,
          channel_rssi: -97,
          snr: 7.25,
          uplink_token: 'ChsKGQoNa3V0YWlzaS1ndy0wMRII',
          received_at: u.receivedAt,
        },
      ],
      settings: {
        data_rate: { lora: { bandwidth: 125000, spreading_factor: 7, coding_rate: '4/5' } },
        frequency: '868100000',
      },
      received_at: u.receivedAt,
      consumed_airtime: '0.061696s',
      network_ids: {
        net_id: '000013',
        tenant_id: 'ttn',
        cluster_id: 'eu1',
        cluster_address: 'eu1.cloud.thethings.network',
      },
    },
    ...(u.simulated ? { simulated: true } : {}),
  };
}

export interface ChirpstackUp {
  applicationId: string;
  devEui: string;
  deviceName: string;
  fCnt: number;
  time: string;
  object?: Record<string, unknown>;
}

export function chirpstackTopic(u: Pick<ChirpstackUp, 'applicationId' | 'devEui'>): string {
  return `application/${u.applicationId}/device/${u.devEui}/event/up`;
}

export function chirpstackUp(u: ChirpstackUp): Record<string, unknown> {
  return {
    deduplicationId: '3ac7e3c4-4401-4b8d-9386-a5c902f9202d',
    time: u.time,
    deviceInfo: {
      tenantId: '52f14cd4-c6f1-4fbd-8f87-4025e1d49242',
      tenantName: 'Kutaisi City Hall',
      applicationId: u.applicationId,
      applicationName: 'eco-smart-pilots',
      deviceProfileId: 'f1d9b7a4-53e3-4c2b-9d1b-6a2e1c0f4d11',
      deviceProfileName: 'ultrasonic-bin-sensor',
      deviceName: u.deviceName,
      devEui: u.devEui,
      deviceClassEnabled: 'CLASS_A',
      tags: { district: 'bagrati' },
    },
    devAddr: '01e2b3c4',
    adr: true,
    dr: 5,
    fCnt: u.fCnt,
    fPort: 1,
    confirmed: false,
    data: 'AQIDBA==',
    ...(u.object ? { object: u.object } : {}),
    rxInfo: [
      {
        gatewayId: '0016c001ff10a235',
        uplinkId: 31_234,
        nsTime: u.time,
        rssi: -101,
        snr: 5.5,
        channel: 2,
        location: { latitude: 42.27, longitude: 42.7 },
        context: 'EFwMtA==',
        crcStatus: 'CRC_OK',
      },
    ],
    txInfo: {
      frequency: 868_500_000,
      modulation: { lora: { bandwidth: 125_000, spreadingFactor: 7, codeRate: 'CR_4_5' } },
    },
  };
}

/** A SenML pack: the base name and base time on the first record, times relative to bt. */
export function senmlPack(
  baseName: string,
  baseTimeS: number,
  records: Record<string, unknown>[],
): unknown[] {
  const [first = {}, ...rest] = records;
  return [{ bn: baseName, bt: baseTimeS, bver: 10, ...first }, ...rest];
}

/** Tasmota's periodic SENSOR message of a plug or DIN meter with an energy monitor. */
export function tasmotaSensor(localTime: string, totalKwh: number, powerW: number): Record<string, unknown> {
  return {
    Time: localTime,
    ENERGY: {
      TotalStartTime: '2025-11-03T09:14:27',
      Total: totalKwh,
      Yesterday: 12.402,
      Today: 3.118,
      Period: 4,
      Power: powerW,
      ApparentPower: Math.round(powerW * 1.04),
      ReactivePower: Math.round(powerW * 0.28),
      Factor: 0.96,
      Voltage: 229,
      Current: Math.round((powerW / 229) * 1000) / 1000,
    },
  };
}

/** Shelly Pro 3EM: the `em:0` status (W) and the `emdata:0` registers (Wh). */
export function shellyEm(totalW: number): Record<string, unknown> {
  return {
    id: 0,
    a_current: 4.1,
    a_voltage: 230.2,
    a_act_power: totalW / 3,
    a_aprt_power: totalW / 3 + 12,
    a_pf: 0.97,
    b_current: 4.0,
    b_voltage: 231.0,
    b_act_power: totalW / 3,
    b_aprt_power: totalW / 3 + 12,
    b_pf: 0.97,
    c_current: 4.2,
    c_voltage: 229.8,
    c_act_power: totalW / 3,
    c_aprt_power: totalW / 3 + 12,
    c_pf: 0.97,
    n_current: null,
    total_current: 12.3,
    total_act_power: totalW,
    total_aprt_power: totalW + 36,
  };
}

export function shellyEmdata(importWh: number, exportWh: number): Record<string, unknown> {
  return {
    id: 0,
    a_total_act_energy: importWh / 3,
    a_total_act_ret_energy: exportWh / 3,
    b_total_act_energy: importWh / 3,
    b_total_act_ret_energy: exportWh / 3,
    c_total_act_energy: importWh / 3,
    c_total_act_ret_energy: exportWh / 3,
    total_act: importWh,
    total_act_ret: exportWh,
  };
}

/** Shelly Plus 1PM / Plus Plug S: the `switch:N` status with its energy counter. */
export function shellySwitch(id: number, powerW: number, totalWh: number): Record<string, unknown> {
  return {
    id,
    source: 'init',
    output: true,
    apower: powerW,
    voltage: 230.4,
    current: powerW / 230.4,
    aenergy: { total: totalWh, by_minute: [12.1, 11.8, 12.0], minute_ts: 1_767_000_000 },
    temperature: { tC: 41.2, tF: 106.2 },
  };
}

/** A Gen2 notification on `<prefix>/events/rpc`. */
export function shellyNotifyStatus(src: string, tsSeconds: number, params: Record<string, unknown>) {
  return { src, dst: `${src}/events`, method: 'NotifyStatus', params: { ts: tsSeconds, ...params } };
}
