// `Stripe(publishableKey)`: the methods of Stripe.js that the ERP and
// @stripe/react-stripe-js use, speaking to the emulator.

var SUCCESSFUL_STATUSES = { succeeded: true, processing: true, requires_capture: true };

function Stripe(publishableKey, options) {
  if (!(this instanceof Stripe)) { return new Stripe(publishableKey, options); }
  if (typeof publishableKey !== "string" || !/^pk_test_/.test(publishableKey)) {
    throw IntegrationError("Invalid value for Stripe(): apiKey should be a test publishable key (pk_test_...). You specified: " + JSON.stringify(publishableKey) + ".");
  }
  this._key = publishableKey;
  this._options = options || {};
  this._wrappers = [];
  this._appInfo = null;
  this._groups = [];
}

Stripe.version = RELEASE_TRAIN;

Stripe.prototype._registerWrapper = function (wrapper) { this._wrappers.push(wrapper); };
Stripe.prototype.registerAppInfo = function (info) { this._appInfo = info; };

Stripe.prototype.elements = function (options) {
  var group = new ElementsGroup(this, options);
  this._groups.push(group);
  return group;
};

Stripe.prototype._request = function (method, path, params) {
  return apiRequest(this._key, method, path, params);
};

Stripe.prototype._retrieveIntent = function (clientSecret) {
  var id = intentIdFrom(clientSecret);
  return this._request("GET", "/v1/payment_intents/" + id, { client_secret: clientSecret }).then(function (result) {
    return result.error ? { error: result.error } : { paymentIntent: result.body };
  });
};

Stripe.prototype.retrievePaymentIntent = function (clientSecret) {
  return this._retrieveIntent(clientSecret);
};

Stripe.prototype._createCardMethod = function (element, billingDetails, metadata) {
  var params = { type: "card", card: element._cardParams() };
  if (billingDetails) { params.billing_details = billingDetails; }
  if (metadata) { params.metadata = metadata; }
  return this._request("POST", "/v1/payment_methods", params).then(function (result) {
    return result.error ? { error: result.error } : { paymentMethod: result.body };
  });
};

// Confirms, runs the 3D Secure challenge when asked to, and answers like Stripe.js.
Stripe.prototype._confirm = function (clientSecret, params, handleActions, appearance, card) {
  var self = this;
  var id = intentIdFrom(clientSecret);
  var body = Object.assign({ client_secret: clientSecret, use_stripe_sdk: true }, params);
  return this._request("POST", "/v1/payment_intents/" + id + "/confirm", body).then(function (result) {
    if (result.error) { return { error: result.error }; }
    var intent = result.body;
    if (intent.status === "requires_action" && handleActions) {
      return self._authenticate(intent, clientSecret, appearance, card);
    }
    return { paymentIntent: intent };
  });
};

Stripe.prototype._authenticate = function (intent, clientSecret, appearance, card) {
  var self = this;
  var chosen;
  return showChallenge(intent, card, appearance).then(function (choice) {
    chosen = choice;
    return fetch(BASE_URL + "/_emulator/payment_intents/" + intent.id + "/three_d_secure", {
      method: "POST",
      headers: { "Content-Type": "application/x-www-form-urlencoded" },
      body: encodeForm({ outcome: choice.outcome, client_secret: clientSecret }).join("&"),
    });
  }).then(function () {
    return self._retrieveIntent(clientSecret);
  }).then(function (result) {
    chosen.close();
    return outcomeOf(result);
  }, function (error) {
    if (chosen) { chosen.close(); }
    return { error: { type: "api_connection_error", message: error.message } };
  });
};

function outcomeOf(result) {
  if (result.error) { return result; }
  var intent = result.paymentIntent;
  if (SUCCESSFUL_STATUSES[intent.status] || !intent.last_payment_error) { return { paymentIntent: intent }; }
  return { error: Object.assign({}, intent.last_payment_error, { payment_intent: intent }) };
}

function returnUrlWith(returnUrl, intent, clientSecret) {
  var target = new URL(returnUrl, window.location.href);
  target.searchParams.set("payment_intent", intent.id);
  target.searchParams.set("payment_intent_client_secret", clientSecret);
  target.searchParams.set("redirect_status", intent.status === "succeeded" ? "succeeded" : intent.status);
  return target.toString();
}

