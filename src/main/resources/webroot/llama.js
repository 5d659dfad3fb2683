// The matrix page: plain JavaScript, no libraries, nothing fetched from outside this server.
// Every value from the API is data: it reaches the page as text nodes and attribute values, never as
// markup, and the page runs under a strict Content-Security-Policy (no inline script or style).
'use strict';

const $ = (id) => document.getElementById(id);
const state = { pairs: [], index: new Map(), generated: null, updates: 0, open: null, focus: { r: 0, c: 0 }, rows: [], cols: [], tipHeldAt: null };

const SVG = 'http://www.w3.org/2000/svg';
function build(node, attrs, children) {
  for (const [k, v] of Object.entries(attrs || {})) {
    if (k === 'style' || k.startsWith('on')) throw new Error(`no ${k} attribute: CSP forbids it`);
    if (v !== null && v !== undefined && v !== false) node.setAttribute(k, v);
  }
  for (const c of children.flat(Infinity)) {
    if (c !== null && c !== undefined && c !== false) node.append(c instanceof Node ? c : String(c));
  }
  return node;
}
/** An HTML element: attributes as values, children as nodes or text. */
const h = (tag, attrs, ...children) => build(document.createElement(tag), attrs, children);
/** An SVG element, the same way. */
const s = (tag, attrs, ...children) => build(document.createElementNS(SVG, tag), attrs, children);
/** Replaces a node's children (nodes, text, or arrays of them). */
const fill = (node, ...children) => { node.replaceChildren(); return build(node, {}, children); };

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

const fmt = (v, d = 3) => (v === null || v === undefined || !Number.isFinite(Number(v)) ? '—' : Number(v).toFixed(d));
const ms = (v) => (v === null ? '—' : `${fmt(v)} ms`);
const metric = () => $('metric').value;

// Nothing answered means no RTT: the API sends null then; older servers sent 0 with lost == sent.
const answered = (p) => !(Number(p.sent) - Number(p.lost) <= 0);
function rttOf(p, field) {
  const v = p[field];
  return v === null || v === undefined || !Number.isFinite(Number(v)) || !answered(p) ? null : Number(v);
}

function cellClass(p) {
  if (!p) return 'nodata';
  const m = metric();
  if (m === 'loss') return SCALES.loss.find(([t]) => t(p.loss))[1];
  const v = rttOf(p, m);
  return v === null ? 'loss-100' : SCALES.rtt.find(([t]) => t(v))[1];
}

function cellText(p) {
  if (!p) return '';
  const m = metric();
  if (m === 'loss') return p.loss === 0 ? '0' : p.loss < 10 ? Number(p.loss).toFixed(1) : String(Math.round(p.loss));
  const v = rttOf(p, m);
  if (v === null) return '×';
  return v < 1 ? v.toFixed(2) : v < 10 ? v.toFixed(1) : String(Math.round(v));
}

function describe(p, src, dst) {
  if (!p) return `${src.name} to ${dst.name}: no data`;
  if (rttOf(p, 'rtt_p50') === null) return `${src.name} to ${dst.name}: loss ${fmt(p.loss, 2)} %, all ${p.sent} probes lost, no answer`;
  return `${src.name} to ${dst.name}: loss ${fmt(p.loss, 2)} %, ${p.lost} of ${p.sent} lost, RTT p50 ${ms(rttOf(p, 'rtt_p50'))}, p99 ${ms(rttOf(p, 'rtt_p99'))}`;
}

// "region=eu, rack=r1": every condition must hold; keys are tags, or name / ip.
function parseFilter(text) {
  const conds = [];
  for (const part of text.split(',').map((t) => t.trim()).filter(Boolean)) {
    const i = part.indexOf('=');
    if (i <= 0) return { error: `"${part}" is not tag=value` };
    conds.push([part.slice(0, i).trim(), part.slice(i + 1).trim()]);
  }
  return { conds };
}
const endValue = (end, key) => (key === 'name' || key === 'ip' ? end[key] : (end.tags || {})[key]);
const matches = (end, conds) => conds.every(([k, v]) => String(endValue(end, k) ?? '') === v);
const pairKey = (src, dst) => src + '\u0000' + dst;

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
  return list.sort((a, b) => key(a).localeCompare(key(b)) || String(a.name).localeCompare(String(b.name), undefined, { numeric: true }));
}

