// The matrix page: plain JavaScript, no libraries, nothing fetched from outside this server.
'use strict';

const $ = (id) => document.getElementById(id);
const state = { pairs: [], index: new Map(), generated: null, updates: 0, open: null, focus: { r: 0, c: 0 }, rows: [], cols: [] };

// The view (colour, grouping, filters) lives in the URL's fragment, so a link shows the same view.
function saveView() {
  const view = new URLSearchParams();
  for (const id of ['metric', 'group', 'rowFilter', 'colFilter']) {
    if ($(id).value && !(id === 'metric' && $(id).value === 'loss')) view.set(id, $(id).value);
  }
  history.replaceState(null, '', view.toString() ? '#' + view.toString() : location.pathname);
}
function restoreView() {
  const view = new URLSearchParams(location.hash.slice(1));
  for (const id of ['metric', 'rowFilter', 'colFilter']) if (view.has(id)) $(id).value = view.get(id);
  state.wantedGroup = view.get('group') || '';
}

const SCALES = {
  loss: [
    [(v) => v === 0, 'loss-0', '0 %'], [(v) => v < 1, 'loss-1', '< 1 %'], [(v) => v < 5, 'loss-5', '< 5 %'],
    [(v) => v < 20, 'loss-20', '< 20 %'], [(v) => v < 100, 'loss-99', '< 100 %'], [() => true, 'loss-100', '100 %'],
  ],
  rtt: [
    [(v) => v < 0.2, 'rtt-0', '< 0.2 ms'], [(v) => v < 1, 'rtt-1', '< 1 ms'], [(v) => v < 5, 'rtt-2', '< 5 ms'],
    [(v) => v < 20, 'rtt-3', '< 20 ms'], [(v) => v < 100, 'rtt-4', '< 100 ms'], [() => true, 'rtt-5', '≥ 100 ms'],
  ],
};

