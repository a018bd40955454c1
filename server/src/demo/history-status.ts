/** How far the demo's simulated history has got: /api/health carries it, the dashboard shows a banner. */
export interface HistoryStatus {
  state: 'off' | 'loading' | 'done' | 'failed';
  /** 0..1 of the time range filled. */
  fraction: number;
  messages: number;
  /** Local date the history starts at, once known. */
  from: string | null;
}

export function historyStatus(): HistoryStatus {
  return { state: 'off', fraction: 0, messages: 0, from: null };
}
