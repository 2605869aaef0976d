// The ETRMS dashboard (served by the gateway with index.html; the chart is uPlot, vendored).
// Two views of the same page:
//   /                 the firm overview: every account the token may read (overview channel), sortable
//   /?account=NAME    one account live: positions, accounts, risk-metrics and alerts channels; the
//                     equity/drawdown chart loads GET /api/v1/history, then appends live points
// It keeps only the latest state per channel and renders at most once per animation frame. Alerts
// are never dropped: on (re)connect the alerts channel resumes with since=<last alert_id seen>.
(() => {
  'use strict';
  const params = new URLSearchParams(location.search);
  const account = params.get('account') || '';
  const token = params.get('token') || '';
  const currency = params.get('currency') || 'USD';
  const scheme = location.protocol === 'https:' ? 'wss' : 'ws';
  const $ = (id) => document.getElementById(id);

  // ---- formatting ----------------------------------------------------------------------------
  const fmt = {
    money: new Intl.NumberFormat('en-US', { style: 'currency', currency, minimumFractionDigits: 2, maximumFractionDigits: 2 }),
    price: new Intl.NumberFormat('en-US', { minimumFractionDigits: 2, maximumFractionDigits: 8 }),
    size: new Intl.NumberFormat('en-US', { maximumFractionDigits: 8 }),
    pct: new Intl.NumberFormat('en-US', { style: 'percent', minimumFractionDigits: 2, maximumFractionDigits: 2 }),
    pct1: new Intl.NumberFormat('en-US', { minimumFractionDigits: 1, maximumFractionDigits: 1 }),
    ratio: new Intl.NumberFormat('en-US', { minimumFractionDigits: 2, maximumFractionDigits: 2 }),
    number: new Intl.NumberFormat('en-US', { maximumFractionDigits: 4 }),
    compact: new Intl.NumberFormat('en-US', { notation: 'compact', maximumFractionDigits: 2 }),
  };
  const num = (v) => (v === null || v === undefined || v === '' ? NaN : Number(v));
  const money = (v) => (isFinite(num(v)) ? fmt.money.format(num(v)) : '—');
  const pct = (v) => (isFinite(num(v)) ? fmt.pct.format(num(v) / 100) : '—');      // payload percents are 0..100
  const use = (v) => (isFinite(num(v)) ? fmt.pct1.format(num(v)) + '%' : '—');     // utilisation, one decimal
  const ratio = (v) => (isFinite(num(v)) ? fmt.ratio.format(num(v)) + '×' : '—');
  const plain = (v) => (isFinite(num(v)) ? fmt.number.format(num(v)) : '—');
  const sign = (v) => (num(v) > 0 ? 'pos' : num(v) < 0 ? 'neg' : '');
  const esc = (s) => String(s === null || s === undefined ? '' : s)
    .replace(/&/g, '&amp;').replace(/</g, '&lt;').replace(/>/g, '&gt;').replace(/"/g, '&quot;');
  const useClass = (u) => (!isFinite(u) ? '' : u > 100 ? 'breach' : u >= 80 ? 'warn' : '');
  const bar = (u) => `<span class="bar ${useClass(u)}"><div style="width:${(isFinite(u) ? Math.max(0, Math.min(100, u)) : 0).toFixed(1)}%"></div></span>`;
  /** How a limit's own value reads: drawdown in percent, losses and exposure in money, leverage as a ratio. */
  const LIMITS = {
    max_drawdown: ['Drawdown', pct], daily_loss: ['Daily loss', money], max_leverage: ['Leverage', ratio],
    max_gross_exposure: ['Gross exposure', money], max_position_notional: ['Position notional', money], volatility: ['Price move', pct],
  };
  const limitName = (c) => (LIMITS[c] ? LIMITS[c][0] : c);
  const limitFormat = (c) => (LIMITS[c] ? LIMITS[c][1] : plain);

  // ---- rendering: at most once per animation frame --------------------------------------------
  const renderers = {};
  const dirty = new Set();
  let frameRequested = false;
  let received = 0, frames = 0;      // exposed on <body data-messages data-frames>: renders stay per frame, not per message
  function schedule(what) {
    dirty.add(what);
    if (!frameRequested) {
      frameRequested = true;
      requestAnimationFrame(render);
    }
  }
  function render() {
    frameRequested = false;
    frames++;
    document.body.dataset.messages = String(received);
    document.body.dataset.frames = String(frames);
    const todo = new Set(dirty);
    dirty.clear();
    for (const what of todo) if (renderers[what]) renderers[what]();
  }

  // ---- connections ---------------------------------------------------------------------------
  const status = {};
  const channels = [];
  function withToken(q) {
    if (token) q.set('token', token);
    return q;
  }
  function link(name) {
    return '?' + withToken(new URLSearchParams({ account: name })).toString();
  }
  function authHeaders() {
    return token ? { Authorization: `Bearer ${token}` } : {};
  }
  function getJson(path) {
    return fetch(path, { headers: authHeaders() }).then((r) => (r.ok ? r.json() : Promise.reject(r.status)));
  }
  /** Opens {@code channel} and keeps it open: reconnects with backoff; {@code query()} is read at each (re)connect. */
  function connect(channel, query, onMessage) {
    channels.push(channel);
    let attempts = 0;
    const open = () => {
      const q = withToken(new URLSearchParams(query()));
      const s = q.toString();
      let ws;
      try {
        ws = new WebSocket(`${scheme}://${location.host}/api/v1/ws/${channel}${s ? '?' + s : ''}`);
      } catch (e) {
        retry();
        return;
      }
      status[channel] = 'connecting';
      schedule('conn');
      ws.onopen = () => { attempts = 0; status[channel] = 'open'; schedule('conn'); };
      ws.onmessage = (event) => {
        received++;
        let data;
        try { data = JSON.parse(event.data); } catch (e) { return; }
        onMessage(data);
      };
      ws.onclose = () => { status[channel] = 'closed'; schedule('conn'); retry(); };
    };
    const retry = () => {
      attempts++;
      const delay = Math.min(5000, 250 * 2 ** Math.min(attempts, 5)) * (0.75 + Math.random() * 0.5);
      setTimeout(open, delay);
    };
    status[channel] = 'connecting';
    open();
  }
  renderers.conn = () => {
    const states = channels.map((c) => status[c]);
    const all = states.length > 0 && states.every((s) => s === 'open');
    const any = states.some((s) => s === 'open');
    const text = all ? 'Connected' : states.some((s) => s === 'closed') ? 'Reconnecting…' : 'Connecting…';
    $('connection-status').textContent = text;
    $('connection-dot').className = 'dot ' + (all ? 'open' : any || text === 'Connecting…' ? 'connecting' : 'closed');
    $('channels').innerHTML = channels.map((c) =>
      `<span title="${esc(c)}: ${esc(status[c])}"><span class="dot ${esc(status[c])}"></span> ${esc(c)}</span>`).join('');
  };

  // ---- sortable tables -----------------------------------------------------------------------
  /** Compares two values for sorting: absent last, numbers as numbers, text as text. */
  function compare(a, b, dir) {
    const na = a === null || a === undefined || (typeof a === 'number' && !isFinite(a));
    const nb = b === null || b === undefined || (typeof b === 'number' && !isFinite(b));
    if (na || nb) return na && nb ? 0 : na ? 1 : -1;
    const c = typeof a === 'number' && typeof b === 'number' ? a - b : String(a).localeCompare(String(b));
    return dir === 'asc' ? c : -c;
  }
  /** Makes the header buttons of {@code table} sort by their th's data-key; the choice is kept in localStorage. */
  function sortable(table, storageKey, initial, onChange) {
    let state = initial;
    try { state = JSON.parse(localStorage.getItem(storageKey)) || initial; } catch (e) { state = initial; }
    const mark = () => table.querySelectorAll('th[data-key]').forEach((th) =>
      th.setAttribute('aria-sort', th.dataset.key === state.key ? (state.dir === 'asc' ? 'ascending' : 'descending') : 'none'));
    table.querySelectorAll('th[data-key] button').forEach((button) => button.addEventListener('click', () => {
      const key = button.parentElement.dataset.key;
      const text = button.parentElement.classList.contains('text');
      state = state.key === key ? { key, dir: state.dir === 'asc' ? 'desc' : 'asc' } : { key, dir: text ? 'asc' : 'desc' };
      try { localStorage.setItem(storageKey, JSON.stringify(state)); } catch (e) { /* private mode */ }
      mark();
      onChange();
    }));
    mark();
    return () => state;
  }
  const sorted = (rows, state, value) => rows.slice().sort((a, b) => compare(value(a, state.key), value(b, state.key), state.dir));

  if (account) accountView(); else overviewView();

  // ---- the firm overview ---------------------------------------------------------------------
  function overviewView() {
    $('overview-view').hidden = false;
    document.title = 'ETRMS — all accounts';
    let overview = null;
    const table = $('overview-table');
    const sortState = sortable(table, 'etrms.sort.overview', { key: 'worst_limit', dir: 'desc' }, () => schedule('overview'));
    const value = (row, key) => (key === 'worst_limit' ? (row.worst_limit ? num(row.worst_limit.utilization_pct) : null)
      : key === 'account' || key === 'trading_state' ? row[key] : row[key] === undefined ? null : num(row[key]));
    $('overview-filter').addEventListener('input', () => schedule('overview'));
    $('overview-rows').addEventListener('click', (event) => {
      const tr = event.target.closest('tr[data-account]');
      if (tr && !event.target.closest('a')) location.href = link(tr.dataset.account);
    });
    connect('overview', () => ({}), (data) => { overview = data; schedule('overview'); });

    renderers.overview = () => {
      if (!overview) return;
      const t = overview.totals || {};
      $('ov-accounts').textContent = plain(t.accounts);
      $('ov-equity').textContent = money(t.total_equity);
      $('ov-daily').textContent = money(t.daily_pnl);
      $('ov-daily').className = 'value ' + sign(t.daily_pnl);
      $('ov-exposure').textContent = money(t.total_exposure);
      $('ov-halted').textContent = plain(t.halted);
      $('ov-reduce').textContent = plain(t.reduce_only);
      $('ov-alerts').textContent = plain(t.open_alerts);
      $('overview-updated').textContent = isFinite(num(overview.timestamp)) ? 'as of ' + new Date(num(overview.timestamp)).toLocaleString() : '';
      const filter = $('overview-filter').value.trim().toLowerCase();
      const rows = sorted((overview.accounts || []).filter((r) => !filter || String(r.account).toLowerCase().includes(filter)), sortState(), value);
      $('overview-rows').innerHTML = rows.length ? rows.map((r) => {
        const w = r.worst_limit;
        const where = w && (w.exchange !== '*' || w.symbol !== '*') ? ` ${w.symbol}` : '';
        const worst = w ? `<span class="use" title="${esc(w.condition_name)}${w.exchange !== '*' ? ' ' + esc(w.exchange) + '/' + esc(w.symbol) : ''}: `
          + `${esc(plain(w.value))} of ${esc(plain(w.limit))}">${bar(num(w.utilization_pct))}<span>${use(w.utilization_pct)} ${esc(w.condition_name)}${esc(where)}</span></span>`
          : '<span class="empty">no limit</span>';
        const state = r.trading_state || 'UNKNOWN';
        return `<tr class="row-link" data-account="${esc(r.account)}">`
          + `<td class="text account"><a href="${esc(link(r.account))}">${esc(r.account)}</a></td>`
          + `<td class="text state"><span class="badge state-${esc(state)}">${esc(r.trading_state ? state.replace('_', '-') : '—')}</span></td>`
          + `<td class="equity">${money(r.total_equity)}</td>`
          + `<td class="daily ${sign(r.daily_pnl)}">${money(r.daily_pnl)}</td>`
          + `<td class="drawdown">${pct(r.current_drawdown)}</td>`
          + `<td class="leverage">${ratio(r.leverage)}</td>`
          + `<td class="worst">${worst}</td>`
          + `<td class="alerts">${esc(plain(r.open_alerts))}</td></tr>`;
      }).join('') : `<tr><td colspan="8" class="empty">${overview.accounts && overview.accounts.length ? 'no account matches' : 'no accounts yet'}</td></tr>`;
    };
  }

  // ---- one account ---------------------------------------------------------------------------
  function accountView() {
    $('account-view').hidden = false;
    $('account-nav').hidden = false;
    $('account-name').textContent = account;
    document.title = `ETRMS ${account}`;
    const latest = {};
    const MAX_ALERTS = 500;
    let alerts = [];                  // newest first
    const seenAlerts = new Set();
    let lastAlertId = null;           // resume point of the alerts channel
    const breakers = new Map();       // condition|exchange|symbol -> latest alert
    const ackKey = `etrms.ack.${account}`;
    let acknowledged = new Set();
    try { acknowledged = new Set(JSON.parse(localStorage.getItem(ackKey) || '[]')); } catch (e) { acknowledged = new Set(); }

    // The account selector lists every account of the overview (the one shown first if absent).
    const selector = $('account-input');
    selector.innerHTML = `<option>${esc(account)}</option>`;
    getJson('/api/v1/accounts').then((body) => {
      const names = ((body.data && body.data.accounts) || []).map((r) => r.account);
      if (!names.includes(account)) names.unshift(account);
      selector.innerHTML = names.map((n) => `<option${n === account ? ' selected' : ''}>${esc(n)}</option>`).join('');
    }).catch(() => { /* the account alone */ });
    selector.addEventListener('change', () => { location.href = link(selector.value); });
    $('overview-link').href = token ? '/?' + withToken(new URLSearchParams()).toString() : '/';

    const accountQuery = () => ({ account });
    for (const c of ['positions', 'accounts', 'risk-metrics']) {
      connect(c, accountQuery, (data) => {
        latest[c] = data;
        if (c === 'risk-metrics') addPoint(data);
        schedule(c);
      });
    }
    // Recent alerts over REST first, then the live channel resumes right after the last one.
    getJson(`/api/v1/alerts?${new URLSearchParams({ account, limit: '100' })}`)
      .then((body) => { (body.data || []).forEach(addAlert); })
      .catch(() => { /* no history: live alerts only */ })
      .finally(() => {
        if (lastAlertId === null) lastAlertId = 0;
        connect('alerts', () => ({ account, since: String(lastAlertId) }), addAlert);
      });

    function addAlert(a) {
      if (!a || a.alert_id === undefined || a.alert_id === null || seenAlerts.has(a.alert_id)) return;
      seenAlerts.add(a.alert_id);
      if (lastAlertId === null || a.alert_id > lastAlertId) lastAlertId = a.alert_id;
      alerts.push(a);
      alerts.sort((x, y) => y.alert_id - x.alert_id);
      if (alerts.length > MAX_ALERTS) alerts.length = MAX_ALERTS;
      const key = `${a.condition_name}|${a.exchange}|${a.symbol}`;
      const before = breakers.get(key);
      if (!before || a.alert_id > before.alert_id) breakers.set(key, a);
      schedule('alerts');
      schedule('breakers');
    }

    // -- chart: history from the gateway, then live points --------------------------------------
    let resolution = 1000;
    let windowMs = 3600000;
    let everything = false;           // the window was empty: showing everything kept
    let ts = [], eq = [], dd = [];
    let chart = null;
    let historyLoaded = false;
    const pending = [];               // live points that arrived before the history
    try { windowMs = Number(localStorage.getItem('etrms.chart.window')) || windowMs; } catch (e) { /* default */ }

    function addPoint(data) {
      const t = num(data.timestamp);
      const rm = data.risk_metrics || {};
      const p = [t, num(rm.total_equity), num(rm.current_drawdown) || 0];
      if (!isFinite(p[0]) || !isFinite(p[1])) return;
      if (!historyLoaded) { pending.push(p); return; }
      appendPoint(p);
      schedule('chart');
    }
    function appendPoint([t, e, d]) {
      const n = ts.length;
      if (n && t < ts[n - 1]) return;                                        // older than the latest: ignored
      if (n && Math.floor(t / resolution) === Math.floor(ts[n - 1] / resolution)) { ts[n - 1] = t; eq[n - 1] = e; dd[n - 1] = d; }
      else { ts.push(t); eq.push(e); dd.push(d); }
      if (!everything) {
        let cut = 0;
        while (cut < ts.length - 1 && ts[cut] < t - windowMs) cut++;
        if (cut) { ts = ts.slice(cut); eq = eq.slice(cut); dd = dd.slice(cut); }
      }
    }
    function loadHistory() {
      historyLoaded = false;
      const from = Date.now() - windowMs;
      const get = (f) => getJson(`/api/v1/history?${new URLSearchParams(f === null ? { account } : { account, from: String(f) })}`)
        .then((body) => body.data).catch((s) => (s === 404 ? null : Promise.reject(s)));
      get(from).then((h) => (h && h.timestamps.length ? [h, false] : get(null).then((all) => [all, true])))
        .then(([h, all]) => {
          everything = all && !!h && h.timestamps.length > 0;
          resolution = (h && h.resolution_ms) || resolution;
          ts = h ? h.timestamps.slice() : []; eq = h ? h.equity.slice() : []; dd = h ? h.drawdown.slice() : [];
          $('chart-note').textContent = everything ? 'nothing in this window: everything the gateway keeps is shown' : '';
        })
        .catch(() => { ts = []; eq = []; dd = []; $('chart-note').textContent = 'history unavailable: live points only'; })
        .finally(() => {
          historyLoaded = true;
          pending.splice(0).forEach(appendPoint);
          schedule('chart');
        });
    }
    document.querySelectorAll('#chart-windows button').forEach((b) => {
      b.classList.toggle('active', Number(b.dataset.window) === windowMs);
      b.addEventListener('click', () => {
        windowMs = Number(b.dataset.window);
        try { localStorage.setItem('etrms.chart.window', String(windowMs)); } catch (e) { /* private mode */ }
        document.querySelectorAll('#chart-windows button').forEach((x) => x.classList.toggle('active', x === b));
        loadHistory();
      });
    });
    loadHistory();

    renderers.chart = () => {
      const el = $('chart');
      el.dataset.points = String(ts.length);
      const data = [ts.map((t) => t / 1000), eq, dd];
      if (typeof uPlot === 'undefined') return;
      if (!chart) {
        const width = Math.max(200, el.clientWidth);
        chart = new uPlot({
          width, height: 240,
          legend: { show: true },
          scales: { x: { time: true }, eq: { auto: true }, dd: { auto: true, range: (u, min, max) => [0, Math.max(1, max * 1.1)] } },
          series: [
            {},
            { label: 'Equity', scale: 'eq', stroke: '#1565c0', width: 2, value: (u, v) => money(v) },
            { label: 'Drawdown', scale: 'dd', stroke: '#e53935', fill: 'rgba(229,57,53,.12)', width: 1, value: (u, v) => pct(v) },
          ],
          axes: [
            { stroke: '#5f6b78' },
            { scale: 'eq', stroke: '#5f6b78', size: 64, values: (u, vals) => vals.map((v) => fmt.compact.format(v)) },
            { scale: 'dd', side: 1, stroke: '#5f6b78', size: 48, grid: { show: false }, values: (u, vals) => vals.map((v) => v + '%') },
          ],
        }, data, el);
        new ResizeObserver(() => chart.setSize({ width: Math.max(200, el.clientWidth), height: 240 })).observe(el);
      } else {
        chart.setData(data);
      }
    };

    // -- headline figures, limits, breakers ----------------------------------------------------
    function setSigned(id, v, f) {
      const el = $(id);
      el.textContent = f(v);
      el.className = 'value ' + sign(v);
    }
    function stamp(payload) {
      const t = num(payload.timestamp);
      if (isFinite(t)) $('updated').textContent = 'as of ' + new Date(t).toLocaleString();
    }
    renderers['risk-metrics'] = () => {
      const data = latest['risk-metrics'];
      const rm = (data && data.risk_metrics) || {};
      $('kpi-equity').textContent = money(rm.total_equity);
      $('kpi-peak').textContent = money(rm.peak_equity);
      setSigned('kpi-total-pnl', rm.total_pnl, money);
      setSigned('kpi-daily-pnl', rm.daily_pnl, money);
      $('kpi-exposure').textContent = money(rm.total_exposure);
      setSigned('kpi-net-exposure', rm.net_exposure, money);
      $('kpi-drawdown').textContent = pct(rm.current_drawdown);
      $('kpi-max-drawdown').textContent = pct(rm.max_drawdown);
      $('kpi-leverage').textContent = ratio(rm.leverage);
      const state = rm.trading_state || 'UNKNOWN';
      const badge = $('trading-state');
      badge.textContent = data ? state.replace('_', '-') : '—';
      badge.className = 'badge state-' + (data ? state : 'UNKNOWN');
      if (data) stamp(data);
      const limits = rm.limits;
      if (!limits || !Object.keys(limits).length) {
        $('limits').innerHTML = '<div class="empty">no limit published: every condition is off, or the topology does not publish limits</div>';
        $('limits-source').textContent = '';
      } else {
        const order = Object.keys(LIMITS);
        const names = Object.keys(limits).sort((a, b) => (order.indexOf(a) + 1 || 99) - (order.indexOf(b) + 1 || 99));
        $('limits').innerHTML = names.map((c) => {
          const l = limits[c] || {};
          const f = limitFormat(c);
          const u = num(l.utilization_pct);
          return `<div class="bar-row" data-limit="${esc(c)}"><span class="name">${esc(limitName(c))}</span>${bar(u)}`
            + `<span class="txt">${esc(f(l.value))} / ${esc(f(l.limit))} (${use(u)})</span></div>`;
        }).join('');
        $('limits-source').textContent = 'utilisation of the switched-on limits';
      }
      schedule('positions');
      schedule('breakers');
    };
    renderers.breakers = () => {
      const tripped = [], warned = [], cleared = [];
      for (const a of breakers.values()) {
        const where = a.exchange === '*' && a.symbol === '*' ? 'account' : `${a.exchange}/${a.symbol}`;
        const chip = (cls, word) => `<span class="chip ${cls}" data-breaker="${esc(a.condition_name)}|${esc(a.exchange)}|${esc(a.symbol)}" `
          + `title="${esc(a.description)}">${esc(a.condition_name)} · ${esc(where)}: ${word}</span>`;
        if (a.type === 'circuit_breaker_cleared') cleared.push(chip('armed', 'cleared'));
        else if (a.type === 'circuit_breaker_warning') warned.push(chip('warned', 'warning'));
        else tripped.push(chip('tripped', 'tripped'));
      }
      const rm = (latest['risk-metrics'] || {}).risk_metrics || {};
      for (const [ex, syms] of Object.entries(rm.instrument_trading_states || {})) {
        for (const [sym, st] of Object.entries(syms || {})) {
          if (st !== 'ACTIVE') tripped.push(`<span class="chip tripped">${esc(ex)}/${esc(sym)}: ${esc(st)}</span>`);
        }
      }
      $('breakers').innerHTML = `<div class="chips" id="breakers-tripped">${tripped.length ? tripped.join('') : '<span class="chip armed">no breaker tripped</span>'}</div>`
        + (warned.length ? `<div class="chips" id="breakers-warned">${warned.join('')}</div>` : '')
        + (cleared.length ? `<details id="breakers-cleared"><summary>${cleared.length} cleared</summary><div class="chips">${cleared.join('')}</div></details>` : '');
    };

    // -- positions, with each position's distance to its limits --------------------------------
    const positionsHead = [['exchange', 'Exchange', true], ['symbol', 'Symbol', true], ['size', 'Size'], ['entry_price', 'Entry'],
      ['current_price', 'Price'], ['notional', 'Notional'], ['unrealized_pnl', 'Unrealized'], ['realized_pnl', 'Realized'],
      ['limit_use', 'Limit distance']];
    let positionsSort = null;
    /** The position's most used limit: {condition, utilization_pct, value, limit}, or null. */
    function positionLimit(exchange, symbol) {
      const rm = (latest['risk-metrics'] || {}).risk_metrics || {};
      const conditions = ((rm.position_limits || {})[exchange] || {})[symbol] || {};
      let worst = null;
      for (const [condition, l] of Object.entries(conditions)) {
        const u = num(l && l.utilization_pct);
        if (isFinite(u) && (!worst || u > worst.u)) worst = { condition, u, value: l.value, limit: l.limit };
      }
      return worst;
    }
    renderers.positions = () => {
      const p = latest.positions;
      if (!p) { $('positions').innerHTML = '<div class="empty">no positions yet</div>'; $('positions-total').textContent = ''; return; }
      const rows = [];
      for (const [ex, e] of Object.entries(p.exchanges || {})) {
        for (const pos of e.positions || []) rows.push({ ...pos, exchange: ex, limit: positionLimit(ex, pos.symbol) });
      }
      if (!rows.length) { $('positions').innerHTML = '<div class="empty">no open positions</div>'; return; }
      if (!$('positions-table')) {
        $('positions').innerHTML = '<table id="positions-table" class="sortable"><thead><tr>'
          + positionsHead.map(([k, label, text]) => `<th data-key="${k}"${text ? ' class="text"' : ''}><button type="button">${label}</button></th>`).join('')
          + '</tr></thead><tbody></tbody><tfoot></tfoot></table>';
        positionsSort = sortable($('positions-table'), 'etrms.sort.positions', { key: 'limit_use', dir: 'desc' }, () => schedule('positions'));
      }
      const value = (r, key) => (key === 'exchange' || key === 'symbol' ? r[key] : key === 'limit_use' ? (r.limit ? r.limit.u : null) : num(r[key]));
      const body = sorted(rows, positionsSort(), value).map((pos) => {
        const l = pos.limit;
        const left = l ? 100 - l.u : NaN;
        const distance = l
          ? `<span class="use" title="${esc(l.condition)}: ${esc(plain(l.value))} of ${esc(plain(l.limit))} (${use(l.u)} used)">${bar(l.u)}`
            + `<span>${left >= 0 ? use(left) + ' left' : use(-left) + ' over'} · ${esc(limitName(l.condition))}</span></span>`
          : '<span class="empty">no limit</span>';
        return `<tr class="position" data-exchange="${esc(pos.exchange)}" data-symbol="${esc(pos.symbol)}">`
          + `<td class="text">${esc(pos.exchange)}</td><td class="text">${esc(pos.symbol)}</td>`
          + `<td class="${sign(pos.size)}">${isFinite(num(pos.size)) ? fmt.size.format(num(pos.size)) : '—'}</td>`
          + `<td>${isFinite(num(pos.entry_price)) ? fmt.price.format(num(pos.entry_price)) : '—'}</td>`
          + `<td>${isFinite(num(pos.current_price)) ? fmt.price.format(num(pos.current_price)) : '—'}</td>`
          + `<td class="notional">${money(pos.notional)}</td>`
          + `<td class="upnl ${sign(pos.unrealized_pnl)}">${money(pos.unrealized_pnl)}</td>`
          + `<td class="rpnl ${sign(pos.realized_pnl)}">${money(pos.realized_pnl)}</td>`
          + `<td class="limit-distance">${distance}</td></tr>`;
      }).join('');
      const table = $('positions-table');
      table.tBodies[0].innerHTML = body;
      table.tFoot.innerHTML = `<tr class="total"><td class="text">Total</td><td></td><td></td><td></td><td></td><td id="positions-value">${money(p.total_position_value)}</td>`
        + `<td id="positions-upnl" class="${sign(p.total_unrealized_pnl)}">${money(p.total_unrealized_pnl)}</td>`
        + `<td class="${sign(p.total_realized_pnl)}">${money(p.total_realized_pnl)}</td><td></td></tr>`;
      $('positions-total').textContent = `value ${money(p.total_position_value)} · unrealized ${money(p.total_unrealized_pnl)}`;
      stamp(p);
    };

    renderers.accounts = () => {
      const a = latest.accounts;
      if (!a) { $('accounts').innerHTML = '<div class="empty">no account data yet</div>'; return; }
      let rows = '';
      const t = { balance: 0, equity: 0, unrealized_pnl: 0, realized_pnl: 0, position_value: 0 };
      for (const [ex, e] of Object.entries(a.accounts || {})) {
        for (const k of Object.keys(t)) t[k] += num(e[k]) || 0;
        rows += `<tr data-exchange="${esc(ex)}"><td class="text">${esc(ex)}</td><td class="balance">${money(e.balance)}</td><td class="equity">${money(e.equity)}</td>`
          + `<td class="${sign(e.unrealized_pnl)}">${money(e.unrealized_pnl)}</td><td class="${sign(e.realized_pnl)}">${money(e.realized_pnl)}</td>`
          + `<td>${money(e.position_value)}</td><td class="leverage">${ratio(e.leverage)}</td></tr>`;
      }
      const lev = t.equity > 0 ? t.position_value / t.equity : NaN;
      $('accounts').innerHTML = rows
        ? '<table><thead><tr><th class="text">Exchange</th><th>Balance</th><th>Equity</th><th>Unrealized</th><th>Realized</th><th>Position value</th><th>Leverage</th></tr></thead>'
          + `<tbody>${rows}</tbody><tfoot><tr class="total" id="accounts-total"><td class="text">Total</td><td>${money(t.balance)}</td><td>${money(t.equity)}</td>`
          + `<td class="${sign(t.unrealized_pnl)}">${money(t.unrealized_pnl)}</td><td class="${sign(t.realized_pnl)}">${money(t.realized_pnl)}</td>`
          + `<td>${money(t.position_value)}</td><td>${ratio(lev)}</td></tr></tfoot></table>`
        : '<div class="empty">no exchange accounts</div>';
      stamp(a);
    };

    // -- alerts: filter by severity, acknowledge in the page (kept in this browser) ------------
    const severityOf = (a) => a.severity || (a.type === 'circuit_breaker_cleared' ? 'info' : 'warning');
    const shownSeverities = () => new Set(Array.from(document.querySelectorAll('#alert-tools input[data-severity]'))
      .filter((i) => i.checked).map((i) => i.dataset.severity));
    function saveAcks() {
      try { localStorage.setItem(ackKey, JSON.stringify(Array.from(acknowledged).slice(-5000))); } catch (e) { /* private mode */ }
    }
    document.querySelectorAll('#alert-tools input').forEach((i) => i.addEventListener('change', () => schedule('alerts')));
    $('ack-all').addEventListener('click', () => {
      const severities = shownSeverities();
      alerts.filter((a) => severities.has(severityOf(a))).forEach((a) => acknowledged.add(a.alert_id));
      saveAcks();
      schedule('alerts');
    });
    $('alerts').addEventListener('click', (event) => {
      const button = event.target.closest('button[data-ack]');
      if (!button) return;
      const id = Number(button.dataset.ack);
      if (acknowledged.has(id)) acknowledged.delete(id); else acknowledged.add(id);
      saveAcks();
      schedule('alerts');
    });
    renderers.alerts = () => {
      const severities = shownSeverities();
      const showAcked = $('show-acknowledged').checked;
      const open = alerts.filter((a) => !acknowledged.has(a.alert_id)).length;
      const shown = alerts.filter((a) => severities.has(severityOf(a)) && (showAcked || !acknowledged.has(a.alert_id)));
      $('alerts-count').textContent = `${open} to acknowledge, ${alerts.length} in all, newest first`;
      $('alerts').innerHTML = shown.length ? shown.map((a) => {
        const sev = severityOf(a);
        const acked = acknowledged.has(a.alert_id);
        const when = isFinite(num(a.triggered_at)) ? new Date(num(a.triggered_at) * 1000).toLocaleString() : '';
        return `<div class="alert sev-${esc(sev)}${a.type === 'circuit_breaker_cleared' ? ' cleared' : ''}${acked ? ' acknowledged' : ''}" data-alert-id="${esc(a.alert_id)}">`
          + `<div class="body"><span class="sev">${esc(sev)}</span><strong>${esc(a.condition_name)}</strong> ${esc(a.exchange)}/${esc(a.symbol)}: ${esc(a.description)}`
          + `<div class="meta">#${esc(a.alert_id)} · ${esc(when)} · ${esc(a.action_result || a.action || 'no action')}</div></div>`
          + `<button type="button" data-ack="${esc(a.alert_id)}">${acked ? 'Unacknowledge' : 'Acknowledge'}</button></div>`;
      }).join('') : `<div class="empty" id="alerts-empty">${alerts.length ? 'no alert matches the filter' : 'no alerts'}</div>`;
    };

    // -- admin reset ---------------------------------------------------------------------------
    let adminToken = token;
    function updateAdmin() {
      adminToken = $('token-input').value.trim();
      $('reset-button').disabled = !adminToken;
      $('reset-condition').disabled = !adminToken;
    }
    $('token-input').addEventListener('input', updateAdmin);
    $('admin-form').addEventListener('submit', (event) => {
      event.preventDefault();
      if (!adminToken) return;
      const body = { action: 'reset' };
      const condition = $('reset-condition').value;
      if (condition) body.condition_name = condition;
      const result = $('admin-result');
      result.className = '';
      result.textContent = 'sending…';
      fetch(`/api/v1/accounts/${encodeURIComponent(account)}/risk-control`, {
        method: 'POST',
        headers: { 'Content-Type': 'application/json', Authorization: `Bearer ${adminToken}` },
        body: JSON.stringify(body),
      }).then((r) => r.json().catch(() => ({})).then((b) => ({ status: r.status, body: b })))
        .then(({ status: code, body: b }) => {
          result.className = code === 202 ? 'pos' : 'neg';
          result.textContent = code === 202
            ? `Reset of ${condition || 'all breakers'} for ${account} published (${code}).`
            : `Refused (${code}): ${b.message || 'error'}`;
        })
        .catch((e) => { result.className = 'neg'; result.textContent = `Failed: ${e}`; });
    });
    if (token) $('token-input').value = token;
    updateAdmin();
    ['positions', 'accounts', 'risk-metrics', 'alerts', 'breakers', 'conn', 'chart'].forEach(schedule);
  }
})();