const esc = (s) => String(s).replace(/[&<>"']/g, (c) => ({ '&': '&amp;', '<': '&lt;', '>': '&gt;', '"': '&quot;', "'": '&#39;' }[c]));
const fmt = (v, d = 3) => (v === null || v === undefined || Number.isNaN(v) ? '–' : Number(v).toFixed(d));
const metric = () => $('metric').value;

function cellClass(p) {
  if (!p) return 'nodata';
  const m = metric();
  if (m === 'loss') return SCALES.loss.find(([t]) => t(p.loss))[1];
  if (p.sent > 0 && p.lost === p.sent) return 'loss-100';
  return SCALES.rtt.find(([t]) => t(p[m]))[1];
}

function cellText(p) {
  if (!p) return '';
  const m = metric();
  if (m === 'loss') return p.loss === 0 ? '0' : p.loss < 10 ? p.loss.toFixed(1) : Math.round(p.loss);
  if (p.sent > 0 && p.lost === p.sent) return '×';
  const v = p[m];
  return v < 1 ? v.toFixed(2) : v < 10 ? v.toFixed(1) : Math.round(v);
}

function describe(p, src, dst) {
  if (!p) return `${src.name} to ${dst.name}: no data`;
  if (p.sent > 0 && p.lost === p.sent) return `${src.name} to ${dst.name}: loss 100.00 %, all ${p.sent} probes lost, no RTT`;
  return `${src.name} to ${dst.name}: loss ${fmt(p.loss, 2)} %, ${p.lost} of ${p.sent} lost, RTT p50 ${fmt(p.rtt_p50)} ms, p99 ${fmt(p.rtt_p99)} ms`;
}

// "region=eu, rack=r1": every condition must hold; keys are tags, or name / ip.
function parseFilter(text) {
  const conds = [];
  for (const part of text.split(',').map((s) => s.trim()).filter(Boolean)) {
    const i = part.indexOf('=');
    if (i <= 0) return { error: `"${part}" is not tag=value` };
    conds.push([part.slice(0, i).trim(), part.slice(i + 1).trim()]);
  }
  return { conds };
}
const endValue = (end, key) => (key === 'name' || key === 'ip' ? end[key] : (end.tags || {})[key]);
const matches = (end, conds) => conds.every(([k, v]) => String(endValue(end, k) ?? '') === v);

function endsOf(side) {
  const byName = new Map();
  for (const p of state.pairs) byName.set(p[side].name, p[side]);
  return [...byName.values()];
}

function tagKeys() {
  const keys = new Set();
  for (const p of state.pairs) for (const side of ['src', 'dst']) Object.keys(p[side].tags || {}).forEach((k) => keys.add(k));
  return [...keys].sort();
}

function sortEnds(list, group) {
  const key = (e) => (group ? String(endValue(e, group) ?? '\uffff') : '');
  return list.sort((a, b) => key(a).localeCompare(key(b)) || a.name.localeCompare(b.name, undefined, { numeric: true }));
}

function applyFilter(input, list) {
  const { conds, error } = parseFilter(input.value);
  input.setAttribute('aria-invalid', error ? 'true' : 'false');
  $('filterHelp').textContent = error || `tags: name, ip${tagKeys().map((k) => ', ' + k).join('')}`;
  return error ? list : list.filter((e) => matches(e, conds));
}

function render() {
  const group = $('group').value;
  const rows = applyFilter($('rowFilter'), sortEnds(endsOf('src'), group));
  const cols = applyFilter($('colFilter'), sortEnds(endsOf('dst'), group));
  state.rows = rows;
  state.cols = cols;
  const index = new Map(state.pairs.map((p) => [p.src.name + '\u0000' + p.dst.name, p]));
  state.index = index;
  const grid = $('grid');
  const hadFocus = grid.contains(document.activeElement);
  state.focus = { r: Math.min(state.focus.r, Math.max(0, rows.length - 1)), c: Math.min(state.focus.c, Math.max(0, cols.length - 1)) };
  const wrap = $('grid-wrap');
  const cell = Math.max(5, Math.min(32, Math.floor((wrap.clientWidth - 160) / Math.max(1, cols.length))));
  grid.style.setProperty('--cell', cell + 'px');
  grid.classList.toggle('dense', cell < 22);
  const gv = (e) => (group ? String(endValue(e, group) ?? '–') : '');
  const starts = (list, i) => group && i > 0 && gv(list[i]) !== gv(list[i - 1]);

  const head = [];
  if (group) {
    head.push('<tr class="groups"><th></th>');
    for (let i = 0; i < cols.length;) {
      let j = i;
      while (j < cols.length && gv(cols[j]) === gv(cols[i])) j++;
      head.push(`<th colspan="${j - i}" scope="colgroup">${esc(group)}=${esc(gv(cols[i]))}</th>`);
      i = j;
    }
    head.push('</tr>');
  }
  head.push('<tr><th scope="col" class="corner">src \\ dst</th>');
  cols.forEach((c, i) => head.push(`<th scope="col" class="col${starts(cols, i) ? ' gstart' : ''}" title="${esc(c.name)} ${esc(c.ip)}"><span>${esc(c.name)}</span></th>`));
  head.push('</tr>');

  const body = [];
  rows.forEach((r, ri) => {
    body.push(`<tr data-src="${esc(r.name)}"${starts(rows, ri) ? ' class="gstart"' : ''}><th scope="row" title="${esc(r.ip)}">${esc(r.name)}${group ? ` <span class="grp">${esc(gv(r))}</span>` : ''}</th>`);
    cols.forEach((c, ci) => {
      const p = index.get(r.name + '\u0000' + c.name);
      const focus = ri === state.focus.r && ci === state.focus.c ? 0 : -1;
      body.push(`<td role="gridcell" tabindex="${focus}" data-r="${ri}" data-c="${ci}" data-dst="${esc(c.name)}" class="${cellClass(p)}${starts(cols, ci) ? ' gstart' : ''}" aria-label="${esc(describe(p, r, c))}"><span>${cellText(p)}</span></td>`);
    });
    body.push('</tr>');
  });
  grid.innerHTML = `<thead>${head.join('')}</thead><tbody>${body.join('')}</tbody>`;
  if (!rows.length || !cols.length) grid.innerHTML = '<caption>No pair matches the filters.</caption>';
  // a live update replaces the cells; keep keyboard users where they were
  const focused = grid.querySelector('td[tabindex="0"]');
  if (hadFocus && focused) focused.focus();

  $('size').textContent = `${rows.length} sources × ${cols.length} destinations shown, ${state.pairs.length} pairs in all`;
  renderLegend();
  renderWorst();
  renderWhen();
}

function renderLegend() {
  const m = metric();
  const scale = m === 'loss' ? SCALES.loss : SCALES.rtt;
  const title = m === 'loss' ? 'Loss' : m === 'rtt_p50' ? 'RTT p50' : 'RTT p99';
  let html = `<strong>${title}:</strong>` + scale.map(([, cls, label]) => `<span><i class="swatch ${cls}"></i>${label}</span>`).join('');
  if (m !== 'loss') html += '<span><i class="swatch loss-100"></i>all lost</span>';
  html += '<span><i class="swatch nodata"></i>no data</span>';
  $('legend').innerHTML = html;
}

function renderWorst() {
  const worst = [...state.pairs].filter((p) => p.loss > 0 || p.rtt_p99 > 0)
    .sort((a, b) => b.loss - a.loss || b.rtt_p99 - a.rtt_p99).slice(0, 10);
  $('worst-list').innerHTML = worst.map((p) => `<li><a href="#" data-src="${esc(p.src.name)}" data-dst="${esc(p.dst.name)}">${esc(describe(p, p.src, p.dst))}</a></li>`).join('')
    || '<li>No pairs yet.</li>';
}

function renderWhen() {
  const ends = state.pairs.map((p) => p.interval_end).sort();
  const latest = ends[ends.length - 1];
  const el = $('when');
  el.dataset.intervalEnd = latest || '';
  el.dataset.updates = String(state.updates);
  el.textContent = latest ? `Data of the interval ending ${new Date(latest).toLocaleString()} (${latest})` : 'Waiting for the first summary…';
}

async function load() {
  const response = await fetch('api/v1/matrix');
  if (!response.ok) return;
  const m = await response.json();
  state.pairs = m.pairs;
  state.generated = m.generated;
  state.updates++;
  const keys = tagKeys();
  const sel = $('group');
  if (sel.dataset.keys !== keys.join(',')) {
    // rebuilt only when the tags change, so an update does not close an open list
    const current = sel.value;
    sel.innerHTML = '<option value="">name</option>' + keys.map((k) => `<option value="${esc(k)}">${esc(k)}</option>`).join('');
    const wanted = state.wantedGroup || current;
    state.wantedGroup = '';
    sel.value = keys.includes(wanted) ? wanted : '';
    sel.dataset.keys = keys.join(',');
  }
  render();
  if (state.open) openPair(state.open.src, state.open.dst, false);
}

let pending = null;
function refreshSoon() {
  clearTimeout(pending);
  pending = setTimeout(load, 300);
}

function listen() {
  const live = $('live');
  const events = new EventSource('api/v1/events');
  events.onopen = () => { live.textContent = 'live'; live.classList.remove('off'); };
  events.onerror = () => { live.textContent = 'reconnecting'; live.classList.add('off'); };
  events.addEventListener('summary', refreshSoon);
}

// Tooltip
function showTip(td, x, y) {
  const r = state.rows[+td.dataset.r];
  const c = state.cols[+td.dataset.c];
  // by the index render() built: a linear search per mouse move is 40,000 comparisons at 200 x 200
  const p = state.index.get(r.name + '\u0000' + c.name);
  const tip = $('tip');
  if (!p) {
    tip.innerHTML = `<strong>${esc(r.name)} → ${esc(c.name)}</strong><br>no data`;
  } else {
    tip.innerHTML = `<strong>${esc(r.name)} → ${esc(c.name)}</strong><br>${esc(r.ip)} → ${esc(c.ip)}<dl>
      <dt>loss</dt><dd>${fmt(p.loss, 2)} % (${p.lost} of ${p.sent})</dd>
      <dt>RTT p50</dt><dd>${fmt(p.rtt_p50)} ms</dd><dt>RTT p90</dt><dd>${fmt(p.rtt_p90)} ms</dd>
      <dt>RTT p99</dt><dd>${fmt(p.rtt_p99)} ms</dd><dt>RTT min / max</dt><dd>${fmt(p.rtt_min)} / ${fmt(p.rtt_max)} ms</dd>
      <dt>jitter</dt><dd>${fmt(p.jitter)} ms</dd><dt>interval end</dt><dd>${esc(p.interval_end)}</dd></dl>`;
  }
  tip.hidden = false;
  const w = tip.offsetWidth;
  tip.style.left = Math.min(x + 14, window.innerWidth - w - 8) + 'px';
  tip.style.top = y + 14 + 'px';
}

// Pair view
async function openPair(src, dst, focus = true) {
  state.open = { src, dst };
  const panel = $('pair');
  const response = await fetch(`api/v1/pairs/${encodeURIComponent(src)}/${encodeURIComponent(dst)}`);
  $('pair-h').textContent = `${src} → ${dst}`;
  panel.hidden = false;
  if (!response.ok) {
    $('pair-now').textContent = 'No history for this pair yet.';
    return;
  }
  const pair = (await response.json()).pairs[0];
  const h = pair.history;
  const last = h[h.length - 1];
  $('pair-now').textContent = `${pair.src.ip} → ${pair.dst.ip}; newest interval: loss ${fmt(last.loss, 2)} % (${last.lost} of ${last.sent}), `
    + `RTT p50 ${fmt(last.rtt_p50)} ms, p90 ${fmt(last.rtt_p90)} ms, p99 ${fmt(last.rtt_p99)} ms; ${h.length} interval${h.length === 1 ? '' : 's'}`;
  const times = h.map((e) => Date.parse(e.interval_end));
  chart($('chart-rtt'), times, [['p50', h.map((e) => e.rtt_p50)], ['p90', h.map((e) => e.rtt_p90)], ['p99', h.map((e) => e.rtt_p99)]], 'ms');
  chart($('chart-loss'), times, [['loss', h.map((e) => e.loss)]], '%', 100);
  const ports = pair.ports || [];
  $('ports').innerHTML = '<thead><tr><th scope="col">source port</th><th scope="col">dest port</th><th scope="col">sent</th><th scope="col">lost</th><th scope="col">loss %</th><th scope="col">RTT mean ms</th></tr></thead><tbody>'
    + ports.map((q) => `<tr class="${q.lost > 0 ? 'lossy' : ''}"><td>${q.src_port}</td><td>${q.dst_port}</td><td>${q.sent}</td><td>${q.lost}</td><td>${fmt(q.loss, 2)}</td><td>${fmt(q.rtt)}</td></tr>`).join('')
    + '</tbody>';
  if (focus) panel.focus();
}

function chart(svg, times, series, unit, fixedMax) {
  const W = svg.clientWidth || 600;
  const H = svg.clientHeight || 180;
  const L = 46, R = 8, T = 10, B = 22;
  const all = series.flatMap(([, v]) => v).filter((v) => v !== null && !Number.isNaN(v));
  const max = fixedMax ?? Math.max(1e-6, ...all) * 1.1;
  const t0 = Math.min(...times), t1 = Math.max(...times, t0 + 1);
  const x = (t) => L + ((t - t0) / (t1 - t0)) * (W - L - R);
  const y = (v) => H - B - (v / max) * (H - T - B);
  const parts = [`<title>${esc(series.map(([n, v]) => `${n} now ${fmt(v[v.length - 1])} ${unit}`).join(', '))}</title>`];
  parts.push(`<line class="axis" x1="${L}" y1="${H - B}" x2="${W - R}" y2="${H - B}"/><line class="axis" x1="${L}" y1="${T}" x2="${L}" y2="${H - B}"/>`);
  for (let i = 0; i <= 4; i++) {
    const v = (max * i) / 4;
    parts.push(`<text x="${L - 4}" y="${y(v) + 3}" text-anchor="end">${v < 10 ? v.toFixed(2) : Math.round(v)}</text>`);
  }
  const time = (t) => new Date(t).toLocaleTimeString();
  parts.push(`<text x="${L}" y="${H - 6}">${time(t0)}</text><text x="${W - R}" y="${H - 6}" text-anchor="end">${time(t1)}</text>`);
  series.forEach(([name, values], i) => {
    const pts = values.map((v, k) => `${x(times[k]).toFixed(1)},${y(v || 0).toFixed(1)}`).join(' ');
    parts.push(`<polyline class="s-${name}" points="${pts}"/>`);
    if (values.length === 1) parts.push(`<circle class="k-${name}" r="3" cx="${x(times[0])}" cy="${y(values[0] || 0)}"/>`);
    parts.push(`<text class="k-${name}" x="${L + 8 + i * 48}" y="${T + 10}">${name}</text>`);
  });
  svg.setAttribute('viewBox', `0 0 ${W} ${H}`);
  svg.innerHTML = parts.join('');
}

function closePair() {
  state.open = null;
  $('pair').hidden = true;
  const td = document.querySelector('#grid td[tabindex="0"]');
  if (td) td.focus();
}

function moveFocus(dr, dc) {
  const r = Math.max(0, Math.min(state.rows.length - 1, state.focus.r + dr));
  const c = Math.max(0, Math.min(state.cols.length - 1, state.focus.c + dc));
  const old = document.querySelector('#grid td[tabindex="0"]');
  const next = document.querySelector(`#grid td[data-r="${r}"][data-c="${c}"]`);
  if (!next) return;
  if (old) old.tabIndex = -1;
  next.tabIndex = 0;
  next.focus();
  state.focus = { r, c };
  const box = next.getBoundingClientRect();
  showTip(next, box.left, box.bottom);
}

function wire() {
  const grid = $('grid');
  grid.addEventListener('mouseover', (e) => { const td = e.target.closest('td'); if (td) showTip(td, e.clientX, e.clientY); });
  grid.addEventListener('mousemove', (e) => { const td = e.target.closest('td'); if (td) showTip(td, e.clientX, e.clientY); });
  grid.addEventListener('mouseleave', () => { $('tip').hidden = true; });
  grid.addEventListener('click', (e) => {
    const td = e.target.closest('td');
    if (!td) return;
    state.focus = { r: +td.dataset.r, c: +td.dataset.c };
    openPair(state.rows[state.focus.r].name, state.cols[state.focus.c].name);
  });
  grid.addEventListener('keydown', (e) => {
    const moves = { ArrowUp: [-1, 0], ArrowDown: [1, 0], ArrowLeft: [0, -1], ArrowRight: [0, 1], Home: [0, -1e9], End: [0, 1e9] };
    if (moves[e.key]) { e.preventDefault(); moveFocus(...moves[e.key]); }
    if (e.key === 'Enter' || e.key === ' ') {
      e.preventDefault();
      openPair(state.rows[state.focus.r].name, state.cols[state.focus.c].name);
    }
  });
  grid.addEventListener('focusout', () => { $('tip').hidden = true; });
  $('worst-list').addEventListener('click', (e) => {
    const a = e.target.closest('a');
    if (a) { e.preventDefault(); openPair(a.dataset.src, a.dataset.dst); }
  });
  $('pair-close').addEventListener('click', closePair);
  document.addEventListener('keydown', (e) => { if (e.key === 'Escape' && state.open) closePair(); });
  ['metric', 'group'].forEach((id) => $(id).addEventListener('change', () => { saveView(); render(); }));
  ['rowFilter', 'colFilter'].forEach((id) => $(id).addEventListener('input', () => { state.focus = { r: 0, c: 0 }; saveView(); render(); }));
  window.addEventListener('resize', () => render());
}

restoreView();
wire();
listen();
load();
