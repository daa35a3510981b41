// Shows the server's health on the start page. The agent app replaces this page.
const status = document.getElementById('health');

async function showHealth() {
  try {
    const response = await fetch('/healthz', { headers: { Accept: 'application/json' } });
    const body = await response.json();
    status.textContent = response.ok ? `Healthy, up ${body.uptimeSeconds} s.` : 'Unhealthy.';
  } catch {
    status.textContent = 'The server did not answer.';
  }
}

showHealth();
