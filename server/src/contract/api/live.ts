/** `GET /api/live/stats`: the WebSocket hub's counters and the process's CPU and memory. */
import { Type, type Static } from '@sinclair/typebox';

export const LiveStats = Type.Object({
  clients: Type.Integer(),
  frames: Type.Integer({ description: 'frames sent since start' }),
  skipped: Type.Integer({ description: 'frames held back because a socket buffer was full' }),
  dropped: Type.Integer({ description: 'clients closed for being too slow' }),
  cpu_user_us: Type.Integer(),
  cpu_system_us: Type.Integer(),
  rss_bytes: Type.Integer(),
});
export type LiveStats = Static<typeof LiveStats>;
