/* OCSPruner run report: draws every chart from window.OCSP_DATA with Chart.js (inlined). */
(function () {
  'use strict';
  var data = window.OCSP_DATA;
  var W = 620, H = 280;
  var COLORS = ['#1f77b4', '#d62728', '#2ca02c', '#9467bd', '#ff7f0e', '#17becf', '#8c564b', '#e377c2'];
  var charts = 0;

  Chart.defaults.animation = false;
  Chart.defaults.responsive = false;
  Chart.defaults.font.size = 11;
  Chart.defaults.plugins.legend.labels.boxWidth = 12;

  /* Dashed vertical lines at given epochs (t_sl-start, t*), labelled. */
  Chart.register({
    id: 'epochMarkers',
    afterDatasetsDraw: function (chart, args, opts) {
      var lines = (opts && opts.lines) || [];
      var x = chart.scales.x, area = chart.chartArea, ctx = chart.ctx;
      lines.forEach(function (m, i) {
        var px = x.getPixelForValue(m.epoch);
        if (px < area.left - 1 || px > area.right + 1) { return; }
        ctx.save();
        ctx.strokeStyle = m.color; ctx.setLineDash([5, 4]); ctx.lineWidth = 1.5;
        ctx.beginPath(); ctx.moveTo(px, area.top); ctx.lineTo(px, area.bottom); ctx.stroke();
        ctx.setLineDash([]); ctx.fillStyle = m.color; ctx.font = '11px sans-serif';
        ctx.fillText(m.label, Math.min(px + 3, area.right - 60), area.top + 12 + 12 * i);
        ctx.restore();
      });
    }
  });

  function el(tag, attrs, text) {
    var e = document.createElement(tag);
    Object.keys(attrs || {}).forEach(function (k) { e.setAttribute(k, attrs[k]); });
    if (text !== undefined) { e.textContent = text; }
    return e;
  }

  function card(parent, title, id, width, height) {
    var c = el('div', { 'class': 'card' });
    c.appendChild(el('h3', {}, title));
    var canvas = el('canvas', { id: id, width: String(width || W), height: String(height || H) });
    c.appendChild(canvas);
    parent.appendChild(c);
    return canvas;
  }

  function chart(canvas, config) {
    new Chart(canvas.getContext('2d'), config);
    charts++;
  }

  function series(run, key, scale) {
    return run.epochs.map(function (e) {
      var v = e[key];
      return { x: e.epoch, y: v === null || v === undefined ? null : v * (scale || 1) };
    });
  }

  function markers(run) {
    var lines = [];
    if (run.slStart !== undefined) { lines.push({ epoch: run.slStart, label: 't_sl-start = ' + run.slStart, color: '#ff7f0e' }); }
    if (run.tStar !== undefined) { lines.push({ epoch: run.tStar, label: 't* = ' + run.tStar, color: '#d62728' }); }
    return lines;
  }

  function epochAxis(run) {
    return { type: 'linear', min: 0, max: Math.max(1, run.epochs.length - 1), title: { display: true, text: 'epoch' },
      ticks: { stepSize: 1, precision: 0 } };
  }

  function line(label, points, color, extra) {
    var d = { label: label, data: points, borderColor: color, backgroundColor: color, pointRadius: 2.5, borderWidth: 2,
      spanGaps: false };
    Object.keys(extra || {}).forEach(function (k) { d[k] = extra[k]; });
    return d;
  }

  function fmt(v, digits) { return v === null || v === undefined ? '-' : Number(v).toFixed(digits); }

  function summary(run, parent) {
    var t = el('table', { 'class': 'summary' });
    function row(k, v) { var r = el('tr'); r.appendChild(el('td', {}, k)); r.appendChild(el('td', {}, v)); t.appendChild(r); }
    row('architecture', run.architecture + ', ' + run.numClasses + ' classes, input ' + run.inputShape);
    row('FLOPs reduction target', (100 * run.target).toFixed(1) + '%, tau ' + run.tau + ', regularisation ' +
      run.regularizationMode + ', monitoring from epoch ' + run.monitorStart);
    row('t_sl-start', run.slStart === undefined ? 'not reached' : 'epoch ' + run.slStart);
    row('t*', run.tStar === undefined ? 'not reached' : 'epoch ' + run.tStar + ' (' + run.pruneReason + ')');
    if (run.flopsBefore) {
      row('FLOPs', fmt(run.flopsBefore / 1e6, 3) + ' M -> ' + fmt(run.flopsAfter / 1e6, 3) + ' M (-' +
        fmt(100 * (1 - run.flopsAfter / run.flopsBefore), 1) + '%), params ' + run.paramsBefore + ' -> ' + run.paramsAfter);
    }
    var last = run.epochs[run.epochs.length - 1];
    if (last) {
      row('final epoch ' + last.epoch, 'test accuracy ' + fmt(100 * last.testAccuracy, 2) + '%, train accuracy ' +
        fmt(100 * last.trainAccuracy, 2) + '%');
    }
    row('log', run.events + ' events, config hash ' + run.configHash.substring(0, 16) + '...');
    var v = el('td');
    var badge = el('span', { 'class': 'badge ' + (run.verification.ok ? 'ok' : 'bad') },
      run.verification.ok ? 'verified: ' + run.verification.checks + ' values recomputed, no mismatch'
        : run.verification.mismatches.length > 0 ? run.verification.mismatches.length + ' mismatches' : 'incomplete');
    v.appendChild(badge);
    var r = el('tr'); r.appendChild(el('td', {}, 'audit verify')); r.appendChild(v); t.appendChild(r);
    if (run.verification.incomplete.length > 0) { row('completeness', 'INCOMPLETE: ' + run.verification.incomplete.join('; ')); }
    row('signatures', run.verification.signatures);
    parent.appendChild(t);
    if (!run.verification.ok) {
      var ul = el('ul', { 'class': 'mismatches' });
      run.verification.mismatches.slice(0, 20).forEach(function (m) { ul.appendChild(el('li', {}, m)); });
      parent.appendChild(ul);
    }
  }

  function heatmap(run, idx, grid) {
    var groups = Object.keys(run.groupWidths);
    if (groups.length === 0) { return; }
    var epochs = run.epochs.map(function (e) { return String(e.epoch); });
    var cells = [];
    run.epochs.forEach(function (e) {
      groups.forEach(function (g) {
        var width = run.groupWidths[g];
        var kept = e.kept[g] !== undefined ? e.kept[g] : (e.phase === 'DENSE' ? width : null);
        if (kept !== null) { cells.push({ x: String(e.epoch), y: g, v: kept / width, kept: kept, width: width }); }
      });
    });
    var h = Math.max(H, 60 + 26 * groups.length);
    var canvas = card(grid, 'Kept channels per group and epoch (share of the dense width; dense epochs keep all)',
      'heat-' + idx, W, h);
    chart(canvas, {
      type: 'matrix',
      data: { datasets: [{ label: 'kept', data: cells, borderWidth: 1, borderColor: '#ffffff',
        backgroundColor: function (c) {
          var v = c.raw ? c.raw.v : 0;
          return 'rgba(31, 90, 160, ' + (0.12 + 0.88 * v).toFixed(3) + ')';
        },
        width: function (c) { var a = c.chart.chartArea; return a ? a.width / epochs.length - 1 : 10; },
        height: function (c) { var a = c.chart.chartArea; return a ? a.height / groups.length - 1 : 10; } }] },
      options: {
        plugins: { legend: { display: false },
          tooltip: { callbacks: { title: function () { return ''; },
            label: function (c) { return c.raw.y + ', epoch ' + c.raw.x + ': ' + c.raw.kept + ' of ' + c.raw.width + ' kept'; } } } },
        scales: {
          x: { type: 'category', labels: epochs, offset: true, grid: { display: false }, title: { display: true, text: 'epoch' } },
          y: { type: 'category', labels: groups, offset: true, grid: { display: false } } }
      },
      plugins: [{ id: 'cellText', afterDatasetsDraw: function (ch) {
        var meta = ch.getDatasetMeta(0), ctx = ch.ctx;
        ctx.save(); ctx.font = '10px sans-serif'; ctx.textAlign = 'center'; ctx.textBaseline = 'middle';
        meta.data.forEach(function (r, i) {
          var raw = cells[i], p = r.getProps(['x', 'y', 'width', 'height'], true);
          if (p.width < 34 || p.height < 12) { return; }
          ctx.fillStyle = raw.v > 0.55 ? '#ffffff' : '#1d2733';
          ctx.fillText(raw.kept + '/' + raw.width, p.x + p.width / 2, p.y + p.height / 2);
        });
        ctx.restore();
      } }]
    });
  }

  /* Every channel of every group at one logged epoch, highest score first: the answer to "why was it pruned?". */
  var channelCells = 0;
  function channelView(run, idx, parent) {
    if (!run.channels || run.channels.length === 0) { return; }
    var box = el('div', { 'class': 'card channels', id: 'channels-' + idx });
    box.appendChild(el('h3', {}, 'Channels per group at an epoch, highest score first: kept (blue), removed (grey), ' +
      'protected by the per-group limit (outlined); hover a channel for its index and score'));
    var pick = el('select', { id: 'channel-epoch-' + idx });
    run.channels.forEach(function (c, i) {
      var o = el('option', { value: String(i) }, 'epoch ' + c.epoch + (c.epoch === run.tStar ? ' (t*)' : ''));
      pick.appendChild(o);
    });
    var threshold = el('span', { 'class': 'threshold' });
    var rows = el('div');
    box.appendChild(pick); box.appendChild(threshold); box.appendChild(rows);
    parent.appendChild(box);
    function show(i) {
      var snap = run.channels[i], cells = 0;
      rows.textContent = '';
      threshold.textContent = snap.threshold === undefined ? ' nothing removed'
        : ' removed: every unprotected channel scored up to ' + Number(snap.threshold).toPrecision(4);
      snap.groups.forEach(function (g) {
        var kept = {}; g.kept.forEach(function (k) { kept[k] = true; });
        var order = g.scores.map(function (v, c) { return c; });
        // Highest first; among equal scores the selector removes the lower index first, so it ranks lower.
        order.sort(function (a, b) { return g.scores[b] - g.scores[a] || b - a; });
        var row = el('div', { 'class': 'channel-row' });
        row.appendChild(el('span', { 'class': 'channel-group' }, g.group + ' ' + g.kept.length + '/' + g.scores.length));
        order.forEach(function (c, rank) {
          var cls = 'ch ' + (kept[c] ? 'kept' : 'removed') + (rank < g.protected ? ' protected' : '');
          row.appendChild(el('span', { 'class': cls, title: g.group + ':' + c + ' score ' + Number(g.scores[c]).toPrecision(4) +
            ', rank ' + (rank + 1) + (kept[c] ? ', kept' : ', removed') + (rank < g.protected ? ', protected' : '') }));
          cells++;
        });
        rows.appendChild(row);
      });
      box.setAttribute('data-cells', String(cells));
      return cells;
    }
    pick.addEventListener('change', function () { show(Number(pick.value)); });
    pick.value = String(run.channels.length - 1);
    channelCells += show(run.channels.length - 1);
  }

  function runSection(run, idx) {
    var s = el('section', { 'class': 'run', id: 'run-' + idx });
    s.appendChild(el('h2', {}, 'Run ' + run.runId));
    summary(run, s);
    var grid = el('div', { 'class': 'grid' });
    s.appendChild(grid);
    document.getElementById('runs').appendChild(s);
    var x = epochAxis(run);
    var tau = run.epochs.map(function (e) { return { x: e.epoch, y: run.tau }; });

    chart(card(grid, 'Stability: s_t and J_avg against tau', 'stability-' + idx), {
      type: 'line',
      data: { datasets: [line('s_t (mean group Jaccard)', series(run, 'similarity'), COLORS[0]),
        line('J_avg (stability score)', series(run, 'stability'), COLORS[2]),
        line('tau = ' + run.tau, tau, '#7a8794', { borderDash: [6, 4], pointRadius: 0, borderWidth: 1.5 })] },
      options: { scales: { x: x, y: { min: 0, max: 1.05, title: { display: true, text: 'similarity' } } },
        plugins: { epochMarkers: { lines: markers(run) } } }
    });

    chart(card(grid, 'Penalty lambda in force', 'lambda-' + idx), {
      type: 'line',
      data: { datasets: [line('lambda', series(run, 'lambda'), COLORS[4], { stepped: 'before' })] },
      options: { scales: { x: x, y: { beginAtZero: true, title: { display: true, text: 'lambda' } } },
        plugins: { epochMarkers: { lines: markers(run) } } }
    });

    chart(card(grid, 'Loss and accuracy', 'loss-' + idx), {
      type: 'line',
      data: { datasets: [line('train loss', series(run, 'trainLoss'), COLORS[1], { yAxisID: 'y' }),
        line('test loss', series(run, 'testLoss'), COLORS[1], { yAxisID: 'y', borderDash: [5, 3] }),
        line('train accuracy %', series(run, 'trainAccuracy', 100), COLORS[0], { yAxisID: 'y1' }),
        line('test accuracy %', series(run, 'testAccuracy', 100), COLORS[0], { yAxisID: 'y1', borderDash: [5, 3] })] },
      options: { scales: { x: x, y: { position: 'left', beginAtZero: true, title: { display: true, text: 'loss' } },
        y1: { position: 'right', min: 0, max: 100, grid: { drawOnChartArea: false }, title: { display: true, text: 'accuracy %' } } },
        plugins: { epochMarkers: { lines: markers(run) } } }
    });

    var flopsDatasets = [line('FLOPs of the trained network (M)', series(run, 'flops', 1e-6), COLORS[3])];
    if (run.flopsBefore) {
      var goal = run.flopsBefore * (1 - run.target) / 1e6;
      flopsDatasets.push(line('target ' + goal.toFixed(3) + ' M', run.epochs.map(function (e) { return { x: e.epoch, y: goal }; }),
        '#7a8794', { borderDash: [6, 4], pointRadius: 0, borderWidth: 1.5 }));
    }
    chart(card(grid, 'FLOPs per example over epochs', 'flops-' + idx), {
      type: 'line',
      data: { datasets: flopsDatasets },
      options: { scales: { x: x, y: { beginAtZero: true, title: { display: true, text: 'MFLOPs' } } },
        plugins: { epochMarkers: { lines: markers(run) } } }
    });

    heatmap(run, idx, grid);

    channelView(run, idx, s);

    if (run.layers) {
      chart(card(grid, 'Width per layer before and after pruning (output channels / features)', 'widths-' + idx), {
        type: 'bar',
        data: { labels: run.layers.map(function (l) { return l.layer; }),
          datasets: [{ label: 'before', data: run.layers.map(function (l) { return l.before; }), backgroundColor: '#9bb7d4' },
            { label: 'after t*', data: run.layers.map(function (l) { return l.after; }), backgroundColor: COLORS[0] }] },
        options: { scales: { y: { beginAtZero: true, title: { display: true, text: 'channels' } } } }
      });
    } else if (run.layersError) {
      grid.appendChild(el('p', { 'class': 'error' }, 'Layer widths unavailable: ' + run.layersError));
    }
  }

  function compare(runs) {
    var box = el('div');
    box.appendChild(el('h2', {}, 'Runs side by side: accuracy against FLOPs'));
    var grid = el('div', { 'class': 'grid' });
    box.appendChild(grid);
    document.getElementById('compare').appendChild(box);
    chart(card(grid, 'Test accuracy against FLOPs, every epoch (large point: final model)', 'compare-scatter'), {
      type: 'scatter',
      data: { datasets: runs.map(function (run, i) {
        var pts = run.epochs.filter(function (e) { return e.flops !== null && e.testAccuracy !== null; })
          .map(function (e) { return { x: e.flops / 1e6, y: 100 * e.testAccuracy }; });
        return { label: run.runId + ' (target ' + (100 * run.target).toFixed(0) + '%)', data: pts, showLine: true,
          borderColor: COLORS[i % COLORS.length], backgroundColor: COLORS[i % COLORS.length], borderWidth: 1,
          pointRadius: pts.map(function (p, k) { return k === pts.length - 1 ? 7 : 2.5; }) };
      }) },
      options: { scales: { x: { title: { display: true, text: 'MFLOPs per example' } },
        y: { title: { display: true, text: 'test accuracy %' } } } }
    });
    var finals = runs.map(function (run) { return run.epochs[run.epochs.length - 1] || {}; });
    chart(card(grid, 'Final model per run: test accuracy and FLOPs', 'compare-bars'), {
      type: 'bar',
      data: { labels: runs.map(function (r) { return r.runId; }),
        datasets: [{ label: 'test accuracy %', data: finals.map(function (e) { return 100 * (e.testAccuracy || 0); }),
          backgroundColor: COLORS[0], yAxisID: 'y' },
        { label: 'MFLOPs', data: finals.map(function (e) { return (e.flops || 0) / 1e6; }), backgroundColor: COLORS[3], yAxisID: 'y1' }] },
      options: { scales: { y: { position: 'left', min: 0, max: 100, title: { display: true, text: 'accuracy %' } },
        y1: { position: 'right', beginAtZero: true, grid: { drawOnChartArea: false }, title: { display: true, text: 'MFLOPs' } } } }
    });
  }

  function nonBlank(canvas) {
    var d = canvas.getContext('2d').getImageData(0, 0, canvas.width, canvas.height).data, n = 0;
    for (var i = 3; i < d.length; i += 4) { if (d[i] !== 0) { n++; } }
    return n;
  }

  var status = document.getElementById('render-status');
  try {
    document.getElementById('meta').textContent = data.runs.length + (data.runs.length === 1 ? ' run' : ' runs') +
      ', generated ' + data.generatedAt + ' from the event log';
    if (data.runs.length > 1) { compare(data.runs); }
    data.runs.forEach(runSection);
    var canvases = document.querySelectorAll('canvas'), drawn = 0;
    canvases.forEach(function (c) { var n = nonBlank(c); c.setAttribute('data-pixels', String(n)); if (n > 100) { drawn++; } });
    document.body.setAttribute('data-rendered', String(charts));
    document.body.setAttribute('data-nonblank', String(drawn));
    document.body.setAttribute('data-channel-cells', String(channelCells));
    status.textContent = 'rendered ' + charts + ' charts, ' + drawn + ' of ' + canvases.length + ' canvases drawn';
  } catch (e) {
    document.body.setAttribute('data-render-error', String(e && e.message ? e.message : e));
    status.textContent = 'render error: ' + e;
    status.className = 'error';
  }
})();