/** Each filter shows its own error next to it, so one filter's message never hides the other's. */
function applyFilter(id, list) {
  const input = $(id);
  const { conds, error } = parseFilter(input.value);
  input.setAttribute('aria-invalid', error ? 'true' : 'false');
  $(id + 'Error').textContent = error ? `${error}; write tag=value, several joined by commas` : '';
  return error ? list : list.filter((e) => matches(e, conds));
}

function render() {
  const group = $('group').value;
  const rows = applyFilter('rowFilter', sortEnds(endsOf('src'), group));
  const cols = applyFilter('colFilter', sortEnds(endsOf('dst'), group));
  $('filterHelp').textContent = `tags: name, ip${tagKeys().map((k) => ', ' + k).join('')}`;
  state.rows = rows;
  state.cols = cols;
  state.index = new Map(state.pairs.map((p) => [pairKey(p.src.name, p.dst.name), p]));
  const grid = $('grid');
  const hadFocus = grid.contains(document.activeElement);
  state.focus = { r: Math.min(state.focus.r, Math.max(0, rows.length - 1)), c: Math.min(state.focus.c, Math.max(0, cols.length - 1)) };
  const cell = Math.max(5, Math.min(32, Math.floor(($('grid-wrap').clientWidth - 160) / Math.max(1, cols.length))));
  grid.style.setProperty('--cell', cell + 'px');
  grid.classList.toggle('dense', cell < 22);

  const empty = !rows.length || !cols.length;
  $('empty').textContent = state.pairs.length ? 'No pair matches the filters.' : 'No pairs yet.';
  $('empty').hidden = !empty;
  grid.hidden = empty;
  fill(grid, empty ? [] : [gridHead(cols, group), gridBody(rows, cols, group)]);
  // a live update replaces the cells; keep keyboard users where they were
  const focused = grid.querySelector('td[tabindex="0"]');
  if (hadFocus && focused) focused.focus();

  $('size').textContent = `${rows.length} sources × ${cols.length} destinations shown, ${state.pairs.length} pairs in all`;
  renderLegend();
  renderWorst();
  renderWhen();
  highlight();
}

const groupOf = (group, e) => (group ? String(endValue(e, group) ?? '–') : '');
const startsGroup = (group, list, i) => group && i > 0 && groupOf(group, list[i]) !== groupOf(group, list[i - 1]);

function gridHead(cols, group) {
  const thead = h('thead');
  if (group) {
    const tr = h('tr', { class: 'groups' }, h('th'));
    for (let i = 0; i < cols.length;) {
      let j = i;
      while (j < cols.length && groupOf(group, cols[j]) === groupOf(group, cols[i])) j++;
      tr.append(h('th', { colspan: j - i, scope: 'colgroup' }, `${group}=${groupOf(group, cols[i])}`));
      i = j;
    }
    thead.append(tr);
  }
  thead.append(h('tr', {}, h('th', { scope: 'col', class: 'corner' }, 'src \\ dst'),
    cols.map((c, i) => h('th', { scope: 'col', class: startsGroup(group, cols, i) ? 'col gstart' : 'col', title: `${c.name} ${c.ip}` }, h('span', {}, c.name)))));
  return thead;
}

const CELL = h('td', { role: 'gridcell' }, h('span'));

