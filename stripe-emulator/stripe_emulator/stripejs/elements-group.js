// `stripe.elements({clientSecret, appearance, ...})`: creates Elements and validates them.

function ElementsGroup(stripe, options) {
  this._stripe = stripe;
  this._options = Object.assign({}, options || {});
  this._elements = {};
  this._intentCheck = null;
}

ElementsGroup.prototype.create = function (type, options) {
  if (!ELEMENT_TYPES[type]) {
    throw IntegrationError("Unsupported Element type: " + JSON.stringify(type) + ". The offline emulator supports \"payment\" and \"card\".");
  }
  if (this._elements[type]) {
    throw IntegrationError("Can only create one Element of type " + type + ".");
  }
  var element = new Element(this, type, options);
  this._elements[type] = element;
  return element;
};

ElementsGroup.prototype.getElement = function (type) {
  return this._elements[type] || null;
};

ElementsGroup.prototype._forget = function (element) {
  if (this._elements[element._type] === element) { delete this._elements[element._type]; }
};

ElementsGroup.prototype._mainElement = function () {
  return this._elements.payment || this._elements.card || null;
};

ElementsGroup.prototype.update = function (options) {
  Object.assign(this._options, options || {});
  var elements = this._elements;
  Object.keys(elements).forEach(function (type) { elements[type]._applyAppearance(); });
  return this;
};

ElementsGroup.prototype.fetchUpdates = function () {
  return Promise.resolve({});
};

// Checks the fields before confirming, as Stripe requires with deferred intents.
ElementsGroup.prototype.submit = function () {
  var element = this._mainElement();
  if (!element) {
    return Promise.resolve({ error: { type: "validation_error", code: "no_element", message: "No Payment Element is mounted." } });
  }
  var error = element._validate();
  return Promise.resolve(error ? { error: error } : { selectedPaymentMethod: "card" });
};

// With a clientSecret, the Payment Element loads the intent first: a wrong secret or key
// shows up as a `loaderror`, as with Stripe.
ElementsGroup.prototype._checkIntent = function () {
  var secret = this._options.clientSecret;
  if (!secret) { return Promise.resolve(null); }
  if (!this._intentCheck) {
    var stripe = this._stripe;
    this._intentCheck = Promise.resolve().then(function () {
      return stripe._retrieveIntent(secret);
    }).then(function (result) { return result.error || null; }, function (error) {
      return { type: "invalid_request_error", message: error.message };
    });
  }
  return this._intentCheck;
};
