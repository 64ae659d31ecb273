// The GraphQL-over-HTTP server audit (graphql-http's serverAudits) against a running samkjop.
// AUDIT_URL is the /graphql address, AUDIT_TOKEN a bearer token (the API refuses data without
// one, and an audit without it would only see 401s). Exits 1 on any MUST failure or SHOULD
// warning, printing each.
import { serverAudits } from 'graphql-http';

const url = process.env.AUDIT_URL;
const token = process.env.AUDIT_TOKEN;
if (!url || !token) {
  console.error('set AUDIT_URL and AUDIT_TOKEN');
  process.exit(2);
}

const fetchFn = (input, init = {}) => {
  const headers = new Headers(init.headers);
  headers.set('authorization', `Bearer ${token}`);
  return fetch(input, { ...init, headers });
};

// status: ok; error (a MUST failed); warn (a SHOULD); notice (a MAY: printed, not counted).
let bad = 0;
let passed = 0;
let notices = 0;
for (const audit of serverAudits({ url, fetchFn })) {
  const result = await audit.fn();
  if (result.status === 'ok') {
    passed += 1;
    continue;
  }
  if (result.status === 'notice') notices += 1;
  else bad += 1;
  let body = '';
  try {
    body = result.response ? await result.response.clone().text() : '';
  } catch {
    // The audit read the body already.
  }
  console.log(`${result.status.toUpperCase()} ${audit.id} ${audit.name}: ${result.reason}`);
  if (body && result.status !== 'notice') console.log(`   response: ${body.slice(0, 300)}`);
}
console.log(`${passed} passed, ${bad} MUST or SHOULD not met, ${notices} MAY notices`);
process.exit(bad === 0 ? 0 : 1);
