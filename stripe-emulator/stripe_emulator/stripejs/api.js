// Talking to the emulator: its base URL (from this script's own src), form encoding in
// Stripe's bracket syntax, and results in Stripe.js's `{error: {...}}` shape.

var SCRIPT_PATH = /\/(?:v3\/?|endive\/stripe\.js)(?:\?.*)?$/;

function findBaseUrl() {
  var src = document.currentScript && document.currentScript.src;
  if (!src || !SCRIPT_PATH.test(src)) {
    var scripts = document.querySelectorAll("script[src]");
    for (var i = 0; i < scripts.length; i++) {
      if (SCRIPT_PATH.test(scripts[i].src)) { src = scripts[i].src; break; }
    }
  }
  if (!src) { return window.location.origin; }
  return src.replace(SCRIPT_PATH, "");
}

var BASE_URL = findBaseUrl();

function IntegrationError(message) {
  var error = new Error(message);
  error.name = "IntegrationError";
  return error;
}

function encodeForm(params, prefix, pairs) {
  pairs = pairs || [];
  Object.keys(params).forEach(function (key) {
    var value = params[key];
    var name = prefix ? prefix + "[" + key + "]" : key;
    if (value === undefined || value === null) { return; }
    if (typeof value === "object") {
      encodeForm(value, name, pairs);
    } else {
      pairs.push(encodeURIComponent(name) + "=" + encodeURIComponent(String(value)));
    }
  });
  return pairs;
}

// The publishable key travels as the `key` form param, as Stripe.js sends it: with the
// form content type the browser needs no CORS preflight.
function apiRequest(publishableKey, method, path, params) {
  var body = encodeForm(Object.assign({ key: publishableKey }, params || {})).join("&");
  var url = BASE_URL + path;
  var init = { method: method, headers: { "Content-Type": "application/x-www-form-urlencoded" } };
  if (method === "GET") { url += "?" + body; } else { init.body = body; }
  return fetch(url, init).then(
    function (response) {
      return response.json().then(function (json) {
        return response.ok ? { body: json } : { error: json.error || unknownError(response.status) };
      }, function () { return { error: unknownError(response.status) }; });
    },
    function (cause) {
      return {
        error: {
          type: "api_connection_error",
          message: "We could not reach the payment service. Check your connection and try again. (" + cause.message + ")",
        },
      };
    }
  );
}

function unknownError(status) {
  return { type: "api_error", message: "Unexpected response from the payment service (HTTP " + status + ")." };
}

function intentIdFrom(clientSecret) {
  var match = /^(pi_[A-Za-z0-9]+)_secret_/.exec(clientSecret || "");
  if (!match) {
    throw IntegrationError("Invalid value for clientSecret: expected a PaymentIntent client secret (pi_..._secret_...), got " + JSON.stringify(clientSecret) + ".");
  }
  return match[1];
}
