// Follow the other caregivers: when the log's stamp changes, show the page again, unless
// someone is typing in a form here. Without JavaScript the page works the same, by reload.
(function () {
  "use strict";
  var stamp = document.body.dataset.stamp, root = document.body.dataset.root;
  // A form's token lasts a day: a page left open longer is shown again (when nobody is
  // typing) so that its buttons keep working.
  var loaded = Date.now(), FRESH = 6 * 3600 * 1000;
  function busy() {
    var el = document.activeElement;
    return el && (el.tagName === "INPUT" || el.tagName === "SELECT" || el.tagName === "TEXTAREA")
      && el.type !== "radio";
  }
  function check() {
    fetch(root + "/changes", {credentials: "same-origin", cache: "no-store"})
      .then(function (r) { return r.ok ? r.json() : null; })
      .then(function (data) {
        if (data && data.stamp && (data.stamp !== stamp || Date.now() - loaded > FRESH)
            && !busy()) {
          window.location.replace(root + "/");
        }
      })
      .catch(function () { /* the computer is asleep or away: try again later */ });
  }
  setInterval(check, 3000);
})();
