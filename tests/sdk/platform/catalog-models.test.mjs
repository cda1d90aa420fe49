// Every catalog model, through the whole platform, with the official `openai` npm SDK: an OpenAI client whose base
// URL is the Gateway and the SDK's realtime WebSocket class, as a customer uses it. One conversation per model holds a
// spoken turn (espeak-ng speech streamed in real time, server VAD), a text turn and a tool call round trip; the
// assertions are the same for every model except where the model itself differs (xAI's voices and transcription
// model; Gemini 3.8's asynchronous function calls, which speak a filler after the call; extended thinking's filler
// while it thinks, the answer in a second response). gpt-realtime-2 and gemini-3.1-flash-live are proven in
// platform.test.mjs. One platform (the built AppHost) for the file; the conversations run side by side, each one's
// turns in order.
import { after, before, describe, test } from 'node:test';
import assert from 'node:assert/strict';
import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import OpenAI from 'openai';
import { Conversation, brief } from './lib/conversation.mjs';
import { startPlatform } from './lib/platform.mjs';
import { pcm16, silence, spokenSentence, voicedSpan } from './lib/speech.mjs';
import { BYTES_PER_MS, assertInOrder, assertNoErrors, audioBytes, sendUserText, streamSpokenTurn } from './lib/turns.mjs';
import { INSTRUCTIONS, requestWeatherCall, sessionConfig } from './lib/voice-agent.mjs';

const TOOL_FILLER = 'Let me check that.'; // the Gemini emulator's Live38:ToolFiller

/**
 * The models, who owns them in GET /v1/models, and how each genuinely differs. `voice`/`transcription`: what
 * session.updated shows after the client asked for marin / gpt-4o-transcribe (xAI has its own: the platform maps
 * them). `toolFiller`: after a function call the model keeps talking (3.8's NON_BLOCKING calls), a response of its own.
 */
const MODELS = [
  { id: 'gpt-realtime-2.1', owner: 'openai' },
  { id: 'gpt-realtime-2.1-mini', owner: 'openai' },
  { id: 'gpt-realtime-mini', owner: 'openai' },
  { id: 'azure-gpt-realtime-2.1', owner: 'azure' },
  { id: 'grok-voice-think-fast-1.0', owner: 'xai', voice: 'ara', transcription: 'grok-transcribe' },
  { id: 'gemini-2.5-flash-native-audio', owner: 'google' },
  { id: 'gemini-3.8-live', owner: 'google', toolFiller: TOOL_FILLER },
  { id: 'vertex-gemini-3.8-live', owner: 'vertex', toolFiller: TOOL_FILLER },
  {
    id: 'gemini-3.8-live-extended-thinking',
    owner: 'google',
    toolFiller: TOOL_FILLER,
    thinkingFiller: 'Let me think about that.', // Live38:ThinkingFiller; the answer follows in a response of its own
  },
];

/** Every catalog id and its owned_by, as AppHost configures them (the two proven in platform.test.mjs included). */
const LISTED = [...MODELS, { id: 'gpt-realtime-2', owner: 'openai' }, { id: 'gemini-3.1-flash-live', owner: 'google' }];

const SENTENCE = 'What is the weather in Paris';
const TEST_OPTIONS = { timeout: 120_000 };

let platform;
let ca;
let spoken;
let failures = 0; // tests that did not pass (the platform log is kept if any)

before(async () => {
  platform = await startPlatform();
  ca = readFileSync(platform.endpoints.caCertificate);
  // The sentence once for every conversation: 300 ms before the speech (the microphone is open before the user
  // talks), 1.2 s after it so server VAD ends the turn.
  const { samples } = spokenSentence(SENTENCE, join(platform.workDir, 'sentence.wav'));
  const leadMs = 300;
  const voiced = voicedSpan(samples);
  const pcm = pcm16(silence(leadMs), samples, silence(1200));
  spoken = {
    pcm,
    sentMs: pcm.length / BYTES_PER_MS,
    speechStartMs: leadMs + voiced.startMs,
    speechEndMs: leadMs + voiced.endMs,
    speechSeconds: (voiced.endMs - voiced.startMs) / 1000,
  };
});

