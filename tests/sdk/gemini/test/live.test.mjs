// Holds a conversation with the emulator through Google's official SDK (@google/genai),
// which proves the emulator's wire format is what the real client library expects.
import assert from 'node:assert/strict';
import { after, before, describe, test } from 'node:test';
import { GoogleGenAI, Modality, Type } from '@google/genai';
import { startEmulator } from '../lib/emulator.mjs';
import { Inbox, isTurnComplete, transcript } from '../lib/inbox.mjs';

const MODEL = 'gemini-2.5-flash-native-audio-preview-12-2025';

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

const tools = [{
  functionDeclarations: [{
    name: 'get_weather',
    description: 'Current weather for a city',
    parameters: { type: Type.OBJECT, properties: { city: { type: Type.STRING } }, required: ['city'] },
  }],
}];

describe('Gemini Live emulator through @google/genai', () => {
  let emulator;

  before(async () => {
    emulator = await startEmulator({ 'ApiKeys:0': 'sdk-test-key', 'Output:GenerationSpeed': '8' });
  });

  after(async () => {
    await emulator?.stop();
  });

  const client = (apiKey = 'sdk-test-key') => new GoogleGenAI({ apiKey, httpOptions: { baseUrl: emulator.baseUrl } });

  test('audio, text and tool turns, then resumption with the issued handle', async () => {
    const inbox = new Inbox();
    const session = await client().live.connect({
      model: MODEL,
      config: {
        responseModalities: [Modality.AUDIO],
        inputAudioTranscription: {},
        outputAudioTranscription: {},
        sessionResumption: {},
        tools,
      },
      callbacks: inbox.callbacks(),
    });
    assert.ok(inbox.messages[0]?.setupComplete, 'setupComplete is the first message');

    // Audio turn, detected by the server's VAD.
    for (const data of audioChunks(1.0, 0.8)) {
      session.sendRealtimeInput({ audio: { data, mimeType: 'audio/pcm;rate=16000' } });
    }
    let { messages, next } = await inbox.until(isTurnComplete);
    assert.equal(transcript(messages, 'inputTranscription'), '[audio 1.0 s]');
    assert.equal(transcript(messages, 'outputTranscription'), 'I heard 1.0 seconds of audio.');
    const audioParts = messages.flatMap((m) => m.serverContent?.modelTurn?.parts ?? []).filter((p) => p.inlineData);
    assert.ok(audioParts.length > 1, 'reply audio arrives in several chunks');
    assert.ok(audioParts.every((p) => p.inlineData.mimeType === 'audio/pcm;rate=24000'));
    const audioBytes = messages.reduce((n, m) => n + (m.data ? Buffer.from(m.data, 'base64').length : 0), 0);
    assert.equal(audioBytes, 'I heard 1.0 seconds of audio.'.length * 60 * 48, 'SDK `data` getter sees all reply audio');
    assert.ok(messages.some((m) => m.serverContent?.generationComplete), 'generationComplete');
    const usage = messages.at(-1).usageMetadata;
    assert.ok(usage.promptTokenCount > 0 && usage.responseTokenCount > 0, 'usageMetadata with turnComplete');
    assert.ok(usage.promptTokensDetails.some((d) => d.modality === 'AUDIO'));
    assert.equal(usage.responseTokensDetails[0].modality, 'AUDIO');

    // Text turn.
    session.sendRealtimeInput({ text: 'hello from the SDK' });
    ({ messages, next } = await inbox.until(isTurnComplete, { from: next }));
    assert.equal(transcript(messages, 'outputTranscription'), 'Echo: hello from the SDK');

    // Tool call round trip.
    session.sendRealtimeInput({ text: 'call get_weather {"city":"Paris"}' });
    ({ messages, next } = await inbox.until((m) => m.toolCall, { from: next }));
    const [call] = messages.at(-1).toolCall.functionCalls;
    assert.equal(call.name, 'get_weather');
    assert.deepEqual(call.args, { city: 'Paris' });
    session.sendToolResponse({ functionResponses: [{ id: call.id, name: call.name, response: { output: 'sunny' } }] });
    ({ messages, next } = await inbox.until(isTurnComplete, { from: next }));
    assert.equal(transcript(messages, 'outputTranscription'), 'Tool get_weather returned: sunny');

    // The latest resumable handle.
    ({ messages, next } = await inbox.until((m) => m.sessionResumptionUpdate?.resumable, { from: next }));
    const handle = messages.at(-1).sessionResumptionUpdate.newHandle;
    assert.ok(handle, 'sessionResumptionUpdate carries newHandle');
    assert.ok(inbox.messages.some((m) => m.sessionResumptionUpdate && !m.sessionResumptionUpdate.resumable),
      'updates during generation are not resumable');

    session.close();
    await inbox.closed();

    // A new connection with the handle continues the same conversation.
    const resumedInbox = new Inbox();
    const resumed = await client().live.connect({
      model: MODEL,
      config: { responseModalities: [Modality.AUDIO], outputAudioTranscription: {}, sessionResumption: { handle } },
      callbacks: resumedInbox.callbacks(),
    });
    resumed.sendClientContent({ turns: 'recall', turnComplete: true });
    ({ messages } = await resumedInbox.until(isTurnComplete));
    assert.equal(transcript(messages, 'outputTranscription'), 'Earlier you said: call get_weather {"city":"Paris"}');
    resumed.close();
  });

  test('a bad API key fails the connect with close 1008', async () => {
    await assert.rejects(
      client('wrong-key').live.connect({ model: MODEL, config: { responseModalities: [Modality.AUDIO] }, callbacks: new Inbox().callbacks() }),
      /1008.*API key not valid/,
    );
  });
});

describe('connection lifetime through @google/genai', () => {
  let emulator;

  before(async () => {
    emulator = await startEmulator({ ConnectionLifetime: '00:00:03', GoAwayLeadTime: '00:00:01.500' });
  });

  after(async () => {
    await emulator?.stop();
  });

  test('goAway with timeLeft, then close 1011', async () => {
    const inbox = new Inbox();
    const ai = new GoogleGenAI({ apiKey: 'any', httpOptions: { baseUrl: emulator.baseUrl } });
    await ai.live.connect({ model: MODEL, config: { responseModalities: [Modality.AUDIO] }, callbacks: inbox.callbacks() });

    const { messages } = await inbox.until((m) => m.goAway);
    assert.match(messages.at(-1).goAway.timeLeft, /^\d+(\.\d+)?s$/);
    const close = await inbox.closed();
    assert.equal(close.code, 1011);
    assert.equal(close.reason, 'Deadline expired before operation could complete.');
  });
});
