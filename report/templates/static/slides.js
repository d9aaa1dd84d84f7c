// Keyboard navigation between slides, as progressive enhancement: without this file the page
// is an ordinary scroll. Right / Page Down go to the next slide, Left / Page Up to the previous.
// It also shows "the figure continues to the right" under each figure whose box scrolls sideways
// on this screen, and only there: checked again when the window's width changes, or a chooser
// shows another figure.
(function () {
  "use strict";
  function hints() {
    Array.prototype.forEach.call(document.querySelectorAll(".figure-hint"), function (hint) {
      var box = hint.parentNode.querySelector(".figure-link");
      hint.hidden = !box || box.scrollWidth <= box.clientWidth + 1;
    });
  }
  hints();
  window.addEventListener("load", hints);
  window.addEventListener("resize", hints);
  document.addEventListener("change", hints); // after a chooser's own listener: it bubbles here

  var slides = Array.prototype.slice.call(document.querySelectorAll(".slide"));
  if (!slides.length) return;
  document.documentElement.classList.add("js");

  var pending = null; // the slide a key press scrolled to, until the scroll ends
  window.addEventListener("scrollend", function () { pending = null; });

  // The slide being read: the last one whose top has passed the upper third of the window.
  function current() {
    if (pending !== null) return pending;
    var line = window.innerHeight / 3, found = 0;
    slides.forEach(function (slide, i) {
      if (slide.getBoundingClientRect().top <= line) found = i;
    });
    return found;
  }

  function go(i) {
    i = Math.max(0, Math.min(slides.length - 1, i));
    var still = window.matchMedia("(prefers-reduced-motion: reduce)").matches;
    pending = i;
    slides[i].scrollIntoView({ behavior: still ? "auto" : "smooth", block: "start" });
    slides.forEach(function (slide, k) { slide.classList.toggle("is-current", k === i); });
    try { history.replaceState(null, "", "#" + slides[i].id); } catch (e) { /* file:// */ }
  }

  var STEPS = { ArrowRight: 1, PageDown: 1, ArrowLeft: -1, PageUp: -1 };
  document.addEventListener("keydown", function (event) {
    var step = STEPS[event.key];
    if (!step || event.altKey || event.ctrlKey || event.metaKey || event.shiftKey) return;
    if (event.target.closest && event.target.closest("input, textarea, select, [contenteditable]")) return;
    event.preventDefault();
    go(current() + step);
  });
})();
