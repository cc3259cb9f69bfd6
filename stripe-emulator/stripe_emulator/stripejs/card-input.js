// Card number, expiry and CVC: brand detection, formatting as the customer types, and
// validation with Stripe.js's codes and messages.

var CARD_MESSAGES = {
  incomplete_number: "Your card number is incomplete.",
  invalid_number: "Your card number is invalid.",
  incomplete_expiry: "Your card's expiration date is incomplete.",
  invalid_expiry_month: "Your card's expiration date is invalid.",
  invalid_expiry_year_past: "Your card's expiration year is in the past.",
  invalid_expiry_month_past: "Your card's expiration date is in the past.",
  incomplete_cvc: "Your card's security code is incomplete.",
};

function cardBrand(digits) {
  if (/^4/.test(digits)) { return "visa"; }
  if (/^3[47]/.test(digits)) { return "amex"; }
  if (/^(5[1-5]|2(2[2-9]|[3-6]\d|7[01]|720))/.test(digits)) { return "mastercard"; }
  if (/^(6011|65|64[4-9])/.test(digits)) { return "discover"; }
  if (/^3(0|6|8)/.test(digits)) { return "diners"; }
  if (/^35/.test(digits)) { return "jcb"; }
  if (/^62/.test(digits)) { return "unionpay"; }
  return "unknown";
}

var BRAND_LABELS = {
  visa: "VISA", amex: "AMEX", mastercard: "Mastercard", discover: "Discover",
  diners: "Diners", jcb: "JCB", unionpay: "UnionPay", unknown: "",
};

function numberLength(brand) {
  return brand === "amex" ? 15 : brand === "diners" ? 14 : 16;
}

function cvcLength(brand) {
  return brand === "amex" ? 4 : 3;
}

function onlyDigits(value) {
  return String(value || "").replace(/\D/g, "");
}

function formatNumber(digits) {
  var brand = cardBrand(digits);
  digits = digits.slice(0, numberLength(brand));
  var groups = brand === "amex" ? [4, 6, 5] : brand === "diners" ? [4, 6, 4] : [4, 4, 4, 4];
  var parts = [];
  var position = 0;
  groups.forEach(function (size) {
    if (position < digits.length) { parts.push(digits.slice(position, position + size)); }
    position += size;
  });
  return parts.join(" ");
}

function formatExpiry(raw, deleting) {
  var digits = onlyDigits(raw).slice(0, 4);
  if (digits.length === 1 && digits > "1") { digits = "0" + digits; }
  if (digits.length >= 2 && !(deleting && digits.length === 2)) {
    return digits.slice(0, 2) + " / " + digits.slice(2);
  }
  return digits;
}

function passesLuhn(digits) {
  var total = 0;
  for (var i = 0; i < digits.length; i++) {
    var digit = Number(digits[digits.length - 1 - i]);
    if (i % 2 === 1) { digit = digit * 2 > 9 ? digit * 2 - 9 : digit * 2; }
    total += digit;
  }
  return total % 10 === 0;
}

// Each check returns null when the field is fine, or {type, code, message}. `mode` says how
// strict to be: "typing" flags only what is already wrong, "blur" also a half-typed field,
// "submit" also an empty one.
function reportsIncomplete(length, mode) {
  return mode === "submit" || (mode === "blur" && length > 0);
}

function checkNumber(digits, mode) {
  var brand = cardBrand(digits);
  if (digits.length < numberLength(brand)) {
    return reportsIncomplete(digits.length, mode) ? issue("incomplete_number") : null;
  }
  return passesLuhn(digits) ? null : issue("invalid_number");
}

function checkExpiry(digits, mode, today) {
  var month = Number(digits.slice(0, 2));
  if (digits.length >= 2 && (month < 1 || month > 12)) { return issue("invalid_expiry_month"); }
  if (digits.length < 4) { return reportsIncomplete(digits.length, mode) ? issue("incomplete_expiry") : null; }
  var year = 2000 + Number(digits.slice(2, 4));
  today = today || new Date();
  if (year < today.getFullYear()) { return issue("invalid_expiry_year_past"); }
  if (year === today.getFullYear() && month < today.getMonth() + 1) { return issue("invalid_expiry_month_past"); }
  return null;
}

function checkCvc(digits, brand, mode) {
  if (digits.length < cvcLength(brand)) {
    return reportsIncomplete(digits.length, mode) ? issue("incomplete_cvc") : null;
  }
  return null;
}

function issue(code) {
  return { type: "validation_error", code: code, message: CARD_MESSAGES[code] };
}