function gridBody(rows, cols, group) {
  const tbody = h('tbody');
  const starts = cols.map((c, ci) => startsGroup(group, cols, ci));
  rows.forEach((r, ri) => {
    const tr = h('tr', { 'data-src': r.name, class: startsGroup(group, rows, ri) ? 'gstart' : null },
      h('th', { scope: 'row', title: r.ip }, r.name, group ? [' ', h('span', { class: 'grp' }, groupOf(group, r))] : null));
    cols.forEach((c, ci) => {
      // 40,000 of these at 200 x 200: a clone and direct setters, not build()'s generic loop
      const p = state.index.get(pairKey(r.name, c.name));
      const td = CELL.cloneNode(true);
      td.setAttribute('tabindex', ri === state.focus.r && ci === state.focus.c ? '0' : '-1');
      td.setAttribute('data-r', ri);
      td.setAttribute('data-c', ci);
      td.setAttribute('data-dst', c.name);
      td.className = cellClass(p) + (starts[ci] ? ' gstart' : '');
      td.setAttribute('aria-label', describe(p, r, c));
      td.firstChild.textContent = cellText(p);
      tr.append(td);
    });
    tbody.append(tr);
  });
  return tbody;
}

function renderLegend() {
  const m = metric();
  const scale = m === 'loss' ? SCALES.loss : SCALES.rtt;
  const title = m === 'loss' ? 'Loss' : m === 'rtt_p50' ? 'RTT p50' : 'RTT p99';
  const item = (cls, label) => h('span', {}, h('i', { class: `swatch ${cls}` }), label);
  fill($('legend'), h('strong', {}, `${title}:`), scale.map(([, cls, label]) => item(cls, label)),
    m !== 'loss' ? item('loss-100', 'all lost') : null, item('nodata', 'no data'));
}

/** The worst of the pairs the filters show. */
function renderWorst() {
  const rows = new Set(state.rows.map((e) => e.name));
  const cols = new Set(state.cols.map((e) => e.name));
  const p99 = (p) => rttOf(p, 'rtt_p99') ?? 0;
  const worst = state.pairs.filter((p) => rows.has(p.src.name) && cols.has(p.dst.name) && (p.loss > 0 || p99(p) > 0))
    .sort((a, b) => b.loss - a.loss || p99(b) - p99(a)).slice(0, 10);
  const none = state.pairs.length ? 'No pair matches the filters.' : 'No pairs yet.';
  $('worst-h').textContent = rows.size < endsOf('src').length || cols.size < endsOf('dst').length ? 'Worst pairs shown' : 'Worst pairs';
  fill($('worst-list'), ...(worst.length
    ? worst.map((p) => h('li', {}, h('a', { href: '#', 'data-src': p.src.name, 'data-dst': p.dst.name }, describe(p, p.src, p.dst))))
    : [h('li', {}, none)]));
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
  state.pairs = Array.isArray(m.pairs) ? m.pairs : [];
  state.generated = m.generated;
  state.updates++;
  const keys = tagKeys();
  const sel = $('group');
  if (sel.dataset.keys !== keys.join(',')) {
    // rebuilt only when the tags change, so an update does not close an open list
    const current = sel.value;
    fill(sel, h('option', { value: '' }, 'name'), keys.map((k) => h('option', { value: k }, k)));
    const wanted = state.wantedGroup || current;
    state.wantedGroup = '';
    sel.value = keys.includes(wanted) ? wanted : '';
    sel.dataset.keys = keys.join(',');
  }
  render();
  if (state.open) openPair(state.open.src, state.open.dst, false);
}

// Suspects: what the fault localizer names for the newest interval; clicking one highlights its cells,
// and, for a host, its row (as a source) or column (as a destination).
const suspectKey = (x) => `${x.kind}\u0000${x.scope}\u0000${x.side ?? ''}`;

async function loadFaults() {
  const response = await fetch('api/v1/faults');
  if (!response.ok) return;
  const f = await response.json();
  state.suspects = Array.isArray(f.suspects) ? f.suspects.filter((x) => x && typeof x === 'object') : [];
  state.faultsEnd = typeof f.interval_end === 'string' ? f.interval_end : null;
  if (state.chosen && !state.suspects.some((x) => suspectKey(x) === state.chosen)) state.chosen = null;
  renderSuspects();
  highlight();
}

