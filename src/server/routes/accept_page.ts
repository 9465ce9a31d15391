/** `GET /accept?token=...`: the page the emailed link opens; its button posts the token to the API. */
import { createHash } from "node:crypto";

// The token is read in the browser from the address and never written into the HTML, so it cannot inject
// markup; the script then removes it from the address bar and history.
const SCRIPT = `
const token = new URLSearchParams(location.search).get("token");
history.replaceState(null, "", location.pathname);
const button = document.getElementById("accept");
const result = document.getElementById("result");
if (!token) {
  button.disabled = true;
  result.textContent = "This link has no invitation token. Open the link from your invitation email.";
}
button.addEventListener("click", async () => {
  button.disabled = true;
  result.textContent = "Accepting...";
  try {
    const response = await fetch("/v1/invitations/accept", {
      method: "POST",
      headers: { "content-type": "application/json" },
      body: JSON.stringify({ token }),
    });
    const body = await response.json();
    if (response.ok) {
      button.hidden = true;
      result.textContent = "Invitation accepted: " + body.user.email + " is now active.";
    } else {
      result.textContent = body.detail || "The invitation could not be accepted.";
    }
  } catch {
    button.disabled = false;
    result.textContent = "The service could not be reached. Try again.";
  }
});
`;

const STYLE =
  "body{font-family:system-ui,sans-serif;max-width:32rem;margin:4rem auto;padding:0 1rem;line-height:1.5}" +
  "button{font-size:1rem;padding:.5rem 1rem;cursor:pointer}";

const sha256 = (text: string) => `'sha256-${createHash("sha256").update(text).digest("base64")}'`;

const HTML = `<!doctype html>
<html lang="en">
<head>
<meta charset="utf-8">
<meta name="viewport" content="width=device-width, initial-scale=1">
<title>Accept your PhyCloud invitation</title>
<style>${STYLE}</style>
</head>
<body>
<h1>Join PhyCloud</h1>
<p>You have been invited to PhyCloud. Accept the invitation to activate your account.</p>
<button id="accept" type="button">Accept invitation</button>
<p id="result" role="status" aria-live="polite"></p>
<noscript><p>This page needs JavaScript to accept the invitation.</p></noscript>
<script>${SCRIPT}</script>
</body>
</html>
`;

const HEADERS: Record<string, string> = {
  "content-type": "text/html; charset=utf-8",
  "content-security-policy": `default-src 'none'; script-src ${sha256(SCRIPT)}; style-src ${
    sha256(STYLE)
  }; connect-src 'self'; base-uri 'none'; form-action 'none'; frame-ancestors 'none'`,
  "referrer-policy": "no-referrer",
  "cache-control": "no-store",
  "x-content-type-options": "nosniff",
  "x-frame-options": "DENY",
};

/** Serves the accept page; the same bytes for every token. */
export function acceptPage(): Response {
  return new Response(HTML, { status: 200, headers: HEADERS });
}
