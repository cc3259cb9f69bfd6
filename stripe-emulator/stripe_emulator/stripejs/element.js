// One mounted Element ("payment" or "card"): labelled card fields in a shadow root, inline
// validation, and Stripe.js's events (ready, change, focus, blur, escape).

var ELEMENT_TYPES = { payment: true, card: true };

function Element(group, type, options) {
  this._group = group;
  this._type = type;
  this._options = options || {};
  this._handlers = {};
  this._host = null;
  this._fields = null;
  this._ready = false;
  this._destroyed = false;
}

Element.prototype.on = function (event, handler) {
  (this._handlers[event] = this._handlers[event] || []).push(handler);
  // Stripe's iframe takes a while to load; ours is instant, so a listener attached just after
  // mounting (as React does, in an effect) still hears about readiness.
  if (event === "ready" && this._ready) {
    var self = this;
    setTimeout(function () { handler({ elementType: self._type }); }, 0);
  }
  return this;
};

Element.prototype.once = function (event, handler) {
  var self = this;
  function wrapper(payload) { self.off(event, wrapper); handler(payload); }
  return this.on(event, wrapper);
};

Element.prototype.off = function (event, handler) {
  var list = this._handlers[event] || [];
  this._handlers[event] = handler ? list.filter(function (h) { return h !== handler; }) : [];
  return this;
};

Element.prototype._emit = function (event, payload) {
  (this._handlers[event] || []).slice().forEach(function (handler) { handler(payload); });
};

Element.prototype.mount = function (target) {
  if (this._destroyed) { throw IntegrationError("This Element has been destroyed and cannot be mounted."); }
  var node = typeof target === "string" ? document.querySelector(target) : target;
  if (!node || !node.appendChild) {
    throw IntegrationError("Invalid DOM element. Make sure to call mount() with a valid DOM element or selector.");
  }
  if (this._host) { this.unmount(); }
  this._host = document.createElement("div");
  this._host.className = "StripeElement StripeElement--empty";
  node.appendChild(this._host);
  var root = this._host.attachShadow({ mode: "open" });
  root.innerHTML = "<style>" + FIELD_CSS + "</style>" + (this._type === "card" ? CARD_ROW_HTML : PAYMENT_HTML);
  this._root = root;
  this._fields = {
    number: root.querySelector("input[name=number]"),
    expiry: root.querySelector("input[name=expiry]"),
    cvc: root.querySelector("input[name=cvc]"),
  };
  this._applyAppearance();
  this._wireInputs();
  this._emit("loaderstart", { elementType: this._type });
  var self = this;
  this._group._checkIntent().then(function (error) {
    if (self._destroyed) { return; }
    if (error) {
      self._showGeneralError(error.message);
      self._emit("loaderror", { elementType: self._type, error: error });
      return;
    }
    self._ready = true;
    self._emit("ready", { elementType: self._type });
  });
  return this;
};

var PAYMENT_HTML = [
  '<div class="se-method" aria-hidden="true"><svg width="20" height="14" viewBox="0 0 20 14" fill="none">',
  '  <rect x="0.75" y="0.75" width="18.5" height="12.5" rx="2" stroke="currentColor" stroke-width="1.5"/>',
  '  <rect x="1" y="3.5" width="18" height="2.5" fill="currentColor"/></svg>Card</div>',
  '<div class="se-grid">',
  '  <div class="se-field se-wide"><label for="se-number">Card number</label>',
  '    <div class="se-input-wrap"><input id="se-number" name="number" inputmode="numeric" autocomplete="cc-number"',
  '      placeholder="1234 1234 1234 1234" aria-describedby="se-number-error" spellcheck="false">',
  '      <span class="se-brand" aria-live="polite"></span></div>',
  '    <div class="se-error" id="se-number-error" role="alert"></div></div>',
  '  <div class="se-field"><label for="se-expiry">Expiration date</label>',
  '    <input id="se-expiry" name="expiry" inputmode="numeric" autocomplete="cc-exp" placeholder="MM / YY"',
  '      aria-describedby="se-expiry-error">',
  '    <div class="se-error" id="se-expiry-error" role="alert"></div></div>',
  '  <div class="se-field"><label for="se-cvc">Security code</label>',
  '    <input id="se-cvc" name="cvc" inputmode="numeric" autocomplete="cc-csc" placeholder="CVC"',
  '      aria-describedby="se-cvc-error">',
  '    <div class="se-error" id="se-cvc-error" role="alert"></div></div>',
  '</div>',
  '<div class="se-general" role="alert"></div>',
  '<div class="se-note">Test mode (offline emulator): use a Stripe test card such as 4242 4242 4242 4242.</div>',
].join("\n");

