// Loads the UI's wasm. An external file, so the CSP needs no inline script.
import init from "./rehome_ui.js";
init({ module_or_path: "./rehome_ui_bg.wasm" }).catch((e) => {
  document.body.textContent = "Rehome could not start: " + e;
});