after(async () => {
  if (!platform) return;
  await platform.stop();
  const keep = failures > 0;
  platform.dispose(keep);
  if (keep) console.log(`platform log kept for the failures above: ${platform.logPath}`);
});

/** A test whose failure message ends with where the platform's log is. */
function platformTest(name, fn, todo = undefined) {
  test(name, { ...TEST_OPTIONS, todo }, async (t) => {
    if (!todo) failures++; // until it passes: a test cancelled by its timeout also keeps the log
    try {
      await fn(t);
      if (!todo) failures--;
    } catch (error) {
      if (platform && error instanceof Error) error.message += `\n    platform log: ${platform.logPath}`;
      throw error;
    }
  });
}

/** The assistant message of a response.done, and its spoken transcript. */
function replyOf(done) {
  const reply = done.response.output.find((item) => item.type === 'message' && item.role === 'assistant');
  assert.ok(reply, `response.done has the assistant message: ${JSON.stringify(done.response.output)}`);
  return reply.content[0]?.transcript;
}

/** Checks a spoken, completed response: its audio deltas are its own and `minMs` long at least; usage is present. */
function assertSpokenResponse(conversation, since, done, minMs) {
  assert.equal(done.response.status, 'completed', `response.done: ${brief(done)}`);
  const deltas = conversation.ofType('response.output_audio.delta', since).filter((d) => d.response_id === done.response.id);
  assert.ok(audioBytes(deltas) >= minMs * BYTES_PER_MS, `${conversation.label}: reply audio is ${audioBytes(deltas)} bytes, want ${minMs} ms at least`);
  const usage = done.response.usage;
  assert.ok(usage, `${conversation.label}: response.done carries usage`);
  assert.ok(usage.output_tokens > 0, `usage: ${JSON.stringify(usage)}`);
  assert.equal(usage.total_tokens, usage.input_tokens + usage.output_tokens, `usage: ${JSON.stringify(usage)}`);
}

test('GET /v1/models (the openai SDK) lists every catalog model with its owner: openai, azure, xai, google, vertex', TEST_OPTIONS, async () => {
  const client = new OpenAI({ apiKey: platform.endpoints.devApiKey, baseURL: `${platform.endpoints.gateway}/v1`, maxRetries: 0 });
  const owners = {};
  for await (const model of client.models.list()) owners[model.id] = model.owned_by;
  for (const { id, owner } of LISTED) assert.equal(owners[id], owner, `${id} listed as owned by ${owner}: ${JSON.stringify(owners)}`);
  for (const id of ['azure-gpt-realtime-2.1', 'vertex-gemini-3.8-live', 'grok-voice-think-fast-1.0']) {
    const model = await client.models.retrieve(id);
    assert.deepEqual([model.id, model.object, model.owned_by], [id, 'model', LISTED.find((m) => m.id === id).owner]);
  }
});