var CARD_ROW_HTML = [
  '<div class="se-row">',
  '  <div class="se-input-wrap"><input name="number" aria-label="Card number" inputmode="numeric"',
  '    autocomplete="cc-number" placeholder="Card number" aria-describedby="se-number-error">',
  '    <span class="se-brand" aria-live="polite"></span></div>',
  '  <input name="expiry" aria-label="Expiration date" inputmode="numeric" autocomplete="cc-exp"',
  '    placeholder="MM / YY" aria-describedby="se-expiry-error">',
  '  <input name="cvc" aria-label="Security code" inputmode="numeric" autocomplete="cc-csc"',
  '    placeholder="CVC" aria-describedby="se-cvc-error">',
  '</div>',
  '<div class="se-error" id="se-number-error" role="alert"></div>',
  '<div class="se-error" id="se-expiry-error" role="alert"></div>',
  '<div class="se-error" id="se-cvc-error" role="alert"></div>',
  '<div class="se-general" role="alert"></div>',
].join("\n");

Element.prototype._applyAppearance = function () {
  if (!this._host) { return; }
  var variables = themeVariables(this._group._options.appearance);
  this._host.setAttribute("style", cssCustomProperties(variables));
};

Element.prototype._wireInputs = function () {
  var self = this;
  var fields = this._fields;
  fields.number.addEventListener("input", function () {
    fields.number.value = formatNumber(onlyDigits(fields.number.value));
    self._refresh("typing");
  });
  fields.expiry.addEventListener("input", function (event) {
    var deleting = event.inputType && event.inputType.indexOf("delete") === 0;
    fields.expiry.value = formatExpiry(fields.expiry.value, deleting);
    self._refresh("typing");
  });
  fields.cvc.addEventListener("input", function () {
    fields.cvc.value = onlyDigits(fields.cvc.value).slice(0, cvcLength(self._brand()));
    self._refresh("typing");
  });
  Object.keys(fields).forEach(function (name) {
    fields[name].addEventListener("focus", function () { self._emit("focus", { elementType: self._type }); });
    fields[name].addEventListener("blur", function () {
      self._refresh("blur", name);
      self._emit("blur", { elementType: self._type });
    });
    fields[name].addEventListener("keydown", function (event) {
      if (event.key === "Escape") { self._emit("escape", { elementType: self._type }); }
    });
  });
};

Element.prototype._digits = function () {
  return {
    number: onlyDigits(this._fields.number.value),
    expiry: onlyDigits(this._fields.expiry.value),
    cvc: onlyDigits(this._fields.cvc.value),
  };
};

Element.prototype._brand = function () {
  return cardBrand(onlyDigits(this._fields.number.value));
};

Element.prototype._problems = function (mode) {
  var digits = this._digits();
  return {
    number: checkNumber(digits.number, mode),
    expiry: checkExpiry(digits.expiry, mode),
    cvc: checkCvc(digits.cvc, cardBrand(digits.number), mode),
  };
};

