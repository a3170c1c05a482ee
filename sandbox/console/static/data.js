// The data browser: show or hide a secret field (copying is console.js's data-copy).
"use strict";

document.addEventListener("click", (event) => {
  const button = event.target.closest("[data-reveal]");
  if (!button) return;
  const field = document.querySelector(button.dataset.reveal);
  if (!field) return;
  const show = field.type === "password";
  field.type = show ? "text" : "password";
  button.textContent = show ? "Hide" : "Show";
  button.setAttribute("aria-pressed", String(show));
});
