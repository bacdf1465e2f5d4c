'use strict';
// The status page: everything it shows comes from POST /orchestrator with the token the user types, kept in
// sessionStorage (this tab only). It refreshes every 2 s while runs are queued or running, every 15 s otherwise.

const TOKEN_KEY = 'bars-backfill.token';
const FAST = 2000, SLOW = 15000, HISTORY_MS = 15 * 60 * 1000;
const STATUS = [
  { letter: 's', name: 'success', color: '#2f9e5e' },
  { letter: 'r', name: 'running', color: '#3b7ddd' },
  { letter: 'q', name: 'queued', color: '#e3b341' },
  { letter: 'f', name: 'failed', color: '#d64545' },
  { letter: 'c', name: 'cancelled', color: '#8b929c' },
  { letter: '-', name: 'not planned', color: '#e4e7eb' },
];
const BY_LETTER = Object.fromEntries(STATUS.map(s => [s.letter, s]));
const $ = id => document.getElementById(id);
const fmt = n => (n === null || n === undefined) ? '–' : Number(n).toLocaleString('en-US');

const state = { timer: null, history: [], definition: null, coverage: null, lastStatus: null };

function token() { return sessionStorage.getItem(TOKEN_KEY); }

async function call(action, extra) {
  const res = await fetch('/orchestrator', {
    method: 'POST',
    headers: { 'Content-Type': 'application/json', 'Authorization': 'Bearer ' + token() },
    body: JSON.stringify(Object.assign({ action }, extra || {})),
  });
  const body = await res.json().catch(() => ({}));
  if (res.status === 401) {
    sessionStorage.removeItem(TOKEN_KEY);
    throw Object.assign(new Error('the orchestrator refused the token: enter the deployment\'s internal token'), { auth: true });
  }
  if (!res.ok) {
    throw new Error(`${action}: HTTP ${res.status} ${body.error || ''}${body.field ? ' [' + body.field + ']' : ''}`);
  }
  return body;
}

function message(text) {
  $('message').textContent = text || '';
  $('message').hidden = !text;
}

function showConnected(connected) {
  $('login').hidden = connected;
  $('forget').hidden = !connected;
  $('dashboard').hidden = !connected;
}

async function refresh() {
  clearTimeout(state.timer);
  if (!token()) { showConnected(false); return; }
  let busy = false;
  try {
    const status = await call('status');
    state.lastStatus = status;
    showConnected(true);
    render(status);
    busy = (status.runs.queued + status.runs.running) > 0;
    await refreshCoverage(status);
    message('');
    $('state').textContent = `updated ${new Date().toLocaleTimeString()} · ${busy ? 'work in flight, every 2 s' : 'idle, every 15 s'}`;
  } catch (e) {
    message(e.message);
    if (e.auth) { showConnected(false); $('state').textContent = 'not connected'; return; }
    $('state').textContent = 'update failed, retrying';
  }
  state.timer = setTimeout(refresh, busy ? FAST : SLOW);
}

function render(s) {
  $('version').textContent = s.version ? 'v' + s.version : '';
  $('progress-figure').textContent = (s.progress ? s.progress.percent.toFixed(1) : '0.0') + ' %';
  $('progress-detail').textContent = `${fmt(s.progress && s.progress.done)} of ${fmt(s.progress && s.progress.total)} runs succeeded`;
  $('bars-figure').textContent = fmt(s.bars.rows_written);
  $('bars-detail').textContent = `${fmt(s.bars.bars_fetched)} fetched`;
  const f = s.in_flight || {};
  $('inflight-figure').textContent = `${fmt(f.dispatches)} / ${fmt(f.max_dispatches)}`;
  $('inflight-detail').textContent = `${fmt(f.runs)} runs leased${f.expired_leases ? ', ' + fmt(f.expired_leases) + ' expired' : ''}`;
  $('oldest-figure').textContent = s.oldest_queued_age_seconds == null ? '–' : age(s.oldest_queued_age_seconds);
  $('oldest-detail').textContent = `${fmt(s.ready)} ready to claim now`;
  renderStatusBar(s.runs);
  renderThroughput(s);
  renderDefinitions(s.definitions || []);
  renderFailures(s.failures || [], s.retrying || []);
  renderHeartbeats(s.heartbeats || []);
  renderProviders(s.providers || (s.provider ? [s.provider] : []));
}