function renderSuspects() {
  const list = state.suspects || [];
  $('suspects-when').textContent = state.faultsEnd ? `Interval ending ${state.faultsEnd}` : '';
  fill($('suspect-list'), ...(list.length
    ? list.map((x, i) => {
      const e = x.evidence && typeof x.evidence === 'object' ? x.evidence : {};
      const ports = Array.isArray(e.src_ports) && e.src_ports.length ? `, source ports ${e.src_ports.slice(0, 20).join(', ')}` : '';
      return h('li', {}, h('button', { type: 'button', 'data-i': i, 'aria-pressed': String(state.chosen === suspectKey(x)) },
        h('span', { class: 'kind' }, String(x.kind)), ' ', h('span', { class: 'scope' }, String(x.scope)),
        x.side ? [' ', h('span', { class: 'side' }, `(${x.side})`)] : null, ': ',
        h('span', { class: 'loss' }, `loss ${fmt(e.loss, 2)} % (${e.lost} of ${e.sent}) vs ${fmt(e.rest_loss, 2)} % elsewhere`),
        ports, ', ', h('span', { class: 'score' }, `score ${fmt(x.score, 2)}`)));
    })
    : [h('li', { class: 'none' }, state.faultsEnd ? 'No suspects in the newest interval.' : 'No fault localization yet.')]));
}

function highlight() {
  const grid = $('grid');
  const x = state.chosen ? (state.suspects || []).find((y) => suspectKey(y) === state.chosen) : null;
  grid.classList.toggle('highlighting', !!x);
  for (const el of [...grid.querySelectorAll('.hl')]) el.classList.remove('hl');
  if (!x || !grid.tBodies.length) return;
  const byIp = new Map(state.pairs.map((p) => [`${p.src.ip}>${p.dst.ip}`, p]));
  const cells = new Set();
  for (const k of Array.isArray(x.evidence && x.evidence.pairs) ? x.evidence.pairs : []) {
    const p = byIp.get(String(k));
    if (p) cells.add(pairKey(p.src.name, p.dst.name));
  }
  const host = x.kind === 'host' ? String(x.scope) : null;
  const isHost = (e) => host !== null && (e.name === host || e.ip === host);
  [...grid.tBodies[0].rows].forEach((tr, ri) => {
    const r = state.rows[ri];
    if (isHost(r) && x.side !== 'dst') tr.classList.add('hl');
    for (const td of tr.cells) {
      const c = state.cols[+td.dataset.c];
      if (td.tagName === 'TD' && c && cells.has(pairKey(r.name, c.name))) td.classList.add('hl');
    }
  });
  grid.querySelectorAll('thead th.col').forEach((th, ci) => {
    if (isHost(state.cols[ci]) && x.side !== 'src') th.classList.add('hl');
  });
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
  events.addEventListener('faults', loadFaults);
}

// Tooltip
function showTip(td, x, y) {
  const r = state.rows[+td.dataset.r];
  const c = state.cols[+td.dataset.c];
  if (!r || !c) return;
  // by the index render() built: a linear search per mouse move is 40,000 comparisons at 200 x 200
  const p = state.index.get(pairKey(r.name, c.name));
  const tip = $('tip');
  const head = h('strong', {}, `${r.name} → ${c.name}`);
  if (!p) {
    fill(tip, head, h('br'), 'no data');
  } else {
    const row = (term, value) => [h('dt', {}, term), h('dd', {}, value)];
    const rtt = (f) => ms(rttOf(p, f));
    const lines = answered(p) && rttOf(p, 'rtt_p50') !== null
      ? [row('RTT p50', rtt('rtt_p50')), row('RTT p90', rtt('rtt_p90')), row('RTT p99', rtt('rtt_p99')),
        row('RTT min / max', `${fmt(rttOf(p, 'rtt_min'))} / ${rtt('rtt_max')}`), row('jitter', rtt('jitter'))]
      : [row('RTT', 'no answer')];
    fill(tip, head, h('br'), `${r.ip} → ${c.ip}`,
      h('dl', {}, row('loss', `${fmt(p.loss, 2)} % (${p.lost} of ${p.sent})`), lines, row('interval end', p.interval_end)));
  }
  tip.hidden = false;
  const w = tip.offsetWidth;
  tip.style.left = Math.min(x + 14, window.innerWidth - w - 8) + 'px';
  tip.style.top = y + 14 + 'px';
}

