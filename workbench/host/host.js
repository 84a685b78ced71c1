/* Host-page behaviour: iframe sizing and navigation from the app, the user and theme switchers. */
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
        .then(function (r) { return r.json().then(function (body) { return { status: r.status, body: body }; }); })
        .then(function (res) {
          if (res.status !== 201) {
            status.textContent = 'Jira refused: ' + JSON.stringify(res.body.errors || res.body.errorMessages);
            return;
          }
          location.href = '/browse/' + res.body.key;
        })
        .catch(function (e) { status.textContent = 'Could not reach Jira: ' + e.message; });
    });
  }
})();
