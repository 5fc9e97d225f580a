// The dashboard: plain JavaScript over the admin API (/_mocks/*). No framework, no build step.
"use strict";

const TOKEN_KEY = "mocks-admin-token";
const $ = (selector) => document.querySelector(selector);
const state = { vendors: [], journal: [], lastSeq: 0, paused: false, selected: null, editingLimits: false };

function el(tag, attributes = {}, ...children) {
  const node = document.createElement(tag);
  for (const [key, value] of Object.entries(attributes)) {
    if (key.startsWith("on")) node.addEventListener(key.slice(2), value);
    else if (value !== undefined && value !== null) node.setAttribute(key, value);
  }
  for (const child of children.flat()) {
    node.append(child instanceof Node ? child : document.createTextNode(String(child)));
  }
  return node;
}

function notice(message, kind = "info") {
  const box = $("#notice");
  box.textContent = message;
  box.className = kind;
  box.hidden = false;
  clearTimeout(notice.timer);
  notice.timer = setTimeout(() => { box.hidden = true; }, 4000);
}

// Every admin call: JSON both ways, the admin token when the instance has one (asked once, kept per tab).
async function api(method, path, body) {
  const headers = { Accept: "application/json" };
  const token = sessionStorage.getItem(TOKEN_KEY);
  if (token) headers.Authorization = `Bearer ${token}`;
  if (body !== undefined) headers["Content-Type"] = "application/json";
  const response = await fetch(path, { method, headers, body: body === undefined ? undefined : JSON.stringify(body) });
  if (response.status === 401 && !api.asked) {
    api.asked = true;
    $("#token-button").hidden = false;
    askToken();
    throw new Error("this instance needs its admin token");
  }
  const text = await response.text();
  const data = text ? JSON.parse(text) : null;
  if (!response.ok) {
    const detail = data && (data.error || data.detail) ? `${data.error || ""} ${data.detail || ""}`.trim() : response.statusText;
    throw new Error(`${method} ${path}: ${response.status} ${detail}`);
  }
  return data;
}

function askToken() {
  const token = window.prompt("Admin token of this instance (mocks run --admin-token / MOCKS_ADMIN_TOKEN):");
  if (token) {
    sessionStorage.setItem(TOKEN_KEY, token.trim());
    api.asked = false;
    refresh();
  }
}

// Runs an action, reports failures in the notice line, then refreshes what it may have changed.
function action(run, done) {
  return async (event) => {
    if (event) event.preventDefault();
    try {
      const result = await run(event);
      if (done) notice(typeof done === "function" ? done(result) : done);
      await refresh();
    } catch (error) {
      notice(error.message, "error");
    }
  };
}

async function copyText(text, button) {
  try {
    await navigator.clipboard.writeText(text);
  } catch (_) {  // plain http on another host is no secure context: the old way
    const area = el("textarea", { class: "offscreen" }, text);
    document.body.append(area);
    area.select();
    document.execCommand("copy");
    area.remove();
  }
  button.textContent = "copied";
  setTimeout(() => { button.textContent = "copy"; }, 1200);
}

// A value with a copy button; long tokens are shown shortened (the button copies all of it).
function copyable(text, { url = false } = {}) {
  const button = el("button", { type: "button", class: "copy", title: `copy ${text}` }, "copy");
  button.addEventListener("click", () => copyText(text, button));
  const shown = text.length > 44 ? `${text.slice(0, 30)}…${text.slice(-8)}` : text;
  return el("span", { class: url ? "copyable url" : "copyable" }, el("code", { title: text }, shown), button);
}

