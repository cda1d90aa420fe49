// Proves the OpenAI Realtime emulator against the official `openai` npm SDK (OpenAIRealtimeWS).
// The SDK only builds wss:// URLs, so the emulator serves TLS with a throwaway self-signed certificate
// made by openssl, and the certificate is handed to the SDK's `ws` options (`ca`). REST calls
// (client secrets) use the SDK's ordinary HTTP client against the emulator's plain-HTTP port.
import { test, before, after } from 'node:test';
import assert from 'node:assert/strict';
import { execFileSync } from 'node:child_process';
import { mkdtempSync, readFileSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import OpenAI from 'openai';
import { OpenAIRealtimeWS } from 'openai/realtime/ws';
import { emulatorDll, freePort, startEmulatorProcess } from '../emulator-process.mjs';

let emulator;
let work;
let ca;
let httpBase;
let httpsBase;

before(async () => {
  const dll = emulatorDll('OpenAIRealtime');
  work = mkdtempSync(join(tmpdir(), 'openai-emulator-sdk-'));
  const cert = join(work, 'cert.pem');
  const key = join(work, 'key.pem');
  execFileSync('openssl', [
    'req', '-x509', '-newkey', 'rsa:2048', '-nodes', '-days', '1', '-subj', '/CN=127.0.0.1',
    '-addext', 'subjectAltName=IP:127.0.0.1,DNS:localhost', '-keyout', key, '-out', cert,
  ], { stdio: 'ignore' });
  ca = readFileSync(cert);

  const [httpPort, httpsPort] = [await freePort(), await freePort()];
  httpBase = `http://127.0.0.1:${httpPort}`;
  httpsBase = `https://127.0.0.1:${httpsPort}`;
  emulator = await startEmulatorProcess({
    dll,
    args: ['--urls', `${httpBase};${httpsBase}`],
    env: {
      Kestrel__Certificates__Default__Path: cert,
      Kestrel__Certificates__Default__KeyPath: key,
      Logging__LogLevel__Default: 'Warning',
    },
    healthUrl: `${httpBase}/health`,
  });
});

after(async () => {
  if (emulator) await emulator.stop();
  if (work) rmSync(work, { recursive: true, force: true });
});

/** Collects every server event and lets a test wait for the next one matching a type. */
class EventLog {
  constructor(rt) {
    this.events = [];
    this.errors = [];
    this.cursor = 0;
    this.waiters = [];
    rt.on('event', (event) => {
      this.events.push(event);
      this.waiters = this.waiters.filter((w) => !w());
    });
    // The SDK raises API error events here; a missing listener would throw.
    rt.on('error', (err) => this.errors.push(err));
  }

  /** Resolves with the next event of `type` after the cursor; advances the cursor past it. */
  next(type, timeoutMs = 15_000) {
    return new Promise((resolveEvent, reject) => {
      const timer = setTimeout(() => reject(new Error(`timed out waiting for ${type}; last events: ${this.events.slice(-5).map((e) => e.type).join(', ')}`)), timeoutMs);
      const check = () => {
        const index = this.events.findIndex((e, i) => i >= this.cursor && e.type === type);
        if (index < 0) return false;
        this.cursor = index + 1;
        clearTimeout(timer);
        resolveEvent(this.events[index]);
        return true;
      };
      if (!check()) this.waiters.push(check);
    });
  }

  since(mark, type) {
    return this.events.slice(mark).filter((e) => e.type === type);
  }
}

async function connect(apiKey, model = 'gpt-realtime') {
  const client = new OpenAI({ apiKey, baseURL: `${httpsBase}/v1` });
  const rt = new OpenAIRealtimeWS({ model, options: { ca } }, client);
  const log = new EventLog(rt);
  await new Promise((ok, fail) => {
    rt.socket.once('open', ok);
    rt.socket.once('error', fail);
  });
  return { rt, log };
}

/** Speech-like PCM16 at 24 kHz: a 150 Hz voice with harmonics under a 4 Hz syllable envelope. */
function speechLikePcm(ms) {
  const n = Math.round(ms * 24);
  const pcm = new Int16Array(n);
  for (let i = 0; i < n; i++) {
    const t = i / 24000;
    const voice = Math.sin(2 * Math.PI * 150 * t) + 0.5 * Math.sin(2 * Math.PI * 300 * t) + 0.25 * Math.sin(2 * Math.PI * 450 * t);
    const envelope = 0.3 + 0.7 * Math.sin(Math.PI * 4 * t) ** 2;
    pcm[i] = Math.round(5000 * envelope * voice);
  }
  return pcm;
}

function concatPcm(...parts) {
  const total = parts.reduce((sum, p) => sum + p.length, 0);
  const out = new Int16Array(total);
  let offset = 0;
  for (const p of parts) {
    out.set(p, offset);
    offset += p.length;
  }
  return Buffer.from(out.buffer);
}

const weatherTool = {
  type: 'function',
  name: 'get_weather',
  description: 'Current weather for a city.',
  parameters: { type: 'object', properties: { city: { type: 'string' } }, required: ['city'] },
};

test('a full conversation through the official SDK: audio turn, text turn, tool call', async () => {
  const { rt, log } = await connect('sk-sdk-test');
  try {
    const created = await log.next('session.created');
    assert.match(created.session.id, /^sess_/);
    assert.equal(created.session.audio.input.turn_detection.type, 'server_vad');

    rt.send({
      type: 'session.update',
      session: {
        type: 'realtime',
        instructions: 'You are the emulator.',
        tools: [weatherTool],
        tool_choice: 'auto',
        audio: {
          input: {
            format: { type: 'audio/pcm', rate: 24000 },
            transcription: { model: 'gpt-4o-transcribe' },
            turn_detection: { type: 'server_vad', threshold: 0.5, prefix_padding_ms: 300, silence_duration_ms: 400 },
          },
          output: { format: { type: 'audio/pcm', rate: 24000 }, voice: 'marin' },
        },
      },
    });
    const updated = await log.next('session.updated');
    assert.equal(updated.session.instructions, 'You are the emulator.');
    assert.equal(updated.session.audio.input.transcription.model, 'gpt-4o-transcribe');
    assert.equal(updated.session.tools[0].name, 'get_weather');

    // --- audio turn: 300 ms silence, 1.2 s speech-like audio, 700 ms silence, in 40 ms chunks
    const audio = concatPcm(new Int16Array(300 * 24), speechLikePcm(1200), new Int16Array(700 * 24));
    const mark = log.events.length;
    for (let offset = 0; offset < audio.length; offset += 1920) {
      rt.send({ type: 'input_audio_buffer.append', audio: audio.subarray(offset, offset + 1920).toString('base64') });
    }
    const started = await log.next('input_audio_buffer.speech_started');
    const stopped = await log.next('input_audio_buffer.speech_stopped');
    const committed = await log.next('input_audio_buffer.committed');
    assert.equal(started.audio_start_ms, 0);
    assert.equal(stopped.audio_end_ms, 1900);
    assert.equal(stopped.item_id, started.item_id);
    assert.equal(committed.item_id, started.item_id);

    const transcription = await log.next('conversation.item.input_audio_transcription.completed');
    assert.equal(transcription.item_id, started.item_id);
    assert.equal(transcription.transcript, '[audio 1.9 s]');
    assert.equal(transcription.usage.type, 'tokens');

    const audioDone = await log.next('response.done');
    assert.equal(audioDone.response.status, 'completed');
    const reply = audioDone.response.output[0];
    assert.equal(reply.role, 'assistant');
    assert.equal(reply.content[0].type, 'output_audio');
    assert.equal(reply.content[0].transcript, 'I heard 1.9 seconds of audio.');
    const transcriptDeltas = log.since(mark, 'response.output_audio_transcript.delta').map((e) => e.delta).join('');
    assert.equal(transcriptDeltas, reply.content[0].transcript);
    const audioBytes = log.since(mark, 'response.output_audio.delta').reduce((sum, e) => sum + Buffer.from(e.delta, 'base64').length, 0);
    assert.equal(audioBytes, reply.content[0].transcript.length * 60 * 48);
    const usage = audioDone.response.usage;
    assert.equal(usage.total_tokens, usage.input_tokens + usage.output_tokens);
    assert.equal(usage.input_token_details.audio_tokens, 19);
    assert.ok(usage.input_token_details.text_tokens > 0);
    assert.ok(usage.output_token_details.audio_tokens > 0);
    assert.ok(usage.output_token_details.text_tokens > 0);
    await log.next('rate_limits.updated');

    // --- text turn
    rt.send({ type: 'conversation.item.create', item: { type: 'message', role: 'user', content: [{ type: 'input_text', text: 'hello SDK' }] } });
    rt.send({ type: 'response.create' });
    const textDone = await log.next('response.done');
    assert.equal(textDone.response.output[0].content[0].transcript, 'Echo: hello SDK');
    assert.ok(textDone.response.usage.input_token_details.cached_tokens > 0);

    // --- tool call round trip
    rt.send({ type: 'conversation.item.create', item: { type: 'message', role: 'user', content: [{ type: 'input_text', text: 'call get_weather {"city":"Paris"}' }] } });
    rt.send({ type: 'response.create' });
    const args = await log.next('response.function_call_arguments.done');
    assert.equal(args.name, 'get_weather');
    assert.deepEqual(JSON.parse(args.arguments), { city: 'Paris' });
    const callDone = await log.next('response.done');
    assert.equal(callDone.response.output[0].type, 'function_call');
    assert.equal(callDone.response.output[0].call_id, args.call_id);

    rt.send({ type: 'conversation.item.create', item: { type: 'function_call_output', call_id: args.call_id, output: '{"temp_c":21}' } });
    await log.next('conversation.item.done');
    rt.send({ type: 'response.create' });
    const toolReply = await log.next('response.done');
    assert.equal(toolReply.response.output[0].content[0].transcript, 'Tool get_weather returned: {"temp_c":21}');

    assert.deepEqual(log.errors, []);

    // --- API errors reach the SDK's error listener with their code
    rt.send({ type: 'response.cancel', event_id: 'sdk-cancel' });
    await log.next('error');
    assert.equal(log.errors.length, 1);
    assert.equal(log.errors[0].error.code, 'response_cancel_not_active');
    assert.equal(log.errors[0].error.event_id, 'sdk-cancel');
  } finally {
    rt.close();
  }
});

test('ephemeral client secret minted with the SDK opens a preconfigured session', async () => {
  const rest = new OpenAI({ apiKey: 'sk-sdk-test', baseURL: `${httpBase}/v1` });
  const secret = await rest.realtime.clientSecrets.create({
    expires_after: { anchor: 'created_at', seconds: 300 },
    session: { type: 'realtime', model: 'gpt-realtime', audio: { output: { voice: 'cedar' } } },
  });
  assert.match(secret.value, /^ek_/);
  assert.equal(secret.session.audio.output.voice, 'cedar');

  const { rt, log } = await connect(secret.value);
  try {
    const created = await log.next('session.created');
    assert.equal(created.session.audio.output.voice, 'cedar');
  } finally {
    rt.close();
  }
});

test('the beta header is rejected with beta_api_shape_disabled and close 4000, as the SDK sees it', async () => {
  const client = new OpenAI({ apiKey: 'sk-sdk-test', baseURL: `${httpsBase}/v1` });
  const rt = new OpenAIRealtimeWS({ model: 'gpt-realtime', options: { ca, headers: { 'OpenAI-Beta': 'realtime=v1' } } }, client);
  const log = new EventLog(rt);
  const closed = new Promise((ok) => rt.socket.once('close', (code, reason) => ok({ code, reason: reason.toString() })));
  const { code, reason } = await closed;
  assert.equal(code, 4000);
  assert.equal(reason, 'invalid_request_error.beta_api_shape_disabled');
  assert.equal(log.errors[0]?.error?.code, 'beta_api_shape_disabled');
});
