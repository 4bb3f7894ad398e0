// Tap a site on the body picture to choose it; the radio buttons stay the real control.
(function () {
  "use strict";
  document.querySelectorAll("svg.body").forEach(function (svg) {
    var form = document.getElementById(svg.dataset.form);
    if (!form) { return; }
    function show(site) {
      svg.querySelectorAll(".spot").forEach(function (spot) {
        spot.classList.toggle("chosen", spot.dataset.site === site);
      });
    }
    svg.querySelectorAll(".spot").forEach(function (spot) {
      spot.addEventListener("click", function () {
        var radio = form.querySelector("input[name=site][value='" + spot.dataset.site + "']");
        if (radio) { radio.checked = true; show(spot.dataset.site); }
      });
    });
    form.querySelectorAll("input[name=site]").forEach(function (radio) {
      radio.addEventListener("change", function () { show(radio.value); });
    });
  });
})();
