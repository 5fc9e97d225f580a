#!/usr/bin/env node
// A Node.js client of the mock over plain HTTP (Node 18+, no npm packages: the global fetch).
//
//   MOCKS_URL=http://127.0.0.1:8000 node examples/node/piwik-users.mjs
//
// 1. takes a Piwik PRO token from the mock's /auth/token with the documented owner credentials,
// 2. lists users (GET /api/users/v2, JSON:API),
// 3. forces a 429 through the admin API (read limit 1 per minute) and shows the vendor's 429,
// 4. resets the mock (POST /_mocks/reset) and shows the list answering again.
// Exits 1 on the first answer that is not the expected one. MOCKS_ADMIN_TOKEN is sent to /_mocks when set.

const base = (process.env.MOCKS_URL || "http://127.0.0.1:8000").replace(/\/$/, "");
const adminHeaders = process.env.MOCKS_ADMIN_TOKEN ? { Authorization: `Bearer ${process.env.MOCKS_ADMIN_TOKEN}` } : {};
const piwik = `${base}/piwik_pro`;

function check(condition, message) {
  if (!condition) {
    console.error(`FAIL: ${message}`);
    process.exit(1);
  }
}

async function admin(method, path, body) {
  const response = await fetch(`${base}/_mocks${path}`, {
    method,
    headers: { "Content-Type": "application/json", ...adminHeaders },
    body: body === undefined ? undefined : JSON.stringify(body),
  });
  check(response.ok, `${method} /_mocks${path} answered ${response.status}: ${await response.clone().text()}`);
  return response.json();
}

async function token() {
  const response = await fetch(`${piwik}/auth/token`, {
    method: "POST",
    headers: { "Content-Type": "application/json" },
    body: JSON.stringify({ grant_type: "client_credentials", client_id: "piwik-pro-mock-owner",
                           client_secret: "piwik-pro-mock-owner-secret" }),
  });
  const body = await response.json();
  check(response.status === 200 && body.token_type === "Bearer", `token: ${response.status} ${JSON.stringify(body)}`);
  return body.access_token;
}

async function listUsers(accessToken) {
  return fetch(`${piwik}/api/users/v2?limit=5&sort=email`, { headers: { Authorization: `Bearer ${accessToken}` } });
}

const accessToken = await token();
console.log(`token: ${accessToken.slice(0, 24)}… (JWT from ${piwik}/auth/token)`);

const users = await listUsers(accessToken);
const page = await users.json();
check(users.status === 200 && Array.isArray(page.data), `users: ${users.status} ${JSON.stringify(page)}`);
console.log(`users: ${page.meta.total} in the account, first ${page.data.length}:`);
for (const user of page.data) console.log(`  ${user.id}  ${user.attributes.email}  ${user.attributes.role}`);

await admin("PUT", "/ratelimits", { vendor: "piwik_pro", rule: "read", limit: 1, window_seconds: 60 });
const first = await listUsers(accessToken);
const limited = await listUsers(accessToken);
const problem = await limited.json();
check(first.status === 200, `first read after the override: ${first.status}`);
check(limited.status === 429, `second read: expected 429, got ${limited.status}`);
console.log(`429 forced: ${JSON.stringify(problem)} retry-after=${limited.headers.get("retry-after")}`);

const reset = await admin("POST", "/reset");
console.log(`reset: ${JSON.stringify(reset.reset)}`);
const again = await listUsers(await token());
check(again.status === 200, `after the reset: expected 200, got ${again.status}`);
console.log("after the reset: 200 again");
