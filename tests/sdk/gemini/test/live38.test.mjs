// Gemini 3.8 Live through Google's official SDK (@google/genai): an audio and a text turn, a NON_BLOCKING tool call
// answered with sendToolResponse (scheduling WHEN_IDLE) while the model keeps talking, and a refused thinkingConfig.
import assert from 'node:assert/strict';
import { after, before, describe, test } from 'node:test';
import { Behavior, FunctionResponseScheduling, GoogleGenAI, Modality } from '@google/genai';
import { startEmulator } from '../lib/emulator.mjs';
import { Inbox, isTurnComplete, transcript } from '../lib/inbox.mjs';

const MODEL = 'gemini-3.8-live';

/** PCM16 LE mono at 16 kHz: a tone then silence, as base64 chunks of 20 ms. */
function audioChunks(toneSeconds, silenceSeconds, rate = 16000) {
  const total = Math.round((toneSeconds + silenceSeconds) * rate);
  const toneSamples = Math.round(toneSeconds * rate);
  const pcm = Buffer.alloc(total * 2);
  for (let i = 0; i < toneSamples; i++) {
    pcm.writeInt16LE(Math.round(Math.sin((2 * Math.PI * 220 * i) / rate) * 0.3 * 32767), i * 2);
  }
  const chunkBytes = (rate / 50) * 2;
  const chunks = [];
  for (let offset = 0; offset < pcm.length; offset += chunkBytes) {
    chunks.push(pcm.subarray(offset, offset + chunkBytes).toString('base64'));
  }
  return chunks;
}

const tools = [{ functionDeclarations: [{ name: 'lookup', description: 'Looks a thing up', behavior: Behavior.NON_BLOCKING }] }];

describe('Gemini 3.8 Live emulator through @google/genai', () => {
  let emulator;

  before(async () => {
    emulator = await startEmulator({ 'ApiKeys:0': 'sdk-test-key', 'Output:GenerationSpeed': '8' });
  });

  after(async () => {
    await emulator?.stop();
  });

  const client = () => new GoogleGenAI({ apiKey: 'sdk-test-key', httpOptions: { baseUrl: emulator.baseUrl } });

  test('audio and text turns, then a NON_BLOCKING call answered WHEN_IDLE', async () => {
    const inbox = new Inbox();
    // No outputAudioTranscription asked for: 3.8 sends it anyway.
    const session = await client().live.connect({
      model: MODEL,
      config: { responseModalities: [Modality.AUDIO], tools },
      callbacks: inbox.callbacks(),
    });
    assert.ok(inbox.messages[0]?.setupComplete, 'setupComplete is the first message');

    for (const data of audioChunks(1.0, 0.8)) {
      session.sendRealtimeInput({ audio: { data, mimeType: 'audio/pcm;rate=16000' } });
    }
    let { messages, next } = await inbox.until(isTurnComplete);
    assert.equal(transcript(messages, 'outputTranscription'), 'I heard 1.0 seconds of audio.');
    assert.ok(messages.some((m) => m.data), 'reply audio');
    const last = messages.at(-1);
    assert.equal(last.serverContent.interactionStatus, 'IDLE');
    assert.equal(last.usageMetadata.responseTokensDetails[0].modality, 'AUDIO');

    session.sendRealtimeInput({ text: 'hello from the SDK' });
    ({ messages, next } = await inbox.until(isTurnComplete, { from: next }));
    assert.equal(transcript(messages, 'outputTranscription'), 'Echo: hello from the SDK');

    // The model keeps talking after the toolCall, before any toolResponse.
    session.sendRealtimeInput({ text: 'call lookup {}' });
    ({ messages, next } = await inbox.until(isTurnComplete, { from: next }));
    const callAt = messages.findIndex((m) => m.toolCall);
    assert.ok(callAt >= 0, 'toolCall');
    assert.ok(messages.slice(callAt + 1).some((m) => m.data), 'audio after the toolCall');
    assert.equal(transcript(messages, 'outputTranscription'), 'Let me check that.');
    assert.equal(messages.at(-1).serverContent.interactionStatus, 'IN_PROGRESS');

    const [call] = messages[callAt].toolCall.functionCalls;
    session.sendToolResponse({
      functionResponses: [{ id: call.id, name: call.name, response: { output: '42' }, scheduling: FunctionResponseScheduling.WHEN_IDLE }],
    });
    ({ messages, next } = await inbox.until(isTurnComplete, { from: next }));
    assert.equal(transcript(messages, 'outputTranscription'), 'Tool lookup returned: 42');
    assert.equal(messages.at(-1).serverContent.interactionStatus, 'IDLE');
    session.close();
  });

  test('thinkingConfig is refused on gemini-3.8-live', async () => {
    await assert.rejects(
      client().live.connect({
        model: MODEL,
        config: { responseModalities: [Modality.AUDIO], thinkingConfig: { thinkingBudget: 1024 } },
        callbacks: new Inbox().callbacks(),
      }),
      /1007.*thinking_level/,
    );
  });
});
