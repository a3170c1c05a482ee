// The Entra simulator page: Admin Credentials by Authentication Method, Test Connection,
// mappings that follow the Tenant URL, and Start provisioning with a progress bar polled
// from the console's JSON endpoint.
"use strict";

(() => {
  const form = document.getElementById("provisioning-form");
  if (!form) return;
  const $ = (id) => document.getElementById(id);

  // Build an alert from text nodes only: endpoint answers are shown, never interpreted.
  function alertBox(kind, role, title, lines) {
    const box = document.createElement("div");
    box.className = `alert ${kind}`;
    box.setAttribute("role", role);
    const heading = document.createElement("strong");
    heading.textContent = title;
    box.appendChild(heading);
    for (const line of lines.filter(Boolean)) {
      const p = document.createElement("p");
      p.textContent = line;
      box.appendChild(p);
    }
    return box;
  }

  function fields() {
    const data = {};
    for (const [name, value] of new FormData(form).entries()) data[name] = value;
    data.aadOptscim062020 = $("aadOptscim062020").checked;
    return data;
  }

  // Test Connection -------------------------------------------------------------------
  $("test-connection").addEventListener("click", async () => {
    const button = $("test-connection");
    const out = $("connection-result");
    button.disabled = true;
    out.replaceChildren(alertBox("info", "status", "Testing connection…", []));
    try {
      const data = fields();
      const answer = await consoleFetch(form.dataset.testUrl, { method: "POST", json: data });
      const r = answer.body || {};
      if (r.ok) {
        const where = r.vendor ? ` to ${r.vendor}${r.tenant ? ` (${r.tenant})` : ""}` : "";
        out.replaceChildren(alertBox("ok", "status", `Testing connection${where}: Success`,
                                     [`You are connected. ${r.message}`]));
      } else if (r.input_error || !("error_code" in r)) {
        out.replaceChildren(alertBox("error", "alert", "Testing connection: Failure",
                                     [r.message || r.detail || `HTTP ${answer.status}`]));
      } else {
        const scim = [r.scim_status && `SCIM status ${r.scim_status}`,
                      r.scim_type && `scimType ${r.scim_type}`].filter(Boolean).join(" · ");
        out.replaceChildren(alertBox("error", "alert", "Testing connection: Failure", [
          r.message,
          `Error code: ${r.error_code}`,
          r.http_status ? `HTTP status: ${r.http_status}${scim ? " · " + scim : ""}` : "",
          r.detail ? `Detail: ${r.detail}` : "",
          r.request ? `Request: ${decodeURIComponent(r.request)}` : "",
        ]));
      }
    } catch (error) {
      out.replaceChildren(alertBox("error", "alert", "Testing connection: Failure",
                                   [String(error)]));
    } finally {
      button.disabled = false;
    }
  });

  // Admin Credentials: only the fields of the chosen Authentication Method show.
  function showMethod(method) {
    for (const group of form.querySelectorAll("[data-auth]")) {
      group.hidden = group.dataset.auth !== method;
    }
  }
  $("auth_method").addEventListener("change", () => showMethod($("auth_method").value));

  // Mappings follow the Tenant URL: a sandbox tenant's vendor has its own attribute table,
  // and its own Authentication Method.
  $("tenant_url").addEventListener("change", async () => {
    const url = `${form.dataset.mappingsUrl}?tenant_url=${encodeURIComponent($("tenant_url").value)}`;
    const answer = await consoleFetch(url);
    if (!answer.ok || !answer.body) return;
    if (answer.body.html) $("mappings").innerHTML = answer.body.html;
    if (answer.body.auth_method) {
      $("auth_method").value = answer.body.auth_method;
      showMethod(answer.body.auth_method);
    }
  });

  // Start provisioning and progress ---------------------------------------------------
  // The server words the progress line (counts in singular or plural, a 429's wait).
  function showProgress(p) {
    $("progress").hidden = false;
    const bar = $("cycle-progress");
    bar.max = Math.max(1, p.total);
    bar.value = p.done;
    $("progress-text").textContent = p.text || `Cycle ${p.cycle}: ${p.stage}`;
    const none = $("no-cycles");
    if (none && p.running) none.textContent = none.dataset.runningText;
  }

  async function poll() {
    const answer = await consoleFetch(form.dataset.progressUrl);
    const p = answer.body || {};
    if (!answer.ok) {
      $("start-result").replaceChildren(alertBox("error", "alert", "Progress unavailable",
                                                 [p.detail || `HTTP ${answer.status}`]));
      return;
    }
    showProgress(p);
    if (p.running) {
      setTimeout(poll, 300);
    } else {
      $("progress-text").textContent = `Cycle ${p.cycle} finished; loading the provisioning logs…`;
      history.replaceState(null, "", `${location.pathname}#logs`);
      location.reload();
    }
  }

  $("start-provisioning").addEventListener("click", async (event) => {
    event.preventDefault();  // without script the button posts the form to the same place
    const button = $("start-provisioning");
    button.disabled = true;
    $("start-result").replaceChildren();
    const answer = await consoleFetch(form.dataset.startUrl, { method: "POST", json: fields() });
    const r = answer.body || {};
    if (answer.ok && r.started) {
      showProgress({ cycle: r.cycle, stage: "Starting", done: 0, total: 0, running: true });
      poll();
    } else {
      button.disabled = false;
      $("start-result").replaceChildren(alertBox("error", "alert", "Provisioning not started",
                                                 [r.message || r.detail || `HTTP ${answer.status}`]));
    }
  });

  if (form.dataset.running === "true") {
    $("start-provisioning").disabled = true;
    poll();
  }
})();
