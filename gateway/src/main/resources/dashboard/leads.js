// The lead list (issue 14): /api/v1/scores with the filters sales uses (owner, persona, size,
// kind, status; by default open trials, highest expected value first), paged with the total; or,
// after a click on the spectrum, the leads of that cell (/api/v1/dashboard/spectrum/leads).
'use strict';

(function (PQL) {
  const PAGE_SIZE = 25;
  const COLUMNS = ['Account', 'Owner', 'Deal', 'Persona', 'Expected', 'Activation', 'Engagement', 'Communication',
    'PQL', 'Status', 'Last activity'];
  let tokens = [''];      // page tokens of the pages seen so far: back is the previous one
  let cell = null;        // the spectrum cell the list is narrowed to, or null

  function query() {
    const form = document.getElementById('lead-filters');
    const params = new URLSearchParams();
    for (const name of ['owner', 'persona', 'size', 'kind', 'status']) {
      const value = form.elements[name].value.trim();
      if (value) params.set(name, value);
    }
    if (form.elements.pql_only.checked) params.set('pql_only', 'true');
    if (cell) {
      params.set('bins', cell.bins);
      params.set('activation_bin', cell.activationBin);
      params.set('percentile_bin', cell.percentileBin);
      if (cell.size && !params.has('size')) params.set('size', cell.size);
    } else {
      params.set('order_by', form.elements.order_by.value);
    }
    params.set('page_size', PAGE_SIZE);
    const token = tokens[tokens.length - 1];
    if (token) params.set('page_token', token);
    return (cell ? '/api/v1/dashboard/spectrum/leads?' : '/api/v1/scores?') + params.toString();
  }

  function cellOf(tr, name, content, className) {
    const td = PQL.el('td', { 'data-label': name, class: className || '' });
    if (content instanceof Node) td.appendChild(content); else td.textContent = content == null ? '' : String(content);
    tr.appendChild(td);
    return td;
  }

  function day(timestamp) {
    return timestamp ? String(timestamp).slice(0, 10) : '–';
  }

  function row(score) {
    const lead = score.lead || {};
    const profile = score.profile || {};
    const pql = score.pql || {};
    const tr = PQL.el('tr', { class: 'lead-row', 'data-account': score.accountId });
    cellOf(tr, 'Account', PQL.accountLink(score.accountId, profile.name || score.accountId));
    cellOf(tr, 'Owner', profile.owner || '–');
    cellOf(tr, 'Deal', PQL.compactAmount(profile.dealSize), 'num');
    cellOf(tr, 'Persona', lead.persona ? PQL.label(lead.persona, 'PERSONA_') + (lead.personaApproximate ? '~' : '')
      + ' ' + Math.round((lead.odds || 0) * 100) + '%' : '–');
    cellOf(tr, 'Expected', PQL.compactAmount(lead.expectedValue), 'num');
    cellOf(tr, 'Activation', Math.round(((score.activation || {}).rate || 0) * 100) + '%', 'num');
    cellOf(tr, 'Engagement', 'p' + Math.round((score.engagement || {}).percentile || 0), 'num');
    cellOf(tr, 'Communication', PQL.label((score.communication || {}).level, 'COMMUNICATION_LEVEL_') || '–');
    const kinds = PQL.el('span');
    for (const kind of pql.kinds || []) kinds.appendChild(PQL.el('span', { class: 'kind' }, PQL.label(kind, 'PQL_KIND_')));
    if (pql.qualifiedAt) kinds.appendChild(document.createTextNode(' since ' + day(pql.qualifiedAt)));
    cellOf(tr, 'PQL', pql.isPql ? kinds : 'no');
    cellOf(tr, 'Status', PQL.label(lead.status, 'LEAD_STATUS_') || '–');
    cellOf(tr, 'Last activity', day(lead.lastActivityAt));
    return tr;
  }

  function render(page) {
    const body = document.querySelector('#leads-table tbody');
    PQL.clear(body);
    const scores = page.scores || [];
    for (const score of scores) body.appendChild(row(score));
    if (!scores.length) {
      const tr = PQL.el('tr');
      tr.appendChild(PQL.el('td', { colspan: String(COLUMNS.length), class: 'empty' }, 'No accounts match.'));
      body.appendChild(tr);
    }
    const total = Number(page.totalSize || 0);
    const first = (tokens.length - 1) * PAGE_SIZE;
    const range = document.getElementById('leads-range');
    range.textContent = total ? (first + 1) + '–' + (first + scores.length) + ' of ' + total.toLocaleString('en-US') : '0 accounts';
    range.setAttribute('data-total', String(total));
    document.getElementById('leads-prev').disabled = tokens.length <= 1;
    const next = document.getElementById('leads-next');
    next.disabled = !page.nextPageToken;
    next.setAttribute('data-token', page.nextPageToken || '');
    const chip = document.getElementById('leads-cell');
    chip.hidden = !cell;
    document.getElementById('leads-cell-label').textContent = cell ? cell.label : '';
    document.getElementById('lead-filters').elements.order_by.disabled = Boolean(cell);
  }

  async function load() {
    try {
      render(await PQL.api(query()));
    } catch (error) {
      PQL.showError(error);
    }
  }

  function restart() {
    tokens = [''];
    return load();
  }

  function wire() {
    const form = document.getElementById('lead-filters');
    form.addEventListener('change', restart);
    form.addEventListener('submit', (event) => { event.preventDefault(); restart(); });
    document.getElementById('leads-next').addEventListener('click', (event) => {
      tokens.push(event.currentTarget.getAttribute('data-token'));
      load();
    });
    document.getElementById('leads-prev').addEventListener('click', () => {
      if (tokens.length > 1) tokens.pop();
      load();
    });
    document.getElementById('leads-cell-clear').addEventListener('click', () => {
      cell = null;
      PQL.spectrum.clearSelection();
      restart();
    });
  }

  PQL.leads = {
    load,
    wire,
    /** Narrows the list to one spectrum cell and brings it into view. */
    showCell(selected) {
      cell = selected;
      restart().then(() => document.getElementById('leads-panel').scrollIntoView({ behavior: 'smooth', block: 'start' }));
    },
  };
})(window.PQL);
