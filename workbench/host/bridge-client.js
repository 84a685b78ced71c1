/*
 * Loaded into every Custom UI iframe before the app's own scripts: defines globalThis.__bridge, the
 * object the unmodified @forge/bridge package calls. Calls go to the workbench host over HTTP with
 * this frame's token; the server decides what context and user they carry.
 */
(function () {
  var token = new URLSearchParams(location.search).get('frame');
  var themeLoaded = false;

  function call(type, payload) {
    return fetch('/__forge/bridge', {
      method: 'POST',
      headers: { 'content-type': 'application/json' },
      body: JSON.stringify({ frame: token, type: type, payload: payload }),
    })
      .then(function (r) { return r.json(); })
      .then(function (answer) {
        if (answer.ok) return answer.result;
        var error = new Error(answer.error.message);
        if (answer.error.code) error.code = answer.error.code;
        throw error;
      });
  }

  function toParent(type, payload) {
    parent.postMessage({ source: 'forge-frame', frame: token, type: type, payload: payload }, location.origin);
  }

  function enableTheming() {
    return call('getContext').then(function (ctx) {
      var mode = (ctx.theme && ctx.theme.colorMode) || 'light';
      document.documentElement.setAttribute('data-color-mode', mode);
      document.documentElement.setAttribute('data-theme', 'light:light dark:dark spacing:spacing typography:typography');
      if (themeLoaded) return;
      themeLoaded = true;
      var link = document.createElement('link');
      link.rel = 'stylesheet';
      link.href = '/__forge/theme.css';
      document.head.appendChild(link);
    });
  }

  // Forge Realtime: the server scopes each subscription to this frame's module context; events come
  // back through one long poll per frame, and each goes to its subscription's callback.
  var subscriptions = {};
  var polling = false;

  function poll() {
    if (Object.keys(subscriptions).length === 0) {
      polling = false;
      return;
    }
    polling = true;
    call('pollRealtime', {}).then(
      function (events) {
        (events || []).forEach(function (e) {
          var onEvent = subscriptions[e.subscriptionId];
          if (!onEvent) return;
          try {
            onEvent(e.payload);
          } catch (error) {
            console.error(error);
          }
        });
        poll();
      },
      function () {
        setTimeout(poll, 1000); // the host restarted, or the network blinked: keep listening
      },
    );
  }

  function subscribe(payload) {
    var onEvent = payload && payload.onEvent;
    return call('subscribeRealtimeChannel', { channelName: payload.channelName, options: payload.options || {}, isGlobal: payload.isGlobal === true }).then(function (answer) {
      var id = answer.subscriptionId;
      subscriptions[id] = typeof onEvent === 'function' ? onEvent : function () {};
      if (!polling) poll();
      return {
        unsubscribe: function () {
          delete subscriptions[id];
          return call('unsubscribeRealtimeChannel', { subscriptionId: id }).then(function () {});
        },
      };
    });
  }

  globalThis.__bridge = {
    callBridge: function (type, payload) {
      switch (type) {
        case 'enableTheming':
          return enableTheming();
        case 'subscribeRealtimeChannel':
          return subscribe(payload);
        case 'publishRealtimeChannel':
          return call(type, { channelName: payload.channelName, eventPayload: payload.eventPayload, options: payload.options || {}, isGlobal: payload.isGlobal === true });
        case 'navigate':
        case 'open':
        case 'refresh':
        case 'reload':
        case 'close':
        case 'submit':
          toParent(type, payload);
          return Promise.resolve();
        default:
          return call(type, payload);
      }
    },
  };

  // Size the iframe to its content, as Atlassian's host does with iframe-resizer.
  function reportHeight() {
    toParent('resize', { height: Math.ceil(document.documentElement.scrollHeight) });
  }
  addEventListener('load', function () {
    reportHeight();
    if (typeof ResizeObserver !== 'undefined') new ResizeObserver(reportHeight).observe(document.body);
  });
})();