function age(seconds) {
  if (seconds < 90) return seconds + ' s';
  if (seconds < 5400) return Math.round(seconds / 60) + ' min';
  if (seconds < 172800) return (seconds / 3600).toFixed(1) + ' h';
  return Math.round(seconds / 86400) + ' d';
}

function renderStatusBar(runs) {
  const bar = $('status-bar'), legend = $('status-legend');
  bar.replaceChildren(); legend.replaceChildren();
  for (const st of STATUS.slice(0, 5)) {
    const n = runs[st.name] || 0;
    if (runs.total > 0 && n > 0) {
      const seg = document.createElement('span');
      seg.style.width = (100 * n / runs.total) + '%';
      seg.style.background = st.color;
      seg.title = `${st.name}: ${fmt(n)}`;
      bar.append(seg);
    }
    legend.append(legendItem(st.color, `${st.name} ${fmt(n)}`, st.letter));
  }
  legend.append(legendItem(null, `total ${fmt(runs.total)}`));
}

function legendItem(color, text, letter) {
  const li = document.createElement('li');
  if (color) {
    const sw = document.createElement('i');
    sw.style.background = color;
    li.append(sw);
    li.dataset.color = color;
  }
  if (letter) li.dataset.status = letter;
  li.append(document.createTextNode(text));
  return li;
}

function renderThroughput(s) {
  const now = Date.now();
  state.history.push({ t: now, bars: s.bars.rows_written, runs: s.runs.success + s.runs.failed });
  state.history = state.history.filter(p => p.t >= now - HISTORY_MS);
  const t = s.throughput || {};
  $('throughput-window').textContent = `(bars written per minute while this page is open)`;
  $('throughput-detail').textContent = `last ${fmt(t.window_minutes)} min in the database: ${fmt(t.runs_succeeded)} runs succeeded, `
      + `${fmt(t.runs_failed)} failed, ${fmt(t.rows_written)} bars written, ${t.runs_per_minute ?? '–'} runs/min`;
  // bars written in each wall-clock minute, from the differences between this page's polls
  const minute = 60000, buckets = new Map();
  for (let i = 1; i < state.history.length; i++) {
    const a = state.history[i - 1], b = state.history[i];
    const key = Math.floor(b.t / minute) * minute;
    buckets.set(key, (buckets.get(key) || 0) + Math.max(0, b.bars - a.bars));
  }
  const c = $('throughput'), w = c.parentElement.clientWidth - 34, h = 120, pad = 18;
  const ctx = sized(c, w, h);
  ctx.clearRect(0, 0, w, h);
  const slots = Math.round(HISTORY_MS / minute), slot = w / slots, last = Math.floor(now / minute) * minute;
  const max = Math.max(1, ...buckets.values());
  ctx.strokeStyle = '#e4e7eb'; ctx.lineWidth = 1;
  ctx.beginPath(); ctx.moveTo(0, h - pad + 0.5); ctx.lineTo(w, h - pad + 0.5); ctx.stroke();
  ctx.fillStyle = '#3b7ddd';
  for (const [t, v] of buckets) {
    const k = slots - 1 - (last - t) / minute;
    const bh = v / max * (h - pad - 18);
    if (k >= 0) ctx.fillRect(k * slot + 2, h - pad - bh, Math.max(1, slot - 4), bh);
  }
  ctx.fillStyle = '#6b7280'; ctx.font = '11px system-ui, sans-serif'; ctx.textBaseline = 'alphabetic';
  ctx.fillText(`${fmt(max)} bars in the busiest minute`, 4, 11);
  ctx.fillText(`${slots} min ago`, 2, h - 4);
  ctx.textAlign = 'right'; ctx.fillText('now', w - 2, h - 4); ctx.textAlign = 'left';
  if (buckets.size === 0) ctx.fillText('collecting… (one point per refresh)', 4, h / 2);
}

