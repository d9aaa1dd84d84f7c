// Slides with one figure per configuration (report.slides.runs.choices): the select shows the
// chosen figure only, and the slide's latent explorer, if any, explores the chosen run. Without
// this file every figure stays on the page, each captioned with its configuration.
(function () {
  "use strict";
  function each(list, fn) { Array.prototype.forEach.call(list, fn); }

  each(document.querySelectorAll(".chooser"), function (chooser) {
    var select = chooser.querySelector(".chooser-select");
    var slide = chooser.closest(".slide");

    function show() {
      each(chooser.querySelectorAll(".choice"), function (choice) {
        choice.hidden = choice.getAttribute("data-choice") !== select.value;
      });
    }

    // The explorer's own control is hidden under a chooser; this one drives it.
    function follow() {
      var run = select.options[select.selectedIndex].getAttribute("data-run");
      var explorer = slide && slide.querySelector(".explorer-run");
      if (!explorer || explorer.value === run) return;
      if (!Array.prototype.some.call(explorer.options, function (o) { return o.value === run; })) return;
      explorer.value = run;
      explorer.dispatchEvent(new Event("change"));
    }

    select.addEventListener("change", function () { show(); follow(); });
    chooser.querySelector(".chooser-control").hidden = false;
    chooser.classList.add("is-choosing");
    show();
    follow(); // a select the browser restored on reload may differ from the page's default
  });
})();