// -- vendors ------------------------------------------------------------------------------------
function renderVendors() {
  const body = $("#vendors tbody");
  body.replaceChildren(...state.vendors.map((vendor) => el("tr", { "data-vendor": vendor.name },
    el("td", { "data-label": "vendor" }, el("strong", {}, vendor.title)),
    el("td", { "data-label": "base URL" }, copyable(vendor.base_url, { url: true }),
      ...[...new Set(vendor.apis.map((api) => api.base_url))].filter((url) => url !== vendor.base_url).map((url) => el("div", { class: "small" }, copyable(url, { url: true })))),
    el("td", { "data-label": "credentials" }, ...vendor.credentials.map((credential) => el("div", { class: "credential" },
      el("span", { class: "muted" }, `${credential.label}: `),
      ...Object.entries(credential).filter(([key]) => key !== "label").map(([key, value]) => el("span", { class: "pair" }, `${key}=`, copyable(String(value))))))),
    el("td", { "data-label": "" },
      ...vendor.apis.map((api) => el("a", { href: `/_mocks/explorer/${api.spec.replace(/\.[^.]+$/, "")}/`, class: "explore" }, `explore ${api.spec}`)),
      el("button", { type: "button", class: "danger", onclick: action(() => api("POST", `/_mocks/reset?vendor=${encodeURIComponent(vendor.name)}`), `${vendor.title}: worlds reset`) }, "reset vendor")),
  )));
  for (const select of [$("#fault-vendor"), $("#filter-vendor")]) {
    const keep = select.id === "filter-vendor" ? [el("option", { value: "" }, "all")] : [];
    select.replaceChildren(...keep, ...state.vendors.map((vendor) => el("option", { value: vendor.name }, vendor.title)));
  }
}

// -- worlds, seed, clock ------------------------------------------------------------------------
function renderWorlds(worlds) {
  const body = $("#worlds tbody");
  if (!worlds.length) {
    body.replaceChildren(el("tr", {}, el("td", { colspan: 4, class: "muted" }, "no world seeded yet (they are created on first use)")));
    return;
  }
  body.replaceChildren(...worlds.map((world) => el("tr", {},
    el("td", { "data-label": "vendor" }, world.vendor),
    el("td", { "data-label": "tenant" }, el("code", {}, world.tenant)),
    el("td", { "data-label": "rows", title: Object.entries(world.collections).map(([k, v]) => `${k}: ${v}`).join("\n") }, world.rows),
    el("td", {}, el("button", { type: "button", class: "danger", onclick: action(() => api("POST", "/_mocks/reset", { vendor: world.vendor, tenant: world.tenant }), `${world.vendor}/${world.tenant} reset`) }, "reset")),
  )));
}

function renderHealth(health) {
  $("#status").textContent = `seed ${health.seed} · ${health.vendors.length} vendors · ${health.framework}`;
  $("#clock-now").textContent = health.clock.now;
  $("#clock-frozen").hidden = !health.clock.frozen;
  if (document.activeElement !== $("#seed")) $("#seed").value = health.seed;
}

// -- faults and rate limits ---------------------------------------------------------------------
function renderFaults(faults) {
  const body = $("#faults tbody");
  if (!faults.length) {
    body.replaceChildren(el("tr", {}, el("td", { colspan: 5, class: "muted" }, "no fault")));
    return;
  }
  body.replaceChildren(...faults.map((fault) => el("tr", { "data-fault": fault.id },
    el("td", {}, fault.id),
    el("td", { "data-label": "match" }, `${fault.vendor || "any vendor"} ${fault.method || "any"} ${fault.path || "*"}`),
    el("td", { "data-label": "answer" }, [fault.status ? `status ${fault.status}` : "", fault.latency_ms ? `+${fault.latency_ms} ms` : ""].filter(Boolean).join(" ")),
    el("td", { "data-label": "hits", class: "hits" }, `${fault.hits}${fault.times ? ` / ${fault.times}` : ""}`),
    el("td", {}, el("button", { type: "button", onclick: action(() => api("DELETE", `/_mocks/faults/${fault.id}`), `fault ${fault.id} deleted`) }, "delete")),
  )));
}

function renderLimits(limits) {
  $("#limits-enabled").checked = limits.enabled;
  const rows = [];
  for (const [vendor, rules] of Object.entries(limits.vendors)) {
    for (const rule of rules) {
      const limit = el("input", { type: "number", min: 0, value: rule.limit, size: 6, "aria-label": `${vendor} ${rule.rule} limit` });
      const window_ = el("input", { type: "number", min: 0.001, step: "any", value: rule.window_seconds, size: 6, "aria-label": `${vendor} ${rule.rule} window` });
      for (const input of [limit, window_]) input.addEventListener("input", () => { state.editingLimits = true; });
      const enabled = el("input", { type: "checkbox", "aria-label": `${vendor} ${rule.rule} on` });
      enabled.checked = rule.enabled;
      enabled.addEventListener("change", action(() => api("PUT", "/_mocks/ratelimits", { vendor, rule: rule.rule, enabled: enabled.checked }), `${vendor} ${rule.rule}: ${enabled.checked ? "on" : "off"}`));
      rows.push(el("tr", {},
        el("td", { "data-label": "vendor" }, vendor),
        el("td", { "data-label": "rule", title: rule.note || "" }, rule.rule, rule.inferred ? el("span", { class: "badge", title: "the vendor does not document this number" }, "inferred") : ""),
        el("td", { "data-label": "limit" }, limit),
        el("td", { "data-label": "window s" }, window_),
        el("td", { "data-label": "on" }, enabled),
        el("td", {}, el("button", { type: "button", onclick: action(async () => {
          const changed = await api("PUT", "/_mocks/ratelimits", { vendor, rule: rule.rule, limit: Number(limit.value), window_seconds: Number(window_.value) });
          state.editingLimits = false;
          return changed;
        }, () => `${vendor} ${rule.rule}: ${limit.value} per ${window_.value}s`) }, "override")),
      ));
    }
  }
  $("#limits tbody").replaceChildren(...rows);
}

