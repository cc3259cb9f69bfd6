// The pages that host the Stripe.js stand-in, as the ERP's payment modal will: a plain one
// and one built with React and @stripe/react-stripe-js (its UMD build, no bundler).

function plainPage({ emulatorUrl, publishableKey }) {
  return `<!doctype html>
<html lang="en"><head><meta charset="utf-8"><title>Pay (plain)</title>
<script src="${emulatorUrl}/v3"></script></head>
<body>
  <form id="payment-form" style="max-width: 420px; margin: 40px auto; font-family: sans-serif">
    <div id="payment-element"></div>
    <button id="pay" type="submit" style="margin-top: 16px">Pay</button>
    <pre id="result"></pre>
  </form>
<script>
  const params = new URLSearchParams(location.search);
  const stripe = Stripe(${JSON.stringify(publishableKey)});
  const elements = stripe.elements({ clientSecret: params.get("client_secret"), appearance: { theme: "stripe" } });
  const element = elements.create(params.get("element") || "payment");
  element.mount("#payment-element");
  window.changes = [];
  element.on("ready", () => { document.body.dataset.ready = "true"; });
  element.on("change", (event) => { window.changes.push(event); });
  element.on("loaderror", (event) => {
    document.getElementById("result").textContent = JSON.stringify({ loaderror: event.error });
  });
  document.getElementById("payment-form").addEventListener("submit", async (event) => {
    event.preventDefault();
    const result = params.get("element") === "card"
      ? await stripe.confirmCardPayment(params.get("client_secret"), { payment_method: { card: element } })
      : await stripe.confirmPayment({ elements, redirect: "if_required" });
    const shown = result.error
      ? { error: { type: result.error.type, code: result.error.code, decline_code: result.error.decline_code,
                   message: result.error.message, payment_intent_status: result.error.payment_intent && result.error.payment_intent.status } }
      : { status: result.paymentIntent.status, id: result.paymentIntent.id };
    document.getElementById("result").textContent = JSON.stringify(shown);
  });
</script>
</body></html>`;
}

function reactPage({ emulatorUrl, publishableKey }) {
  return `<!doctype html>
<html lang="en"><head><meta charset="utf-8"><title>Pay (React)</title>
<script src="${emulatorUrl}/v3"></script>
<script src="/vendor/react.js"></script>
<script src="/vendor/react-dom.js"></script>
<script src="/vendor/react-stripe.js"></script></head>
<body><div id="root"></div><pre id="result"></pre>
<script>
  const { Elements, PaymentElement, useStripe, useElements } = window.ReactStripe;
  const h = React.createElement;
  const clientSecret = new URLSearchParams(location.search).get("client_secret");
  const stripePromise = Promise.resolve(Stripe(${JSON.stringify(publishableKey)}));
  window.wrappers = [];
  stripePromise.then((stripe) => {
    const register = stripe._registerWrapper.bind(stripe);
    stripe._registerWrapper = (wrapper) => { window.wrappers.push(wrapper.name); register(wrapper); };
  });

  function CheckoutForm() {
    const stripe = useStripe();
    const elements = useElements();
    const [ready, setReady] = React.useState(false);
    async function pay(event) {
      event.preventDefault();
      const submitted = await elements.submit();
      if (submitted.error) { return; }
      const result = await stripe.confirmPayment({ elements, redirect: "if_required",
        confirmParams: { return_url: location.href } });
      document.getElementById("result").textContent = JSON.stringify(
        result.error ? { error: { code: result.error.code, message: result.error.message } }
                     : { status: result.paymentIntent.status });
    }
    return h("form", { onSubmit: pay, style: { maxWidth: 420, margin: "40px auto" } },
      h(PaymentElement, { onReady: () => setReady(true) }),
      h("button", { id: "pay", type: "submit", disabled: !stripe || !elements || !ready }, "Pay"));
  }

  ReactDOM.createRoot(document.getElementById("root")).render(
    h(Elements, { stripe: stripePromise, options: { clientSecret, appearance: { theme: "stripe" } } },
      h(CheckoutForm)));
</script>
</body></html>`;
}

const PAGES = { "/plain": plainPage, "/react": reactPage };

export function hostPage(pathname, settings) {
  const page = PAGES[pathname];
  return page ? page(settings) : null;
}
