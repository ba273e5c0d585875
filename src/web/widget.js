/* GBAC chat widget: one <script src="https://<bot host>/widget.js" data-…> tag gives a site a chat
   launcher and panel. Everything it loads (styles, Web Chat, the conversation) comes from the bot's
   own host: no CDN, fonts or trackers. Options (all optional), as data attributes on the tag:
     data-title="Chat with GBAC admissions"   panel heading, also the dialog's name
     data-launcher-label="Chat with admissions"
     data-accent="#1d5c7a"  data-accent-text="#ffffff"   colours (#rgb or #rrggbb)
     data-open="false"       open the panel on the first page view (later views remember the visitor's choice)
     data-position="right"   or "left"
     data-locale="en-US"     Web Chat's language (defaults to the page's lang)
     data-phone="+18779206583"  data-phone-label="(877) 920-6583"   shown if the chat cannot connect
     data-server="<origin>"   where the bot lives (defaults to where this script came from) */
/* global window, document, sessionStorage, fetch, URL */
(function () {
  'use strict';

  var script = document.currentScript;
  if (!script || window.GBACChat) return; // one widget per page, even if the tag is pasted twice

  var HEX = /^#(?:[0-9a-f]{3}|[0-9a-f]{6})$/i;
  var data = script.dataset;
  var server = originOf(data.server) || originOf(script.src) || window.location.origin;
  var directLineDomain = server + '/v3/directline';
  var config = {
    title: text(data.title, 'Chat with GBAC admissions'),
    launcherLabel: text(data.launcherLabel, 'Chat with admissions'),
    accent: HEX.test(data.accent || '') ? data.accent : '#1d5c7a',
    accentText: HEX.test(data.accentText || '') ? data.accentText : '#ffffff',
    open: data.open === 'true',
    position: data.position === 'left' ? 'left' : 'right',
    locale: text(data.locale, document.documentElement.lang || 'en-US'),
    phone: /^\+?[0-9]{3,15}$/.test(data.phone || '') ? data.phone : '+18779206583',
    phoneLabel: text(data.phoneLabel, '(877) 920-6583'),
  };
  // A site with a nonce-based Content-Security-Policy puts its nonce on our tag; Web Chat's styles need it.
  var nonce = script.nonce || data.nonce || undefined;
  var KEY = 'gbac-chat:' + server;

  function originOf(url) {
    try {
      return url ? new URL(url, window.location.href).origin : '';
    } catch {
      return '';
    }
  }
  function text(value, fallback) {
    return typeof value === 'string' && value.trim() ? value.trim().slice(0, 80) : fallback;
  }
  function el(tag, attrs, children) {
    var node = document.createElement(tag);
    Object.keys(attrs || {}).forEach(function (k) {
      node.setAttribute(k, attrs[k]);
    });
    (children || []).forEach(function (c) {
      node.appendChild(typeof c === 'string' ? document.createTextNode(c) : c);
    });
    return node;
  }
  function icon(pathData) {
    var ns = 'http://www.w3.org/2000/svg';
    var svg = document.createElementNS(ns, 'svg');
    svg.setAttribute('viewBox', '0 0 24 24');
    svg.setAttribute('aria-hidden', 'true');
    svg.setAttribute('focusable', 'false');
    var p = document.createElementNS(ns, 'path');
    p.setAttribute('d', pathData);
    p.setAttribute('fill', 'currentColor');
    svg.appendChild(p);
    return svg;
  }

  // sessionStorage can be off (privacy modes): the chat still works, it just won't survive a reload.
  var storage = {
    read: function () {
      try {
        return JSON.parse(sessionStorage.getItem(KEY) || 'null') || {};
      } catch {
        return {};
      }
    },
    write: function (patch) {
      try {
        var next = Object.assign(storage.read(), patch);
        sessionStorage.setItem(KEY, JSON.stringify(next));
      } catch {
        /* not available */
      }
    },
  };

  // --- The launcher and the panel -------------------------------------------------------------
  var root = el('div', { class: 'gbac-chat', 'data-position': config.position });
  root.style.setProperty('--gbac-accent', config.accent);
  root.style.setProperty('--gbac-accent-text', config.accentText);

  var launcher = el('button', { type: 'button', class: 'gbac-chat-launcher', 'aria-expanded': 'false', 'aria-controls': 'gbac-chat-panel' }, [
    icon('M4 4h16a2 2 0 0 1 2 2v10a2 2 0 0 1-2 2H8l-4 4V6a2 2 0 0 1 2-2z'),
    el('span', {}, [config.launcherLabel]),
  ]);
  var title = el('h2', { id: 'gbac-chat-title', class: 'gbac-chat-title', tabindex: '-1' }, [config.title]);
  var closeButton = el('button', { type: 'button', class: 'gbac-chat-close', 'aria-label': 'Close chat' }, [
    icon('M6.4 5 12 10.6 17.6 5 19 6.4 13.4 12 19 17.6 17.6 19 12 13.4 6.4 19 5 17.6 10.6 12 5 6.4z'),
  ]);
  var note = el('p', { class: 'gbac-chat-note' }, [
    'Not for emergencies: call ',
    el('a', { href: 'tel:911' }, ['911']),
    ', or call or text ',
    el('a', { href: 'tel:988' }, ['988']),
    '.',
  ]);
  var status = el('p', { class: 'gbac-chat-status', role: 'status' }, ['Connecting…']);
  var webChatHost = el('div', { class: 'gbac-chat-webchat' });
  var body = el('div', { class: 'gbac-chat-body' }, [status, webChatHost]);
  var panel = el('div', { id: 'gbac-chat-panel', class: 'gbac-chat-panel', role: 'dialog', 'aria-labelledby': 'gbac-chat-title', hidden: '' }, [
    el('div', { class: 'gbac-chat-header' }, [title, closeButton]),
    note,
    body,
  ]);
  root.appendChild(panel);
  root.appendChild(launcher);

  function sendBox() {
    return webChatHost.querySelector('[data-id="webchat-sendbox-input"]') || webChatHost.querySelector('textarea, input[type="text"]');
  }
  function isOpen() {
    return !panel.hidden;
  }
  function open() {
    if (isOpen()) return;
    panel.hidden = false;
    launcher.setAttribute('aria-expanded', 'true');
    storage.write({ open: true });
    // Focus goes into the panel: the message box if Web Chat is ready, else the heading until it is.
    (sendBox() || title).focus();
    start();
  }
  function close() {
    if (!isOpen()) return;
    panel.hidden = true;
    launcher.setAttribute('aria-expanded', 'false');
    storage.write({ open: false });
    launcher.focus();
  }
  launcher.addEventListener('click', function () {
    if (isOpen()) close();
    else open();
  });
  closeButton.addEventListener('click', close);
  panel.addEventListener('keydown', function (event) {
    // Web Chat handles some Escapes itself (leaving a focused message): let those be.
    if (event.key === 'Escape' && !event.defaultPrevented) {
      event.preventDefault();
      close();
    }
  });

  // --- Loading Web Chat and the conversation ---------------------------------------------------
  function load(tag, attrs) {
    return new Promise(function (resolve, reject) {
      var node = el(tag, attrs);
      if (nonce) node.nonce = nonce;
      node.addEventListener('load', resolve);
      node.addEventListener('error', function () {
        reject(new Error('could not load ' + (attrs.src || attrs.href)));
      });
      document.head.appendChild(node);
    });
  }

  function post(url, token) {
    var headers = { Accept: 'application/json' };
    if (token) headers.Authorization = 'Bearer ' + token;
    return fetch(url, { method: 'POST', headers: headers, credentials: 'omit', cache: 'no-store', referrerPolicy: 'no-referrer' }).then(function (res) {
      if (!res.ok) throw new Error('HTTP ' + res.status);
      return res.json();
    });
  }

  /** Where Direct Line lives: ours, unless the token came from Azure Direct Line (the server then says so). */
  function domainOf(value) {
    try {
      var url = new URL(value);
      return url.protocol === 'https:' || url.origin === server ? url.href.replace(/\/+$/, '') : '';
    } catch {
      return '';
    }
  }

  /** A token for this tab's conversation: the saved one refreshed, or a new conversation. */
  function session() {
    var saved = storage.read();
    var fresh = function () {
      return post(directLineDomain + '/tokens/generate').then(function (res) {
        if (!res || typeof res.token !== 'string') throw new Error('no token');
        var domain = (res.domain && domainOf(res.domain)) || directLineDomain;
        storage.write({ conversationId: res.conversationId, token: res.token, domain: domain });
        return { token: res.token, conversationId: res.conversationId, domain: domain, resumed: false };
      });
    };
    var domain = domainOf(saved.domain || '') || directLineDomain;
    if (!saved.conversationId || !saved.token) return fresh();
    return post(domain + '/tokens/refresh', saved.token).then(
      function (res) {
        if (!res || typeof res.token !== 'string') return fresh();
        storage.write({ token: res.token });
        return { token: res.token, conversationId: saved.conversationId, domain: domain, resumed: true };
      },
      fresh, // expired or forgotten: start a new conversation
    );
  }

  /**
   * Web Chat opens a card's tel: button with window.open, which leaves an empty tab behind on
   * many phones; a plain link hands the number to the dialer and keeps the visitor on the page.
   */
  function callLinks() {
    return function (next) {
      return function (args) {
        var action = args && args.cardAction;
        var value = action && typeof action.value === 'string' ? action.value : '';
        if (action && (action.type === 'openUrl' || action.type === 'call') && /^(tel|sms):\+?[0-9]{3,15}$/i.test(value)) {
          var link = el('a', { href: value, hidden: '' });
          root.appendChild(link);
          link.click();
          link.remove();
          return;
        }
        return next(args);
      };
    };
  }

  var webChatLoaded;
  function loadWebChat() {
    if (!webChatLoaded) {
      webChatLoaded = load('script', { src: server + '/webchat/webchat.js' }).catch(function (err) {
        webChatLoaded = undefined;
        throw err;
      });
    }
    return webChatLoaded;
  }

  var started;
  function start() {
    if (started) return started;
    status.textContent = 'Connecting…';
    started = Promise.all([loadWebChat(), session()])
      .then(function (results) {
        var s = results[1];
        var WebChat = window.WebChat;
        var directLine = WebChat.createDirectLine({
          token: s.token,
          domain: s.domain,
          // Resuming (after a reload) reconnects to the same conversation; its transcript is replayed.
          conversationId: s.resumed ? s.conversationId : undefined,
        });
        // Direct Line refreshes its token by itself; keep the newest for the next page.
        var remember = function () {
          if (directLine.token) storage.write({ token: directLine.token });
        };
        window.addEventListener('pagehide', remember);
        document.addEventListener('visibilitychange', remember);

        status.remove();
        WebChat.renderWebChat(
          {
            directLine: directLine,
            locale: config.locale,
            cardActionMiddleware: callLinks,
            nonce: nonce,
            styleOptions: {
              accent: config.accent,
              rootHeight: '100%',
              hideUploadButton: true, // the chat takes no files: nothing health-related gets uploaded
              suggestedActionLayout: 'flow',
              suggestedActionHeight: 44,
              sendBoxHeight: 48,
              primaryFont: 'system-ui, -apple-system, "Segoe UI", Roboto, "Helvetica Neue", Arial, sans-serif',
            },
          },
          webChatHost,
        );
        // The panel may be open with focus parked on the heading: hand it to the message box.
        waitFor(sendBox, 5000).then(function (box) {
          if (box && isOpen() && document.activeElement === title) box.focus();
        });
        window.GBACChat.directLine = directLine;
      })
      .catch(function () {
        started = undefined; // the next open tries again
        status.textContent = 'The chat is not available right now. Please call admissions at ';
        status.appendChild(el('a', { href: 'tel:' + config.phone }, [config.phoneLabel]));
        status.appendChild(document.createTextNode('.'));
        if (!status.isConnected) body.insertBefore(status, webChatHost);
      });
    return started;
  }

  function waitFor(find, ms) {
    return new Promise(function (resolve) {
      var until = Date.now() + ms;
      (function poll() {
        var found = find();
        if (found || Date.now() > until) resolve(found);
        else window.setTimeout(poll, 50);
      })();
    });
  }

  window.GBACChat = { open: open, close: close };

  function mount() {
    var css = el('link', { rel: 'stylesheet', href: server + '/widget.css' });
    if (nonce) css.nonce = nonce;
    document.head.appendChild(css);
    document.body.appendChild(root);
    var saved = storage.read();
    if (typeof saved.open === 'boolean' ? saved.open : config.open) {
      panel.hidden = false;
      launcher.setAttribute('aria-expanded', 'true');
      start();
    }
  }
  if (document.body) mount();
  else document.addEventListener('DOMContentLoaded', mount);
})();