function cell(text, cls) {
  const td = document.createElement('td');
  td.textContent = text;
  if (cls) td.className = cls;
  return td;
}

/** "with / expected"; the sessions without bars, verified empty or unexplained, in the title. */
function completenessCell(c) {
  if (!c || !c.sessions_expected) return cell('–', 'num muted');
  const td = cell(`${fmt(c.sessions_with_bars)} / ${fmt(c.sessions_expected)}`, 'num' + (c.sessions_unexplained ? ' bad' : ''));
  td.title = `${c.percent} %; without bars: ${fmt(c.sessions_verified_empty)} verified empty, `
      + `${fmt(c.sessions_unexplained)} unexplained; ${fmt(c.runs_verified)} runs verified, ${fmt(c.runs_healed)} healed`;
  return td;
}

function renderDefinitions(defs) {
  const body = $('definitions').tBodies[0];
  body.replaceChildren();
  for (const d of defs) {
    const tr = document.createElement('tr');
    tr.className = (d.name === state.definition ? 'selected' : '') + (d.enabled ? '' : ' disabled');
    tr.addEventListener('click', () => selectDefinition(d.name));
    const pct = d.progress ? d.progress.percent : 0;
    const bar = document.createElement('td');
    bar.className = 'wide';
    bar.innerHTML = '<div class="progress"><span></span></div><small></small>';
    bar.querySelector('span').style.width = pct + '%';
    bar.querySelector('small').textContent = `${pct.toFixed(1)} %`;
    tr.append(cell(d.name + (d.enabled ? '' : ' (disabled)')), cell(d.timeframe), cell(fmt(d.symbols), 'num'),
        cell(`${(d.window_from || '').slice(0, 10)} → ${d.window_to ? d.window_to.slice(0, 10) : 'open'}`), bar,
        cell(fmt(d.runs.queued), 'num'), cell(fmt(d.runs.running), 'num'), cell(fmt(d.runs.success), 'num'),
        cell(fmt(d.runs.failed), 'num' + (d.runs.failed ? ' bad' : '')), cell(fmt(d.bars.rows_written), 'num'),
        completenessCell(d.completeness));
    body.append(tr);
  }
  if (defs.length === 0) {
    const tr = document.createElement('tr');
    const td = cell('No definitions yet: ./backfill enqueue …', 'muted');
    td.colSpan = 11; tr.append(td); body.append(tr);
  }
  const select = $('heatmap-definition');
  const names = defs.map(d => d.name);
  if (!names.includes(state.definition)) state.definition = names[0] || null;
  if ([...select.options].map(o => o.value).join() !== names.join()) {
    select.replaceChildren(...names.map(n => new Option(n, n)));
  }
  select.value = state.definition || '';
}

function renderFailures(failed, retrying) {
  const body = $('failures').tBodies[0];
  body.replaceChildren();
  const rows = failed.map(g => ['failed', g]).concat(retrying.map(g => ['retrying', g]));
  for (const [st, g] of rows) {
    const tr = document.createElement('tr');
    tr.append(cell(g.error_code, st === 'failed' ? 'code bad' : 'code warn'), cell(st), cell(fmt(g.runs), 'num'),
        cell(fmt(g.last_hour), 'num'), cell(g.sample || '', 'sample'));
    body.append(tr);
  }
  if (rows.length === 0) {
    const tr = document.createElement('tr');
    const td = cell('No failures.', 'muted'); td.colSpan = 5; tr.append(td); body.append(tr);
  }
}

function renderHeartbeats(beats) {
  const body = $('heartbeats').tBodies[0];
  body.replaceChildren();
  for (const b of beats) {
    const tr = document.createElement('tr');
    tr.append(cell(b.name), cell(b.status, 'hb-' + b.status), cell(age(b.age_seconds), 'num'), cell(b.message || '', 'sample'));
    body.append(tr);
  }
  if (beats.length === 0) {
    const tr = document.createElement('tr');
    const td = cell('No orchestrator has ticked yet.', 'muted'); td.colSpan = 4; tr.append(td); body.append(tr);
  }
}

