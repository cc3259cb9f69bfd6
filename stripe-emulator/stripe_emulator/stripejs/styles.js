// The look of the fields and the challenge box, from Stripe's `appearance` option
// (`theme` and the common `variables`), scoped inside each element's shadow root.

var THEMES = {
  stripe: {
    colorPrimary: "#0570de", colorBackground: "#ffffff", colorText: "#30313d",
    colorTextSecondary: "#6d6e78", colorDanger: "#df1b41", colorBorder: "#e6e6e6",
  },
  night: {
    colorPrimary: "#0570de", colorBackground: "#30313d", colorText: "#ffffff",
    colorTextSecondary: "#a9abb5", colorDanger: "#fe87a1", colorBorder: "#424353",
  },
  flat: {
    colorPrimary: "#0570de", colorBackground: "#f1f1f1", colorText: "#30313d",
    colorTextSecondary: "#6d6e78", colorDanger: "#df1b41", colorBorder: "#f1f1f1",
  },
};

var BASE_VARIABLES = {
  fontFamily: "-apple-system, BlinkMacSystemFont, 'Segoe UI', Roboto, Helvetica, Arial, sans-serif",
  fontSizeBase: "15px",
  borderRadius: "6px",
  spacingUnit: "4px",
};

function themeVariables(appearance) {
  appearance = appearance || {};
  var theme = THEMES[appearance.theme] || THEMES.stripe;
  return Object.assign({}, BASE_VARIABLES, theme, appearance.variables || {});
}

function cssCustomProperties(variables) {
  return Object.keys(variables).map(function (name) {
    return "--se-" + name.replace(/[A-Z]/g, function (c) { return "-" + c.toLowerCase(); }) + ": " + variables[name] + ";";
  }).join(" ");
}

var FIELD_CSS = [
  ":host { display: block; " + "font-family: var(--se-font-family); font-size: var(--se-font-size-base); color: var(--se-color-text); }",
  ".se-method { display: inline-flex; align-items: center; gap: 8px; padding: 10px 14px; margin-bottom: 14px;",
  "  border: 2px solid var(--se-color-primary); border-radius: var(--se-border-radius); color: var(--se-color-primary); font-weight: 600; font-size: 14px; background: var(--se-color-background); }",
  ".se-grid { display: grid; grid-template-columns: 1fr 1fr; gap: calc(var(--se-spacing-unit) * 3); }",
  ".se-field { display: flex; flex-direction: column; gap: 4px; min-width: 0; }",
  ".se-field.se-wide { grid-column: 1 / -1; }",
  "label { font-size: 14px; color: var(--se-color-text); }",
  ".se-input-wrap { position: relative; }",
  "input { box-sizing: border-box; width: 100%; padding: 10px 12px; font: inherit; color: var(--se-color-text);",
  "  background: var(--se-color-background); border: 1px solid var(--se-color-border); border-radius: var(--se-border-radius);",
  "  box-shadow: 0 1px 1px rgba(0,0,0,.03), 0 3px 6px rgba(0,0,0,.02); outline: none; transition: border-color .15s, box-shadow .15s; }",
  "input::placeholder { color: var(--se-color-text-secondary); opacity: .7; }",
  "input:focus { border-color: var(--se-color-primary); box-shadow: 0 0 0 3px color-mix(in srgb, var(--se-color-primary) 25%, transparent); }",
  "input[aria-invalid='true'] { border-color: var(--se-color-danger); color: var(--se-color-danger); }",
  "input:disabled { opacity: .6; }",
  ".se-brand { position: absolute; right: 10px; top: 50%; transform: translateY(-50%); font-size: 11px; font-weight: 700;",
  "  letter-spacing: .04em; color: var(--se-color-text-secondary); pointer-events: none; }",
  ".se-error { min-height: 0; font-size: 13px; color: var(--se-color-danger); }",
  ".se-error:empty { display: none; }",
  ".se-general { margin-top: 12px; padding: 10px 12px; border-radius: var(--se-border-radius); font-size: 14px;",
  "  color: var(--se-color-danger); background: color-mix(in srgb, var(--se-color-danger) 8%, transparent); }",
  ".se-general:empty { display: none; }",
  ".se-row { display: grid; grid-template-columns: 1fr 90px 70px; gap: 8px; }",
  ".se-note { margin-top: 10px; font-size: 12px; color: var(--se-color-text-secondary); }",
].join("\n");

var CHALLENGE_CSS = [
  ":host { all: initial; }",
  ".se-backdrop { position: fixed; inset: 0; z-index: 2147483647; display: grid; place-items: center;",
  "  background: rgba(10, 12, 20, .55); font-family: var(--se-font-family); }",
  ".se-dialog { width: min(400px, calc(100vw - 32px)); background: #fff; color: #30313d; border-radius: 12px;",
  "  box-shadow: 0 20px 60px rgba(0,0,0,.35); overflow: hidden; }",
  ".se-dialog header { padding: 16px 20px; background: #f6f8fa; border-bottom: 1px solid #e6e6e6; display: flex; justify-content: space-between; align-items: center; }",
  ".se-dialog h2 { margin: 0; font-size: 16px; }",
  ".se-bank { font-size: 12px; font-weight: 700; color: #6d6e78; letter-spacing: .05em; }",
  ".se-body { padding: 20px; font-size: 14px; line-height: 1.5; }",
  ".se-amount { font-size: 22px; font-weight: 700; margin: 4px 0 12px; }",
  ".se-muted { color: #6d6e78; }",
  ".se-actions { display: flex; gap: 12px; padding: 0 20px 20px; }",
  ".se-actions button { flex: 1; padding: 11px; font: inherit; font-size: 15px; border-radius: 6px; cursor: pointer;",
  "  border: 1px solid #d0d5dd; background: #fff; color: #30313d; }",
  ".se-actions button.se-primary { background: var(--se-color-primary); border-color: var(--se-color-primary); color: #fff; }",
  ".se-actions button:disabled { opacity: .6; cursor: default; }",
].join("\n");
