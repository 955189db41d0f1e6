// PQL Suite dashboard: plain JS + SVG/canvas, no build step, no third-party code.
// Data comes from the gateway's HTTP API with the key in the X-Api-Key header. The key arrives
// once in the URL (?key=... or #key=...), moves to sessionStorage and leaves the address bar.
// This file holds the shared helpers (window.PQL), the header, the forecast and the transitions,
// and the routes: #/ (overview) and #/accounts/{id} (account.js); spectrum.js and leads.js draw
// their panels. Every count is the server's, over all accounts.
'use strict';

(function () {
  const PQL = (window.PQL = window.PQL || {});
  const KEY_STORAGE = 'pqlApiKey';
  const SVG_NS = 'http://www.w3.org/2000/svg';
  const REFRESH_MS = 30000;

  const PERSONAS = [
    'GOLDEN_LEAD', 'SILENT_SUCCESS', 'CONTRARY_CONVERTER', 'POSITIVE_PROCRASTINATOR',
    'FIZZLER', 'INCOMPATIBLE_IGNORAMUS', 'HEARTBREAKER',
  ];

  function takeKeyFromUrl() {
    const query = new URLSearchParams(window.location.search);
    const fragment = new URLSearchParams(window.location.hash.replace(/^#/, ''));
    const key = query.get('key') || fragment.get('key');
    if (key) {
      sessionStorage.setItem(KEY_STORAGE, key);
      query.delete('key');
      const rest = query.toString();
      // keep a route (#/accounts/...) but never the key
      const route = fragment.get('key') ? '' : window.location.hash;
      history.replaceState(null, '', window.location.pathname + (rest ? '?' + rest : '') + route);
    }
    return sessionStorage.getItem(KEY_STORAGE);
  }

  let apiKey = takeKeyFromUrl();

  function el(tag, attrs, text) {
    const node = document.createElement(tag);
    for (const [name, value] of Object.entries(attrs || {})) {
      node.setAttribute(name, value);
    }
    if (text !== undefined && text !== null) {
      node.textContent = String(text);
    }
    return node;
  }

  function svg(tag, attrs, text) {
    const node = document.createElementNS(SVG_NS, tag);
    for (const [name, value] of Object.entries(attrs || {})) {
      node.setAttribute(name, String(value));
    }
    if (text !== undefined && text !== null) {
      node.textContent = String(text);
    }
    return node;
  }

  function clear(node) {
    while (node.firstChild) {
      node.removeChild(node.firstChild);
    }
  }

  class ApiError extends Error {
    constructor(status, body) {
      super((body && body.message) || ('HTTP ' + status));
      this.status = status;
      this.body = body;
    }
  }

  async function api(path) {
    const response = await fetch(path, { headers: { 'X-Api-Key': apiKey || '' }, cache: 'no-store' });
    if (!response.ok) {
      let body = null;
      try { body = await response.json(); } catch (ignored) { /* not JSON */ }
      throw new ApiError(response.status, body);
    }
    return response.json();
  }

  function money(micros, currency) {
    const units = Number(micros || 0) / 1e6;
    try {
      return new Intl.NumberFormat('en-US', {
        style: 'currency', currency: currency || 'USD', maximumFractionDigits: 0,
      }).format(units);
    } catch (ignored) {
      return units.toFixed(0) + ' ' + (currency || '');
    }
  }

  // Message fields left unset are absent from proto3 JSON; read amounts defensively. A total
  // beyond an int64 of micros comes as exactAmount (currency units, decimal) instead.
  function amount(moneyValue) {
    if (moneyValue && moneyValue.exactAmount) return String(Number(moneyValue.exactAmount) * 1e6);
    return (moneyValue && moneyValue.amountMicros) || '0';
  }

  function rangeOf(holder) {
    const range = holder.range || {};
    return { p10: amount(range.p10), p50: amount(range.p50), p90: amount(range.p90) };
  }

  // Table cell: "$1.83M" with the exact amount as its tooltip (the CSV export has every digit).
  function moneyCell(micros, currency) {
    const units = Number(micros || 0) / 1e6;
    let text;
    if (units >= 1e6) text = (units / 1e6).toFixed(2) + 'M';
    else if (units >= 1e4) text = (units / 1e3).toFixed(0) + 'k';
    else if (units >= 1e3) text = (units / 1e3).toFixed(1) + 'k';
    else text = units.toFixed(0);
    const symbol = (currency || 'USD') === 'USD' ? '$' : (currency + ' ');
    return el('td', { class: 'num', title: money(micros, currency) }, symbol + text);
  }

  function compactMoney(micros) {
    const units = Number(micros || 0) / 1e6;
    if (units >= 1e6) return (units / 1e6).toFixed(1) + 'M';
    if (units >= 1e3) return (units / 1e3).toFixed(0) + 'k';
    return units.toFixed(0);
  }

  /** An amount message as "$1.8M" ("–" when absent). */
  function compactAmount(moneyValue) {
    if (!moneyValue) return '–';
    const currency = moneyValue.currency || 'USD';
    return (currency === 'USD' ? '$' : currency + ' ') + compactMoney(amount(moneyValue));
  }

  /** The link to an account's page, from every list. */
  function accountLink(accountId, text) {
    return el('a', { href: '#/accounts/' + encodeURIComponent(accountId), class: 'account-link' }, text);
  }

  function label(enumName, prefix) {
    const bare = (enumName || '').replace(prefix, '');
    return bare.toLowerCase().split('_').map((w) => (w === 'pql' ? 'PQL' : w.charAt(0).toUpperCase() + w.slice(1))).join(' ');
  }

  // --- the forecast by persona -----------------------------------------------------------

  function renderForecast(forecast) {
    const currency = forecast.currency || 'USD';
    const byPersona = new Map(forecast.groups.map((g) => [g.persona.replace('PERSONA_', ''), g]));
    const rows = PERSONAS.map((persona) => {
      const g = byPersona.get(persona) || { openTrials: '0' };
      return {
        persona: 'PERSONA_' + persona, openTrials: g.openTrials || '0',
        pipeline: amount(g.pipeline), expected: amount(g.expectedRevenue), range: rangeOf(g),
      };
    });
    const totalRange = rangeOf(forecast);

    const body = document.querySelector('#forecast-table tbody');
    const foot = document.querySelector('#forecast-table tfoot');
    clear(body);
    clear(foot);
    for (const g of rows) {
      const tr = el('tr', { class: 'persona-row', 'data-persona': g.persona.replace('PERSONA_', '') });
      tr.appendChild(el('td', {}, label(g.persona, 'PERSONA_')));
      tr.appendChild(el('td', { class: 'num' }, g.openTrials));
      tr.appendChild(moneyCell(g.pipeline, currency));
      tr.appendChild(moneyCell(g.expected, currency));
      tr.appendChild(moneyCell(g.range.p10, currency));
      tr.appendChild(moneyCell(g.range.p50, currency));
      tr.appendChild(moneyCell(g.range.p90, currency));
      body.appendChild(tr);
    }
    const total = el('tr', { class: 'total-row' });
    total.appendChild(el('td', {}, 'All open trials'));
    total.appendChild(el('td', { class: 'num' }, forecast.openTrials));
    total.appendChild(moneyCell(amount(forecast.pipeline), currency));
    total.appendChild(moneyCell(amount(forecast.expectedRevenue), currency));
    total.appendChild(moneyCell(totalRange.p10, currency));
    total.appendChild(moneyCell(totalRange.p50, currency));
    total.appendChild(moneyCell(totalRange.p90, currency));
    foot.appendChild(total);

    // Bars: expected revenue; whiskers: P10..P90.
    const chart = document.getElementById('forecast-chart');
    clear(chart);
    const width = 560, rowH = 38, left = 170, right = 70, top = 8;
    const maxValue = Math.max(1, ...rows.map((g) => Number(g.range.p90)), ...rows.map((g) => Number(g.expected)));
    const scale = (micros) => left + (Number(micros) / maxValue) * (width - left - right);
    rows.forEach((g, i) => {
      const yMid = top + i * rowH + rowH / 2;
      const group = svg('g', { class: 'persona-bar', 'data-persona': g.persona.replace('PERSONA_', '') });
      group.appendChild(svg('text', { class: 'bar-label', x: left - 8, y: yMid + 4, 'text-anchor': 'end' }, label(g.persona, 'PERSONA_')));
      const barEnd = scale(g.expected);
      group.appendChild(svg('rect', { class: 'bar', x: left, y: yMid - 9, width: Math.max(0, barEnd - left).toFixed(1), height: 18, rx: 2 }));
      const lo = scale(g.range.p10), hi = scale(g.range.p90);
      group.appendChild(svg('line', { class: 'range', x1: lo, x2: hi, y1: yMid, y2: yMid }));
      group.appendChild(svg('line', { class: 'range', x1: lo, x2: lo, y1: yMid - 6, y2: yMid + 6 }));
      group.appendChild(svg('line', { class: 'range', x1: hi, x2: hi, y1: yMid - 6, y2: yMid + 6 }));
      group.appendChild(svg('text', { class: 'bar-label', x: Math.max(barEnd, hi) + 6, y: yMid + 4 }, compactMoney(g.expected)));
      chart.appendChild(group);
    });
    chart.setAttribute('viewBox', '0 0 ' + width + ' ' + (top * 2 + rows.length * rowH));
  }

  // --- forecast accuracy --------------------------------------------------------------------

  const ACCURACY_MONTHS = 6;

  function percentText(ratio) {
    return Math.round(Number(ratio || 0) * 100) + '%';
  }

  // The last six whole months (UTC): the current month has no actual yet.
  function accuracyPath(now, hindsight) {
    const to = new Date(Date.UTC(now.getUTCFullYear(), now.getUTCMonth(), 1));
    const from = new Date(Date.UTC(now.getUTCFullYear(), now.getUTCMonth() - ACCURACY_MONTHS, 1));
    const day = (d) => d.toISOString().slice(0, 10);
    return '/api/v1/forecast/accuracy?from=' + day(from) + '&to=' + day(to) + '&step=month' + (hindsight ? '&hindsight=true' : '');
  }

  function renderAccuracy(accuracy) {
    const currency = accuracy.currency || 'USD';
    const periods = accuracy.periods || [];
    const total = accuracy.total || {};
    document.getElementById('accuracy-summary').textContent = 'MAPE '
      + (total.mapeDefined ? percentText(total.meanAbsolutePercentageError) : 'n/a (nothing converted)')
      + ' · bias ' + money(amount(total.bias), currency) + ' a month (forecast − actual)'
      + ' · actual inside P10–P90 in ' + (total.withinRange || 0) + ' of ' + (total.periods || 0) + ' months ('
      + percentText(total.withinRangeRate) + ', 95% interval ' + percentText(total.withinRangeLow) + '–'
      + percentText(total.withinRangeHigh) + ')'
      + (accuracy.hindsight ? ' · with hindsight: nothing was recorded before these months (a history loaded later), so each'
        + ' forecast counts the events recorded since' : '');

    const body = document.querySelector('#accuracy-table tbody');
    clear(body);
    for (const p of periods) {
      const range = rangeOf(p);
      const tr = el('tr', { class: 'accuracy-row', 'data-inside': p.actualWithinRange ? 'yes' : 'no' });
      tr.appendChild(el('td', {}, (p.start || '').slice(0, 7)));
      tr.appendChild(el('td', { class: 'num' }, p.forecastTrials || '0'));
      tr.appendChild(moneyCell(amount(p.forecast), currency));
      tr.appendChild(moneyCell(range.p10, currency));
      tr.appendChild(moneyCell(range.p90, currency));
      tr.appendChild(el('td', { class: 'num' }, p.conversions || '0'));
      tr.appendChild(moneyCell(amount(p.actual), currency));
      tr.appendChild(el('td', { class: 'num', title: money(amount(p.error), currency) }, money(amount(p.error), currency)));
      tr.appendChild(el('td', { class: 'num' }, p.percentageErrorDefined ? percentText(p.absolutePercentageError) : 'n/a'));
      tr.appendChild(el('td', { class: p.actualWithinRange ? '' : 'outside' }, p.actualWithinRange ? 'yes' : 'no'));
      body.appendChild(tr);
    }

    const personas = document.querySelector('#accuracy-personas tbody');
    clear(personas);
    for (const persona of accuracy.personas || []) {
      const summary = persona.summary || {};
      const tr = el('tr', { class: 'accuracy-persona-row', 'data-persona': persona.persona.replace('PERSONA_', '') });
      tr.appendChild(el('td', {}, label(persona.persona, 'PERSONA_')));
      tr.appendChild(el('td', { class: 'num' }, summary.periods || '0'));
      tr.appendChild(moneyCell(amount(summary.forecast), currency));
      tr.appendChild(moneyCell(amount(summary.actual), currency));
      tr.appendChild(el('td', { class: 'num' }, summary.mapeDefined ? percentText(summary.meanAbsolutePercentageError) : 'n/a'));
      tr.appendChild(el('td', { class: 'num' }, money(amount(summary.bias), currency)));
      tr.appendChild(el('td', { class: 'num' }, (summary.withinRange || 0) + ' of ' + (summary.periods || 0)));
      personas.appendChild(tr);
    }

    // One column per month: the P10..P90 whisker, the forecast as a dot, the actual as a diamond.
    const chart = document.getElementById('accuracy-chart');
    clear(chart);
    const width = 900, height = 240;
    const margin = { left: 64, right: 16, top: 12, bottom: 30 };
    const plotH = height - margin.top - margin.bottom;
    const maxValue = Math.max(1, ...periods.map((p) => Math.max(Number(rangeOf(p).p90), Number(amount(p.actual)),
      Number(amount(p.forecast)))));
    const y = (micros) => margin.top + (1 - Number(micros) / maxValue) * plotH;
    const column = (width - margin.left - margin.right) / Math.max(1, periods.length);
    const axis = svg('g', { class: 'axis' });
    for (let i = 0; i <= 4; i++) {
      const value = maxValue * i / 4;
      axis.appendChild(svg('line', { x1: margin.left, x2: width - margin.right, y1: y(value), y2: y(value), class: 'gridline' }));
      axis.appendChild(svg('text', { x: margin.left - 8, y: y(value) + 4, 'text-anchor': 'end' }, compactMoney(value)));
    }
    chart.appendChild(axis);
    periods.forEach((p, i) => {
      const cx = margin.left + column * (i + 0.5);
      const range = rangeOf(p);
      const group = svg('g', { class: 'accuracy-period', 'data-inside': p.actualWithinRange ? 'yes' : 'no' });
      group.appendChild(svg('line', { class: 'accuracy-range', x1: cx, x2: cx, y1: y(range.p10), y2: y(range.p90) }));
      group.appendChild(svg('line', { class: 'accuracy-range', x1: cx - 8, x2: cx + 8, y1: y(range.p10), y2: y(range.p10) }));
      group.appendChild(svg('line', { class: 'accuracy-range', x1: cx - 8, x2: cx + 8, y1: y(range.p90), y2: y(range.p90) }));
      group.appendChild(svg('circle', { class: 'accuracy-forecast', cx: cx - 12, cy: y(amount(p.forecast)), r: 5 }));
      const ay = y(amount(p.actual));
      const diamond = svg('path', {
        class: 'accuracy-actual ' + (p.actualWithinRange ? 'inside' : 'outside'),
        d: 'M ' + (cx + 12) + ' ' + (ay - 7) + ' l 7 7 l -7 7 l -7 -7 z',
      });
      diamond.appendChild(svg('title', {}, 'actual ' + money(amount(p.actual), currency) + ', forecast '
        + money(amount(p.forecast), currency) + ' (P10 ' + money(range.p10, currency) + ', P90 ' + money(range.p90, currency) + ')'));
      group.appendChild(diamond);
      group.appendChild(svg('text', { class: 'bar-label', x: cx, y: height - 10, 'text-anchor': 'middle' }, (p.start || '').slice(0, 7)));
      chart.appendChild(group);
    });
  }

  // Six replays of history: loaded on opening and on Refresh, not every 30 seconds; a failure stays in the panel.
  async function loadAccuracy() {
    const panel = document.querySelector('.accuracy-panel');
    if (!apiKey) return;
    panel.setAttribute('data-state', 'loading');
    try {
      const now = new Date();
      let accuracy = await api(accuracyPath(now, false));
      // a history imported after the fact was known at no past instant: judge the forecasts its records make instead
      if ((accuracy.periods || []).every((p) => !Number(p.forecastTrials || 0))) {
        accuracy = await api(accuracyPath(now, true));
      }
      renderAccuracy(accuracy);
      panel.setAttribute('data-state', 'ready');
    } catch (error) {
      document.getElementById('accuracy-summary').textContent = 'Forecast accuracy is not available: ' + error.message;
      panel.setAttribute('data-state', 'error');
    }
  }

  // --- recent transitions ------------------------------------------------------------------

  function renderTransitions(recent) {
    const body = document.querySelector('#transitions-table tbody');
    clear(body);
    if (!recent.transitions.length) {
      const tr = el('tr');
      tr.appendChild(el('td', { colspan: '5', class: 'empty' }, 'No transitions yet.'));
      body.appendChild(tr);
      return;
    }
    for (const t of recent.transitions) {
      const tr = el('tr', { class: 'transition-row', 'data-kind': t.kind.replace('TRANSITION_KIND_', '') });
      tr.appendChild(el('td', {}, t.at ? new Date(t.at).toISOString().replace('T', ' ').slice(0, 16) : ''));
      const account = el('td');
      account.appendChild(accountLink(t.accountId, t.accountName || t.accountId));
      tr.appendChild(account);
      const change = t.kind.replace('TRANSITION_KIND_', '');
      tr.appendChild(el('td', {
        class: change === 'BECAME_PQL' ? 'change-became' : (change === 'NO_LONGER_PQL' ? 'change-lost' : ''),
      }, label(t.kind, 'TRANSITION_KIND_')));
      const kinds = el('td');
      for (const kind of t.kindsAfter) {
        kinds.appendChild(el('span', { class: 'kind' }, label(kind, 'PQL_KIND_')));
      }
      tr.appendChild(kinds);
      tr.appendChild(el('td', {}, t.owner));
      body.appendChild(tr);
    }
  }

  // --- wiring ------------------------------------------------------------------------------

  function showError(error) {
    const box = document.getElementById('error');
    let text = error.message;
    if (error.body && error.body.fieldViolations && error.body.fieldViolations.length) {
      text += '\n' + error.body.fieldViolations.map((v) => v.field + ': ' + v.description).join('\n');
    }
    box.textContent = text;
    box.hidden = false;
  }

  function askForKey() {
    document.getElementById('key-form').hidden = false;
  }

  /** The header's counts: the server's, over every account (the same numbers as /api/v1/metrics and /api/v1/scores). */
  function renderSummary(density, forecast) {
    const summary = document.getElementById('summary');
    clear(summary);
    const count = (id, value, text) => {
      summary.appendChild(el('span', { id: id, class: 'count', 'data-value': String(value) }, Number(value).toLocaleString('en-US')));
      summary.appendChild(document.createTextNode(' ' + text + ' · '));
    };
    count('count-accounts', density.accounts, 'accounts');
    count('count-pqls', density.pqls, 'PQLs');
    count('count-open', density.openTrials, 'open trials');
    count('count-open-pqls', density.openPqls, 'open PQLs');
    summary.appendChild(document.createTextNode('expected ' + money(amount(forecast.expectedRevenue), forecast.currency)
      + ' · definition v' + density.definitionVersion + ' · ' + new Date().toLocaleTimeString()));
  }

  /** The forecast by persona for the panel's filters (owner, size, close month). */
  async function loadForecast() {
    const forecast = await api('/api/v1/forecast?group_by=persona' + PQL.forecastHistory.filterQuery());
    renderForecast(forecast);
    return forecast;
  }

  async function loadOverview() {
    // the header's expected revenue is every open trial's: with a panel filter set it needs its own call
    const filtered = PQL.forecastHistory.filterQuery() !== '';
    const [density, forecast, transitions, , , unfiltered] = await Promise.all([
      api('/api/v1/dashboard/spectrum'),
      loadForecast(),
      api('/api/v1/transitions/recent?limit=15'),
      PQL.leads.load(),
      PQL.forecastHistory.load(),
      filtered ? api('/api/v1/forecast') : Promise.resolve(null),
    ]);
    PQL.spectrum.render(density);
    renderTransitions(transitions);
    renderSummary(density, unfiltered || forecast);
  }

  /** The account id of an #/accounts/{id} route, or null for the overview. */
  function routedAccount() {
    const match = /^#\/accounts\/(.+)$/.exec(window.location.hash);
    return match ? decodeURIComponent(match[1]) : null;
  }

  async function load() {
    if (!apiKey) {
      askForKey();
      document.getElementById('summary').textContent = 'An API key is needed.';
      document.body.setAttribute('data-state', 'needs-key');
      return;
    }
    document.getElementById('error').hidden = true;
    const account = routedAccount();
    document.getElementById('overview').hidden = Boolean(account);
    document.getElementById('account-page').hidden = !account;
    try {
      if (account) {
        await PQL.account.show(account);
        document.getElementById('summary').textContent = 'Account ' + account;
        document.body.setAttribute('data-route', 'account');
      } else {
        await loadOverview();
        document.body.setAttribute('data-route', 'overview');
      }
      document.body.setAttribute('data-state', 'ready');
      if (!document.body.hasAttribute('data-render-ms')) {
        // milliseconds from navigation to the first complete page (the scale test reads it)
        document.body.setAttribute('data-render-ms', String(Math.round(performance.now())));
      }
    } catch (error) {
      if (error instanceof ApiError && error.status === 401) {
        sessionStorage.removeItem(KEY_STORAGE);
        apiKey = null;
        askForKey();
      }
      showError(error);
      document.body.setAttribute('data-state', 'error');
    }
  }

  async function downloadCsv() {
    try {
      const response = await fetch('/api/v1/forecast/lines.csv', { headers: { 'X-Api-Key': apiKey || '' } });
      if (!response.ok) {
        let body = null;
        try { body = await response.json(); } catch (ignored) { /* not JSON */ }
        throw new ApiError(response.status, body);
      }
      const blob = await response.blob();
      // the server names the file after the export's instants (as_of, known_at)
      const named = /filename="([^"]+)"/.exec(response.headers.get('Content-Disposition') || '');
      const link = el('a', { href: URL.createObjectURL(blob), download: named ? named[1] : 'forecast-lines.csv' });
      document.body.appendChild(link);
      link.click();
      link.remove();
    } catch (error) {
      showError(error);
    }
  }

  Object.assign(PQL, { api, el, svg, clear, money, amount, compactMoney, compactAmount, label, accountLink, showError });

  document.addEventListener('DOMContentLoaded', () => {
    PQL.spectrum.wire();
    PQL.leads.wire();
    PQL.forecastHistory.wire(loadForecast);
    window.addEventListener('hashchange', () => { window.scrollTo(0, 0); load(); });
    document.getElementById('refresh').addEventListener('click', () => { load(); if (!routedAccount()) loadAccuracy(); });
    document.getElementById('download-csv').addEventListener('click', downloadCsv);
    document.getElementById('key-entry').addEventListener('submit', (event) => {
      event.preventDefault();
      const value = document.getElementById('key-input').value.trim();
      if (value) {
        sessionStorage.setItem(KEY_STORAGE, value);
        apiKey = value;
        document.getElementById('key-form').hidden = true;
        load();
        loadAccuracy();
      }
    });
    load();
    if (!routedAccount()) loadAccuracy();
    // the overview refreshes itself; an account page stays as it was read
    setInterval(() => { if (!routedAccount()) load(); }, REFRESH_MS);
  });
})();