// One row per provider's health gate; an open gate (none of its runs is claimed) is highlighted.
function renderProviders(gates) {
  const show = gates.length > 0;
  $('provider-title').hidden = !show;
  $('provider').hidden = !show;
  const body = $('provider').tBodies[0];
  body.replaceChildren();
  const dash = v => v === null || v === undefined ? '–' : String(v);
  for (const g of gates) {
    const tr = document.createElement('tr');
    const open = g.state && g.state !== 'closed';
    tr.dataset.provider = g.name;
    tr.dataset.state = g.state;
    if (open) tr.className = 'gate-open';
    tr.append(cell(g.name), cell(g.state, g.state === 'open' ? 'bad' : open ? 'warn' : 'hb-ok'),
        cell(dash(g.reason), g.reason ? 'code bad' : 'muted'), cell(dash(g.since), g.since ? '' : 'muted'),
        cell(dash(g.next_probe_at), g.next_probe_at ? '' : 'muted'), cell(fmt(g.consecutive_failures), 'num'),
        cell(dash(g.last_error), 'sample'));
    body.append(tr);
  }
}

function selectDefinition(name) {
  state.definition = name;
  state.coverage = null;
  if (state.lastStatus) renderDefinitions(state.lastStatus.definitions || []);
  refreshCoverage(state.lastStatus).catch(e => message(e.message));
}

async function refreshCoverage() {
  const canvas = $('heatmap');
  if (!state.definition) { canvas.dataset.ready = 'false'; return; }
  const cov = await call('coverage', { definition: state.definition });
  if (cov.definition !== state.definition) return;
  state.coverage = cov;
  drawHeatmap();
}

// HiDPI-sharp canvas of w x h CSS pixels.
function sized(canvas, w, h) {
  const dpr = window.devicePixelRatio || 1;
  canvas.style.width = w + 'px';
  canvas.style.height = h + 'px';
  if (canvas.width !== Math.round(w * dpr) || canvas.height !== Math.round(h * dpr)) {
    canvas.width = Math.round(w * dpr);
    canvas.height = Math.round(h * dpr);
  }
  const ctx = canvas.getContext('2d');
  ctx.setTransform(dpr, 0, 0, dpr, 0, 0);
  return ctx;
}

function barsColor(n, max) {
  if (!n) return null;
  const t = Math.sqrt(n / max);
  const mix = (a, b) => Math.round(a + (b - a) * t);
  return `rgb(${mix(198, 8)},${mix(219, 81)},${mix(239, 156)})`;
}

function drawHeatmap() {
  const cov = state.coverage, canvas = $('heatmap');
  if (!cov) return;
  const mode = $('heatmap-mode').value;
  const rows = cov.symbols.length, cols = cov.slices.length;
  const available = canvas.parentElement.clientWidth;
  const left = 64, top = 34;
  const cw = Math.max(2, Math.min(44, Math.floor((available - left - 48) / Math.max(1, cols))));
  const ch = rows <= 80 ? 14 : rows <= 200 ? 7 : 4;
  const gap = cw >= 6 && ch >= 7 ? 1 : 0;
  const w = left + cols * cw + 48, h = top + rows * ch + 8;
  const ctx = sized(canvas, w, h);
  ctx.clearRect(0, 0, w, h);
  ctx.font = '11px system-ui, sans-serif';
  ctx.textBaseline = 'middle';
  const maxBars = Math.max(1, ...cov.bars.flat());
  for (let i = 0; i < rows; i++) {
    const line = cov.status[i];
    for (let j = 0; j < cols; j++) {
      const letter = line[j];
      ctx.fillStyle = mode === 'bars'
          ? (barsColor(cov.bars[i][j], maxBars) || (letter === 's' ? '#f3f6f9' : BY_LETTER['-'].color))
          : mode === 'completeness'
          ? completenessColor(cov.completeness ? cov.completeness[i][j] : -1)
          : (BY_LETTER[letter] || BY_LETTER['-']).color;
      ctx.fillRect(left + j * cw, top + i * ch, cw - gap, ch - gap);
    }
  }
  ctx.fillStyle = '#374151';
  const labelEvery = Math.ceil(12 / ch);
  ctx.textAlign = 'right';
  for (let i = 0; i < rows; i += labelEvery) ctx.fillText(cov.symbols[i], left - 6, top + i * ch + ch / 2);
  ctx.textAlign = 'left';
  const colEvery = Math.ceil(56 / cw);
  for (let j = 0; j < cols; j += colEvery) ctx.fillText(sliceLabel(cov.slices[j], cov.timeframe), left + j * cw, top - 12);
  Object.assign(canvas.dataset, { ready: 'true', definition: cov.definition, rows, cols, x0: left, y0: top, cw, ch,
      mode });
  $('heatmap-title').textContent = `${cov.definition} · ${fmt(rows)} tickers × ${fmt(cols)} slices (${cov.timeframe})`;
  const legend = $('heatmap-legend');
  legend.replaceChildren();
  if (mode === 'completeness') {
    legend.append(legendItem(completenessColor(100), 'every session has bars'),
        legendItem(completenessColor(50), 'sessions without bars (verified before success)'),
        legendItem(completenessColor(-1), 'not finished, or not recorded'));
  } else if (mode === 'bars') {
    legend.append(legendItem(barsColor(1, maxBars), 'few bars'), legendItem(barsColor(maxBars, maxBars), `${fmt(maxBars)} bars`),
        legendItem(BY_LETTER['-'].color, 'nothing stored'));
  } else {
    for (const st of STATUS) {
      const n = cov.status.reduce((sum, line) => sum + line.split(st.letter).length - 1, 0);
      legend.append(legendItem(st.color, `${st.name} ${fmt(n)}`, st.letter));
    }
  }
}