// -- journal --------------------------------------------------------------------------------------
function statusClass(status) { return `s${String(status)[0]}`; }

function journalMatches(entry) {
  const vendor = $("#filter-vendor").value, tenant = $("#filter-tenant").value.trim();
  const method = $("#filter-method").value, path = $("#filter-path").value.trim(), status = $("#filter-status").value;
  return (!vendor || entry.vendor === vendor) && (!tenant || (entry.tenant || "").includes(tenant))
    && (!method || entry.method === method) && (!path || `${entry.path}?${entry.query}`.includes(path))
    && (!status || String(entry.status).startsWith(status));
}

function renderJournal() {
  const rows = state.journal.filter(journalMatches).slice(-200).reverse().map((entry) => el("tr", {
    "data-seq": entry.seq, class: entry.seq === state.selected ? "selected" : "", tabindex: 0,
    onclick: () => showEntry(entry), onkeydown: (event) => { if (event.key === "Enter") showEntry(entry); },
  },
    el("td", {}, entry.seq),
    el("td", { "data-label": "time" }, entry.time.replace("T", " ").replace(/\.\d+/, "")),
    el("td", { "data-label": "vendor" }, entry.vendor || ""),
    el("td", { "data-label": "tenant" }, entry.tenant || ""),
    el("td", { "data-label": "request", class: "path" }, `${entry.method} ${entry.path}${entry.query ? `?${entry.query}` : ""}`),
    el("td", { "data-label": "status" }, el("span", { class: `status ${statusClass(entry.status)}` }, entry.status)),
    el("td", { "data-label": "ms" }, entry.duration_ms),
  ));
  $("#journal tbody").replaceChildren(...(rows.length ? rows : [el("tr", {}, el("td", { colspan: 7, class: "muted" }, "no request yet"))]));
}

function formatHeaders(headers) {
  return Object.entries(headers || {}).map(([k, v]) => `${k}: ${v}`).join("\n");
}

function formatBody(text) {
  if (!text) return "(empty)";
  try { return JSON.stringify(JSON.parse(text), null, 2); } catch (_) { return text; }
}

function showEntry(entry) {
  state.selected = entry.seq;
  $("#journal-detail").hidden = false;
  $("#detail-title").textContent = `#${entry.seq} ${entry.method} ${entry.path} → ${entry.status}`;
  $("#detail-request-headers").textContent = formatHeaders(entry.request_headers);
  $("#detail-request-body").textContent = formatBody(entry.request_body);
  $("#detail-response-headers").textContent = formatHeaders(entry.response_headers);
  $("#detail-response-body").textContent = formatBody(entry.response_body);
  renderJournal();
}

async function pollJournal() {
  if (state.paused) return;
  const entries = await api("GET", `/_mocks/journal?since=${state.lastSeq}&limit=500`);
  if (!entries.length) return;
  state.lastSeq = entries[entries.length - 1].seq;
  state.journal = state.journal.concat(entries).slice(-1000);
  renderJournal();
}

// -- snapshot -----------------------------------------------------------------------------------
async function downloadSnapshot() {
  const snapshot = await api("GET", "/_mocks/snapshot");
  const link = el("a", { href: URL.createObjectURL(new Blob([JSON.stringify(snapshot)], { type: "application/json" })), download: `mocks-snapshot-seed${snapshot.seed}.json` });
  document.body.append(link);
  link.click();
  link.remove();
  return snapshot;
}

