// The PQL spectrum as a density (issue 14): the server counts every account into an activation ×
// engagement grid (/api/v1/dashboard/spectrum); this draws the grid on a canvas with the PQL
// threshold of each opportunity size, and a click on a cell lists that cell's leads.
'use strict';

(function (PQL) {
  const MARGIN = { left: 44, right: 22, top: 34, bottom: 38 };
  const SIZE_LABELS = { SMALL: 'Small', MID: 'Mid', LARGE: 'Large' };
  let density = null;
  let size = '';          // '' = every size
  let selected = null;    // { activationBin, percentileBin }

  function cellsShown() {
    const merged = new Map();
    for (const cell of density.cells) {
      if (size && cell.size !== size) continue;
      const key = cell.activationBin + ':' + cell.percentileBin;
      const into = merged.get(key) || { activationBin: cell.activationBin, percentileBin: cell.percentileBin, accounts: 0, pqls: 0 };
      into.accounts += cell.accounts;
      into.pqls += cell.pqls;
      merged.set(key, into);
    }
    return [...merged.values()];
  }

  function geometry(canvas) {
    const width = canvas.clientWidth;
    const height = Math.round(Math.min(460, Math.max(240, width * 0.62)));
    return {
      width, height,
      plotW: width - MARGIN.left - MARGIN.right,
      plotH: height - MARGIN.top - MARGIN.bottom,
    };
  }

  function draw() {
    const canvas = document.getElementById('spectrum');
    if (!density || !canvas.clientWidth) return;
    const g = geometry(canvas);
    const ratio = window.devicePixelRatio || 1;
    canvas.width = Math.round(g.width * ratio);
    canvas.height = Math.round(g.height * ratio);
    canvas.style.height = g.height + 'px';
    const ctx = canvas.getContext('2d');
    ctx.setTransform(ratio, 0, 0, ratio, 0, 0);
    ctx.clearRect(0, 0, g.width, g.height);
    const bins = density.bins;
    const cellW = g.plotW / bins, cellH = g.plotH / bins;
    const cells = cellsShown();
    const most = Math.max(1, ...cells.map((c) => c.accounts));
    let drawn = 0;
    for (const c of cells) {
      // log scale: one account is visible, the densest cell is solid
      const strength = 0.15 + 0.85 * Math.log(1 + c.accounts) / Math.log(1 + most);
      const pqlShare = c.pqls / c.accounts;
      ctx.fillStyle = pqlShare >= 0.5
        ? 'rgba(232, 89, 12, ' + strength.toFixed(3) + ')'
        : 'rgba(59, 91, 219, ' + (strength * 0.8).toFixed(3) + ')';
      ctx.fillRect(MARGIN.left + c.activationBin * cellW + 0.5, MARGIN.top + (bins - 1 - c.percentileBin) * cellH + 0.5,
        cellW - 1, cellH - 1);
      drawn += c.accounts;
    }
    // axes and grid labels
    ctx.strokeStyle = '#d0d5dd';
    ctx.strokeRect(MARGIN.left, MARGIN.top, g.plotW, g.plotH);
    ctx.fillStyle = '#667085';
    ctx.font = '11px system-ui, sans-serif';
    ctx.textAlign = 'center';
    for (let i = 0; i <= 10; i += 2) {
      ctx.fillText(i * 10 + '%', MARGIN.left + (i / 10) * g.plotW, MARGIN.top + g.plotH + 14);
    }
    ctx.fillText('Activation rate', MARGIN.left + g.plotW / 2, g.height - 6);
    ctx.textAlign = 'right';
    for (let i = 0; i <= 10; i += 2) {
      ctx.fillText(String(i * 10), MARGIN.left - 6, MARGIN.top + (1 - i / 10) * g.plotH + 4);
    }
    ctx.save();
    ctx.translate(12, MARGIN.top + g.plotH / 2);
    ctx.rotate(-Math.PI / 2);
    ctx.textAlign = 'center';
    ctx.fillText('Engagement percentile', 0, 0);
    ctx.restore();
    // the PQL threshold of each size shown: accounts right of it qualify on activation
    ctx.strokeStyle = '#1d2433';
    ctx.fillStyle = '#1d2433';
    ctx.lineWidth = 1.5;
    ctx.setLineDash([5, 4]);
    ctx.textAlign = 'left';
    const sizes = size ? [size] : Object.keys(density.thresholds);
    sizes.forEach((name, i) => {
      const x = MARGIN.left + density.thresholds[name] * g.plotW;
      ctx.beginPath();
      ctx.moveTo(x, MARGIN.top - 6 - (i % 2) * 12);
      ctx.lineTo(x, MARGIN.top + g.plotH);
      ctx.stroke();
      // labels above the plot, alternating rows so that close thresholds stay readable
      const text = SIZE_LABELS[name] + ' ≥ ' + Math.round(density.thresholds[name] * 100) + '%';
      const right = x + 3 + ctx.measureText(text).width > g.width;
      ctx.textAlign = right ? 'right' : 'left';
      ctx.fillText(text, right ? x - 3 : x + 3, MARGIN.top - 8 - (i % 2) * 12);
    });
    ctx.setLineDash([]);
    if (selected) {
      ctx.strokeStyle = '#000';
      ctx.lineWidth = 2;
      ctx.strokeRect(MARGIN.left + selected.activationBin * cellW, MARGIN.top + (bins - 1 - selected.percentileBin) * cellH, cellW, cellH);
    }
    canvas.setAttribute('data-drawn-accounts', String(drawn));
    canvas.setAttribute('data-thresholds', sizes.map((name) => name + '=' + density.thresholds[name]).join(','));
  }

  function cellAt(canvas, event) {
    const g = geometry(canvas);
    const rect = canvas.getBoundingClientRect();
    const x = event.clientX - rect.left - MARGIN.left;
    const y = event.clientY - rect.top - MARGIN.top;
    if (x < 0 || y < 0 || x >= g.plotW || y >= g.plotH) return null;
    const bins = density.bins;
    return {
      activationBin: Math.min(bins - 1, Math.floor(x / g.plotW * bins)),
      percentileBin: bins - 1 - Math.min(bins - 1, Math.floor(y / g.plotH * bins)),
    };
  }

  function describe(cell) {
    const step = 100 / density.bins;
    return 'activation ' + Math.round(cell.activationBin * step) + '–' + Math.round((cell.activationBin + 1) * step)
      + '%, engagement percentile ' + Math.round(cell.percentileBin * step) + '–' + Math.round((cell.percentileBin + 1) * step);
  }

  function countIn(cell) {
    return cellsShown().find((c) => c.activationBin === cell.activationBin && c.percentileBin === cell.percentileBin)
      || { accounts: 0, pqls: 0 };
  }

  function wire() {
    const canvas = document.getElementById('spectrum');
    const tip = document.getElementById('spectrum-tip');
    canvas.addEventListener('mousemove', (event) => {
      const cell = density && cellAt(canvas, event);
      if (!cell) { tip.textContent = 'Click a cell to list its accounts.'; return; }
      const counts = countIn(cell);
      tip.textContent = describe(cell) + ': ' + counts.accounts + ' accounts, ' + counts.pqls + ' PQLs';
    });
    canvas.addEventListener('click', (event) => {
      const cell = density && cellAt(canvas, event);
      if (!cell) return;
      selected = cell;
      draw();
      PQL.leads.showCell({ bins: density.bins, activationBin: cell.activationBin, percentileBin: cell.percentileBin,
        size: size, label: describe(cell) + (size ? ' (' + SIZE_LABELS[size] + ')' : '') });
    });
    for (const button of document.querySelectorAll('#spectrum-sizes button')) {
      button.addEventListener('click', () => {
        size = button.getAttribute('data-size');
        for (const other of document.querySelectorAll('#spectrum-sizes button')) {
          other.setAttribute('aria-pressed', String(other === button));
        }
        draw();
      });
    }
    window.addEventListener('resize', draw);
  }

  PQL.spectrum = {
    render(data) {
      density = data;
      draw();
    },
    clearSelection() {
      selected = null;
      draw();
    },
    redraw: draw,
    wire,
  };
})(window.PQL);