/** Green when every session of the slice holds a bar, amber to red as fewer do, grey when unknown (-1). */
function completenessColor(percent) {
  if (percent < 0) return BY_LETTER['-'].color;
  if (percent >= 100) return '#2f9e5e';
  const t = percent / 100;
  return `rgb(${Math.round(214 + (227 - 214) * t)},${Math.round(69 + (179 - 69) * t)},${Math.round(69 + (65 - 69) * t)})`;
}

function sliceLabel(iso, timeframe) {
  return ['m1', 'm5', 'm15'].includes(timeframe) ? iso.slice(0, 10) : iso.slice(0, 7);
}

function hover(ev) {
  const cov = state.coverage, canvas = $('heatmap'), tip = $('tooltip');
  if (!cov) return;
  const d = canvas.dataset, r = canvas.getBoundingClientRect();
  const j = Math.floor((ev.clientX - r.left - d.x0) / d.cw), i = Math.floor((ev.clientY - r.top - d.y0) / d.ch);
  if (i < 0 || j < 0 || i >= cov.symbols.length || j >= cov.slices.length) { tip.hidden = true; return; }
  const st = BY_LETTER[cov.status[i][j]] || BY_LETTER['-'];
  tip.textContent = `${cov.symbols[i]} · ${sliceLabel(cov.slices[j], cov.timeframe)} · ${st.name} · ${fmt(cov.bars[i][j])} bars`;
  tip.style.left = (ev.clientX - r.left + 14) + 'px';
  tip.style.top = (ev.clientY - r.top + 14) + 'px';
  tip.hidden = false;
}

document.addEventListener('DOMContentLoaded', () => {
  $('login').addEventListener('submit', ev => {
    ev.preventDefault();
    const value = $('token').value.trim();
    if (!value) { message('enter the internal token'); return; }
    sessionStorage.setItem(TOKEN_KEY, value);
    $('token').value = '';
    $('state').textContent = 'connecting…';
    refresh();
  });
  $('forget').addEventListener('click', () => {
    sessionStorage.removeItem(TOKEN_KEY);
    clearTimeout(state.timer);
    showConnected(false);
    $('state').textContent = 'not connected';
  });
  $('heatmap-definition').addEventListener('change', ev => selectDefinition(ev.target.value));
  $('heatmap-mode').addEventListener('change', drawHeatmap);
  $('heatmap').addEventListener('mousemove', hover);
  $('heatmap').addEventListener('mouseleave', () => { $('tooltip').hidden = true; });
  window.addEventListener('resize', () => { drawHeatmap(); });
  refresh();
});