async function uploadSnapshot(event) {
  const file = event.target.files[0];
  if (!file) return null;
  let snapshot;
  try { snapshot = JSON.parse(await file.text()); } catch (_) { throw new Error(`${file.name} is not JSON`); }
  event.target.value = "";
  return api("PUT", "/_mocks/snapshot", snapshot);
}

// -- wiring -------------------------------------------------------------------------------------
async function refresh() {
  const [health, worlds, faults, limits] = await Promise.all([
    api("GET", "/_mocks/health"), api("GET", "/_mocks/worlds"), api("GET", "/_mocks/faults"), api("GET", "/_mocks/ratelimits")]);
  renderHealth(health);
  renderWorlds(worlds);
  renderFaults(faults);
  // a value being typed is not overwritten by the periodic refresh
  if (!state.editingLimits && !$("#limits-card").contains(document.activeElement)) renderLimits(limits);
}

function wire() {
  $("#token-button").addEventListener("click", askToken);
  $("#reset-all").addEventListener("click", action(async () => {
    await api("POST", "/_mocks/reset");
    state.journal = []; state.lastSeq = 0; state.selected = null;
    $("#journal-detail").hidden = true;
    renderJournal();
  }, "everything reset: worlds, faults, journal, rate limits"));
  $("#seed-form").addEventListener("submit", action(() => api("POST", "/_mocks/seed", { seed: Number($("#seed").value) }), (r) => `seed ${r.seed}: every world re-seeds`));
  $("#advance-form").addEventListener("submit", action(() => api("POST", "/_mocks/clock", { advance: $("#advance").value.trim() }), (r) => `clock now ${r.now}`));
  $("#set-form").addEventListener("submit", action(() => api("POST", "/_mocks/clock", { set: $("#clock-set").value.trim() }), (r) => `clock now ${r.now}`));
  $("#freeze").addEventListener("click", action(() => api("POST", "/_mocks/clock", { freeze: true }), "clock frozen"));
  $("#unfreeze").addEventListener("click", action(() => api("POST", "/_mocks/clock", { unfreeze: true }), "clock flowing"));
  $("#fault-form").addEventListener("submit", action(() => {
    const fault = { vendor: $("#fault-vendor").value, status: Number($("#fault-status").value) || undefined,
                    latency_ms: Number($("#fault-latency").value) || 0, times: $("#fault-times").value ? Number($("#fault-times").value) : null };
    if ($("#fault-method").value) fault.method = $("#fault-method").value;
    if ($("#fault-path").value.trim()) fault.path = $("#fault-path").value.trim();
    return api("POST", "/_mocks/faults", fault);
  }, (f) => `fault ${f.id} added`));
  $("#limits-enabled").addEventListener("change", action(() => api("PUT", "/_mocks/ratelimits", { enabled: $("#limits-enabled").checked }), () => `rate limiting ${$("#limits-enabled").checked ? "on" : "off"}`));
  $("#limits-defaults").addEventListener("click", action(() => { state.editingLimits = false; return api("DELETE", "/_mocks/ratelimits"); }, "rate limits back to their defaults"));
  $("#snapshot-download").addEventListener("click", action(downloadSnapshot, (s) => `snapshot of ${s.worlds.length} world(s) downloaded`));
  $("#snapshot-upload").addEventListener("change", action(uploadSnapshot, (s) => (s ? `snapshot loaded: ${s.worlds.length} world(s)` : "")));
  $("#journal-pause").addEventListener("click", () => {
    state.paused = !state.paused;
    $("#journal-pause").textContent = state.paused ? "Resume" : "Pause";
  });
  $("#journal-clear").addEventListener("click", action(async () => {
    await api("DELETE", "/_mocks/journal");
    state.journal = []; state.selected = null;
    $("#journal-detail").hidden = true;
    renderJournal();
  }, "journal cleared"));
  $("#journal-filters").addEventListener("input", renderJournal);
  $("#journal-filters").addEventListener("submit", (event) => event.preventDefault());
}

async function start() {
  wire();
  try {
    state.vendors = await api("GET", "/_mocks/vendors");
    renderVendors();
    await refresh();
    await pollJournal();
  } catch (error) {
    notice(error.message, "error");
  }
  setInterval(() => refresh().catch((error) => notice(error.message, "error")), 2000);
  setInterval(() => pollJournal().catch((error) => notice(error.message, "error")), 1000);
}

start();
