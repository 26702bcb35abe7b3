// Grid keys: in a criterion's row, "a" chooses acquis and "n" non acquis (as a click would, so htmx
// saves the cell), then the focus moves to the next criterion's result. Tab and the arrows keep their
// usual meaning; typing in a comment is never intercepted.
(function () {
  "use strict";
  var KEYS = { a: "acquired", n: "not_acquired" };

  function rowsOf(grid) {
    return Array.prototype.slice.call(grid.querySelectorAll("tr.clea-grid-row")).filter(function (row) {
      return row.querySelector('input[type="radio"]');
    });
  }

  document.addEventListener("keydown", function (event) {
    var target = event.target;
    if (event.ctrlKey || event.metaKey || event.altKey || !target.matches || !target.matches('input[type="radio"]')) {
      return;
    }
    var value = KEYS[event.key.toLowerCase()];
    var row = target.closest("tr.clea-grid-row");
    if (!value || !row) {
      return;
    }
    var radio = row.querySelector('input[type="radio"][value="' + value + '"]');
    if (!radio) {
      return;
    }
    event.preventDefault();
    var rows = rowsOf(row.closest("form"));
    var next = rows[rows.indexOf(row) + 1];
    var nextId = next ? next.id : null;
    radio.click();
    // htmx replaces the saved row: look the next one up again once it is there.
    window.setTimeout(function () {
      var after = nextId ? document.getElementById(nextId) : null;
      var focus = after ? after.querySelector('input[type="radio"]:checked') || after.querySelector('input[type="radio"]') : null;
      if (focus) {
        focus.focus();
      }
    }, 0);
  });
})();
