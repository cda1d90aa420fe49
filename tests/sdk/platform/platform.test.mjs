// Proves that the official `openai` npm SDK works against the whole platform, as a customer uses it: an OpenAI client
// whose base URL is our Gateway (`https://127.0.0.1:<tls port>/v1`) and the SDK's realtime WebSocket class, for every
// model family (gpt-realtime-2 → OpenAI emulator; gemini-3.1-flash-live → Gemini emulator through the Router's
// translation). The platform is the real AppHost program, started once for the file and stopped with SIGTERM at the end.
import { after, before, describe, test } from 'node:test';
import assert from 'node:assert/strict';
import { mkdtempSync, readFileSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { execFileSync } from 'node:child_process';
import { join } from 'node:path';
import OpenAI from 'openai';
import { OpenAIRealtimeWS } from 'openai/realtime/ws';
import WebSocket from 'ws';
import { launchWithMicrophone, writeMicrophoneWav } from './lib/browser.mjs';
import { Conversation, TURN_MS, brief } from './lib/conversation.mjs';
import { docBlock, startDocBlock } from './lib/doc-block.mjs';
import { localCheckout, toolUserEnv } from './lib/local-checkout.mjs';
import { repoRoot, startPlatform } from './lib/platform.mjs';
import { REALTIME_RATE, pcm16, resample, rmsDbfs, silence, spokenSentence, voicedSpan } from './lib/speech.mjs';
import { BYTES_PER_MS, assertInOrder, assertNoErrors, audioBytes, sendUserText, streamSpokenTurn } from './lib/turns.mjs';
import { INSTRUCTIONS, requestWeatherCall, sessionConfig } from './lib/voice-agent.mjs';
import { documentedVerifier, startVerifyingReceiver } from './lib/webhook-receiver.mjs';

const MODELS = ['gpt-realtime-2', 'gemini-3.1-flash-live'];
const SENTENCE = 'What is the weather like in Paris today';
const TEST_OPTIONS = { timeout: 120_000 };

let platform;
let ca;
let failures = 0; // tests that did not pass (the platform log is kept if any)

before(async () => {
  platform = await startPlatform({
    // The OpenAI emulator sends a whole reply at once by default; paced at 4× realtime there is a reply to cancel.
    // docs/tools.md's verifier is checked against calls to a loopback webhook, which an operator allow-lists.
    env: { OpenAIEmulator__ResponseRealtimeFactor: '4', Tools__Webhooks__AllowedTargets__0: '127.0.0.1' },
  });
  ca = readFileSync(platform.endpoints.caCertificate);
});

after(async () => {
  if (!platform) return;
  if (!platform.exited) await platform.stop(); // only when the last test did not run (e.g. --test-name-pattern)
  const keep = failures > 0;
  platform.dispose(keep);
  if (keep) console.log(`platform log kept for the failures above: ${platform.logPath}`);
});

/** A test whose failure message ends with where the platform's log is. */
function platformTest(name, fn) {
  test(name, TEST_OPTIONS, async (t) => {
    failures++; // until it passes: a test cancelled by its timeout also keeps the log
    try {
      await fn(t);
      failures--;
    } catch (error) {
      if (platform && error instanceof Error) error.message += `\n    platform log: ${platform.logPath}`;
      throw error;
    }
  });
}

/** Opens a session, applies `session` with session.update, and returns the conversation and session.updated. */
async function openConfigured(model, session = sessionConfig) {
  const conversation = await Conversation.open({ model, endpoints: platform.endpoints, ca });
  conversation.send({ type: 'session.update', session });
  const updated = await conversation.next('session.updated');
  return { conversation, updated };
}

async function withConversation(model, fn) {
  const { conversation, updated } = await openConfigured(model);
  try {
    await fn(conversation, updated);
  } finally {
    await conversation.close();
  }
}

let spoken; // the synthesized sentence, made once

function spokenInput() {
  if (!spoken) {
    const { wav, samples } = spokenSentence(SENTENCE, join(platform.workDir, 'sentence.wav'));
    // 300 ms before the speech (the microphone is open before the user talks), ~1.2 s after it so server VAD ends the turn.
    const leadMs = 300;
    const pcm = pcm16(silence(leadMs), samples, silence(1200));
    const voiced = voicedSpan(samples);
    spoken = {
      wav,
      samples,
      pcm,
      seconds: pcm.length / BYTES_PER_MS / 1000,
      // Where the voice is in what is streamed, in ms on the audio clock the VAD events use.
      speechStartMs: leadMs + voiced.startMs,
      speechEndMs: leadMs + voiced.endMs,
      speechSeconds: (voiced.endMs - voiced.startMs) / 1000,
    };
  }
  return spoken;
}

platformTest('test input: espeak-ng speech is parsed from its WAV and resampled to 24 kHz PCM16', () => {
  const { wav, samples, seconds } = spokenInput();
  assert.ok([16000, 22050, 24000, 44100, 48000].includes(wav.sampleRate), `unexpected espeak-ng sample rate ${wav.sampleRate}`);
  const wavSeconds = wav.samples.length / wav.sampleRate;
  assert.ok(wavSeconds > 1 && wavSeconds < 6, `espeak-ng produced ${wavSeconds.toFixed(2)} s for "${SENTENCE}"`);
  assert.ok(Math.abs(samples.length / REALTIME_RATE - wavSeconds) < 0.001, 'resampling keeps the duration');
  assert.ok(rmsDbfs(samples) > -35, `speech is loud enough for server VAD (RMS ${rmsDbfs(samples).toFixed(1)} dBFS)`);
  assert.ok(seconds > wavSeconds + 1.4, 'silence is added before and after the speech');
  const { speechSeconds } = spokenInput();
  assert.ok(speechSeconds > 1 && speechSeconds <= wavSeconds, `voiced part is ${speechSeconds} s of the ${wavSeconds.toFixed(2)} s WAV`);

  // The resampler itself: a 1 kHz sine at 22050 Hz comes out as the same sine at 24 kHz (error under 0.5 %).
  const tone = Int16Array.from({ length: 22050 }, (_, i) => Math.round(16000 * Math.sin((2 * Math.PI * 1000 * i) / 22050)));
  const converted = resample(tone, 22050, REALTIME_RATE);
  assert.equal(converted.length, REALTIME_RATE);
  let worst = 0;
  for (let n = 100; n < converted.length - 100; n++) { // away from the edges, where the window runs out of input
    worst = Math.max(worst, Math.abs(converted[n] - 16000 * Math.sin((2 * Math.PI * 1000 * n) / REALTIME_RATE)));
  }
  assert.ok(worst < 80, `resampled sine deviates by ${worst.toFixed(0)} (of 16000)`);
});

for (const model of MODELS) {
  describe(`${model} through the Gateway with the openai SDK`, () => {
    platformTest('session.update (instructions, input transcription, server_vad, tools) → session.updated with the full session', async () => {
      const conversation = await Conversation.open({ model, endpoints: platform.endpoints, ca });
      try {
        const created = conversation.ofType('session.created')[0];
        assert.match(created.session.id, /^sess_/);
        conversation.send({ type: 'session.update', session: sessionConfig });
        const { session } = await conversation.next('session.updated');
        assert.equal(session.id, created.session.id, 'session id stays the same');
        assert.equal(session.type, 'realtime');
        assert.equal(session.model, model);
        assert.equal(session.instructions, INSTRUCTIONS);
        assert.deepEqual(session.output_modalities, ['audio']);
        assert.equal(session.audio.input.transcription?.model, 'gpt-4o-transcribe');
        assert.equal(session.audio.input.turn_detection?.type, 'server_vad');
        assert.equal(session.audio.input.turn_detection.silence_duration_ms, 500);
        assert.deepEqual(session.audio.input.format, { type: 'audio/pcm', rate: 24000 });
        assert.deepEqual(session.audio.output.format, { type: 'audio/pcm', rate: 24000 });
        assert.equal(session.audio.output.voice, 'marin');
        assert.deepEqual(session.tools.map((t) => t.name), ['get_weather']);
        assert.equal(session.tool_choice, 'auto');
        assertNoErrors(conversation);
      } finally {
        await conversation.close();
      }
    });

    platformTest('spoken turn: espeak-ng speech streamed in real time (20 ms chunks) is detected, transcribed and answered', async (t) => {
      const input = spokenInput();
      await withConversation(model, async (conversation) => {
        const { since, started, stopped, committed } = await streamSpokenTurn(conversation, input.pcm);
        // audio_start_ms includes the prefix padding (protocol §5), so it is not later than the voice's onset (allowing
        // 100 ms of detector latency); audio_end_ms includes the trailing silence, so it is not before the voice ends.
        assert.ok(started.audio_start_ms >= 0 && started.audio_start_ms <= input.speechStartMs + 100,
          `speech_started.audio_start_ms is ${started.audio_start_ms} ms, but the voice starts at ${input.speechStartMs} ms `
          + `and audio_start_ms includes prefix_padding_ms (${sessionConfig.audio.input.turn_detection.prefix_padding_ms} ms)`);
        assert.ok(stopped.audio_end_ms >= input.speechEndMs - 100 && stopped.audio_end_ms <= input.seconds * 1000 + 50,
          `speech_stopped.audio_end_ms is ${stopped.audio_end_ms} ms; the voice ends at ${input.speechEndMs} ms of ${(input.seconds * 1000).toFixed(0)} ms sent`);

        const done = await conversation.waitFor('response.done', { since });
        const transcriptDone = await conversation.waitFor('response.output_audio_transcript.done', { since });
        // Input transcription is asynchronous: it may come before or after response.done.
        const transcription = await conversation.waitFor('conversation.item.input_audio_transcription.completed', { since });
        assertInOrder(conversation, since, ['input_audio_buffer.speech_started', 'input_audio_buffer.speech_stopped', 'input_audio_buffer.committed',
          'response.created', 'response.output_audio.delta', 'response.output_audio_transcript.done', 'response.done']);

        assert.equal(transcription.item_id, committed.item_id, 'the transcription belongs to the committed user item');
        assert.match(transcription.transcript, /^\[audio \d+\.\d s\]$/);

        assert.match(transcriptDone.transcript, /I heard \d+\.\d seconds of audio\./);
        const heard = Number(/I heard (\d+\.\d) seconds/.exec(transcriptDone.transcript)[1]);
        assert.ok(heard >= input.speechSeconds * 0.6 && heard <= input.seconds + 0.05,
          `heard ${heard} s; the voice is ${input.speechSeconds.toFixed(2)} s of ${input.seconds.toFixed(2)} s sent`);

        const response = done.response;
        assert.equal(response.status, 'completed', `response.done: ${brief(done)}`);
        const deltas = conversation.ofType('response.output_audio.delta', since);
        assert.ok(deltas.length > 0, 'reply audio arrived as response.output_audio.delta');
        assert.ok(deltas.every((d) => d.response_id === response.id), 'every audio delta belongs to the response');
        assert.ok(audioBytes(deltas) >= 0.5 * BYTES_PER_MS * 1000, `reply audio is ${audioBytes(deltas)} bytes`);
        const reply = response.output.find((item) => item.type === 'message' && item.role === 'assistant');
        assert.ok(reply, `response.done has the assistant message: ${JSON.stringify(response.output)}`);
        assert.equal(reply.content[0]?.transcript, transcriptDone.transcript);
        assert.ok(response.usage, 'response.done carries usage');
        assert.ok(response.usage.output_tokens > 0, `usage: ${JSON.stringify(response.usage)}`);
        assert.ok(response.usage.input_tokens > 0, `usage: ${JSON.stringify(response.usage)}`);
        assert.equal(response.usage.total_tokens, response.usage.input_tokens + response.usage.output_tokens);
        assertNoErrors(conversation, since);
        t.diagnostic(`voice ${input.speechStartMs}–${input.speechEndMs} ms of ${(input.seconds * 1000).toFixed(0)} ms sent; VAD ${started.audio_start_ms}–${stopped.audio_end_ms} ms; `
          + `"${transcription.transcript}" → "${transcriptDone.transcript}"; usage in ${response.usage.input_tokens} out ${response.usage.output_tokens}`);
      });
    });

    platformTest('text turn: conversation.item.create + response.create → "Echo: …" with audio', async () => {
      await withConversation(model, async (conversation) => {
        const since = conversation.mark();
        sendUserText(conversation, 'Hello from the openai SDK');
        const done = await conversation.waitFor('response.done', { since });
        const transcript = await conversation.waitFor('response.output_audio_transcript.done', { since });
        assert.equal(transcript.transcript, 'Echo: Hello from the openai SDK');
        assert.equal(done.response.status, 'completed', `response.done: ${brief(done)}`);
        assert.ok(audioBytes(conversation.ofType('response.output_audio.delta', since)) > 0, 'reply audio arrived');
        assert.ok(done.response.usage?.output_tokens > 0, `usage: ${JSON.stringify(done.response.usage)}`);
        assertInOrder(conversation, since, ['conversation.item.added', 'response.created', 'response.output_item.added',
          'response.output_audio.delta', 'response.output_audio_transcript.done', 'response.output_item.done', 'response.done']);
        assertNoErrors(conversation, since);
      });
    });

    platformTest('tool call round trip: function_call_arguments.done → function_call_output + response.create → spoken result', async () => {
      await withConversation(model, async (conversation) => {
        const { args } = await requestWeatherCall(conversation);

        const since = conversation.mark();
        conversation.send({ type: 'conversation.item.create', item: { type: 'function_call_output', call_id: args.call_id, output: '{"temp_c":21,"sky":"clear"}' } });
        conversation.send({ type: 'response.create' });
        const done = await conversation.waitFor('response.done', { since });
        const transcript = await conversation.waitFor('response.output_audio_transcript.done', { since });
        assert.equal(done.response.status, 'completed', `response.done: ${brief(done)}`);
        assert.ok(transcript.transcript.startsWith('Tool get_weather returned:'), `transcript: ${transcript.transcript}`);
        assert.match(transcript.transcript, /21/);
        assertNoErrors(conversation);
      });
    });

    platformTest('interrupt: response.cancel while audio streams → response.done cancelled; truncate at 200 ms → conversation.item.truncated', async (t) => {
      await withConversation(model, async (conversation) => {
        const since = conversation.mark();
        const longText = 'Please tell me a long story about a lighthouse keeper who counts the waves every night, names each one '
          + 'after a friend, writes their stories into a logbook that nobody ever reads, and wonders whether the sea remembers '
          + 'the names he gave it when the winter storms come and the lamp must burn until morning.';
        sendUserText(conversation, longText);
        const fullReplyMs = `Echo: ${longText}`.length * 60; // the emulators speak 60 ms per character

        const item = (await conversation.waitFor('response.output_item.added', { since })).item;
        assert.equal(item.role, 'assistant');
        // Cancel once at least 300 ms of reply audio has arrived (it plays for ~20 s).
        await conversation.waitFor('response.output_audio.delta', {
          since,
          where: () => audioBytes(conversation.ofType('response.output_audio.delta', since)) >= 300 * BYTES_PER_MS,
        });
        const cancelledAt = conversation.mark();
        conversation.send({ type: 'response.cancel' });

        const done = await conversation.waitFor('response.done', { since, allowErrors: true });
        const cancelErrors = conversation.errorEvents(cancelledAt);
        assert.equal(done.response.status, 'cancelled',
          `the reply finished before response.cancel reached it (streamed too fast to interrupt?): ${brief(done)}`
          + (cancelErrors.length ? `; errors: ${cancelErrors.map(brief).join(', ')}` : ''));
        assert.equal(done.response.status_details?.reason, 'client_cancelled', `status_details: ${JSON.stringify(done.response.status_details)}`);
        const received = audioBytes(conversation.ofType('response.output_audio.delta', since)) / BYTES_PER_MS;
        assert.ok(received < fullReplyMs * 0.9, `only part of the ${fullReplyMs} ms reply was sent, got ${received.toFixed(0)} ms`);
        const output = done.response.output.find((o) => o.id === item.id);
        assert.ok(output, `the cancelled response lists the assistant item ${item.id}: ${JSON.stringify(done.response.output)}`);
        assert.equal(output.status, 'incomplete');
        assertNoErrors(conversation, since);

        // The client played 200 ms of the reply before stopping playback.
        const truncatedSince = conversation.mark();
        conversation.send({ type: 'conversation.item.truncate', item_id: item.id, content_index: 0, audio_end_ms: 200, event_id: 'truncate_1' });
        const truncated = await conversation.waitFor('conversation.item.truncated', { since: truncatedSince });
        assert.equal(truncated.item_id, item.id);
        assert.equal(truncated.content_index, 0);
        assert.equal(truncated.audio_end_ms, 200);
        assertNoErrors(conversation, since);
        t.diagnostic(`cancelled after ${received.toFixed(0)} ms of a ${fullReplyMs} ms reply; truncated at 200 ms`);
      });
    });
  });
}

describe('authentication', () => {
  /** Browser-style connection with the raw ws package: subprotocols carry the key (no Authorization header). */
  function browserSocket(key, model = 'gpt-realtime-2') {
    const url = `${platform.endpoints.gatewayTls.replace('https://', 'wss://')}/v1/realtime?model=${encodeURIComponent(model)}`;
    return new WebSocket(url, ['realtime', `openai-insecure-api-key.${key}`], { ca });
  }

  /** Resolves with { status, body } when the server refuses the upgrade over HTTP, or rejects if it accepts. */
  function refusal(socket) {
    return new Promise((resolveRefusal, reject) => {
      socket.once('open', () => { socket.close(); reject(new Error('the upgrade was accepted')); });
      socket.once('unexpected-response', (_request, response) => {
        let body = '';
        response.on('data', (d) => { body += d; });
        response.on('end', () => { socket.terminate(); resolveRefusal({ status: response.statusCode, body }); });
      });
      // terminate() after unexpected-response reports an error too; one before it is a real failure.
      socket.on('error', (error) => reject(new Error(`no HTTP refusal: ${error.message}`)));
    });
  }

  platformTest('browser-style auth: subprotocols realtime + openai-insecure-api-key.<key> with the raw ws package', async () => {
    const socket = browserSocket(platform.endpoints.devApiKey);
    const events = [];
    const arrived = new Map();
    const next = (type) => new Promise((ok, fail) => {
      const timer = setTimeout(() => fail(new Error(`no ${type} within ${TURN_MS / 1000} s; got ${events.map((e) => e.type).join(', ')}`)), TURN_MS);
      const check = () => {
        const event = events.find((e) => e.type === type);
        if (event) { clearTimeout(timer); ok(event); return true; }
        return false;
      };
      if (!check()) arrived.set(type, check);
    });
    let binaryFrames = 0;
    socket.on('message', (data, isBinary) => {
      if (isBinary) { binaryFrames++; return; }
      events.push(JSON.parse(data.toString()));
      for (const [type, check] of arrived) if (check()) arrived.delete(type);
    });
    try {
      await new Promise((ok, fail) => {
        socket.once('open', ok);
        socket.once('error', fail);
        socket.once('unexpected-response', (_req, res) => fail(new Error(`upgrade refused with HTTP ${res.statusCode}`)));
      });
      assert.equal(socket.protocol, 'realtime', 'the server selects the realtime subprotocol (browsers require one)');
      const created = await next('session.created');
      assert.match(created.session.id, /^sess_/);
      socket.send(JSON.stringify({ type: 'conversation.item.create', item: { type: 'message', role: 'user', content: [{ type: 'input_text', text: 'hi from a browser' }] } }));
      socket.send(JSON.stringify({ type: 'response.create' }));
      const done = await next('response.done');
      assert.equal(done.response.status, 'completed');
      assert.equal(done.response.output[0].content[0].transcript, 'Echo: hi from a browser');
      assert.deepEqual(events.filter((e) => e.type === 'error'), []);
      assert.equal(binaryFrames, 0, 'server events are text frames');
    } finally {
      socket.close();
    }
  });

  platformTest('a wrong API key is refused: HTTP 401 invalid_api_key before the upgrade, and the SDK reports it', async () => {
    const wrongKey = 'vpk_0000000000000000_not-a-real-key';

    // Raw view of what the SDK's socket gets: 401 with an OpenAI-style error body, for both ways of presenting a key.
    const headerSocket = () => new WebSocket(`${platform.endpoints.gatewayTls.replace('https://', 'wss://')}/v1/realtime?model=gpt-realtime-2`,
      { ca, headers: { Authorization: `Bearer ${wrongKey}` } });
    // One at a time: refusal() must be listening before the server can answer.
    for (const [how, connect] of [['Authorization header', headerSocket], ['subprotocol', () => browserSocket(wrongKey)]]) {
      const { status, body } = await refusal(connect());
      assert.equal(status, 401, `${how}: HTTP status`);
      const error = JSON.parse(body).error;
      assert.equal(error?.code, 'invalid_api_key', `${how}: body ${body}`);
      assert.equal(error?.type, 'invalid_request_error', `${how}: body ${body}`);
    }

    // The SDK: the socket never opens, and the SDK's error listener hears about the 401.
    for (const model of MODELS) {
      const client = new OpenAI({ apiKey: wrongKey, baseURL: `${platform.endpoints.gatewayTls}/v1` });
      const rt = new OpenAIRealtimeWS({ model, options: { ca } }, client);
      const outcome = await new Promise((ok) => {
        const timer = setTimeout(() => ok({ timeout: true }), TURN_MS);
        rt.on('error', (error) => { clearTimeout(timer); ok({ error }); });
        rt.socket.once('open', () => { clearTimeout(timer); ok({ opened: true }); });
      });
      rt.socket.terminate();
      assert.ok(!outcome.opened, `${model}: a wrong key opened a session`);
      assert.ok(outcome.error, `${model}: the SDK reported no error within ${TURN_MS / 1000} s`);
      assert.match(outcome.error.message, /401/, `${model}: SDK error: ${outcome.error.message}`);
    }
  });

  platformTest('ephemeral key: minted with the SDK (realtime.clientSecrets.create), it opens a session with its pinned configuration and nothing else', async () => {
    // Minting is a REST call with the tenant key (plain HTTP here; the SDK's REST client and the platform CA need no extra setup).
    const server = new OpenAI({ apiKey: platform.endpoints.devApiKey, baseURL: `${platform.endpoints.gateway}/v1` });
    const secret = await server.realtime.clientSecrets.create({
      expires_after: { anchor: 'created_at', seconds: 60 },
      session: { type: 'realtime', model: 'gpt-realtime-2', instructions: 'Pinned by the server.' },
    });
    assert.match(secret.value, /^ek_/);
    assert.ok(secret.expires_at >= Math.floor(Date.now() / 1000) + 55, `expires_at ${secret.expires_at}`);
    assert.equal(secret.session.model, 'gpt-realtime-2');

    // The browser side: an SDK client holding only the ephemeral key.
    const browser = new OpenAI({ apiKey: secret.value, baseURL: `${platform.endpoints.gatewayTls}/v1`, dangerouslyAllowBrowser: true });
    const rt = new OpenAIRealtimeWS({ model: 'gpt-realtime-2', options: { ca } }, browser);
    try {
      const created = await new Promise((ok, fail) => {
        const timer = setTimeout(() => fail(new Error(`no session.created within ${TURN_MS / 1000} s`)), TURN_MS);
        rt.on('session.created', (e) => { clearTimeout(timer); ok(e); });
        rt.on('error', (e) => { clearTimeout(timer); fail(e); });
      });
      assert.equal(created.session.instructions, 'Pinned by the server.');
    } finally {
      rt.close();
    }

    // The ephemeral key is for /v1/realtime only.
    const rest = new OpenAI({ apiKey: secret.value, baseURL: `${platform.endpoints.gateway}/v1`, maxRetries: 0 });
    await assert.rejects(rest.models.list(), (error) => error.status === 401 && error.code === 'invalid_api_key');
    await assert.rejects(rest.realtime.clientSecrets.create({ session: { type: 'realtime' } }), (error) => error.status === 401);
  });
});

describe('routes', () => {
  /** Opens an SDK session and resolves with its session.created (rejects on an error event). */
  function sdkSession(client, model, headers = {}) {
    const rt = new OpenAIRealtimeWS({ model, options: { ca, headers } }, client);
    const created = new Promise((ok, fail) => {
      const timer = setTimeout(() => fail(new Error(`no session.created within ${TURN_MS / 1000} s`)), TURN_MS);
      rt.on('session.created', (e) => { clearTimeout(timer); ok(e); });
      rt.on('error', (e) => { clearTimeout(timer); fail(e); });
    });
    return { rt, created };
  }

  platformTest('the openai SDK connects to a route name unmodified: the route\'s target, its session defaults and the routing extension', async () => {
    const response = await fetch(`${platform.endpoints.gateway}/v1/routes`, {
      method: 'POST',
      headers: { authorization: `Bearer ${platform.endpoints.devApiKey}`, 'content-type': 'application/json' },
      body: JSON.stringify({ name: 'sdk-support-voice', target: { model: 'gemini-3.1-flash-live', session: { instructions: 'Route default.' } } }),
    });
    assert.equal(response.status, 201, await response.text());

    const client = new OpenAI({ apiKey: platform.endpoints.devApiKey, baseURL: `${platform.endpoints.gatewayTls}/v1` });
    const { rt, created } = sdkSession(client, 'sdk-support-voice', { 'X-VoicePlatform-Subject': 'alice' });
    try {
      const session = await created;
      assert.deepEqual([session.routing.route, session.routing.model], ['sdk-support-voice', 'gemini-3.1-flash-live']);
      assert.equal(session.session.instructions, 'Route default.');
      const done = new Promise((ok) => rt.on('response.done', ok));
      rt.send({ type: 'conversation.item.create', item: { type: 'message', role: 'user', content: [{ type: 'input_text', text: 'hello route' }] } });
      rt.send({ type: 'response.create' });
      assert.equal((await done).response.status, 'completed');
    } finally {
      rt.close();
    }

    // An ephemeral key may name the route and pin the end user (session.user) for experiments.
    const server = new OpenAI({ apiKey: platform.endpoints.devApiKey, baseURL: `${platform.endpoints.gateway}/v1` });
    const secret = await server.realtime.clientSecrets.create({ session: { type: 'realtime', model: 'sdk-support-voice', user: 'alice' } });
    const browser = new OpenAI({ apiKey: secret.value, baseURL: `${platform.endpoints.gatewayTls}/v1`, dangerouslyAllowBrowser: true });
    const pinned = sdkSession(browser, 'sdk-support-voice');
    try {
      assert.equal((await pinned.created).routing.route, 'sdk-support-voice');
    } finally {
      pinned.rt.close();
    }
  });
});

/** Runs the bash block after `<!-- ci:<name> -->` in a Markdown file of the repository (README.md, docs/…) as written, from the repository root; returns its output. */
function runDocBlock(file, name, env, timeout) {
  return execFileSync('bash', ['-euo', 'pipefail', '-c', docBlock(file, name)], { cwd: repoRoot, env: { ...process.env, ...env }, encoding: 'utf8', timeout });
}

/**
 * Runs the block as written from `cwd` with exactly `env`, reports how long it took, and returns its standard output,
 * or fails with its output and errors.
 */
function runDocBlockAs(t, cwd, env, file, name, timeout = 60_000) {
  const started = Date.now();
  try {
    const output = execFileSync('bash', ['-euo', 'pipefail', '-c', docBlock(file, name)], { cwd, env, encoding: 'utf8', timeout, stdio: ['ignore', 'pipe', 'pipe'] });
    t.diagnostic(`${file} ${name}: ${Date.now() - started} ms`);
    return output;
  } catch (error) {
    throw new Error(`${file} ${name} failed (${error.status ?? error.signal}) after ${Date.now() - started} ms:\n${error.stdout ?? ''}\n${error.stderr ?? ''}`);
  }
}

/** A checkout whose .apphost is the platform under test, made once. */
let checkout;
const checkoutDir = () => (checkout ??= localCheckout(platform));

/** Where the documented quickstarts find the platform under test. */
function quickstartEnv() {
  return { VOICEPLATFORM_URL: platform.endpoints.gatewayTls, VOICEPLATFORM_API_KEY: platform.endpoints.devApiKey, VOICEPLATFORM_CA: platform.endpoints.caCertificate };
}

platformTest('README: the npm quickstart runs as written and saves the reply as a WAV', async () => {
  const output = runDocBlock('README.md', 'npm-quickstart', quickstartEnv(), 120_000);
  assert.match(output, /assistant: .+/, output);
  const wav = readFileSync(join(import.meta.dirname, '..', '..', '..', 'examples', 'npm-openai', 'reply.wav'));
  assert.equal(wav.toString('ascii', 0, 4), 'RIFF');
  assert.equal(wav.readUInt32LE(24), 24000, 'sample rate');
  assert.ok(wav.readUInt32LE(40) > 24000 * 2 * 0.2, `reply audio of ${wav.readUInt32LE(40)} bytes`);
});

platformTest('docs/quickstarts.md: the .NET quickstart runs as written over https, the dev CA trusted through SSL_CERT_FILE', async () => {
  const output = runDocBlock('docs/quickstarts.md', 'dotnet-quickstart', quickstartEnv(), 180_000);
  assert.match(output, /assistant: Echo: Hello there/, output);
  assert.match(output, /reply audio: [1-9]/, output);
});

platformTest('docs/routes-and-experiments.md: the example runs as written (route, 50/50 experiment, two users, assignment counts)', async () => {
  const output = runDocBlock('docs/routes-and-experiments.md', 'routes-example', { GW: platform.endpoints.gateway, KEY: platform.endpoints.devApiKey }, 60_000);
  const lines = output.trim().split('\n');
  assert.equal(JSON.parse(lines[0]).name, 'support-voice', output);
  assert.equal(lines[1], 'running', output);
  const arms = {};
  for (const user of ['alice', 'bob']) {
    const line = lines.find((l) => l.startsWith(`${user} `));
    assert.ok(line, `${user} connected: ${output}`);
    const routing = JSON.parse(line.slice(user.length + 1));
    assert.equal(routing.route, 'support-voice');
    assert.ok(['control', 'gemini'].includes(routing.arm), line);
    assert.equal(routing.model, routing.arm === 'control' ? 'gpt-realtime-2' : 'gemini-3.1-flash-live');
    arms[routing.arm] = (arms[routing.arm] ?? 0) + 1;
  }
  const assignments = JSON.parse(lines.at(-1));
  for (const [arm, count] of Object.entries(arms)) assert.equal(assignments.arms[arm], count, output);
});

platformTest('models: the openai SDK lists the catalog and retrieves a model by id; an unknown id is a 404 model_not_found', async () => {
  const client = new OpenAI({ apiKey: platform.endpoints.devApiKey, baseURL: `${platform.endpoints.gateway}/v1`, maxRetries: 0 });
  const ids = [];
  for await (const model of client.models.list()) ids.push(model.id);
  for (const id of ['gpt-realtime-2', 'gpt-realtime-mini', 'gemini-3.1-flash-live']) assert.ok(ids.includes(id), `${id} listed: ${ids}`);

  const mini = await client.models.retrieve('gpt-realtime-mini');
  assert.deepEqual([mini.id, mini.object, mini.owned_by, mini.created], ['gpt-realtime-mini', 'model', 'openai', 1759708800]);
  assert.ok(mini.audio_formats.includes('audio/pcmu'), JSON.stringify(mini));
  const prefixed = await client.models.retrieve('google/gemini-3.1-flash-live');
  assert.equal(prefixed.id, 'gemini-3.1-flash-live');
  await assert.rejects(client.models.retrieve('gpt-nonexistent'), (error) => error.status === 404 && error.code === 'model_not_found');
});

platformTest('docs/quickstarts.md: the agents-realtime quickstart runs as written: a natural sentence calls the SDK tool() and the reply speaks its output', async () => {
  const expectTurn = (output) => {
    assert.match(output, /^tool call: get_weather\(\{"city":"Paris"\}\)$/m, output);
    assert.match(output, /^tool output: Sunny and 21 °C in Paris\.$/m, output);
    assert.match(output, /^assistant: Tool get_weather returned: Sunny and 21 °C in Paris\.$/m, output);
  };
  expectTurn(runDocBlock('docs/quickstarts.md', 'agents-quickstart', quickstartEnv(), 120_000));
  // The other model family, as the block's comment offers (the Router translates the tool to a Gemini declaration).
  const gemini = execFileSync('node', ['agent.mjs', '--model', 'gemini-3.1-flash-live', '--text', "What's the weather like in Paris today?"], {
    cwd: join(import.meta.dirname, '..', '..', '..', 'examples', 'agents-realtime'), env: { ...process.env, ...quickstartEnv() }, encoding: 'utf8', timeout: 60_000,
  });
  assert.match(gemini, /on gemini-3\.1-flash-live/, gemini);
  expectTurn(gemini);
});

platformTest('docs/quickstarts.md: the browser quickstart as written: the page gets an ephemeral key, streams a fake microphone and plays reply audio with a transcript, on both models', async (t) => {
  const dir = mkdtempSync(join(tmpdir(), 'browser-quickstart-'));
  const microphone = writeMicrophoneWav(SENTENCE, join(dir, 'microphone.wav'));
  // PORT=0: a free port; the Gateway's plain http URL, as locally (a browser does not trust the development CA).
  const server = startDocBlock('docs/quickstarts.md', 'browser-quickstart',
    { VOICEPLATFORM_URL: platform.endpoints.gateway, VOICEPLATFORM_API_KEY: platform.endpoints.devApiKey, PORT: '0' }, /on (http:\/\/\S+\/)/);
  const browser = await launchWithMicrophone(microphone);
  try {
    const [, pageUrl] = await server.started;
    t.diagnostic(`${browser.version()} on ${pageUrl}`);
    for (const model of MODELS) {
      const page = await browser.newPage();
      const minted = page.waitForResponse((r) => r.url().endsWith('/session'));
      await page.goto(`${pageUrl}?model=${model}`);
      await page.click('#start');
      const secret = await (await minted).json();
      assert.match(secret.value, /^ek_/, 'the page gets an ephemeral key');
      assert.ok(!JSON.stringify(secret).includes(platform.endpoints.devApiKey) && !(await page.content()).includes(platform.endpoints.devApiKey), 'the API key never reaches the page');

      await page.waitForFunction(() => window.quickstart.responses >= 1 && window.quickstart.transcript.some((l) => l.startsWith('assistant: ')), null, { timeout: 60_000 })
        .catch(async (error) => { throw new Error(`${model}: ${error.message}\n${JSON.stringify(await page.evaluate(() => window.quickstart))}\n${server.output()}`); });
      const state = await page.evaluate(() => window.quickstart);
      t.diagnostic(`${model}: ${JSON.stringify(state.transcript)}, ${state.replyAudioBytes} reply bytes after ${state.appendedMs} ms of microphone`);
      assert.deepEqual(state.errors, [], model);
      assert.equal(state.keyPrefix, 'ek_');
      assert.match(state.sessionId, /^sess_/);
      assert.ok(state.appendedMs >= 1000, `${model}: the microphone streamed (${state.appendedMs} ms)`);
      assert.ok(state.replyAudioBytes > REALTIME_RATE * 2 * 0.2, `${model}: reply audio of ${state.replyAudioBytes} bytes`);
      assert.match(state.transcript.find((l) => l.startsWith('assistant: ')), /^assistant: I heard \d+\.\d seconds of audio\.$/, model);
      assert.ok(await page.isVisible('#download'), `${model}: the reply offered as reply.wav`);
      await page.click('#stop');
      await page.close();
    }
  } finally {
    await browser.close();
    server.stop();
    rmSync(dir, { recursive: true, force: true });
  }
});

platformTest('README: the curl lines run as written from a checkout running AppHost (.apphost/endpoints.json)', async (t) => {
  const output = runDocBlockAs(t, checkoutDir(), toolUserEnv(platform), 'README.md', 'readme-curl', 30_000);
  assert.match(output, /Healthy/, output);
  assert.match(output, /"id":"gpt-realtime-2"/, output);
});

platformTest('docs/tools.md: registering a tool as written answers 201 with its signing secret', async (t) => {
  const output = runDocBlockAs(t, checkoutDir(), toolUserEnv(platform), 'docs/tools.md', 'tools-register', 30_000);
  const tool = JSON.parse(output);
  assert.equal(tool.name, 'lookup_order', output);
  assert.ok(tool.signing_secret, output);
});

platformTest('docs/tools.md: the Node verifier as written accepts the platform\'s signed webhook call and rejects a tampered body', async () => {
  let secret = '';
  const receiver = await startVerifyingReceiver(await documentedVerifier('docs/tools.md', 'webhook-verifier-js'), () => secret);
  try {
    const api = (path, body) => fetch(`${platform.endpoints.gateway}${path}`, {
      method: 'POST', headers: { authorization: `Bearer ${platform.endpoints.devApiKey}`, 'content-type': 'application/json' }, body: JSON.stringify(body),
    });
    const created = await api('/v1/tools', { name: 'verify_signature', description: 'Checks the webhook signature.', parameters: { type: 'object', properties: {} }, webhook_url: receiver.url });
    assert.equal(created.status, 201, await created.clone().text());
    secret = (await created.json()).signing_secret;
    const run = await (await api('/v1/tools/verify_signature/test', { arguments: {} })).json();
    assert.equal(run.status, 'ok', JSON.stringify(run));
    assert.deepEqual(JSON.parse(typeof run.output === 'string' ? run.output : JSON.stringify(run.output)), { valid: true, tampered_valid: false }, JSON.stringify(run));
  } finally {
    await receiver.close();
  }
});

platformTest('docs/cli.md: vp installed as written, then every line of the command tour runs as written', async (t) => {
  const env = toolUserEnv(platform);
  // The install block's second line runs vp in place from the repository: it finds the platform through the environment.
  const installed = runDocBlockAs(t, repoRoot, { ...env, VOICEPLATFORM_URL: platform.endpoints.gateway, VOICEPLATFORM_API_KEY: platform.endpoints.devApiKey },
    'docs/cli.md', 'cli-install', 240_000);
  assert.match(installed, /gemini-3\.1-flash-live/, installed);

  const dir = checkoutDir();
  const output = runDocBlockAs(t, dir, env, 'docs/cli.md', 'cli-tour', 120_000);
  assert.match(output, /^you: .+/m, output);
  assert.match(output, /assistant: I heard \d+\.\d seconds of audio\./, output);
  assert.match(output, /assistant: Echo: hello/, output);
  assert.match(output, /^WEBVTT/m, output);
  assert.match(output, /<v assistant>Echo: keep this/, output);
  assert.match(output, /sales-voice/, output);
  assert.match(output, /vpk_/, output);
  for (const wav of ['hello.wav', 'reply.wav', 'call.wav']) assert.equal(readFileSync(join(dir, wav)).toString('ascii', 0, 4), 'RIFF', wav);
});

platformTest('AppHost stops on SIGTERM and leaves no process behind', async (t) => {
  const { code, signal, tree, survivors, elapsedMs } = await platform.stop();
  t.diagnostic(`${tree.length} processes run by AppHost; stopped in ${elapsedMs} ms`);
  assert.ok(tree.length >= 10, `AppHost ran every resource through its orchestrator (saw ${tree.length})`);
  assert.equal(signal, null, `AppHost was killed by ${signal} instead of stopping on SIGTERM within 60 s`);
  assert.equal(code, 0, `AppHost exit code after SIGTERM (took ${elapsedMs} ms)`);
  assert.deepEqual(survivors.map((p) => `${p.pid} ${p.cmdline}`), [], 'processes left behind');
});
