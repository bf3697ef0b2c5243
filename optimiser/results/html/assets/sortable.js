/* Sortable tables: each header of a table.sortable is a button; a click sorts by that column,
   a second click reverses. Numbers sort by the raw value in data-sort, text in French collation
   (accents and case ignored, "Commune 10" after "Commune 9"); empty cells always go last. */
(function () {
  'use strict';
  var collator = new Intl.Collator('fr', {numeric: true, sensitivity: 'base'});

  function key(cell, numeric) {
    if (!cell) { return null; }
    if (numeric) {
      var raw = cell.getAttribute('data-sort');
      return raw === null ? null : parseFloat(raw);
    }
    var text = cell.textContent.trim();
    return text === '' || text === '\u2014' ? null : text;
  }

  Array.prototype.forEach.call(document.querySelectorAll('table.sortable'), function (table) {
    var heads = table.tHead.rows[0].cells;
    Array.prototype.forEach.call(heads, function (th, column) {
      var button = th.querySelector('button');
      if (!button) { return; }
      button.addEventListener('click', function () {
        var ascending = th.getAttribute('aria-sort') !== 'ascending';
        Array.prototype.forEach.call(heads, function (h) { h.removeAttribute('aria-sort'); });
        th.setAttribute('aria-sort', ascending ? 'ascending' : 'descending');
        var numeric = th.getAttribute('data-type') === 'number';
        var body = table.tBodies[0];
        var rows = Array.prototype.slice.call(body.rows);
        rows.sort(function (a, b) {
          var x = key(a.cells[column], numeric);
          var y = key(b.cells[column], numeric);
          if (x === null || y === null) { return (x === null) - (y === null); }
          var order = numeric ? x - y : collator.compare(x, y);
          return ascending ? order : -order;
        });
        rows.forEach(function (row) { body.appendChild(row); });
      });
    });
  });
})();
