/* The interactive map of report.html: a commune's details on hover, tap or keyboard focus.
   Reads the commune details from <script type="application/json" id="report-data">; builds the
   tooltip with textContent only (commune names are data, never markup). No network, no library. */
(function () {
  'use strict';
  var svg = document.getElementById('map');
  var tip = document.getElementById('tip');
  var wrap = document.getElementById('map-wrap');
  var source = document.getElementById('report-data');
  if (!svg || !tip || !wrap || !source) { return; }
  var communes = JSON.parse(source.textContent).communes;
  var pinned = null;   // code of the commune whose details stay open (tap, click, Enter)
  var active = null;   // path currently highlighted

  function pathOf(code) {
    return svg.querySelector('path.commune[data-code="' + (window.CSS && CSS.escape ? CSS.escape(code) : code) + '"]');
  }

  function fill(code) {
    var info = communes[code];
    tip.textContent = '';
    var title = document.createElement('strong');
    title.textContent = info.name;
    tip.appendChild(title);
    var list = document.createElement('dl');
    info.rows.forEach(function (row) {
      var dt = document.createElement('dt');
      var dd = document.createElement('dd');
      dt.textContent = row[0];
      dd.textContent = row[1];
      list.appendChild(dt);
      list.appendChild(dd);
    });
    tip.appendChild(list);
    tip.setAttribute('data-code', code);
  }

  function place(clientX, clientY) {
    var box = wrap.getBoundingClientRect();
    var x = clientX - box.left + 14;
    var y = clientY - box.top + 14;
    if (x + tip.offsetWidth > box.width) { x = clientX - box.left - tip.offsetWidth - 14; }
    if (y + tip.offsetHeight > box.height) { y = clientY - box.top - tip.offsetHeight - 14; }
    tip.style.left = Math.max(0, Math.min(x, box.width - tip.offsetWidth)) + 'px';
    tip.style.top = Math.max(0, y) + 'px';
  }

  function screenPoint(code) {
    var p = communes[code].point;
    var ctm = svg.getScreenCTM();
    return {x: ctm.a * p[0] + ctm.c * p[1] + ctm.e, y: ctm.b * p[0] + ctm.d * p[1] + ctm.f};
  }

  function highlight(path) {
    if (active) { active.classList.remove('active'); }
    active = path;
    if (path) { path.classList.add('active'); }
  }

  function show(code, clientX, clientY) {
    if (!communes[code]) { return; }
    fill(code);
    tip.hidden = false;
    if (clientX === undefined) {
      var p = screenPoint(code);
      clientX = p.x; clientY = p.y;
    }
    place(clientX, clientY);
    highlight(pathOf(code));
  }

  function hide() {
    pinned = null;
    tip.hidden = true;
    tip.removeAttribute('data-code');
    highlight(null);
  }

  function communeOf(target) {
    var path = target && target.closest ? target.closest('path.commune') : null;
    return path ? path.getAttribute('data-code') : null;
  }

  svg.addEventListener('pointerover', function (event) {
    var code = communeOf(event.target);
    if (code && pinned === null) { show(code, event.clientX, event.clientY); }
  });
  svg.addEventListener('pointermove', function (event) {
    var code = communeOf(event.target);
    if (code && pinned === null && tip.getAttribute('data-code') === code) { place(event.clientX, event.clientY); }
  });
  svg.addEventListener('pointerout', function (event) {
    if (pinned === null && communeOf(event.target) && communeOf(event.relatedTarget) !== communeOf(event.target)) { hide(); }
  });
  svg.addEventListener('click', function (event) {
    var code = communeOf(event.target);
    if (!code || pinned === code) { hide(); return; }
    pinned = code;
    show(code, event.clientX, event.clientY);
  });
  svg.addEventListener('focusin', function (event) {
    var code = communeOf(event.target);
    if (code) { pinned = null; show(code); }
  });
  svg.addEventListener('focusout', function () { if (pinned === null) { hide(); } });
  svg.addEventListener('keydown', function (event) {
    var code = communeOf(event.target);
    if (code && (event.key === 'Enter' || event.key === ' ')) {
      event.preventDefault();
      pinned = pinned === code ? null : code;
      show(code);
    }
  });
  document.addEventListener('keydown', function (event) { if (event.key === 'Escape') { hide(); } });
  document.addEventListener('click', function (event) { if (!svg.contains(event.target) && !tip.contains(event.target)) { hide(); } });

  // Legend entries and table rows light up their part of the map.
  function dim(pole, on) {
    svg.classList.toggle('dim', on);
    Array.prototype.forEach.call(svg.querySelectorAll('path.commune'), function (path) {
      path.classList.toggle('in', on && path.getAttribute('data-pole') === pole);
    });
  }
  Array.prototype.forEach.call(document.querySelectorAll('[data-pole]:not(path)'), function (item) {
    var pole = item.getAttribute('data-pole');
    ['mouseenter', 'focusin'].forEach(function (kind) { item.addEventListener(kind, function () { dim(pole, true); }); });
    ['mouseleave', 'focusout'].forEach(function (kind) { item.addEventListener(kind, function () { dim(pole, false); }); });
  });
  Array.prototype.forEach.call(document.querySelectorAll('tr[data-code]'), function (row) {
    var code = row.getAttribute('data-code');
    row.addEventListener('mouseenter', function () { if (pinned === null) { highlight(pathOf(code)); } });
    row.addEventListener('mouseleave', function () { if (pinned === null) { highlight(null); } });
  });
})();
