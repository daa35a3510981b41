// The proof-of-work spam check of public forms (protocol in the OpenAPI document,
// POST /api/portal/captcha): find a nonce such that SHA-256("challenge:nonce") starts with
// `difficultyBits` zero bits. Hashes run in batches through SubtleCrypto, so the page
// stays responsive; a real browser needs about a second.
const BATCH = 512;
const encoder = new TextEncoder();

function leadingZeroBits(buffer) {
  const bytes = new Uint8Array(buffer);
  let bits = 0;
  for (const byte of bytes) {
    if (byte === 0) { bits += 8; continue; }
    return bits + Math.clz32(byte) - 24;
  }
  return bits;
}

/** Fetches a challenge and solves it; resolves with the two form fields to send. */
export async function solveCaptcha() {
  const response = await fetch('/api/portal/captcha', { method: 'POST', credentials: 'omit', headers: { Accept: 'application/json' } });
  if (!response.ok) throw new Error(response.status === 429 ? 'Too many attempts. Please wait a few minutes.' : 'The spam check is not available.');
  const { challenge, difficultyBits } = await response.json();
  for (let start = 0; ; start += BATCH) {
    const nonces = Array.from({ length: BATCH }, (_, i) => start + i);
    const digests = await Promise.all(nonces.map((n) => crypto.subtle.digest('SHA-256', encoder.encode(`${challenge}:${n}`))));
    const found = digests.findIndex((digest) => leadingZeroBits(digest) >= difficultyBits);
    if (found >= 0) return { captchaChallenge: challenge, captchaNonce: String(nonces[found]) };
  }
}
