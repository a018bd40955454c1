// Minimal status page until the Svelte dashboard lands: polls the public API every 2 s.
const el = (id) => document.getElementById(id);

function cell(text, className) {
  const td = document.createElement('td');
  td.textContent = text;
  if (className) td.className = className;
  return td;
}

async function refresh() {
  try {
    const [health, stats, devices] = await Promise.all(
      ['/api/health', '/api/ingest/stats', '/api/devices'].map((url) => fetch(url).then((r) => r.json())),
    );
    el('health').textContent = `${health.status} (broker ${health.broker}, store ${health.store})`;
    el('stats').textContent =
      `received ${stats.received} · stored ${stats.stored} · rejected ${stats.rejected.total}`;
    const rows = devices.map((d) => {
      const tr = document.createElement('tr');
      const seen = d.last_seen ? new Date(d.last_seen).toLocaleTimeString() : '—';
      tr.append(cell(d.id), cell(d.pilot), cell(d.site), cell(d.arm), cell(seen), cell(d.health, d.health));
      return tr;
    });
    el('devices').replaceChildren(...rows);
  } catch {
    el('health').textContent = 'unreachable';
  }
}

refresh();
setInterval(refresh, 2000);
