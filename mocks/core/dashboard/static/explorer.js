// Swagger UI on one served spec (/_mocks/explorer/<spec>/): the spec's server is the mock itself; "Mint a token"
// asks the admin API for a credential and authorizes Swagger UI with it.
"use strict";

const help = document.querySelector(".explorer-help");
const TOKEN_KEY = "mocks-admin-token";

function adminHeaders() {
  const token = sessionStorage.getItem(TOKEN_KEY);
  return token ? { Authorization: `Bearer ${token}` } : {};
}

const ui = SwaggerUIBundle({
  url: `/_mocks/explorer/${help.dataset.stem}/openapi.json`,
  dom_id: "#swagger-ui",
  deepLinking: true,
  tryItOutEnabled: true,
  persistAuthorization: true,
  // the admin token (if the instance has one) only ever goes to /_mocks, never to a vendor route
  requestInterceptor: (request) => {
    if (new URL(request.url, location.href).pathname.startsWith("/_mocks/")) Object.assign(request.headers, adminHeaders());
    return request;
  },
});

document.getElementById("mint").addEventListener("click", async () => {
  const result = document.getElementById("mint-result");
  try {
    const response = await fetch("/_mocks/tokens", {
      method: "POST", headers: { "Content-Type": "application/json", ...adminHeaders() },
      body: JSON.stringify({ vendor: help.dataset.vendor }),
    });
    const token = await response.json();
    if (!response.ok) throw new Error(token.error || response.statusText);
    const schemes = (ui.specSelectors.specJson().toJS().components || {}).securitySchemes || {};
    const authorized = [];
    for (const [name, scheme] of Object.entries(schemes)) {
      const header = scheme.type === "http" ? "authorization" : (scheme.in === "header" ? scheme.name.toLowerCase() : null);
      const entry = Object.entries(token.headers || {}).find(([key]) => key.toLowerCase() === header);
      if (!entry) continue;
      const value = scheme.type === "http" ? entry[1].replace(/^(Bearer|Basic)\s+/i, "") : entry[1];
      ui.preauthorizeApiKey(name, value);
      authorized.push(name);
    }
    result.textContent = `${Object.entries(token.headers || {}).map(([k, v]) => `${k}: ${v}`).join("  ")}`
      + (authorized.length ? ` (authorized: ${authorized.join(", ")})` : "");
  } catch (error) {
    result.textContent = `could not mint a token: ${error.message}`;
  }
});
