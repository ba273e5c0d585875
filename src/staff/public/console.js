// GBAC staff console. No framework, no other origin; all text goes in with textContent (never HTML).
/* global document, window, fetch, setInterval, clearInterval, CSS, URLSearchParams */
'use strict';
(function () {
  const $ = (id) => document.getElementById(id);
  const state = { me: null, current: null, after: 0, listTimer: 0, chatTimer: 0, selectedId: null, queueScroll: 0 };

  function say(message, isError) {
    const el = $('status');
    el.textContent = message || '';
    el.className = isError ? 'error' : '';
  }

  async function api(method, path, body) {
    const init = { method, credentials: 'same-origin', headers: { accept: 'application/json' } };
    if (method !== 'GET') {
      init.headers['content-type'] = 'application/json';
      init.body = JSON.stringify(body || {});
    }
    const res = await fetch(path, init);
    let data = {};
    try { data = await res.json(); } catch { data = {}; }
    if (res.status === 401 && path !== '/staff/login') { showLogin('Your session ended. Please log in again.'); }
    if (!res.ok) { const err = new Error(data.error || ('Request failed (' + res.status + ')')); err.status = res.status; err.data = data; throw err; }
    return data;
  }

  function el(tag, text, className) {
    const node = document.createElement(tag);
    if (text !== undefined && text !== null) node.textContent = String(text);
    if (className) node.className = className;
    return node;
  }

  const when = (iso) => (iso ? new Date(iso).toLocaleString() : '');
  const REASONS = { 'asked-for-person': 'Asked for a person', 'screening-completed': 'Finished the screening', fallback: 'Bot could not answer', 'crisis-follow-up': 'Crisis follow-up' };

  function showLogin(message) {
    clearInterval(state.listTimer); clearInterval(state.chatTimer);
    state.me = null;
    $('who').hidden = true;
    $('queue-section').hidden = true;
    $('detail-section').hidden = true;
    $('login-section').hidden = false;
    $('login-error').textContent = message || '';
    $('login').focus();
  }

  function showQueue() {
    clearInterval(state.chatTimer);
    state.current = null;
    $('login-section').hidden = true;
    $('detail-section').hidden = true;
    $('queue-section').hidden = false;
    $('who').hidden = false;
    $('who-login').textContent = state.me.login;
    const back = state.queueScroll;
    loadQueue().then(() => {
      // Back from a request: the queue where it was, the focus on the request just seen.
      if (back) window.scrollTo(window.scrollX, back);
      state.queueScroll = 0;
      const seen = state.selectedId && $('queue-body').querySelector('tr[data-id="' + CSS.escape(state.selectedId) + '"] button');
      if (seen) seen.focus({ preventScroll: true });
    });
    clearInterval(state.listTimer);
    state.listTimer = setInterval(() => { if (!$('queue-section').hidden) loadQueue(true); }, 15000);
  }

  /** "12 min", "2 h 5 min": how long a request has waited, at the time of drawing. */
  function waited(iso, now) {
    const minutes = Math.max(0, Math.floor((now - Date.parse(iso)) / 60000));
    if (Number.isNaN(minutes)) return '';
    if (minutes < 1) return 'under 1 min';
    if (minutes < 60) return minutes + ' min';
    return Math.floor(minutes / 60) + ' h ' + (minutes % 60) + ' min';
  }

  /** A cell with its column name, which narrow screens show beside the value (the table becomes cards). */
  function cell(label, value, className) {
    const td = el('td', value, className);
    td.dataset.label = label;
    return td;
  }

  /** The phone as a tap-to-call link ("(617) 555-0142"); anything not E.164 stays plain text. */
  function phoneCell(r) {
    const td = cell('Phone');
    if (!r.phone) { td.textContent = '—'; return td; }
    td.append(phoneLink(r));
    return td;
  }

  /** The phone as people read it, a tel: link when it is a number a phone can dial. */
  function phoneLink(r) {
    if (!/^\+\d{8,15}(;ext=\d{1,6})?$/.test(r.phone)) return document.createTextNode(r.phoneDisplay || r.phone);
    const a = el('a', r.phoneDisplay || r.phone, 'tel');
    a.href = 'tel:' + r.phone;
    a.setAttribute('aria-label', 'Call ' + (r.name || 'the visitor') + ' at ' + (r.phoneDisplay || r.phone));
    return a;
  }

  /** Spanish is marked so nobody calls in English by mistake; English is the default and stays plain. */
  function languageBadge(r) {
    if (r.language === 'es') return el('span', 'Español / Spanish callback', 'badge lang-es');
    return el('span', r.languageName || 'English');
  }

  function queueRow(r, now) {
    const tr = document.createElement('tr');
    tr.dataset.id = r.id;
    if (r.priority === 'crisis') tr.classList.add('crisis-row');
    if (r.id === state.selectedId) tr.classList.add('selected');
    tr.append(
      cell('Priority', r.priority === 'crisis' ? 'CRISIS' : 'normal', r.priority === 'crisis' ? 'crisis' : ''),
      cell('Name', r.name || '—', 'name'),
      phoneCell(r),
      cell('Best time', r.bestTime || '—'),
      cell('Waiting', waited(r.createdAt, now), 'waiting'),
      cell('Channel', r.channelName || r.channel),
      withChild(cell('Language'), languageBadge(r)),
      cell('Contact preferences', r.contactPreferencesText || '—'),
      cell('Reason', REASONS[r.reason] || r.reason),
      cell('Suggested level', r.screening ? r.screening.levelName : '—'),
      cell('Status', r.status === 'claimed' ? 'claimed by ' + r.claimedBy + (r.live ? ' (live chat)' : '') : r.status),
      cell('Reference', r.reference));
    const open = el('button', 'Open');
    open.type = 'button';
    open.dataset.id = r.id;
    open.setAttribute('aria-label', 'Open request ' + r.reference);
    open.addEventListener('click', () => openRequest(r.id));
    const td = cell(''); td.append(open); tr.append(td);
    return tr;
  }

  /**
   * Draw the queue without losing the staff member's place: the scroll position, the focused
   * row and the last opened one stay; an automatic refresh waits while text in the queue is selected.
   */
  async function loadQueue(auto) {
    try {
      const { requests } = await api('GET', '/staff/api/requests');
      const body = $('queue-body');
      const selection = document.getSelection();
      if (auto === true && selection && !selection.isCollapsed && body.contains(selection.anchorNode)) return;
      const active = document.activeElement && body.contains(document.activeElement) ? document.activeElement : null;
      const focusedId = active && active.closest('tr') ? active.closest('tr').dataset.id : null;
      const focusedTag = active && active.tagName === 'A' ? 'a' : 'button';
      const scrollY = window.scrollY;
      const now = Date.now();
      body.replaceChildren(...requests.map((r) => queueRow(r, now)));
      $('queue-empty').hidden = requests.length > 0;
      if (focusedId) {
        const again = body.querySelector('tr[data-id="' + CSS.escape(focusedId) + '"] ' + focusedTag);
        if (again) again.focus({ preventScroll: true });
      }
      if (!$('queue-section').hidden) window.scrollTo(window.scrollX, scrollY);
      const alerts = await api('GET', '/staff/api/alerts');
      $('alerts-block').hidden = !alerts.failures.length;
      $('alerts').replaceChildren(...alerts.failures.map((f) => el('li', typeof f === 'string' ? f : JSON.stringify(f))));
    } catch (e) { if (e.status !== 401) say(e.message, true); }
  }

  function withChild(node, child) { node.append(child); return node; }

  function addField(dl, term, value) {
    if (value === undefined || value === null || value === '') return;
    dl.append(el('dt', term), el('dd', value));
  }

  async function openRequest(id) {
    try {
      const { request: r, audit } = await api('GET', '/staff/api/requests/' + encodeURIComponent(id));
      const first = !state.current || state.current.id !== r.id;
      if (!$('queue-section').hidden) state.queueScroll = window.scrollY;
      state.current = r;
      state.selectedId = r.id;
      $('queue-section').hidden = true;
      $('detail-section').hidden = false;
      $('detail-title').textContent = 'Request ' + r.reference + (r.priority === 'crisis' ? ' (crisis)' : '');
      const dl = $('detail'); dl.replaceChildren();
      addField(dl, 'Status', r.status + (r.claimedBy ? ' by ' + r.claimedBy : ''));
      addField(dl, 'Priority', r.priority);
      addField(dl, 'Reason', REASONS[r.reason] || r.reason);
      addField(dl, 'Channel', r.channelName || r.channel);
      dl.append(el('dt', 'Language'), withChild(el('dd', null, 'language'), languageBadge(r)));
      addField(dl, 'Arrived', when(r.createdAt));
      addField(dl, 'Name', r.name);
      if (r.phone) dl.append(el('dt', 'Phone'), withChild(el('dd'), phoneLink(r)));
      addField(dl, 'Best time', r.bestTime);
      addField(dl, 'Contact preferences', r.contactPreferencesText);
      if (r.contactConsent) addField(dl, 'Contact consent', r.contactConsent.text + ' (' + when(r.contactConsent.at) + ')');
      if (r.transcriptExcerpt) addField(dl, 'Conversation excerpt', r.transcriptExcerpt.join(' / '));
      renderScreening(r.screening);
      $('audit').replaceChildren(...audit.map((a) => el('li', when(a.at) + ' — ' + a.actor + ': ' + a.action + (a.detail ? ' (' + a.detail + ')' : ''))));
      const mine = r.status === 'claimed' && r.claimedBy === state.me.login;
      $('claim').disabled = r.status !== 'open';
      $('resolve').disabled = !mine;
      $('reopen').disabled = r.status === 'open' || r.status === 'withdrawn';
      $('live-section').hidden = !state.me.liveChat;
      if (first) { state.after = 0; $('transcript').replaceChildren(); $('detail-title').focus(); }
      updateLive(r.live, mine);
      clearInterval(state.chatTimer);
      if (state.me.liveChat) { pollChat(); state.chatTimer = setInterval(pollChat, 3000); }
    } catch (e) { if (e.status !== 401) say(e.message, true); }
  }

  /** The screening as staff read it (knowledge/staff-summary.yaml), then every answer. */
  function renderScreening(s) {
    const box = $('screening'); box.replaceChildren();
    if (!s) { box.append(el('p', 'No screening completed.')); return; }
    const summary = s.staffSummary;
    const block = el('div', null, 'staff-summary');
    block.id = 'staff-summary';
    if (summary) {
      block.append(el('p', summary.suggested, 'suggested'), el('p', summary.answeredBy, 'answered-by'));
      const list = (title, items, id) => {
        if (!items || !items.length) return;
        block.append(el('p', title + ':'));
        const ul = el('ul'); ul.id = id; for (const item of items) ul.append(el('li', item)); block.append(ul);
      };
      list(summary.titles.because, summary.because, 'summary-because');
      list(summary.titles.also, summary.also, 'summary-also');
    } else {
      block.append(el('p', 'Suggested level: ' + s.levelName, 'suggested'));
    }
    box.append(block);
    const details = el('details');
    details.append(el('summary', 'All answers (rule: ' + s.rule + ')'));
    const answers = el('dl');
    for (const list of Object.values(s.dimensions || {})) for (const a of list) addField(answers, a.question, a.label);
    details.append(answers);
    box.append(details);
  }

  function updateLive(live, mine) {
    $('live-state').textContent = live ? 'You are chatting with the visitor; the assistant is silent (except for crisis guidance).' : (mine ? 'The assistant is answering the visitor.' : 'Claim the request to chat with the visitor.');
    $('takeover-start').disabled = !mine || live;
    $('takeover-end').disabled = !mine || !live;
    $('message-form').hidden = !live || !mine;
  }

  async function pollChat() {
    const r = state.current;
    if (!r) return;
    try {
      const data = await api('GET', '/staff/api/requests/' + encodeURIComponent(r.id) + '/messages?after=' + state.after);
      for (const m of data.messages) {
        state.after = Math.max(state.after, m.seq);
        const li = el('li', null, m.crisis ? 'crisis-line' : (m.from === 'system' ? 'system' : ''));
        const who = m.from === 'staff' ? m.staff : m.from === 'bot' ? 'Assistant' : m.from === 'visitor' ? 'Visitor' : '';
        if (who) li.append(el('span', who + (m.crisis ? ' (CRISIS — the assistant gave 988/911 guidance)' : '') + ':', 'from'));
        li.append(el('span', m.text));
        $('transcript').append(li);
      }
      updateLive(Boolean(data.live), r.status === 'claimed' && r.claimedBy === state.me.login);
    } catch (e) { if (e.status !== 401) say(e.message, true); }
  }

  async function act(path, body, done) {
    try {
      await api('POST', path, body);
      say(done);
    } catch (e) { say(e.message, true); }
    if (state.current) await openRequest(state.current.id);
  }

  const base = () => '/staff/api/requests/' + encodeURIComponent(state.current.id);

  document.addEventListener('DOMContentLoaded', async () => {
    $('login-form').addEventListener('submit', async (ev) => {
      ev.preventDefault();
      $('login-error').textContent = '';
      try {
        await api('POST', '/staff/login', { login: $('login').value, password: $('password').value });
        $('password').value = '';
        // Sent here to log in from the unanswered review: back to it.
        if (new URLSearchParams(window.location.search).get('next') === 'unanswered') { window.location.assign('/staff/unanswered'); return; }
        state.me = await api('GET', '/staff/api/me');
        showQueue();
      } catch (e) { $('login-error').textContent = e.message; }
    });
    $('logout').addEventListener('click', async () => { try { await api('POST', '/staff/api/logout'); } catch { /* already out */ } showLogin('You are logged out.'); });
    $('refresh').addEventListener('click', () => loadQueue(false));
    $('back').addEventListener('click', showQueue);
    $('claim').addEventListener('click', () => act(base() + '/claim', {}, 'Claimed.'));
    $('resolve').addEventListener('click', () => act(base() + '/resolve', {}, 'Resolved.'));
    $('reopen').addEventListener('click', () => act(base() + '/reopen', {}, 'Reopened.'));
    $('takeover-start').addEventListener('click', () => act(base() + '/takeover', {}, 'Live chat started.'));
    $('takeover-end').addEventListener('click', () => act(base() + '/takeover/end', {}, 'Live chat ended; the assistant answers again.'));
    $('note-form').addEventListener('submit', (ev) => {
      ev.preventDefault();
      const note = $('note').value.trim();
      if (!note) return;
      act(base() + '/notes', { note }, 'Note added.').then(() => { $('note').value = ''; });
    });
    $('message-form').addEventListener('submit', async (ev) => {
      ev.preventDefault();
      const text = $('message').value.trim();
      if (!text) return;
      try {
        await api('POST', base() + '/messages', { text });
        $('message').value = '';
        await pollChat();
      } catch (e) { say(e.message, true); }
    });
    try {
      state.me = await api('GET', '/staff/api/me');
      showQueue();
    } catch { showLogin(''); }
  });
})();