function hideTip() {
  $('tip').hidden = true;
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
  const hist = pair.history;
  const last = hist[hist.length - 1];
  const rtt = rttOf(last, 'rtt_p50') === null ? `no answer, so no RTT`
    : `RTT p50 ${ms(rttOf(last, 'rtt_p50'))}, p90 ${ms(rttOf(last, 'rtt_p90'))}, p99 ${ms(rttOf(last, 'rtt_p99'))}`;
  $('pair-now').textContent = `${pair.src.ip} → ${pair.dst.ip}; newest interval: loss ${fmt(last.loss, 2)} % (${last.lost} of ${last.sent}), `
    + `${rtt}; ${hist.length} interval${hist.length === 1 ? '' : 's'}`;
  const times = hist.map((e) => Date.parse(e.interval_end));
  chart($('chart-rtt'), times, ['p50', 'p90', 'p99'].map((n) => [n, hist.map((e) => rttOf(e, 'rtt_' + n))]), 'ms');
  chart($('chart-loss'), times, [['loss', hist.map((e) => (Number.isFinite(Number(e.loss)) && e.loss !== null ? Number(e.loss) : null))]], '%', 100);
  const cell = (v) => h('td', {}, v);
  fill($('ports'),
    h('thead', {}, h('tr', {}, ['source port', 'dest port', 'sent', 'lost', 'loss %', 'RTT mean ms'].map((t) => h('th', { scope: 'col' }, t)))),
    h('tbody', {}, (pair.ports || []).map((q) => h('tr', { class: q.lost > 0 ? 'lossy' : null },
      cell(q.src_port), cell(q.dst_port), cell(q.sent), cell(q.lost), cell(fmt(q.loss, 2)), cell(fmt(rttOf(q, 'rtt')))))));
  if (focus) panel.focus();
}

/**
 * The top of a chart's scale. One warm-up spike must not flatten the rest: with four or more points
 * a series' 90th percentile over time stands for it, and above 1.5 times the highest of those the
 * points are clipped to the top and marked.
 */
function scaleTop(series) {
  const all = series.flatMap(([, v]) => v).filter((v) => v !== null);
  if (!all.length) return 1;
  const top = Math.max(...all);
  let typical = 0;
  for (const [, values] of series) {
    const sorted = values.filter((v) => v !== null).sort((a, b) => a - b);
    typical = Math.max(typical, sorted.length < 4 ? Infinity : sorted[Math.floor(0.9 * (sorted.length - 1))]);
  }
  const cap = typical * 1.5;
  return Math.max(1e-6, cap > 0 && top > cap ? cap : top) * 1.1;
}

