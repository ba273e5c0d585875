// GBAC staff console: the unanswered review. All text goes in with textContent (never HTML).
/* global document, fetch, window */
'use strict';
(function () {
  const $ = (id) => document.getElementById(id);
  const MARKS = { 'add-to-entry': 'Add to entry', 'new-entry': 'New entry needed', 'off-topic': 'Off-topic, fine' };
  let entries = [];

  function say(message, isError) {
    $('status').textContent = message || '';
    $('status').className = isError ? 'error' : '';
  }

  function el(tag, text, className) {
    const node = document.createElement(tag);
    if (text !== undefined && text !== null) node.textContent = String(text);
    if (className) node.className = className;
    return node;
  }

  async function api(method, path, body) {
    const init = { method, credentials: 'same-origin', headers: { accept: 'application/json' } };
    if (method !== 'GET') { init.headers['content-type'] = 'application/json'; init.body = JSON.stringify(body || {}); }
    const res = await fetch(path, init);
    let data = {};
    try { data = await res.json(); } catch { data = {}; }
    if (res.status === 401) { $('review-section').hidden = true; $('login-needed').hidden = false; }
    if (!res.ok) { const err = new Error(data.error || ('Request failed (' + res.status + ')')); err.status = res.status; throw err; }
    return data;
  }

  const entryName = (e) => (e ? (e.title ? e.title + ' (' + e.id + ')' : e.id) : '—');

  function markText(m) {
    if (!m) return 'not marked';
    return (m.kind === 'add-to-entry' ? 'Add to ' + entryName(m.entry) : MARKS[m.kind]) + ' — ' + m.by + ', ' + new Date(m.at).toLocaleString();
  }

  function cell(label, value, className) {
    const td = el('td', value, className);
    td.dataset.label = label;
    return td;
  }

  /** The form that marks one group: the kind, and for "add to entry" which entry (the closest one first). */
  function markForm(g) {
    const form = el('form', null, 'mark-form');
    const kind = el('select');
    kind.name = 'mark';
    kind.setAttribute('aria-label', 'Mark for this question');
    for (const [value, label] of Object.entries(MARKS)) { const o = el('option', label); o.value = value; kind.append(o); }
    const entry = el('select');
    entry.name = 'entry';
    entry.setAttribute('aria-label', 'Entry to add it to');
    for (const e of entries) { const o = el('option', entryName(e)); o.value = e.id; entry.append(o); }
    const preferred = (g.mark && g.mark.entry && g.mark.entry.id) || (g.closestEntry && g.closestEntry.id);
    if (preferred) entry.value = preferred;
    if (g.mark) kind.value = g.mark.kind;
    const sync = () => { entry.hidden = kind.value !== 'add-to-entry'; };
    kind.addEventListener('change', sync);
    sync();
    const save = el('button', 'Save mark');
    save.type = 'submit';
    form.append(kind, entry, save);
    form.addEventListener('submit', async (ev) => {
      ev.preventDefault();
      const body = kind.value === 'add-to-entry' ? { mark: kind.value, entryId: entry.value } : { mark: kind.value };
      try {
        const { group } = await api('POST', '/staff/api/unanswered/' + encodeURIComponent(g.id) + '/mark', body);
        const row = form.closest('tr');
        row.replaceWith(reviewRow(group));
        say('Marked: ' + markText(group.mark));
      } catch (e) { if (e.status !== 401) say(e.message, true); }
    });
    return form;
  }

  function reviewRow(g) {
    const tr = document.createElement('tr');
    tr.dataset.id = g.id;
    const td = cell('Mark', markText(g.mark), 'mark');
    const actions = cell('Change the mark');
    actions.append(markForm(g));
    tr.append(
      cell('Question', g.text, g.hidden ? 'question hidden-text' : 'question'),
      cell('Times asked', g.count),
      cell('Last seen', new Date(g.lastSeen).toLocaleString()),
      cell('Closest entry', entryName(g.closestEntry)),
      td,
      actions);
    return tr;
  }

  async function load() {
    try {
      const data = await api('GET', '/staff/api/unanswered');
      entries = data.entries;
      $('review-section').hidden = false;
      $('review-off').hidden = data.enabled;
      $('review-body').replaceChildren(...data.groups.map(reviewRow));
      $('review-empty').hidden = !data.enabled || data.groups.length > 0;
    } catch (e) { if (e.status !== 401) say(e.message, true); }
  }

  document.addEventListener('DOMContentLoaded', load);
  window.addEventListener('pageshow', (ev) => { if (ev.persisted) load(); });
})();
