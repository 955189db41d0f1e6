// The forecast panel's filters (owner, size, close month) and its two charts over time (issue 14):
// the forecast total as known at the end of each of the last 12 weeks (/api/v1/forecast/history)
// and why it moved over the last week, step by step (/api/v1/forecast/waterfall).
'use strict';

(function (PQL) {
  const WEEKS = 12;
  const DAY_MS = 24 * 3600 * 1000;
  const STEP_NAMES = {
    NEW_TRIAL: 'New', CLOSED_WON: 'Won', CLOSED_LOST: 'Lost', PERSONA_UP: 'Persona ↑', PERSONA_DOWN: 'Persona ↓',
    DEAL_SIZE: 'Deal size', DEFINITION: 'Odds', OTHER: 'Other',
  };

  /** The filters as query parameters ("&owner=…&size=…&close_month=…", or "" when none is set). */
  function filterQuery() {
    const form = document.getElementById('forecast-filters');
    const params = new URLSearchParams();
    for (const name of ['owner', 'size', 'close_month']) {
      const value = form.elements[name].value.trim();
      if (value) params.set(name, value);
    }
    const text = params.toString();
    return text ? '&' + text : '';
  }

  function day(time) {
    return new Date(time).toISOString().slice(0, 10);
  }

  /** "+$2k" / "−$1.2M": compactMoney drops the sign. */
  function signed(micros, currency) {
    const value = Number(micros || 0);
    const symbol = (currency || 'USD') === 'USD' ? '$' : currency + ' ';
    return (value < 0 ? '−' : '+') + symbol + PQL.compactMoney(Math.abs(value));
  }

  function trials(count) {
    return count + (String(count) === '1' ? ' trial' : ' trials');
  }

  function plain(micros, currency) {
    return ((currency || 'USD') === 'USD' ? '$' : currency + ' ') + PQL.compactMoney(micros);
  }

  function renderHistory(history) {
    const chart = document.getElementById('forecast-history-chart');
    PQL.clear(chart);
    const points = (history.points || []).map((p) => ({
      at: p.knownAt || p.asOf, value: Number(PQL.amount(p.expectedRevenue)), currency: p.currency || 'USD',
    }));
    const width = 560, height = 220, left = 56, right = 16, top = 24, bottom = 28;
    chart.setAttribute('data-points', String(points.length));
    if (!points.length) {
      chart.appendChild(PQL.svg('text', { class: 'axis-label', x: width / 2, y: height / 2, 'text-anchor': 'middle' }, 'No forecast in these weeks'));
      return;
    }
    const values = points.map((p) => p.value);
    const low = Math.min(0, ...values), high = Math.max(1, ...values);
    const x = (i) => left + (points.length === 1 ? 0 : (i / (points.length - 1)) * (width - left - right));
    const y = (v) => top + (1 - (v - low) / (high - low)) * (height - top - bottom);
    for (const tick of [low, (low + high) / 2, high]) {
      chart.appendChild(PQL.svg('line', { class: 'gridline', x1: left, x2: width - right, y1: y(tick), y2: y(tick) }));
      chart.appendChild(PQL.svg('text', { class: 'tick', x: left - 6, y: y(tick) + 4, 'text-anchor': 'end' }, plain(tick, points[0].currency)));
    }
    chart.appendChild(PQL.svg('polyline', {
      class: 'history-line', fill: 'none', points: points.map((p, i) => x(i).toFixed(1) + ',' + y(p.value).toFixed(1)).join(' '),
    }));
    points.forEach((p, i) => {
      const dot = PQL.svg('circle', { class: 'history-point', cx: x(i).toFixed(1), cy: y(p.value).toFixed(1), r: 3.5 });
      dot.appendChild(PQL.svg('title', {}, day(p.at) + ': expected ' + PQL.money(p.value, p.currency) + ' (as known then)'));
      chart.appendChild(dot);
    });
    const last = points[points.length - 1];
    chart.appendChild(PQL.svg('text', { class: 'bar-label', x: x(points.length - 1), y: y(last.value) - 8, 'text-anchor': 'end' },
      plain(last.value, last.currency)));
    chart.appendChild(PQL.svg('text', { class: 'tick', x: left, y: height - 8 }, day(points[0].at)));
    chart.appendChild(PQL.svg('text', { class: 'tick', x: width - right, y: height - 8, 'text-anchor': 'end' }, day(last.at)));
  }

  function renderWaterfall(waterfall) {
    const chart = document.getElementById('forecast-waterfall-chart');
    PQL.clear(chart);
    const currency = (waterfall.end && waterfall.end.currency) || 'USD';
    const start = Number(PQL.amount(waterfall.start && waterfall.start.expectedRevenue));
    const end = Number(PQL.amount(waterfall.end && waterfall.end.expectedRevenue));
    const steps = (waterfall.steps || []).filter((s) => Number(s.accounts || 0) > 0 || Number(PQL.amount(s.amount)) !== 0);
    // each bar floats from the running total before it to the one after it
    const bars = [{ name: 'Start', from: 0, to: start, kind: 'total' }];
    let running = start;
    for (const s of steps) {
      const delta = Number(PQL.amount(s.amount));
      const movement = s.movement.replace('WATERFALL_MOVEMENT_', '');
      bars.push({ name: STEP_NAMES[movement] || movement, from: running, to: running + delta, kind: delta < 0 ? 'down' : 'up',
        movement, accounts: s.accounts || '0', delta });
      running += delta;
    }
    bars.push({ name: 'End', from: 0, to: end, kind: 'total' });
    chart.setAttribute('data-steps', String(steps.length));

    const width = 560, height = 240, top = 22, bottom = 34, left = 8, right = 8;
    const low = Math.min(0, ...bars.map((b) => Math.min(b.from, b.to)));
    const high = Math.max(1, ...bars.map((b) => Math.max(b.from, b.to)));
    const y = (v) => top + (1 - (v - low) / (high - low)) * (height - top - bottom);
    const slot = (width - left - right) / bars.length;
    chart.appendChild(PQL.svg('line', { class: 'gridline', x1: left, x2: width - right, y1: y(0), y2: y(0) }));
    bars.forEach((b, i) => {
      const x = left + i * slot + slot * 0.15, w = slot * 0.7, cx = left + (i + 0.5) * slot;
      const group = PQL.svg('g', { class: 'waterfall-bar ' + b.kind, 'data-movement': b.movement || b.name.toUpperCase() });
      const rectTop = y(Math.max(b.from, b.to));
      group.appendChild(PQL.svg('rect', {
        x: x.toFixed(1), y: rectTop.toFixed(1), width: w.toFixed(1), height: Math.max(1, y(Math.min(b.from, b.to)) - rectTop).toFixed(1), rx: 2,
      }));
      group.appendChild(PQL.svg('text', { class: 'bar-label', x: cx, y: rectTop - 5, 'text-anchor': 'middle' },
        b.kind === 'total' ? plain(b.to, currency) : signed(b.delta, currency)));
      group.appendChild(PQL.svg('text', { class: 'tick', x: cx, y: height - 18, 'text-anchor': 'middle' }, b.name));
      if (b.kind !== 'total') {
        group.appendChild(PQL.svg('text', { class: 'tick', x: cx, y: height - 5, 'text-anchor': 'middle' }, trials(b.accounts)));
      }
      group.appendChild(PQL.svg('title', {}, b.kind === 'total' ? b.name + ': expected ' + PQL.money(b.to, currency)
        : b.name + ': ' + signed(b.delta, currency) + ' over ' + trials(b.accounts)));
      chart.appendChild(group);
    });
  }

  /** Draws one chart from one answer, its data-state telling a test (and a reader) how it went. */
  async function draw(id, path, render) {
    const chart = document.getElementById(id);
    chart.setAttribute('data-state', 'loading');
    try {
      render(await PQL.api(path));
      chart.setAttribute('data-state', 'ready');
    } catch (error) {
      chart.setAttribute('data-state', 'error');
      PQL.clear(chart);
      chart.appendChild(PQL.svg('text', { class: 'axis-label', x: 280, y: 40, 'text-anchor': 'middle' }, 'Not available: ' + error.message));
    }
  }

  /** Both charts for the current filters; a failure shows in its chart, not as a page error. */
  function load() {
    const now = Date.now();
    return Promise.all([
      draw('forecast-history-chart', '/api/v1/forecast/history?step=week&from=' + day(now - WEEKS * 7 * DAY_MS) + filterQuery(),
        renderHistory),
      draw('forecast-waterfall-chart', '/api/v1/forecast/waterfall?accounts_per_step=5&from=' + day(now - 7 * DAY_MS) + filterQuery(),
        renderWaterfall),
    ]);
  }

  /** A changed filter re-reads the forecast by persona and both charts. */
  function wire(reloadForecast) {
    const form = document.getElementById('forecast-filters');
    const reload = () => Promise.all([reloadForecast().catch(PQL.showError), load()]);
    form.addEventListener('change', reload);
    form.addEventListener('submit', (event) => { event.preventDefault(); reload(); });
  }

  PQL.forecastHistory = { filterQuery, load, wire };
})(window.PQL);