describe('every catalog model through the Gateway with the openai SDK', { concurrency: true }, () => {
  for (const model of MODELS) {
    describe(model.id, { concurrency: 1 }, () => {
      let conversation;
      const modelTest = (name, fn) => platformTest(name, fn, model.todo);

      /**
       * The response that answers a user turn from `since`: the first, or with extended thinking the second, after
       * the filler the model says while it thinks. Returns it with where its events start.
       */
      async function answer(since) {
        if (!model.thinkingFiller) return { done: await conversation.waitFor('response.done', { since }), answerSince: since };
        const filler = await conversation.waitFor('response.done', { since });
        assert.equal(replyOf(filler), model.thinkingFiller);
        assertSpokenResponse(conversation, since, filler, 300);
        const answerSince = conversation.events.indexOf(filler) + 1;
        const done = await conversation.waitFor('response.done', { since: answerSince });
        return { done, answerSince };
      }

      after(async () => {
        await conversation?.close();
      });

      modelTest('session.update → session.updated applies the session (the model\'s own voice and transcription model)', async () => {
        conversation = await Conversation.open({ model: model.id, endpoints: platform.endpoints, ca });
        const created = conversation.ofType('session.created')[0];
        assert.match(created.session.id, /^sess_/);
        assert.equal(created.routing?.model, model.id, `routing: ${JSON.stringify(created.routing)}`);
        conversation.send({ type: 'session.update', session: sessionConfig });
        const { session } = await conversation.next('session.updated');
        assert.equal(session.id, created.session.id, 'session id stays the same');
        assert.equal(created.session.model, model.id, 'session.created names the catalog id the client asked for');
        assert.equal(session.model, model.id);
        assert.equal(session.instructions, INSTRUCTIONS);
        assert.deepEqual(session.tools.map((t) => t.name), ['get_weather']);
        assert.equal(session.tool_choice, 'auto');
        assert.equal(session.audio.input.turn_detection?.type, 'server_vad');
        assert.equal(session.audio.input.turn_detection.silence_duration_ms, 500);
        assert.equal(session.audio.input.transcription?.model, model.transcription ?? 'gpt-4o-transcribe');
        assert.deepEqual(session.audio.input.format, { type: 'audio/pcm', rate: 24000 });
        assert.deepEqual(session.audio.output.format, { type: 'audio/pcm', rate: 24000 });
        assert.equal(session.audio.output.voice, model.voice ?? 'marin');
        assertNoErrors(conversation);
      });

      modelTest('spoken turn: speech streamed in real time → server VAD → transcribed, answered with audio, response.done completed with usage', async (t) => {
        assert.ok(conversation, 'the session opened');
        const { since, started, stopped, committed } = await streamSpokenTurn(conversation, spoken.pcm);
        // audio_start_ms includes the prefix padding, audio_end_ms the trailing silence (100 ms detector latency allowed).
        assert.ok(started.audio_start_ms >= 0 && started.audio_start_ms <= spoken.speechStartMs + 100,
          `speech_started.audio_start_ms ${started.audio_start_ms}; the voice starts at ${spoken.speechStartMs} ms`);
        assert.ok(stopped.audio_end_ms >= spoken.speechEndMs - 100 && stopped.audio_end_ms <= spoken.sentMs + 50,
          `speech_stopped.audio_end_ms ${stopped.audio_end_ms}; the voice ends at ${spoken.speechEndMs} ms of ${spoken.sentMs} ms sent`);

        const { done, answerSince } = await answer(since);
        const transcription = await conversation.waitFor('conversation.item.input_audio_transcription.completed', { since });
        assert.equal(transcription.item_id, committed.item_id, 'the transcription belongs to the committed user item');
        assert.match(transcription.transcript, /^\[audio \d+\.\d s\]$/);
        assertInOrder(conversation, since, ['input_audio_buffer.speech_started', 'input_audio_buffer.speech_stopped', 'input_audio_buffer.committed',
          'response.created', 'response.output_audio.delta', 'response.output_audio_transcript.done', 'response.done']);

        const transcript = replyOf(done);
        assert.match(transcript, /^I heard \d+\.\d seconds of audio\.$/);
        const heard = Number(/I heard (\d+\.\d) seconds/.exec(transcript)[1]);
        assert.ok(heard >= spoken.speechSeconds * 0.6 && heard <= spoken.sentMs / 1000 + 0.05,
          `heard ${heard} s; the voice is ${spoken.speechSeconds.toFixed(2)} s of ${(spoken.sentMs / 1000).toFixed(2)} s sent`);
        assertSpokenResponse(conversation, answerSince, done, 500);
        assert.ok(done.response.usage.input_tokens > 0, `usage: ${JSON.stringify(done.response.usage)}`);
        assertNoErrors(conversation, since);
        t.diagnostic(`VAD ${started.audio_start_ms}–${stopped.audio_end_ms} ms; "${transcription.transcript}" → "${transcript}"; `
          + `usage in ${done.response.usage.input_tokens} out ${done.response.usage.output_tokens}`);
      });

      modelTest('text turn: conversation.item.create + response.create → "Echo: …" spoken', async () => {
        assert.ok(conversation, 'the session opened');
        const since = conversation.mark();
        sendUserText(conversation, 'Hello from the openai SDK');
        const { done, answerSince } = await answer(since);
        assert.equal(replyOf(done), 'Echo: Hello from the openai SDK');
        assertSpokenResponse(conversation, answerSince, done, 300);
        assertInOrder(conversation, since, ['conversation.item.added', 'response.created', 'response.output_item.added',
          'response.output_audio.delta', 'response.output_audio_transcript.done', 'response.output_item.done', 'response.done']);
        assertNoErrors(conversation, since);
      });

      const toolTitle = model.toolFiller
        ? `tool call round trip: function_call → the model's filler "${model.toolFiller}" → function_call_output + response.create → spoken result`
        : 'tool call round trip: function_call → function_call_output + response.create → spoken result';
      modelTest(toolTitle, async () => {
        assert.ok(conversation, 'the session opened');
        const { args, callDone } = await requestWeatherCall(conversation);
        assert.equal(args.response_id, callDone.response.id, 'the call belongs to the response that ended');

        if (model.toolFiller) {
          // The call does not hold the turn: the model goes on talking in a response it starts itself.
          const fillerSince = conversation.events.indexOf(callDone) + 1;
          const filler = await conversation.waitFor('response.done', { since: fillerSince });
          assert.notEqual(filler.response.id, callDone.response.id);
          assert.equal(replyOf(filler), model.toolFiller);
          assertSpokenResponse(conversation, fillerSince, filler, 300);
        }

        const since = conversation.mark();
        conversation.send({ type: 'conversation.item.create', item: { type: 'function_call_output', call_id: args.call_id, output: '{"temp_c":21,"sky":"clear"}' } });
        conversation.send({ type: 'response.create' });
        const done = await conversation.waitFor('response.done', { since });
        const transcript = replyOf(done);
        assert.ok(transcript.startsWith('Tool get_weather returned:'), `transcript: ${transcript}`);
        assert.match(transcript, /21/);
        assertSpokenResponse(conversation, since, done, 300);
        assert.equal(conversation.ofType('response.created', since).length, 1, 'one response answers the output');
        assertNoErrors(conversation);
      });

      if (model.toolFiller) {
        // What a client written for OpenAI does: it answers the call as soon as the call's response is done, not
        // knowing that this model goes on talking. The result must still be spoken.
        platformTest('tool call answered at once (function_call_output + response.create right after the call\'s response.done, as the filler starts) → the result is spoken, no error', async () => {
          assert.ok(conversation, 'the session opened');
          const since = conversation.mark();
          sendUserText(conversation, 'call get_weather {"city":"Rome"}');
          const args = await conversation.waitFor('response.function_call_arguments.done', { since });
          await conversation.waitFor('response.done', { since, where: (e) => e.response.id === args.response_id });
          const answeredAt = conversation.mark();
          conversation.send({ type: 'conversation.item.create', item: { type: 'function_call_output', call_id: args.call_id, output: '{"temp_c":18,"sky":"rain"}' } });
          conversation.send({ type: 'response.create' });
          const spokeResult = (e) => e.response.output.some((item) => item.type === 'message' && item.content[0]?.transcript?.startsWith('Tool get_weather returned:'));
          const done = await conversation.waitFor('response.done', { since: answeredAt, where: spokeResult });
          assert.match(replyOf(done), /18/);
          assertSpokenResponse(conversation, answeredAt, done, 300);
          const filler = conversation.ofType('response.done', since).find((e) => e.response.output.some((item) => item.content?.[0]?.transcript === model.toolFiller));
          assert.ok(filler, `the model said its filler too: ${conversation.describe()}`);
          assertNoErrors(conversation, since);
        }, model.todo);
      }
    });
  }

});