Stripe.prototype.confirmPayment = function (options) {
  options = options || {};
  var elements = options.elements;
  if (!(elements instanceof ElementsGroup)) {
    throw IntegrationError("Invalid value for confirmPayment: elements should be an Elements group. You specified: " + typeof elements + ".");
  }
  var clientSecret = options.clientSecret || elements._options.clientSecret;
  intentIdFrom(clientSecret);
  var confirmParams = options.confirmParams || {};
  var redirect = options.redirect || "always";
  if (redirect === "always" && !confirmParams.return_url) {
    throw IntegrationError("stripe.confirmPayment(): the `confirmParams.return_url` argument is required unless passing `redirect: 'if_required'`");
  }
  var element = elements._mainElement();
  var invalid = element ? element._validate() : { type: "validation_error", code: "no_element", message: "No Payment Element is mounted." };
  if (invalid) { return Promise.resolve({ error: invalid }); }
  var self = this;
  var pmData = confirmParams.payment_method_data || {};
  element._setBusy(true);
  return this._createCardMethod(element, pmData.billing_details, pmData.metadata).then(function (created) {
    if (created.error) { return created; }
    var params = { payment_method: created.paymentMethod.id };
    if (confirmParams.return_url) { params.return_url = confirmParams.return_url; }
    if (confirmParams.receipt_email) { params.receipt_email = confirmParams.receipt_email; }
    return self._confirm(clientSecret, params, true, elements._options.appearance, created.paymentMethod.card);
  }).then(function (result) {
    element._setBusy(false);
    if (result.error) {
      element._showApiError(result.error);
      return result;
    }
    if (redirect === "always") {
      window.location.assign(returnUrlWith(confirmParams.return_url, result.paymentIntent, clientSecret));
      return new Promise(function () {});
    }
    return result;
  });
};

// confirmCardPayment(clientSecret, {payment_method: id | {card: element, billing_details}}, {handleActions})
Stripe.prototype.confirmCardPayment = function (clientSecret, data, options) {
  data = data || {};
  var handleActions = !options || options.handleActions !== false;
  var self = this;
  var method = data.payment_method;
  var element = method && method.card instanceof Element ? method.card : null;
  var appearance = element ? element._group._options.appearance : undefined;
  var params = {};
  if (data.return_url) { params.return_url = data.return_url; }
  if (data.receipt_email) { params.receipt_email = data.receipt_email; }
  var ready;
  if (element) {
    var invalid = element._validate();
    if (invalid) { return Promise.resolve({ error: invalid }); }
    ready = this._createCardMethod(element, method.billing_details);
  } else {
    ready = Promise.resolve(typeof method === "string" ? { paymentMethod: { id: method } } : {});
  }
  return ready.then(function (created) {
    if (created.error) { return created; }
    if (created.paymentMethod) { params.payment_method = created.paymentMethod.id; }
    return self._confirm(clientSecret, params, handleActions, appearance, created.paymentMethod && created.paymentMethod.card);
  }).then(function (result) {
    if (result.error && element) { element._showApiError(result.error); }
    return result;
  });
};

Stripe.prototype.handleNextAction = function (options) {
  var clientSecret = (options || {}).clientSecret;
  var self = this;
  return this._retrieveIntent(clientSecret).then(function (result) {
    if (result.error || result.paymentIntent.status !== "requires_action") { return outcomeOf(result); }
    return self._authenticate(result.paymentIntent, clientSecret);
  });
};

Stripe.prototype.handleCardAction = function (clientSecret) {
  return this.handleNextAction({ clientSecret: clientSecret });
};

// createPaymentMethod({type: "card", card: element, billing_details}) or ({elements, params}).
Stripe.prototype.createPaymentMethod = function (options, legacyElement, legacyData) {
  if (typeof options === "string") {
    options = Object.assign({ type: options, card: legacyElement }, legacyData || {});
  }
  options = options || {};
  var element = options.elements instanceof ElementsGroup ? options.elements._mainElement() : options.card;
  if (!(element instanceof Element)) {
    throw IntegrationError("stripe.createPaymentMethod(): pass `elements` or a mounted card Element as `card`.");
  }
  var invalid = element._validate();
  if (invalid) { return Promise.resolve({ error: invalid }); }
  var billing = options.billing_details || (options.params && options.params.billing_details);
  return this._createCardMethod(element, billing, options.metadata);
};

function unsupported(name) {
  return function () {
    return Promise.resolve({ error: { type: "invalid_request_error", code: "unsupported_by_emulator", message: "stripe." + name + "() is not emulated offline." } });
  };
}

Stripe.prototype.createToken = unsupported("createToken");
Stripe.prototype.createSource = unsupported("createSource");
Stripe.prototype.confirmSetup = unsupported("confirmSetup");
Stripe.prototype.confirmCardSetup = unsupported("confirmCardSetup");
Stripe.prototype.retrieveSetupIntent = unsupported("retrieveSetupIntent");

Stripe.prototype.paymentRequest = function () {
  return {
    canMakePayment: function () { return Promise.resolve(null); },
    on: function () {}, off: function () {}, show: function () {}, update: function () {},
  };
};

window.Stripe = Stripe;
