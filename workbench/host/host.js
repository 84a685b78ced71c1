/*
 * Host-page behaviour: iframe sizing and navigation from the app, the user and theme switchers, the
 * incident form, the issue view's quick-add bar and issue contexts, and the controls page's forms.
 */
(function () {
  addEventListener('message', function (event) {
    if (event.origin !== location.origin || !event.data || event.data.source !== 'forge-frame') return;
    var frame = document.querySelector('iframe[data-frame="' + event.data.frame + '"]');
    var p = event.data.payload || {};
    switch (event.data.type) {
      case 'resize':
        if (frame) frame.style.height = Math.max(60, p.height) + 'px';
        break;
      case 'navigate':
      case 'open':
        location.href = locationOf(p);
        break;
      case 'refresh':
      case 'reload':
        location.reload();
        break;
      case 'close': {
        // A content action's dialog (or a byline popup) closes when its app says so.
        var dialog = frame && frame.closest('dialog');
        if (dialog && dialog.open) dialog.close();
        var popup = frame && frame.closest('.byline-popup');
        if (popup) popup.hidden = true;
        break;
      }
    }
  });

  // @forge/bridge's router sends a URL string or a location object ({ target: 'module', moduleKey }, ...).
  function locationOf(p) {
    if (typeof p === 'string') return p;
    if (p.url) return p.url;
    if (p.target === 'module') return '/__forge/module/' + encodeURIComponent(p.moduleKey);
    if (p.target === 'issue') return '/browse/' + encodeURIComponent(p.issueKey);
    if (p.target === 'contentView') return '/__forge/content/' + encodeURIComponent(p.contentId);
    if (p.target === 'spaceView') return '/wiki/spaces/' + encodeURIComponent(p.spaceKey);
    return typeof p.target === 'string' ? p.target : '/';
  }

  function setCookie(name, value) {
    document.cookie = name + '=' + encodeURIComponent(value) + '; path=/; SameSite=Lax';
    location.reload();
  }
  var user = document.getElementById('wb-user');
  if (user) user.addEventListener('change', function () { setCookie('wb_user', user.value); });
  var theme = document.getElementById('wb-theme');
  if (theme) theme.addEventListener('click', function () { setCookie('wb_theme', theme.getAttribute('data-next')); });

  // What Jira's status means, in words, for a refusal shown to a person.
  var STATUS_WORDS = { 400: 'the request was not valid', 401: 'not signed in', 403: 'not allowed', 404: 'not found', 409: 'a conflict', 413: 'too large', 429: 'rate limited', 500: 'an error in Jira', 502: 'Jira unreachable', 503: 'Jira unavailable', 504: 'Jira timed out' };
  function jiraRefusal(status, body) {
    var words = STATUS_WORDS[status] || (status >= 500 ? 'an error in Jira' : 'refused');
    var text = 'Jira did not create the incident: it answered ' + status + ' (' + words + ').';
    if (status === 429 || status >= 500) return text + ' Try again in a moment.';
    // Jira's own messages say what to change (a missing summary, a field it does not take).
    var details = [];
    if (body && Array.isArray(body.errorMessages)) body.errorMessages.forEach(function (m) { if (typeof m === 'string' && m) details.push(m); });
    if (body && body.errors && typeof body.errors === 'object') Object.keys(body.errors).forEach(function (k) { if (typeof body.errors[k] === 'string' && body.errors[k]) details.push(body.errors[k]); });
    return details.length ? text + ' ' + details.join(' ') : text;
  }

  // The incident create form posts to Jira's real REST API as the signed-in user.
  var form = document.getElementById('create-incident');
  if (form) {
    form.addEventListener('submit', function (event) {
      event.preventDefault();
      var data = new FormData(form);
      var fields = {
        project: { key: form.getAttribute('data-project') },
        issuetype: { name: 'Incident' },
        summary: data.get('summary'),
        priority: { id: data.get('priority') },
      };
      if (data.get('requestType')) fields[form.getAttribute('data-request-type-field')] = data.get('requestType');
      var services = data.getAll('services');
      if (services.length) fields[form.getAttribute('data-affected-field')] = services.map(function (id) { return { id: id }; });
      if (data.get('major')) fields[form.getAttribute('data-major-field')] = form.getAttribute('data-major-value') ? JSON.parse(form.getAttribute('data-major-value')) : true;
      var status = document.getElementById('create-status');
      status.textContent = 'Creating…';
      fetch('/rest/api/3/issue', {
        method: 'POST',
        headers: { 'content-type': 'application/json', authorization: 'Basic ' + btoa(form.getAttribute('data-user') + ':workbench') },
        body: JSON.stringify({ fields: fields }),
      })
        .then(function (r) {
          return r.text().then(function (text) {
            var body;
            try { body = text ? JSON.parse(text) : undefined; } catch (e) { body = undefined; }
            return { status: r.status, body: body };
          });
        })
        .then(function (res) {
          if (res.status !== 201 || !res.body || !res.body.key) {
            status.textContent = jiraRefusal(res.status, res.body);
            return;
          }
          location.href = '/browse/' + res.body.key;
        })
        .catch(function (e) { status.textContent = 'Could not reach Jira: ' + e.message; });
    });
  }

  // ---- Issue view: the quick-add bar adds an issue panel; issue contexts expand and collapse. ----
  // Cookies (read by the server on the next visit): wb_panels lists `issueKey~moduleKey` added to an
  // issue; wb_expanded lists `accountId~moduleKey` expanded by a person.
  function cookieSet(name) {
    var match = document.cookie.split('; ').filter(function (c) { return c.indexOf(name + '=') === 0; })[0];
    var value = match ? decodeURIComponent(match.slice(name.length + 1)) : '';
    return value ? value.split('|') : [];
  }
  function saveCookieSet(name, entries) {
    document.cookie = name + '=' + encodeURIComponent(entries.join('|')) + '; path=/; max-age=31536000; SameSite=Lax';
  }
  function toggleEntry(name, entry, on) {
    var entries = cookieSet(name).filter(function (e) { return e !== entry; });
    if (on) entries.push(entry);
    saveCookieSet(name, entries);
  }
  function load(frame) {
    if (frame && !frame.getAttribute('src') && frame.getAttribute('data-src')) frame.setAttribute('src', frame.getAttribute('data-src'));
  }

  var issueLayout = document.querySelector('[data-issue-key]');
  var issueKey = issueLayout && issueLayout.getAttribute('data-issue-key');
  document.querySelectorAll('[data-add-panel]').forEach(function (button) {
    button.addEventListener('click', function () {
      var key = button.getAttribute('data-add-panel');
      var panel = document.getElementById('panel-' + key);
      if (!panel) return;
      panel.hidden = false;
      load(panel.querySelector('iframe'));
      button.setAttribute('aria-pressed', 'true');
      toggleEntry('wb_panels', issueKey + '~' + key, true);
      var heading = panel.querySelector('h2');
      if (heading) {
        heading.setAttribute('tabindex', '-1');
        heading.focus();
      }
    });
  });
  document.querySelectorAll('[data-remove-panel]').forEach(function (button) {
    button.addEventListener('click', function () {
      var key = button.getAttribute('data-remove-panel');
      var panel = document.getElementById('panel-' + key);
      var frame = panel && panel.querySelector('iframe');
      if (frame) frame.removeAttribute('src');
      if (panel) panel.hidden = true;
      var add = document.querySelector('[data-add-panel="' + key + '"]');
      if (add) {
        add.setAttribute('aria-pressed', 'false');
        add.focus();
      }
      toggleEntry('wb_panels', issueKey + '~' + key, false);
    });
  });
  var userSelect = document.getElementById('wb-user');
  document.querySelectorAll('[data-context]').forEach(function (button) {
    button.addEventListener('click', function () {
      var body = document.getElementById(button.getAttribute('aria-controls'));
      var open = button.getAttribute('aria-expanded') !== 'true';
      button.setAttribute('aria-expanded', String(open));
      if (body) body.hidden = !open;
      if (open) load(body && body.querySelector('iframe'));
      if (userSelect) toggleEntry('wb_expanded', userSelect.value + '~' + button.getAttribute('data-context'), open);
    });
  });

  // ---- Confluence page view: byline popups, the ••• menu with content actions, inserting a macro. ----
  document.querySelectorAll('.byline-toggle').forEach(function (button) {
    button.addEventListener('click', function () {
      var popup = document.getElementById(button.getAttribute('aria-controls'));
      var open = button.getAttribute('aria-expanded') !== 'true';
      button.setAttribute('aria-expanded', String(open));
      if (popup) popup.hidden = !open;
      if (open) load(popup && popup.querySelector('iframe'));
    });
  });
  var pageMenuButton = document.getElementById('page-menu-button');
  var pageMenu = document.getElementById('page-menu');
  if (pageMenuButton && pageMenu) {
    pageMenuButton.addEventListener('click', function () {
      var open = pageMenuButton.getAttribute('aria-expanded') !== 'true';
      pageMenuButton.setAttribute('aria-expanded', String(open));
      pageMenu.hidden = !open;
    });
  }
  document.querySelectorAll('[data-content-action]').forEach(function (item) {
    item.addEventListener('click', function () {
      var dialog = document.querySelector('dialog[data-action-dialog="' + item.getAttribute('data-content-action') + '"]');
      if (pageMenu) pageMenu.hidden = true;
      if (pageMenuButton) pageMenuButton.setAttribute('aria-expanded', 'false');
      if (!dialog) return;
      var frame = dialog.querySelector('iframe');
      // Each opening is a fresh frame, as Confluence opens the action anew.
      if (frame) {
        frame.removeAttribute('src');
        load(frame);
      }
      dialog.showModal();
    });
  });
  document.querySelectorAll('[data-close-dialog]').forEach(function (button) {
    button.addEventListener('click', function () {
      var dialog = button.closest('dialog');
      if (dialog) dialog.close();
    });
  });
  document.querySelectorAll('[data-insert-macro]').forEach(function (button) {
    button.addEventListener('click', function () {
      var status = document.getElementById('insert-status');
      if (status) status.textContent = 'Inserting…';
      fetch('/__workbench/api/confluence/insert-macro', {
        method: 'POST',
        headers: { 'content-type': 'application/json' },
        body: JSON.stringify({ pageId: button.getAttribute('data-page'), moduleKey: button.getAttribute('data-insert-macro'), accountId: userSelect ? userSelect.value : undefined }),
      })
        .then(function (r) { return r.json().then(function (b) { return { ok: r.ok, body: b }; }); })
        .then(function (res) {
          if (!res.ok) {
            if (status) status.textContent = 'Confluence refused: ' + JSON.stringify(res.body);
            return;
          }
          location.reload();
        });
    });
  });

  // ---- Controls page: each form becomes one JSON call to the control API, then the page reloads. ----
  function duration(text) {
    var m = /^\s*(-?\d+(?:\.\d+)?)\s*(ms|s|m|h|d)\s*$/.exec(text || '');
    if (!m) throw new Error('Not a duration: "' + text + '" (try 90s, 30m, 2h, 1d)');
    return Number(m[1]) * { ms: 1, s: 1000, m: 60000, h: 3600000, d: 86400000 }[m[2]];
  }
  function number(value) {
    return value === null || value === '' ? undefined : Number(value);
  }
  var controls = {
    'clock-advance': function (d) { return ['POST', 'clock', { advanceMs: duration(d.get('duration')) }]; },
    'clock-set': function (d) { return ['POST', 'clock', { set: String(d.get('at')).trim() }]; },
    'clock-reset': function () { return ['POST', 'clock', { reset: true }]; },
    'fault-add': function (d) {
      var rule = { product: d.get('product') };
      var kind = d.get('kind');
      var value = number(d.get('value'));
      if (kind === 'timeout') rule.timeout = true;
      else if (kind === 'latency') rule.latencyMs = value;
      else rule.status = value;
      if (number(d.get('count'))) rule.count = number(d.get('count'));
      if (d.get('path')) rule.pathPrefix = String(d.get('path')).trim();
      if (d.get('method')) rule.method = d.get('method');
      if (d.get('allCallers')) rule.callers = 'all';
      return ['POST', 'faults', rule];
    },
    'faults-clear': function () { return ['DELETE', 'faults']; },
    delivery: function (d) {
      var mode = d.get('mode');
      if (mode === 'duplicate') return ['POST', 'delivery', { copies: 2, reorderWindow: 0 }];
      if (mode === 'reorder') return ['POST', 'delivery', { copies: 1, reorderWindow: number(d.get('window')) || 5 }];
      return ['POST', 'delivery', { copies: 1, reorderWindow: 0 }];
    },
    'demo-rto': function (d) { return ['POST', 'demo/rto', { percent: number(d.get('percent')) }]; },
    reset: function (d, submitter) { return ['POST', 'reset', submitter && submitter.value === 'empty' ? { empty: true } : {}]; },
    confluence: function (d, submitter) { return ['POST', 'confluence/connection', { connected: !!submitter && submitter.value === 'true' }]; },
  };
  var controlStatus = document.getElementById('controls-status');
  if (controlStatus && sessionStorage.getItem('wb_flash')) {
    controlStatus.textContent = sessionStorage.getItem('wb_flash');
    sessionStorage.removeItem('wb_flash');
  }
  document.querySelectorAll('form[data-control]').forEach(function (controlForm) {
    controlForm.addEventListener('submit', function (event) {
      event.preventDefault();
      var name = controlForm.getAttribute('data-control');
      var call;
      try {
        call = controls[name](new FormData(controlForm), event.submitter);
      } catch (e) {
        controlStatus.textContent = e.message;
        return;
      }
      controlStatus.textContent = 'Working…';
      fetch('/__workbench/api/' + call[1], {
        method: call[0],
        headers: { 'content-type': 'application/json' },
        body: call[2] === undefined ? undefined : JSON.stringify(call[2]),
      })
        .then(function (r) { return r.json().then(function (body) { return { ok: r.ok, body: body }; }); })
        .then(function (res) {
          if (!res.ok) {
            controlStatus.textContent = 'Refused: ' + (res.body.error || JSON.stringify(res.body));
            return;
          }
          sessionStorage.setItem('wb_flash', 'Done: ' + name.replace('-', ' ') + '.');
          location.reload();
        })
        .catch(function (e) { controlStatus.textContent = 'Could not reach the workbench: ' + e.message; });
    });
  });
})();