function chart(svg, times, series, unit, fixedMax) {
  const W = svg.clientWidth || 600;
  const H = svg.clientHeight || 180;
  const L = 46, R = 8, T = 10, B = 22;
  const max = fixedMax ?? scaleTop(series);
  const t0 = Math.min(...times), t1 = Math.max(...times, t0 + 1);
  const x = (t) => L + ((t - t0) / (t1 - t0)) * (W - L - R);
  const y = (v) => H - B - (Math.min(v, max) / max) * (H - T - B);
  const now = ([n, v]) => `${n} now ${v[v.length - 1] === null ? 'no answer' : `${fmt(v[v.length - 1])} ${unit}`}`;
  const parts = [s('title', {}, series.map(now).join(', ')),
    s('line', { class: 'axis', x1: L, y1: H - B, x2: W - R, y2: H - B }), s('line', { class: 'axis', x1: L, y1: T, x2: L, y2: H - B })];
  for (let i = 0; i <= 4; i++) {
    const v = (max * i) / 4;
    parts.push(s('text', { class: 'tick', x: L - 4, y: y(v) + 3, 'text-anchor': 'end' }, v < 10 ? v.toFixed(2) : String(Math.round(v))));
  }
  const time = (t) => new Date(t).toLocaleTimeString();
  parts.push(s('text', { x: L, y: H - 6 }, time(t0)), s('text', { x: W - R, y: H - 6, 'text-anchor': 'end' }, time(t1)));
  const clipped = [];
  series.forEach(([name, values], i) => {
    // a null (nothing answered) leaves a gap instead of a line down to zero
    let run = [];
    const flush = () => {
      if (run.length > 1) parts.push(s('polyline', { class: `s-${name}`, points: run.map(([px, py]) => `${px.toFixed(1)},${py.toFixed(1)}`).join(' ') }));
      if (run.length === 1) parts.push(s('circle', { class: `k-${name}`, r: 3, cx: run[0][0], cy: run[0][1] }));
      run = [];
    };
    values.forEach((v, k) => {
      if (v === null) { flush(); return; }
      run.push([x(times[k]), y(v)]);
      if (v > max) {
        clipped.push(v);
        parts.push(s('path', { class: `clipped k-${name}`, d: `M${x(times[k]) - 4},${T + 6}l4,-6l4,6z` },
          s('title', {}, `${name} ${fmt(v)} ${unit}, above the scale`)));
      }
    });
    flush();
    parts.push(s('text', { class: `k-${name}`, x: L + 8 + i * 48, y: T + 10 }, name));
  });
  if (clipped.length) {
    parts.push(s('text', { class: 'clip-note', x: W - R, y: T + 10, 'text-anchor': 'end' },
      `▲ ${clipped.length} above the scale, up to ${fmt(Math.max(...clipped))} ${unit}`));
  }
  if (series.every(([, v]) => v.every((e) => e === null))) {
    parts.push(s('text', { class: 'none', x: (L + W - R) / 2, y: (T + H - B) / 2, 'text-anchor': 'middle' }, 'no answer in this hour'));
  }
  svg.setAttribute('viewBox', `0 0 ${W} ${H}`);
  svg.dataset.max = String(max);
  fill(svg, parts);
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

/** Opening a pair closes the tooltip; it stays closed until the pointer really moves. */
function openFromGrid(x, y) {
  hideTip();
  state.tipHeldAt = { x, y };
  openPair(state.rows[state.focus.r].name, state.cols[state.focus.c].name);
}

function wire() {
  const grid = $('grid');
  const hover = (e) => {
    const td = e.target.closest('td');
    if (!td) return;
    const held = state.tipHeldAt;
    if (held && held.x === e.clientX && held.y === e.clientY) return;
    state.tipHeldAt = null;
    showTip(td, e.clientX, e.clientY);
  };
  grid.addEventListener('mouseover', hover);
  grid.addEventListener('mousemove', hover);
  grid.addEventListener('mouseleave', hideTip);
  grid.addEventListener('click', (e) => {
    const td = e.target.closest('td');
    if (!td) return;
    state.focus = { r: +td.dataset.r, c: +td.dataset.c };
    openFromGrid(e.clientX, e.clientY);
  });
  grid.addEventListener('keydown', (e) => {
    const moves = { ArrowUp: [-1, 0], ArrowDown: [1, 0], ArrowLeft: [0, -1], ArrowRight: [0, 1], Home: [0, -1e9], End: [0, 1e9] };
    if (moves[e.key]) { e.preventDefault(); moveFocus(...moves[e.key]); }
    if (e.key === 'Enter' || e.key === ' ') {
      e.preventDefault();
      openFromGrid(null, null);
    }
  });
  grid.addEventListener('focusout', hideTip);
  $('worst-list').addEventListener('click', (e) => {
    const a = e.target.closest('a');
    if (a) { e.preventDefault(); openPair(a.dataset.src, a.dataset.dst); }
  });
  $('suspect-list').addEventListener('click', (e) => {
    const b = e.target.closest('button');
    if (!b) return;
    const x = state.suspects[+b.dataset.i];
    state.chosen = x && state.chosen !== suspectKey(x) ? suspectKey(x) : null;
    renderSuspects();
    highlight();
  });
  $('controls').addEventListener('submit', (e) => e.preventDefault());
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
loadFaults();
