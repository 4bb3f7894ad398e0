// Tap a site on the body picture to choose it; the radio buttons stay the real control.
// The line beside Given says the site that will be recorded. Without JavaScript the
// radios below Given work alone, and that line names the suggested site.
(function () {
  "use strict";
  document.querySelectorAll("svg.body").forEach(function (svg) {
    var form = document.getElementById(svg.dataset.form);
    if (!form) { return; }
    var line = form.querySelector(".site-now");
    function show(site) {
      svg.querySelectorAll(".spot").forEach(function (spot) {
        spot.classList.toggle("chosen", spot.dataset.site === site);
      });
      if (line) {  // the words are the page's, in its language (data-* of the line)
        var radio = form.querySelector("input[name=site][value='" + site + "']");
        line.querySelector(".site-name").textContent =
          (radio && radio.dataset.name) || site;
        line.querySelector(".site-said").textContent =
          site === line.dataset.suggested ? line.dataset.suggestedSaid
                                          : line.dataset.chosenSaid;
      }
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
