// Keyboard and screen-reader help for one RepairLab vignette (see access.py): ipywidgets cannot set
// ARIA attributes, key handling or focus, so this small module does it on the vignette's own DOM.
const STEP = { ArrowRight: 1, ArrowDown: 1, ArrowLeft: -1, ArrowUp: -1 };

function set(node, name, value) {
  if (node.getAttribute(name) !== value) node.setAttribute(name, value);
}

function applyLabels(root, labels) {
  // Lumino matches a shortcut's selector from the key's target upwards and stops at this attribute;
  // notebook shortcuts end in ":focus", which matches the focused control itself, so each control
  // needs the attribute, not only the vignette's root.
  for (const node of [root, ...root.querySelectorAll("button, select, input, textarea, [tabindex]")]) {
    set(node, "data-lm-suppress-shortcuts", "true");
  }
  for (const [cls, spec] of Object.entries(labels)) {
    const node = root.querySelector("." + cls);
    if (!node) continue;
    if (spec.live) set(node, "aria-live", "polite");
    const img = node.tagName === "IMG" ? node : node.querySelector("img");
    if (img) set(img, "alt", spec.label);
    const select = node.tagName === "SELECT" ? node : node.querySelector("select");
    if (select) set(select, "aria-label", spec.label);
    if (!node.classList.contains("widget-toggle-buttons")) continue;
    set(node, "role", "radiogroup");
    set(node, "aria-label", spec.label);
    const buttons = [...node.querySelectorAll("button")];
    const checked = buttons.findIndex((b) => b.classList.contains("mod-active"));
    buttons.forEach((button, i) => {
      set(button, "role", "radio");
      set(button, "aria-checked", String(i === checked));
      set(button, "aria-label", (spec.options || [])[i] || button.textContent.trim());
      set(button, "tabindex", i === (checked < 0 ? 0 : checked) ? "0" : "-1");
    });
  }
}

function onKey(event) {
  const button = event.target.closest && event.target.closest('[role="radio"]');
  if (!button || !(event.key in STEP || event.key === "Home" || event.key === "End")) return;
  const group = [...button.closest('[role="radiogroup"]').querySelectorAll('[role="radio"]:not([disabled])')];
  const at = group.indexOf(button);
  const next = event.key === "Home" ? 0 : event.key === "End" ? group.length - 1
    : (at + STEP[event.key] + group.length) % group.length;
  group.forEach((b, i) => b.setAttribute("tabindex", i === next ? "0" : "-1"));
  group[next].focus();
  event.preventDefault();
  event.stopPropagation();
}

function focusable(node) {
  const found = node.matches("button, select") ? node
    : node.querySelector('[role="radio"][tabindex="0"]:not([disabled]), button:not([disabled]), select:not([disabled])');
  return found && found.offsetParent !== null ? found : null;
}

// Focus the next thing to do once the widget has drawn it (options may still be re-rendering, which
// drops the focus to the page: then focus again), but never take it back from where the person moved it.
function focusWhenReady(root, cls) {
  let settled = 0;
  let moved = false;
  const tick = (left) => {
    const node = root.querySelector("." + cls);
    const target = node && focusable(node);
    const active = document.activeElement;
    if (target && node.contains(active)) settled += 1;
    else if (moved && active && active !== document.body) return;
    else if (target) {
      target.focus();
      moved = true;
    }
    if (settled < 2 && left > 0) setTimeout(() => tick(left - 1), 80);
  };
  tick(25);
}

function render({ model, el }) {
  let root = null;
  const attach = (left) => {
    root = el.closest(".repairlab-vignette");
    if (!root) {
      if (left > 0) setTimeout(() => attach(left - 1), 50);
      return;
    }
    const apply = () => applyLabels(root, model.get("labels"));
    apply();
    const observer = new MutationObserver(apply);
    observer.observe(root, { subtree: true, childList: true, attributes: true, attributeFilter: ["class"] });
    model.on("change:labels", apply);
    root.addEventListener("keydown", onKey);
  };
  attach(100);
  model.on("msg:custom", (msg) => {
    if (root && msg.focus) focusWhenReady(root, msg.focus);
  });
}

export default { render };
