// The latent explorer under a slide's figure: the latent plane with the training codes on it,
// and the run's decoder running here (static/decoder.js), so that pointing anywhere on the
// plane shows what the model draws there. A click (or tap) pins a point; a second one shows
// the images along the segment between the two pins.
//
// Progressive enhancement: the panel is hidden in the HTML and shown here, so without
// JavaScript a slide is its static figure. A run's decoder is a data file next to the page
// (decoder-<run>.js, written by report/explorer.py), added as a script only once the page has
// loaded and the panel comes near the window: a script loads from disk as well as from a server,
// where fetch would refuse file:// URLs.
(function () {
  "use strict";
  var started = performance.now();
  var elements = Array.prototype.slice.call(document.querySelectorAll(".explorer"));
  if (!elements.length || !window.tp5Decoder) return;

  var sources = {}; // run id -> its data file, relative to the page
  var loads = {}; // run id -> Promise of {decoder, data}
  var colours = null; // the stylesheet's, read when a first panel is drawn
  var NUDGE = 1 / 40; // Shift + arrow moves the point by this share of the plane
  var MOVES = { ArrowLeft: [-1, 0], ArrowRight: [1, 0], ArrowUp: [0, 1], ArrowDown: [0, -1] };
  var GAP = 1; // pixels between the images of the interpolation strip

  // ---- loading ---------------------------------------------------------------------------

  function stored(id) { return (window.tp5Decoders || {})[id]; }

  function load(id) {
    if (!loads[id]) {
      loads[id] = new Promise(function (resolve, reject) {
        function ready() {
          try {
            if (!stored(id)) throw new Error("no decoder for run " + id);
            resolve({ decoder: window.tp5Decoder.load(stored(id)), data: stored(id) });
          } catch (error) { reject(error); }
        }
        if (stored(id) || !sources[id]) return ready();
        var script = document.createElement("script");
        script.src = sources[id];
        script.onload = ready;
        script.onerror = function () { reject(new Error("could not load " + sources[id])); };
        document.head.appendChild(script);
      });
    }
    return loads[id];
  }

  function afterPageLoad(fn) {
    if (document.readyState === "complete") fn();
    else window.addEventListener("load", fn, { once: true });
  }

  // ---- geometry: latent z <-> CSS pixels of the square plane -----------------------------

  function clamp(v, low, high) { return Math.min(high, Math.max(low, v)); }

  function toLatent(p, event) {
    var box = p.plane.getBoundingClientRect(), e = p.model.data.extent;
    var fx = clamp((event.clientX - box.left) / box.width, 0, 1);
    var fy = clamp((event.clientY - box.top) / box.height, 0, 1);
    return [e[0] + fx * (e[1] - e[0]), e[3] - fy * (e[3] - e[2])];
  }

  function toPlane(p, z) {
    var e = p.model.data.extent;
    return [(z[0] - e[0]) / (e[1] - e[0]) * p.size, (e[3] - z[1]) / (e[3] - e[2]) * p.size];
  }

  function number(v) { return (Math.abs(v) < 0.005 ? 0 : v).toFixed(2).replace("-", "\u2212"); }

  function tick(v) { return String(v).replace("-", "\u2212"); } // already round (Python chose it)

  function nearest(p, z) {
    var d = p.model.data, e = d.extent, sx = e[1] - e[0], sy = e[3] - e[2];
    var best = 0, distance = Infinity;
    d.points.forEach(function (q, i) {
      var dx = (q[0] - z[0]) / sx, dy = (q[1] - z[1]) / sy;
      if (dx * dx + dy * dy < distance) { distance = dx * dx + dy * dy; best = i; }
    });
    return d.classes[d.labels[best]];
  }

  // ---- drawing ---------------------------------------------------------------------------

  // The stylesheet's figure colours (#rrggbb custom properties): the panel looks like the static
  // figures, ink on a light card, in a dark page too.
  function readColours() {
    var style = getComputedStyle(document.documentElement);
    function css(name, fallback) { return style.getPropertyValue(name).trim() || fallback; }
    function rgb(hex) {
      return [1, 3, 5].map(function (i) { return parseInt(hex.slice(i, i + 2), 16); });
    }
    var found = { ink: css("--figure-ink", "#1f2328"), accent: css("--figure-accent", "#1d5fd1"),
                  muted: css("--figure-muted", "#5f6b7a"), line: css("--figure-line", "#e3e6ea"),
                  paper: css("--figure-paper", "#ffffff") };
    found.inkRGB = rgb(found.ink);
    found.lineRGB = rgb(found.line);
    return found;
  }

  // Decoded samples (values in [0, 1]) side by side as h x w pictures, with a line's width of
  // the stylesheet's --line between them. shape is the data's [h, w, c]: a sample holds its
  // pixels row by row and a pixel's c channels in turn. One channel (grey, binary) is ink on
  // paper as on the static slides, 1 darkest; three are the picture's own colours.
  function paint(canvas, images, shape) {
    var h = shape[0], w = shape[1], channels = shape[2] || 1;
    var width = images.length * (w + GAP) - GAP;
    if (canvas.width !== width || canvas.height !== h) { canvas.width = width; canvas.height = h; }
    var context = canvas.getContext("2d"), picture = context.createImageData(width, h);
    var px = picture.data, ink = colours.inkRGB, line = colours.lineRGB;
    for (var o = 0; o < px.length; o += 4) {
      px[o] = line[0]; px[o + 1] = line[1]; px[o + 2] = line[2]; px[o + 3] = 255;
    }
    images.forEach(function (x, k) {
      for (var r = 0; r < h; r++) {
        for (var c = 0; c < w; c++) {
          var from = (r * w + c) * channels, at = 4 * (r * width + k * (w + GAP) + c);
          for (var q = 0; q < 3; q++) {
            var v = clamp(x[from + (channels === 3 ? q : 0)], 0, 1);
            px[at + q] = channels === 3 ? 255 * v : 255 + v * (ink[q] - 255);
          }
        }
      }
    });
    context.putImageData(picture, 0, 0);
  }

  // The plane without the pointer: grid, values, training codes, labels. Drawn once per size.
  function drawBase(p, dpr) {
    var d = p.model.data, size = p.size, glyphs = d.kind === "glyphs";
    var canvas = document.createElement("canvas");
    canvas.width = canvas.height = Math.round(size * dpr);
    var g = canvas.getContext("2d");
    g.scale(dpr, dpr);
    g.fillStyle = colours.paper;
    g.fillRect(0, 0, size, size);
    g.strokeStyle = colours.line;
    g.fillStyle = colours.muted;
    g.font = "11px system-ui, sans-serif";
    d.ticks[0].forEach(function (v) {
      var x = Math.round(toPlane(p, [v, 0])[0]) + 0.5;
      g.beginPath(); g.moveTo(x, 0); g.lineTo(x, size); g.stroke();
      g.fillText(tick(v), x + 3, size - 5);
    });
    d.ticks[1].forEach(function (v) {
      var y = Math.round(toPlane(p, [0, v])[1]) + 0.5;
      g.beginPath(); g.moveTo(0, y); g.lineTo(size, y); g.stroke();
      g.fillText(tick(v), 4, y - 4);
    });
    g.globalAlpha = glyphs ? 1 : 0.5;
    var radius = glyphs ? 3 : d.points.length < 300 ? 2.5 : 1.6; // a few points: larger dots
    d.points.forEach(function (q, i) {
      var c = toPlane(p, q);
      g.fillStyle = d.colours[d.labels[i] % d.colours.length];
      g.beginPath(); g.arc(c[0], c[1], radius, 0, 2 * Math.PI); g.fill();
    });
    g.globalAlpha = 1;
    // each character beside its code; each other class at its mean code; none unlabelled
    g.font = "bold " + (glyphs ? 12 : 15) + "px system-ui, sans-serif";
    g.textAlign = glyphs ? "left" : "center";
    g.textBaseline = glyphs ? "bottom" : "middle";
    g.lineJoin = "round";
    g.lineWidth = 3;
    g.strokeStyle = colours.paper;
    d.marks.forEach(function (m) {
      var c = toPlane(p, m), x = glyphs ? c[0] + 3 : c[0], y = glyphs ? c[1] - 2 : c[1];
      g.strokeText(m[2], x, y);
      g.fillStyle = d.colours[Math.max(0, d.classes.indexOf(m[2])) % d.colours.length];
      g.fillText(m[2], x, y);
    });
    return canvas;
  }

  function dot(g, c, radius, fill, stroke) {
    g.beginPath(); g.arc(c[0], c[1], radius, 0, 2 * Math.PI);
    if (fill) { g.fillStyle = fill; g.fill(); }
    if (stroke) { g.strokeStyle = stroke; g.stroke(); }
  }

  // Pins, the segment between them, and the point being decoded.
  function drawOverlay(p, g) {
    var steps = p.model.data.steps;
    if (p.pins.length === 2) {
      var a = toPlane(p, p.pins[0]), b = toPlane(p, p.pins[1]);
      g.strokeStyle = colours.accent; g.lineWidth = 2; g.setLineDash([5, 4]);
      g.beginPath(); g.moveTo(a[0], a[1]); g.lineTo(b[0], b[1]); g.stroke();
      g.setLineDash([]);
      for (var k = 1; k < steps - 1; k++) {
        var t = k / (steps - 1);
        dot(g, [(1 - t) * a[0] + t * b[0], (1 - t) * a[1] + t * b[1]], 2.5, colours.accent);
      }
    }
    g.lineWidth = 2;
    g.font = "bold 11px system-ui, sans-serif"; g.textAlign = "center"; g.textBaseline = "middle";
    p.pins.forEach(function (z, k) {
      var c = toPlane(p, z);
      dot(g, c, 8, colours.accent, colours.paper);
      g.fillStyle = colours.paper; g.fillText(String(k + 1), c[0], c[1] + 0.5);
    });
    var c = toPlane(p, p.z);
    g.lineWidth = 1.5;
    dot(g, c, 7, null, colours.ink);
    g.beginPath(); // four short arms outside the ring
    [[1, 0], [-1, 0], [0, 1], [0, -1]].forEach(function (arm) {
      g.moveTo(c[0] + 4 * arm[0], c[1] + 4 * arm[1]);
      g.lineTo(c[0] + 12 * arm[0], c[1] + 12 * arm[1]);
    });
    g.stroke();
  }

  function render(p) {
    p.frame = 0;
    var size = p.plane.clientWidth;
    if (!p.model || !size) return;
    var dpr = window.devicePixelRatio || 1, pixels = Math.round(size * dpr);
    if (!p.base || p.size !== size || p.plane.width !== pixels) {
      p.size = size;
      p.plane.width = p.plane.height = pixels;
      p.base = drawBase(p, dpr);
    }
    var g = p.plane.getContext("2d");
    g.setTransform(1, 0, 0, 1, 0, 0);
    g.drawImage(p.base, 0, 0);
    g.setTransform(dpr, 0, 0, dpr, 0, 0);
    drawOverlay(p, g);
    paint(p.image, [window.tp5Decoder.decode(p.model.decoder, p.z)], p.model.data.image);
    p.readout.textContent = "z\u2081 " + number(p.z[0]) + " \u00b7 z\u2082 " + number(p.z[1]) +
      (p.model.data.labelled === false ? "" :
        " \u00b7 nearest training code: \u201c" + nearest(p, p.z) + "\u201d");
  }

  function schedule(p) {
    if (!p.frame) p.frame = requestAnimationFrame(function () { render(p); });
  }

  // ---- pins ------------------------------------------------------------------------------

  function pin(p, z) {
    p.pins = p.pins.length === 1 ? [p.pins[0], z.slice()] : [z.slice()];
    p.path.hidden = p.pins.length < 2;
    if (p.pins.length === 2) {
      var a = p.pins[0], b = p.pins[1], steps = p.model.data.steps, images = [];
      for (var k = 0; k < steps; k++) {
        var t = k / (steps - 1);
        var point = [(1 - t) * a[0] + t * b[0], (1 - t) * a[1] + t * b[1]]; // as NumPy's
        images.push(window.tp5Decoder.decode(p.model.decoder, point));
      }
      paint(p.strip, images, p.model.data.image);
      p.caption.textContent = "From pin 1 (" + number(a[0]) + ", " + number(a[1]) + ") to pin 2 (" +
        number(b[0]) + ", " + number(b[1]) + "), " + steps + " steps.";
    }
    schedule(p);
  }

  function unpin(p) {
    p.pins = [];
    p.path.hidden = true;
    schedule(p);
  }

  // ---- a panel ---------------------------------------------------------------------------

  // The panel's state, for the stylesheet and tests ("loading", "ready", "failed"), and a
  // sentence for people.
  function say(p, state, text) {
    p.el.setAttribute("data-state", state);
    p.status.textContent = text;
  }

  function activate(p) {
    if (p.loading === p.run) return;
    var run = p.loading = p.run;
    say(p, "loading", "Loading the decoder\u2026");
    load(run).then(function (model) {
      if (p.run !== run) return; // another run was chosen meanwhile
      colours = colours || readColours();
      var e = model.data.extent;
      p.model = model;
      p.base = null;
      p.z = p.z || [(e[0] + e[1]) / 2, (e[2] + e[3]) / 2];
      p.z = [clamp(p.z[0], e[0], e[1]), clamp(p.z[1], e[2], e[3])];
      unpin(p);
      say(p, "ready", "");
    }, function (error) {
      say(p, "failed", "The decoder could not be loaded: " + error.message + ".");
    });
  }

  function setup(el) {
    var p = {
      el: el, run: el.getAttribute("data-run"), model: null, loading: null, z: null, pins: [],
      base: null, size: 0, frame: 0,
      plane: el.querySelector(".explorer-plane"), image: el.querySelector(".explorer-image"),
      readout: el.querySelector(".explorer-readout"), path: el.querySelector(".explorer-path"),
      strip: el.querySelector(".explorer-strip"),
      caption: el.querySelector(".explorer-path-caption"),
      status: el.querySelector(".explorer-status"), select: el.querySelector(".explorer-run")
    };
    sources[p.run] = el.getAttribute("data-src");
    var plane = p.plane;
    plane.addEventListener("pointerdown", function (event) {
      activate(p);
      if (!p.model) return;
      if (event.pointerType !== "mouse") plane.setPointerCapture(event.pointerId); // a finger drags
      p.z = toLatent(p, event);
      schedule(p);
    });
    plane.addEventListener("pointermove", function (event) {
      if (!p.model) return;
      p.z = toLatent(p, event);
      schedule(p);
    });
    plane.addEventListener("click", function (event) {
      if (!p.model) return;
      p.z = toLatent(p, event);
      pin(p, p.z);
    });
    plane.addEventListener("keydown", function (event) {
      if (!p.model || event.altKey || event.ctrlKey || event.metaKey) return;
      var move = MOVES[event.key], e = p.model.data.extent;
      if (move && event.shiftKey) { // plain arrows still move between slides
        p.z = [clamp(p.z[0] + move[0] * NUDGE * (e[1] - e[0]), e[0], e[1]),
               clamp(p.z[1] + move[1] * NUDGE * (e[3] - e[2]), e[2], e[3])];
        schedule(p);
      } else if (event.key === "Enter" || event.key === " ") {
        pin(p, p.z);
      } else if (event.key === "Escape") {
        unpin(p);
      } else {
        return;
      }
      event.preventDefault();
    });
    plane.addEventListener("focus", function () { activate(p); });
    el.addEventListener("pointerenter", function () { activate(p); });
    if (p.select) {
      Array.prototype.forEach.call(p.select.options, function (option) {
        sources[option.value] = option.getAttribute("data-src");
      });
      p.run = p.select.value; // chooser.js may have changed it before this ran
      p.select.addEventListener("change", function () {
        p.run = p.select.value;
        p.model = null;
        activate(p);
      });
    }
    el.hidden = false;
    return p;
  }

  var panels = elements.map(setup);

  if ("IntersectionObserver" in window) {
    var observer = new IntersectionObserver(function (entries) {
      entries.forEach(function (entry) {
        if (!entry.isIntersecting) return;
        observer.unobserve(entry.target);
        var p = panels[elements.indexOf(entry.target)];
        afterPageLoad(function () { activate(p); });
      });
    }, { rootMargin: "50% 0px" });
    elements.forEach(function (el) { observer.observe(el); });
  }
  window.addEventListener("resize", function () {
    panels.forEach(function (p) { if (p.model) { p.base = null; schedule(p); } });
  });

  // For tests and the console: decode(run id, [z1, z2]) resolves to the pixel values.
  window.tp5Explorer = {
    load: load,
    decode: function (id, z) {
      return load(id).then(function (m) {
        return Array.from(window.tp5Decoder.decode(m.decoder, z));
      });
    },
    initMs: performance.now() - started
  };
})();
