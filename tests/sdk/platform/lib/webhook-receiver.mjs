// A tenant's webhook endpoint on loopback that checks every call with the verifier docs/tools.md shows (its Node block,
// loaded as written), for the test that the platform's signatures pass it and a tampered body does not.
import { createServer } from 'node:http';
import { mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { pathToFileURL } from 'node:url';
import { docBlock } from './doc-block.mjs';

/** The documented block as a module; the block defines `isValidWebhook`, exported here for the receiver to call. */
export async function documentedVerifier(file, name) {
  const dir = mkdtempSync(join(tmpdir(), 'webhook-verifier-'));
  try {
    const path = join(dir, 'verifier.mjs');
    writeFileSync(path, `${docBlock(file, name)}\nexport { isValidWebhook };\n`);
    return (await import(pathToFileURL(path).href)).isValidWebhook;
  } finally {
    rmSync(dir, { recursive: true, force: true });
  }
}

/**
 * Listens on 127.0.0.1 (a free port); answers each call with `{ valid, tampered_valid }`: what `isValidWebhook` says of
 * the request as received and of the same request with one byte of the body changed. `secret()` supplies the secret.
 */
export async function startVerifyingReceiver(isValidWebhook, secret) {
  const server = createServer((request, response) => {
    const chunks = [];
    request.on('data', (chunk) => chunks.push(chunk));
    request.on('end', () => {
      const rawBody = Buffer.concat(chunks);
      const timestamp = request.headers['x-voiceplatform-timestamp'];
      const signature = request.headers['x-voiceplatform-signature'];
      const tampered = Buffer.from(rawBody);
      tampered[tampered.length - 1] ^= 1;
      const answer = { valid: isValidWebhook(secret(), timestamp, signature, rawBody), tampered_valid: isValidWebhook(secret(), timestamp, signature, tampered) };
      response.writeHead(200, { 'content-type': 'application/json' }).end(JSON.stringify(answer));
    });
  });
  await new Promise((resolve) => server.listen(0, '127.0.0.1', resolve));
  return { url: `http://127.0.0.1:${server.address().port}/hook`, close: () => new Promise((resolve) => server.close(resolve)) };
}
