// Proves the OpenAI Realtime emulator's Azure variant against the official `openai` npm SDK: an `AzureOpenAI` client
// (apiKey, endpoint, deployment) and `OpenAIRealtimeWS.azure()`, which opens wss://<endpoint>/openai/v1/realtime?model=<deployment>
// with the key in the `api-key` header. TLS as in realtime.test.mjs (a throwaway openssl certificate handed to `ws`).
import { test, before, after } from 'node:test';
import assert from 'node:assert/strict';
import { execFileSync } from 'node:child_process';
import { mkdtempSync, readFileSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { AzureOpenAI } from 'openai';
import { OpenAIRealtimeWS } from 'openai/realtime/ws';
import { emulatorDll, freePort, startEmulatorProcess } from '../emulator-process.mjs';

const apiKey = 'azure-sdk-key';
let emulator;
let work;
let ca;
let httpsBase;

before(async () => {
  const dll = emulatorDll('OpenAIRealtime');
  work = mkdtempSync(join(tmpdir(), 'openai-emulator-azure-sdk-'));
  const cert = join(work, 'cert.pem');
  const key = join(work, 'key.pem');
  execFileSync('openssl', [
    'req', '-x509', '-newkey', 'rsa:2048', '-nodes', '-days', '1', '-subj', '/CN=127.0.0.1',
    '-addext', 'subjectAltName=IP:127.0.0.1,DNS:localhost', '-keyout', key, '-out', cert,
  ], { stdio: 'ignore' });
  ca = readFileSync(cert);

  const [httpPort, httpsPort] = [await freePort(), await freePort()];
  const httpBase = `http://127.0.0.1:${httpPort}`;
  httpsBase = `https://127.0.0.1:${httpsPort}`;
  emulator = await startEmulatorProcess({
    dll,
    args: ['--urls', `${httpBase};${httpsBase}`],
    env: {
      Kestrel__Certificates__Default__Path: cert,
      Kestrel__Certificates__Default__KeyPath: key,
      Logging__LogLevel__Default: 'Warning',
      OpenAIEmulator__ApiKeys__0: apiKey,
      'OpenAIEmulator__Azure__Deployments__voice-prod': 'gpt-realtime-2.1',
      'OpenAIEmulator__Azure__Deployments__stt': 'gpt-realtime-whisper',
    },
    healthUrl: `${httpBase}/health`,
  });
});

after(async () => {
  if (emulator) await emulator.stop();
  if (work) rmSync(work, { recursive: true, force: true });
});

function azureClient(key = apiKey, deployment = 'voice-prod') {
  return new AzureOpenAI({ apiKey: key, endpoint: httpsBase, apiVersion: '2025-08-28', deployment });
}

/** Opens the socket; resolves with the events seen so far and a way to wait for the next of a type. */
async function open(client) {
  const rt = await OpenAIRealtimeWS.azure(client, { options: { ca } });
  const events = [];
  const waiters = [];
  rt.on('event', (event) => {
    events.push(event);
    for (const w of waiters.splice(0)) if (!w()) waiters.push(w);
  });
  rt.on('error', () => {});
  const next = (type, from = 0) => new Promise((resolve, reject) => {
    const timer = setTimeout(() => reject(new Error(`timed out waiting for ${type}`)), 15_000);
    const check = () => {
      const found = events.slice(from).find((e) => e.type === type);
      if (!found) return false;
      clearTimeout(timer);
      resolve(found);
      return true;
    };
    if (!check()) waiters.push(check);
  });
  return { rt, events, next };
}

/** The HTTP status a refused upgrade got, from the `ws` error the SDK's socket raises. */
async function refusedStatus(client) {
  const rt = await OpenAIRealtimeWS.azure(client, { options: { ca } });
  rt.on('error', () => {});
  const error = await new Promise((resolve) => rt.socket.once('error', resolve));
  return Number(/Unexpected server response: (\d+)/.exec(error.message)?.[1]);
}

test('AzureOpenAI + OpenAIRealtimeWS.azure() opens the Azure path with the api-key header and the deployment as model', async () => {
  const { rt, events, next } = await open(azureClient());
  try {
    assert.equal(rt.url.pathname, '/openai/v1/realtime');
    assert.equal(rt.url.searchParams.get('model'), 'voice-prod');

    const created = await next('session.created');
    assert.equal(created.session.model, 'voice-prod');

    // voice-prod is gpt-realtime-2.1 underneath, so reasoning is accepted.
    rt.send({ type: 'session.update', session: { type: 'realtime', reasoning: { effort: 'low' } } });
    const updated = await next('session.updated');
    assert.equal(updated.session.reasoning.effort, 'low');

    const mark = events.length;
    rt.send({ type: 'conversation.item.create', item: { type: 'message', role: 'user', content: [{ type: 'input_text', text: 'hello Azure' }] } });
    rt.send({ type: 'response.create' });
    const done = await next('response.done', mark);
    assert.equal(done.response.output[0].content[0].transcript, 'Echo: hello Azure');
  } finally {
    rt.close();
  }
});

test('a wrong key is refused with 401 and a transcription deployment with 400', async () => {
  assert.equal(await refusedStatus(azureClient('wrong-key')), 401);
  assert.equal(await refusedStatus(azureClient(apiKey, 'stt')), 400);
});