// Re-validates, shows inline errors (only for `onlyField` on blur), fires "change".
Element.prototype._refresh = function (mode, onlyField) {
  var problems = this._problems(mode);
  var strict = this._problems("submit");
  var self = this;
  Object.keys(problems).forEach(function (name) {
    if (mode === "blur" && onlyField && name !== onlyField) { return; }
    if (mode === "typing" && !problems[name]) {
      var shown = self._root.getElementById("se-" + name + "-error").textContent;
      if (shown && !strict[name]) { self._showFieldError(name, null); }
      return;
    }
    self._showFieldError(name, problems[name]);
  });
  this._showGeneralError("");
  var digits = this._digits();
  var empty = !digits.number && !digits.expiry && !digits.cvc;
  var complete = !strict.number && !strict.expiry && !strict.cvc;
  var brand = this._brand();
  this._root.querySelector(".se-brand").textContent = BRAND_LABELS[brand];
  this._host.classList.toggle("StripeElement--empty", empty);
  this._host.classList.toggle("StripeElement--complete", complete);
  var firstProblem = problems.number || problems.expiry || problems.cvc;
  this._host.classList.toggle("StripeElement--invalid", Boolean(firstProblem));
  var event = { elementType: this._type, empty: empty, complete: complete };
  if (this._type === "payment") {
    event.collapsed = false;
    event.value = { type: "card" };
  } else {
    event.brand = brand;
    event.error = firstProblem || undefined;
    event.value = { postalCode: "" };
  }
  this._emit("change", event);
};

Element.prototype._showFieldError = function (name, problem) {
  var input = this._fields[name];
  var box = this._root.getElementById("se-" + name + "-error");
  box.textContent = problem ? problem.message : "";
  input.setAttribute("aria-invalid", problem ? "true" : "false");
};

Element.prototype._showGeneralError = function (message) {
  var box = this._root && this._root.querySelector(".se-general");
  if (box) { box.textContent = message || ""; }
};

// Shows an API error where it belongs: on its field when it names one, else below.
Element.prototype._showApiError = function (error) {
  var field = { number: "number", exp_month: "expiry", exp_year: "expiry", cvc: "cvc" }[error.param];
  if (field && error.type === "card_error" && /^(invalid|incorrect)_/.test(error.code || "")) {
    this._showFieldError(field, error);
  } else {
    this._showGeneralError(error.message);
  }
};

// Validates for submission; returns the first error in Stripe.js's shape, or null.
Element.prototype._validate = function () {
  if (!this._fields) {
    return { type: "validation_error", code: "element_not_mounted", message: "The Payment Element is not mounted yet." };
  }
  var problems = this._problems("submit");
  var self = this;
  Object.keys(problems).forEach(function (name) { self._showFieldError(name, problems[name]); });
  return problems.number || problems.expiry || problems.cvc || null;
};

Element.prototype._cardParams = function () {
  var digits = this._digits();
  return {
    number: digits.number,
    exp_month: Number(digits.expiry.slice(0, 2)),
    exp_year: 2000 + Number(digits.expiry.slice(2, 4)),
    cvc: digits.cvc,
  };
};

Element.prototype._setBusy = function (busy) {
  if (!this._fields) { return; }
  var fields = this._fields;
  Object.keys(fields).forEach(function (name) { fields[name].disabled = busy; });
};

Element.prototype.update = function (options) {
  Object.assign(this._options, options || {});
  return this;
};

Element.prototype.focus = function () { if (this._fields) { this._fields.number.focus(); } return this; };
Element.prototype.blur = function () { if (this._root && this._root.activeElement) { this._root.activeElement.blur(); } return this; };
Element.prototype.collapse = function () { return this; };

Element.prototype.clear = function () {
  if (!this._fields) { return this; }
  var fields = this._fields;
  var self = this;
  Object.keys(fields).forEach(function (name) { fields[name].value = ""; self._showFieldError(name, null); });
  this._refresh("typing");
  return this;
};

Element.prototype.unmount = function () {
  if (this._host && this._host.parentNode) { this._host.parentNode.removeChild(this._host); }
  this._host = null;
  this._fields = null;
  this._root = null;
  this._ready = false;
  return this;
};

Element.prototype.destroy = function () {
  this.unmount();
  this._destroyed = true;
  this._handlers = {};
  this._group._forget(this);
  return this;
};
