// A decoder's forward pass in the browser, the arithmetic of nets/: dense layers
// a = f(a W + b), then the output activation (the sigmoid of a VAE or of a cross-entropy
// autoencoder, whose last layer gives logits), then the map of the training's pixel range
// [low, high] back to [0, 1] (tanh outputs of a run trained on {-1, 1} pixels), so a picture
// shows what the static figures show. It reads the data files report/explorer.py writes:
// layer sizes and activations, the output activation and pixel range, and every W
// (n_in x n_out, row-major) and b as little-endian float32 in base64. Sums run in double
// precision, like NumPy's float64.
(function () {
  "use strict";

  var ACTIVATIONS = {
    identity: function (z) { return z; },
    sigmoid: function (z) { return 1 / (1 + Math.exp(-z)); },
    tanh: Math.tanh,
    relu: function (z) { return z > 0 ? z : 0; }
  };

  function activation(name) {
    var f = ACTIVATIONS[name];
    if (!f) throw new Error("unknown activation " + name);
    return f;
  }

  var LITTLE_ENDIAN = new Uint8Array(new Uint16Array([1]).buffer)[0] === 1;

  // base64 of little-endian float32 -> Float32Array (viewed in place where the machine's order
  // is little-endian, as on every common CPU; read through a DataView elsewhere).
  function floats(text) {
    var bytes = atob(text), n = bytes.length;
    var raw = new Uint8Array(n);
    for (var i = 0; i < n; i++) raw[i] = bytes.charCodeAt(i);
    if (LITTLE_ENDIAN) return new Float32Array(raw.buffer);
    var view = new DataView(raw.buffer), out = new Float32Array(n / 4);
    for (var k = 0; k < out.length; k++) out[k] = view.getFloat32(4 * k, true);
    return out;
  }

  // A data file's object -> layers holding views into one array of weights.
  function load(data) {
    var all = floats(data.weights), at = 0;
    var layers = data.layers.map(function (spec) {
      var W = all.subarray(at, at += spec.n_in * spec.n_out);
      var b = all.subarray(at, at += spec.n_out);
      return { nIn: spec.n_in, nOut: spec.n_out, W: W, b: b, f: activation(spec.activation) };
    });
    if (at !== all.length) throw new Error("weights do not match the layer sizes");
    return { layers: layers, output: activation(data.output), low: data.pixels[0],
             span: data.pixels[1] - data.pixels[0], latent: layers[0].nIn };
  }

  // z (array of latent values) -> Float64Array of the decoded pixels, in [0, 1].
  function decode(decoder, z) {
    if (z.length !== decoder.latent) throw new Error("the decoder takes " + decoder.latent + " numbers");
    var a = Float64Array.from(z);
    decoder.layers.forEach(function (layer) {
      var n = layer.nOut, W = layer.W, out = Float64Array.from(layer.b);
      for (var i = 0; i < layer.nIn; i++) {
        var ai = a[i];
        if (ai === 0) continue; // relu zeros: nothing to add
        for (var j = 0, row = i * n; j < n; j++) out[j] += ai * W[row + j];
      }
      for (var k = 0; k < n; k++) out[k] = layer.f(out[k]);
      a = out;
    });
    var f = decoder.output, low = decoder.low, span = decoder.span;
    for (var j = 0; j < a.length; j++) a[j] = (f(a[j]) - low) / span;
    return a;
  }

  window.tp5Decoder = { load: load, decode: decode, activations: Object.keys(ACTIVATIONS) };
})();
