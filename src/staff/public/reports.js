// GBAC staff Reports page: counts by day, drawn with Chart.js (served by the bot), each chart with its table.
// No framework, no other origin; all text goes in with textContent (never HTML).
/* global document, fetch, Chart, URLSearchParams */
'use strict';
(function () {
  const $ = (id) => document.getElementById(id);
  const charts = [];

  const REASONS = { 'asked-for-person': 'Asked for a person', 'screening-completed': 'After the screening', fallback: 'Bot could not answer', 'crisis-follow-up': 'Crisis follow-up' };
  const LEVELS = { detox: 'Detox', residential: 'Residential', php: 'PHP', iop: 'IOP', outpatient: 'Outpatient' };
  const TIERS = { suicide: 'Suicide', overdose: 'Overdose', 'withdrawal-emergency': 'Withdrawal emergency', violence: 'Violence', withdrawal: 'Withdrawal risk' };
  // Colour-blind-safe (Okabe-Ito); each chart's table gives the same numbers in words.
  const COLORS = ['#0072B2', '#E69F00', '#009E73', '#CC79A7', '#56B4E9', '#D55E00', '#F0E442', '#000000'];

  function say(message, isError) {
    $('status').textContent = message || '';
    $('status').className = isError ? 'error' : '';
  }

  function node(tag, text, className) {
    const n = document.createElement(tag);
    if (text !== undefined && text !== null) n.textContent = String(text);
    if (className) n.className = className;
    return n;
  }

  const named = (names, id) => names[id] || id;
  const shortDay = (day) => new Date(day + 'T00:00:00Z').toLocaleDateString(undefined, { month: 'short', day: 'numeric', timeZone: 'UTC' });
  const minutes = (m) => (m === null || m === undefined ? '–' : m < 60 ? m + ' min' : Math.floor(m / 60) + ' h ' + (m % 60) + ' min');
  /** Every name used under a by-name count, over the whole period (so each day's series has them all). */
  const namesOf = (report, pick) => Object.keys(pick(report.total)).sort();

  /**
   * One chart and its table view: a figure with the canvas (an image to screen readers, named by
   * the heading) and, under it, the same numbers in a table with a caption and a total row.
   */
  function chart(spec) {
    const section = node('section', null, 'chart');
    section.id = 'chart-' + spec.id;
    const heading = node('h2', spec.title);
    heading.id = section.id + '-title';
    section.append(heading);
    const wrap = node('div', null, 'canvas-wrap');
    const canvas = document.createElement('canvas');
    canvas.setAttribute('role', 'img');
    canvas.setAttribute('aria-label', spec.title + '. The numbers are in the table below.');
    wrap.append(canvas);
    section.append(wrap);

    const details = node('details');
    details.append(node('summary', 'Table: ' + spec.title));
    const table = node('table');
    table.append(node('caption', spec.title));
    const head = node('tr');
    head.append(headerCell(spec.labelHeading, 'col'));
    for (const s of spec.series) head.append(headerCell(s.label, 'col'));
    table.appendChild(node('thead')).append(head);
    const body = table.appendChild(node('tbody'));
    spec.labels.forEach((label, i) => body.append(row(label, spec.series.map((s) => s.format(s.data[i])))));
    if (spec.totals) table.appendChild(node('tfoot')).append(row('Total', spec.totals));
    details.append(table);
    section.append(details);
    $('charts').append(section);

    charts.push(
      new Chart(canvas, {
        type: spec.type || 'bar',
        data: {
          labels: spec.labels.map(spec.short || ((l) => l)),
          datasets: spec.series.map((s, i) => ({ label: s.label, data: s.data, backgroundColor: COLORS[i % COLORS.length], borderColor: COLORS[i % COLORS.length], spanGaps: true })),
        },
        options: {
          responsive: true,
          maintainAspectRatio: false,
          animation: false,
          plugins: { legend: { display: spec.series.length > 1 } },
          scales: { x: { stacked: Boolean(spec.stacked) }, y: { stacked: Boolean(spec.stacked), beginAtZero: true, ticks: { precision: 0 } } },
        },
      }),
    );
  }

  function headerCell(text, scope) {
    const th = node('th', text);
    th.scope = scope;
    return th;
  }

  function row(label, values) {
    const tr = node('tr');
    tr.append(headerCell(label, 'row'));
    for (const v of values) tr.append(node('td', v));
    return tr;
  }

  const count = (n) => String(n);
  /** A series of counts by day, and its total. */
  const daily = (report, label, pick) => ({ label, data: report.days.map(pick), format: count, total: pick(report.total) });
  /** Series by day for each name of a by-name count (handoffs by reason, crisis replies by tier). */
  const byName = (report, pick, names) => namesOf(report, pick).map((id) => daily(report, named(names, id), (d) => pick(d)[id] || 0));

  function dailyChart(report, spec) {
    chart({ ...spec, labelHeading: 'Day', labels: report.days.map((d) => d.day), short: shortDay, totals: spec.series.map((s) => s.format(s.total)) });
  }

  function draw(report) {
    for (const c of charts.splice(0)) c.destroy();
    $('charts').replaceChildren();
    const t = report.total;
    const sum = (o) => Object.values(o).reduce((a, b) => a + b, 0);
    const anything = t.conversations + sum(t.answers) + t.screenings.started + t.screenings.completed + sum(t.handoffsByReason) +
      t.minutesToClaim.count + t.minutesToResolve.count + sum(t.crisisRepliesByTier) + t.smsOptOuts > 0;
    $('empty').hidden = anything;
    $('report').hidden = !anything;
    if (!anything) return;

    summary([
      ['Conversations', t.conversations],
      ['Questions answered outright', t.answers.answered],
      ['Screenings completed', t.screenings.completed + ' of ' + t.screenings.started + ' started'],
      ['Requests for admissions', sum(t.handoffsByReason)],
      ['Time to claim (median, 90th percentile)', minutes(t.minutesToClaim.median) + ', ' + minutes(t.minutesToClaim.p90)],
      ['Time to resolve (median, 90th percentile)', minutes(t.minutesToResolve.median) + ', ' + minutes(t.minutesToResolve.p90)],
      ['Crisis replies', sum(t.crisisRepliesByTier)],
      ['SMS opt-outs', t.smsOptOuts],
    ]);

    dailyChart(report, { id: 'conversations', title: 'Conversations by day', series: [daily(report, 'Conversations', (d) => d.conversations)] });
    dailyChart(report, {
      id: 'answers',
      title: 'Questions by outcome',
      stacked: true,
      series: [
        daily(report, 'Answered outright', (d) => d.answers.answered),
        daily(report, 'Did you mean', (d) => d.answers.didYouMean),
        daily(report, "Didn't know", (d) => d.answers.dontKnow),
        daily(report, 'Declined (off-topic)', (d) => d.answers.declined),
      ],
    });
    dailyChart(report, {
      id: 'screenings',
      title: 'Screenings started and completed',
      series: [daily(report, 'Started', (d) => d.screenings.started), daily(report, 'Completed', (d) => d.screenings.completed)],
    });
    const levels = namesOf(report, (s) => s.screenings.completedByLevel);
    chart({
      id: 'levels',
      title: 'Completed screenings by suggested level',
      labelHeading: 'Suggested level',
      labels: levels.map((l) => named(LEVELS, l)),
      series: [{ label: 'Screenings', data: levels.map((l) => t.screenings.completedByLevel[l]), format: count }],
    });
    dailyChart(report, { id: 'handoffs', title: 'Requests for admissions by reason', stacked: true, series: byName(report, (s) => s.handoffsByReason, REASONS) });
    const duration = (label, pick, q) => ({ label, data: report.days.map((d) => pick(d)[q]), format: minutes, total: pick(t)[q] });
    dailyChart(report, {
      id: 'times',
      title: 'Minutes from request to claim and to resolution',
      type: 'line',
      series: [
        duration('Claim, median', (s) => s.minutesToClaim, 'median'),
        duration('Claim, 90th percentile', (s) => s.minutesToClaim, 'p90'),
        duration('Resolve, median', (s) => s.minutesToResolve, 'median'),
        duration('Resolve, 90th percentile', (s) => s.minutesToResolve, 'p90'),
      ],
    });
    dailyChart(report, { id: 'crisis', title: 'Crisis replies by tier', stacked: true, series: byName(report, (s) => s.crisisRepliesByTier, TIERS) });
    dailyChart(report, { id: 'sms', title: 'SMS opt-outs', series: [daily(report, 'Opt-outs', (d) => d.smsOptOuts)] });
    unanswered(report.unanswered);
  }

  function summary(items) {
    const dl = $('summary');
    dl.replaceChildren();
    for (const [term, value] of items) dl.append(node('dt', term), node('dd', value));
  }

  function unanswered(u) {
    const body = $('unanswered').tBodies[0];
    body.replaceChildren();
    $('unanswered-note').textContent = u.enabled
      ? 'From the questions kept (the last ' + u.keptDays + ' days), whatever the period. Their wording is on the review page, not here.'
      : 'Unanswered questions are not recorded (RECORD_UNANSWERED is off).';
    u.groups.forEach((g, i) => body.append(row(String(i + 1), [g.count, g.closestEntry || 'none'])));
    if (!u.groups.length) body.append(row('–', ['0', 'none']));
  }

  async function load(from, to) {
    say('Loading…');
    const query = new URLSearchParams();
    if (from) query.set('from', from);
    if (to) query.set('to', to);
    const res = await fetch('/staff/api/reports?' + query, { credentials: 'same-origin', headers: { accept: 'application/json' } });
    let data = {};
    try { data = await res.json(); } catch { data = {}; }
    if (res.status === 401) {
      $('login-needed').hidden = false;
      $('period').hidden = true;
      $('report').hidden = true;
      say('');
      return;
    }
    if (!res.ok) { say(data.error || 'Could not load the report (' + res.status + ')', true); return; }
    $('period').hidden = false;
    $('from').value = data.from;
    $('to').value = data.to;
    $('time-zone').textContent = data.timeZone;
    draw(data);
    say('Showing ' + data.from + ' to ' + data.to + '.');
  }

  $('period').addEventListener('submit', (event) => {
    event.preventDefault();
    load($('from').value, $('to').value).catch((err) => say(err.message, true));
  });
  load().catch((err) => say(err.message, true));
})();
