// The account page (#/accounts/{id}, issue 14): everything `pql scores --account` prints (from
// /api/v1/scores/{id}), its forecast line, its PQL transitions, and a chart of activation and
// engagement as of each day (/api/v1/dashboard/accounts/{id}/days).
'use strict';

(function (PQL) {
  const DAYS = 60;
  const el = (...args) => PQL.el(...args);

  function section(title, id) {
    const box = el('section', { class: 'panel', id: id });
    box.appendChild(el('h2', {}, title));
    return box;
  }

  function facts(pairs) {
    const list = el('dl', { class: 'facts' });
    for (const [name, value] of pairs) {
      list.appendChild(el('dt', {}, name));
      list.appendChild(el('dd', {}, value == null || value === '' ? '–' : value));
    }
    return list;
  }

  function table(headers, rows, className) {
    const wrap = el('div', { class: 'table-wrap' });
    const t = el('table', { class: className || '' });
    const head = el('tr');
    headers.forEach((h) => head.appendChild(el('th', {}, h)));
    t.appendChild(el('thead')).appendChild(head);
    const body = t.appendChild(el('tbody'));
    if (!rows.length) {
      body.appendChild(el('tr')).appendChild(el('td', { colspan: String(headers.length), class: 'empty' }, 'None on record.'));
    }
    for (const cells of rows) {
      const tr = el('tr');
      cells.forEach((c) => {
        const td = el('td');
        if (c instanceof Node) td.appendChild(c); else td.textContent = c == null ? '' : String(c);
        tr.appendChild(td);
      });
      body.appendChild(tr);
    }
    wrap.appendChild(t);
    return wrap;
  }

  /** An enum's label, "–" when unset. */
  const named = (value, prefix) => (value && !/UNSPECIFIED$/.test(value) ? PQL.label(value, prefix) : '–');
  const pct = (value) => Math.round((value || 0) * 100) + '%';
  const when = (timestamp) => (timestamp ? String(timestamp).replace('T', ' ').slice(0, 16) : '–');
  const explained = (explanation) => (explanation && explanation.text) || '';

  function summary(score) {
    const p = score.profile || {};
    const box = section(p.name || score.accountId, 'account-summary');
    box.appendChild(facts([
      ['Account', score.accountId],
      ['Owner', p.owner],
      ['Size', named(p.opportunitySize, 'OPPORTUNITY_SIZE_') + (p.opportunitySizeDerived ? ' (derived)' : '')],
      ['Deal', PQL.compactAmount(p.dealSize)],
      ['Plan', named(p.plan, 'PLAN_')],
      ['Fit', named(p.fit, 'FIT_')],
      ['Trial', when(p.trialStart) + ' .. ' + when(p.trialEnd)],
      ['As of', when(score.asOf) + ' · definition v' + score.definitionVersion + ' · ' + (score.eventsApplied || 0) + ' events'],
      ['Outcome', score.outcome ? named(score.outcome.kind, 'OUTCOME_KIND_') + ' at ' + when(score.outcome.at) : 'none'],
    ]));
    return box;
  }

  function forecastLine(score) {
    const lead = score.lead || {};
    const box = section('Forecast line', 'account-forecast');
    const rule = lead.personaDistance
      ? 'nearest row of the persona table (' + lead.personaDistance + ' level steps away'
        + ((lead.personaTies || []).length ? '; tied with ' + lead.personaTies.map((t) => named(t, 'PERSONA_')).join(', ') : '')
        + ')'
      : 'its levels name this row of the persona table exactly';
    box.appendChild(facts([
      ['Status', named(lead.status, 'LEAD_STATUS_')],
      ['Persona', named(lead.persona, 'PERSONA_') + (lead.personaApproximate ? ' (approximate)' : '')],
      ['Why', rule + ': activation ' + named((score.activation || {}).level, 'LEVEL_') + ', engagement '
        + named((score.engagement || {}).level, 'LEVEL_') + ', communication '
        + named((score.communication || {}).level, 'COMMUNICATION_LEVEL_') + ', fit ' + named((score.profile || {}).fit, 'FIT_')],
      ['Expected value', PQL.compactAmount((score.profile || {}).dealSize) + ' deal × ' + pct(lead.odds) + ' odds = '
        + PQL.compactAmount(lead.expectedValue)],
      ['Last activity', when(lead.lastActivityAt)],
    ]));
    return box;
  }

  function activation(score) {
    const a = score.activation || {};
    const box = section('Activation checklist: ' + pct(a.rate) + ' (' + named(a.level, 'LEVEL_') + ')', 'account-activation');
    box.appendChild(table(['', 'Step', 'Action', 'Count', 'Done at'], (a.steps || []).map((s) => [
      s.done ? '✔' : '○', s.key, s.action, Math.round(s.count || 0) + ' / ' + Math.round(s.minCount || 0), when(s.doneAt)])));
    if (a.explanation) box.appendChild(el('p', { class: 'caption' }, explained(a.explanation)));
    return box;
  }

  function engagement(score) {
    const e = score.engagement || {};
    const box = section('Engagement: ' + (e.score || 0).toFixed(1) + ' points, percentile ' + Math.round(e.percentile || 0),
      'account-engagement');
    box.appendChild(el('p', { class: 'caption' }, named(e.level, 'LEVEL_') + ' among ' + (e.cohort || 'its cohort')
      + (e.explanation ? ' · ' + explained(e.explanation) : '')));
    box.appendChild(table(['Action', 'Quantity', 'Points'], (e.topActions || []).map((t) => [
      t.action, (t.quantity || 0).toFixed(1), (t.points || 0).toFixed(1)])));
    return box;
  }

  function communicationAndPql(score) {
    const c = score.communication || {};
    const s = c.sentiment || {};
    const pql = score.pql || {};
    const box = section('Communication and PQL', 'account-pql');
    box.appendChild(facts([
      ['Communication', named(c.level, 'COMMUNICATION_LEVEL_') + ': ' + (c.inbound || 0) + ' inbound, ' + (c.responses || 0)
        + ' responses, ' + (c.outbound || 0) + ' outbound (sentiment +' + (s.positive || 0) + ' =' + (s.neutral || 0)
        + ' −' + (s.negative || 0) + ')'],
      ['PQL', pql.isPql ? 'yes: ' + (pql.kinds || []).map((k) => named(k, 'PQL_KIND_')).join(', ')
        + ' since ' + when(pql.qualifiedAt) : 'no'],
      ['Triggers hit', (pql.triggersHit || []).join(', ')],
    ]));
    const reasons = el('ul', { class: 'reasons' });
    for (const explanation of pql.explanations || []) reasons.appendChild(el('li', {}, explained(explanation)));
    if (c.explanation) reasons.appendChild(el('li', {}, explained(c.explanation)));
    box.appendChild(reasons);
    return box;
  }

  function champions(score) {
    const box = section('Champions', 'account-champions');
    box.appendChild(table(['User', 'Activation', 'Engagement'], (score.champions || []).map((c) => [
      c.email || c.userId, pct(c.activationRate), (c.engagementScore || 0).toFixed(1)])));
    return box;
  }

  function timeline(transitions) {
    const box = section('PQL transitions', 'account-timeline');
    const list = el('ol', { class: 'timeline' });
    for (const t of transitions) {
      list.appendChild(el('li', { class: 'transition-row' }, when(t.at) + ' · ' + named(t.kind, 'TRANSITION_KIND_')
        + ((t.kindsAfter || []).length ? ' (' + t.kindsAfter.map((k) => named(k, 'PQL_KIND_')).join(', ') + ')' : '')));
    }
    if (!transitions.length) list.appendChild(el('li', { class: 'empty' }, 'No transitions.'));
    box.appendChild(list);
    return box;
  }

  /** Activation % and engagement percentile per day on one 0..100 scale; PQL days underlined. */
  function chart(days) {
    const box = section('Activation and engagement, day by day', 'account-chart');
    if (!days.length) {
      box.appendChild(el('p', { class: 'empty' }, 'No day-by-day history could be read.'));
      return box;
    }
    box.appendChild(el('p', { class: 'caption' }, 'As scoring evaluated the account at the end of each day, '
      + days[0].date + ' to ' + days[days.length - 1].date + '. The orange bar marks days it was a PQL.'));
    // a narrower drawing on a phone, so that its text stays legible once scaled to the screen
    const width = window.innerWidth < 560 ? 360 : 640, height = 240, left = 36, right = 10, top = 10, bottom = 40;
    const plotW = width - left - right, plotH = height - top - bottom;
    const x = (i) => left + (days.length === 1 ? plotW / 2 : (i / (days.length - 1)) * plotW);
    const y = (v) => top + (1 - v / 100) * plotH;
    const chartSvg = PQL.svg('svg', { id: 'account-days', viewBox: '0 0 ' + width + ' ' + height, role: 'img',
      'aria-label': 'Activation and engagement by day', 'data-days': days.length });
    for (let v = 0; v <= 100; v += 25) {
      chartSvg.appendChild(PQL.svg('line', { class: 'gridline', x1: left, x2: left + plotW, y1: y(v), y2: y(v) }));
      chartSvg.appendChild(PQL.svg('text', { class: 'tick', x: left - 6, y: y(v) + 4, 'text-anchor': 'end' }, v));
    }
    const line = (value, className) => PQL.svg('polyline', { class: className, fill: 'none',
      points: days.map((d, i) => x(i).toFixed(1) + ',' + y(value(d)).toFixed(1)).join(' ') });
    chartSvg.appendChild(line((d) => d.activationRate * 100, 'series-activation'));
    chartSvg.appendChild(line((d) => d.engagementPercentile, 'series-engagement'));
    const step = days.length > 1 ? plotW / (days.length - 1) : plotW;
    days.forEach((d, i) => {
      if (d.pql) {
        chartSvg.appendChild(PQL.svg('rect', { class: 'pql-day', x: (x(i) - step / 2).toFixed(1), y: top + plotH + 4,
          width: step.toFixed(1), height: 5 }));
      }
    });
    [0, days.length - 1].forEach((i) => chartSvg.appendChild(PQL.svg('text', { class: 'tick', x: x(i), y: height - 14,
      'text-anchor': i ? 'end' : 'start' }, days[i].date)));
    box.appendChild(chartSvg);
    const legend = el('ul', { class: 'legend' });
    legend.appendChild(el('li', {}, '')).appendChild(el('span', { class: 'swatch swatch-activation' }));
    legend.lastChild.appendChild(document.createTextNode('activation %'));
    legend.appendChild(el('li', {}, '')).appendChild(el('span', { class: 'swatch swatch-engagement' }));
    legend.lastChild.appendChild(document.createTextNode('engagement percentile'));
    box.appendChild(legend);
    return box;
  }

  async function show(accountId) {
    const page = document.getElementById('account-page');
    PQL.clear(page);
    page.appendChild(el('p', { class: 'back' })).appendChild(el('a', { href: '#/' }, '← Overview'));
    const id = encodeURIComponent(accountId);
    const [score, transitions, days] = await Promise.all([
      PQL.api('/api/v1/scores/' + id),
      PQL.api('/api/v1/transitions/recent?limit=50&account=' + id).catch(() => ({ transitions: [] })),
      PQL.api('/api/v1/dashboard/accounts/' + id + '/days?days=' + DAYS).catch(() => ({ days: [] })),
    ]);
    const grid = el('div', { class: 'account-grid', 'data-account': score.accountId });
    [summary(score), forecastLine(score), chart(days.days), activation(score), engagement(score),
      communicationAndPql(score), champions(score), timeline(transitions.transitions)].forEach((s) => grid.appendChild(s));
    page.appendChild(grid);
  }

  PQL.account = { show };
})(window.PQL);
