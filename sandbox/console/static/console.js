// scim-sandbox console: small helpers shared by its pages (no framework, no CDN).
"use strict";

const csrfToken = () => document.querySelector('meta[name="csrf-token"]')?.content || "";

// Post or get JSON from the console's own endpoints; the CSRF token rides along.
async function consoleFetch(url, options = {}) {
  const headers = Object.assign({ "Accept": "application/json", "X-CSRF-Token": csrfToken() },
                                options.headers || {});
  if (options.json !== undefined) {
    headers["Content-Type"] = "application/json";
    options.body = JSON.stringify(options.json);
  }
  const response = await fetch(url, Object.assign({}, options, { headers, credentials: "same-origin" }));
  const text = await response.text();
  let body = null;
  try { body = text ? JSON.parse(text) : null; } catch (e) { body = { detail: text }; }
  return { ok: response.ok, status: response.status, body };
}

// <button data-copy="#field-id">Copy</button> copies the field's value.
document.addEventListener("click", async (event) => {
  const button = event.target.closest("[data-copy]");
  if (!button) return;
  const field = document.querySelector(button.dataset.copy);
  if (!field) return;
  field.select();
  try { await navigator.clipboard.writeText(field.value); } catch (e) { document.execCommand("copy"); }
  const label = button.textContent;
  button.textContent = button.dataset.copied || "Copied";
  setTimeout(() => { button.textContent = label; }, 1500);
});

window.consoleFetch = consoleFetch;
