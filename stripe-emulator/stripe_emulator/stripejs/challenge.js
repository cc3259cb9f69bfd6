// The in-page 3D Secure challenge: a modal box with "Complete" and "Fail" that tells the
// emulator the outcome, like the bank's page inside Stripe.js's modal.

var ZERO_DECIMAL = ["bif", "clp", "djf", "gnf", "jpy", "kmf", "krw", "mga", "pyg", "rwf", "ugx", "vnd", "vuv", "xaf", "xof", "xpf"];

function formatMoney(amount, currency) {
  var digits = ZERO_DECIMAL.indexOf(currency) >= 0 ? 0 : 2;
  try {
    return new Intl.NumberFormat(undefined, { style: "currency", currency: currency.toUpperCase() }).format(amount / Math.pow(10, digits));
  } catch (ignored) {
    return (amount / Math.pow(10, digits)).toFixed(digits) + " " + currency.toUpperCase();
  }
}

function escapeHtml(text) {
  return String(text).replace(/[&<>"']/g, function (c) {
    return { "&": "&amp;", "<": "&lt;", ">": "&gt;", '"': "&quot;", "'": "&#39;" }[c];
  });
}

// Resolves with "complete" or "fail" once the customer chooses.
function showChallenge(intent, card, appearance) {
  return new Promise(function (resolve) {
    var host = document.createElement("div");
    host.setAttribute("data-stripe-emulator", "three-d-secure");
    host.setAttribute("style", cssCustomProperties(themeVariables(appearance)));
    var root = host.attachShadow({ mode: "open" });
    var cardLine = card ? escapeHtml((BRAND_LABELS[card.brand] || card.brand) + " •••• " + card.last4) : "your card";
    root.innerHTML = [
      "<style>" + CHALLENGE_CSS + "</style>",
      '<div class="se-backdrop">',
      '  <div class="se-dialog" role="dialog" aria-modal="true" aria-labelledby="se-title">',
      '    <header><h2 id="se-title">3D Secure authentication</h2><span class="se-bank">TEST BANK</span></header>',
      '    <div class="se-body">',
      '      <div class="se-muted">Confirm this payment with ' + cardLine + "</div>",
      '      <div class="se-amount">' + escapeHtml(formatMoney(intent.amount, intent.currency)) + "</div>",
      '      <div class="se-muted">This is the offline emulator\'s stand-in for your bank\'s check. Choose how the authentication ends.</div>',
      "    </div>",
      '    <div class="se-actions">',
      '      <button type="button" class="se-primary" data-outcome="complete">Complete</button>',
      '      <button type="button" data-outcome="fail">Fail</button>',
      "    </div>",
      "  </div>",
      "</div>",
    ].join("\n");
    document.body.appendChild(host);
    var buttons = root.querySelectorAll("button");
    function choose(outcome) {
      buttons.forEach(function (button) { button.disabled = true; });
      document.removeEventListener("keydown", onKey, true);
      resolve({ outcome: outcome, close: function () { host.remove(); } });
    }
    function onKey(event) { if (event.key === "Escape") { choose("fail"); } }
    buttons.forEach(function (button) {
      button.addEventListener("click", function () { choose(button.getAttribute("data-outcome")); });
    });
    document.addEventListener("keydown", onKey, true);
    buttons[0].focus();
  });
}
