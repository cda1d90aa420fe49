// What a test does with a Conversation in a turn: user text, real-time audio streaming, and the checks every turn
// shares (no error events, events in order, reply audio bytes).
import assert from 'node:assert/strict';
import { brief } from './conversation.mjs';
import { REALTIME_RATE } from './speech.mjs';

export const CHUNK_MS = 20;
export const BYTES_PER_MS = (REALTIME_RATE * 2) / 1000; // PCM16 mono at 24 kHz

export function sendUserText(conversation, text) {
  conversation.send({ type: 'conversation.item.create', item: { type: 'message', role: 'user', content: [{ type: 'input_text', text }] } });
  conversation.send({ type: 'response.create' });
}

export function audioBytes(deltas) {
  return deltas.reduce((sum, e) => sum + Buffer.from(e.delta, 'base64').length, 0);
}

export function assertNoErrors(conversation, since = 0) {
  const errors = conversation.errorEvents(since);
  assert.equal(errors.length, 0, `${conversation.label}: unexpected error events:\n${errors.map((e) => `    ${brief(e)}`).join('\n')}`);
}

export function assertInOrder(conversation, since, types) {
  const seen = conversation.events.slice(since).map((e) => e.type);
  let position = -1;
  for (const type of types) {
    const index = seen.indexOf(type, position + 1);
    assert.ok(index > position, `${conversation.label}: '${type}' missing or out of order; expected ${types.join(' → ')}; saw ${[...new Set(seen)].join(', ')}`);
    position = index;
  }
}

/** Streams PCM16 in 20 ms chunks at real-time pace (each chunk sent at its own time on the audio clock). */
export async function streamRealtime(conversation, pcm) {
  const chunkBytes = CHUNK_MS * BYTES_PER_MS;
  const started = performance.now();
  for (let offset = 0, i = 0; offset < pcm.length; offset += chunkBytes, i++) {
    if (conversation.closed) throw new Error(`${conversation.label}: connection closed while streaming audio.\n${conversation.describe()}`);
    const wait = started + i * CHUNK_MS - performance.now();
    if (wait > 0) await new Promise((r) => setTimeout(r, wait));
    conversation.send({ type: 'input_audio_buffer.append', audio: pcm.subarray(offset, offset + chunkBytes).toString('base64') });
  }
}

/**
 * Streams a spoken turn in real time and waits for server VAD's three events, which must all name one item.
 * Returns them with the mark the turn started from.
 */
export async function streamSpokenTurn(conversation, pcm) {
  const since = conversation.mark();
  await streamRealtime(conversation, pcm);
  const started = await conversation.waitFor('input_audio_buffer.speech_started', { since });
  const stopped = await conversation.waitFor('input_audio_buffer.speech_stopped', { since });
  const committed = await conversation.waitFor('input_audio_buffer.committed', { since });
  assert.equal(stopped.item_id, started.item_id, 'speech_stopped names the item speech_started announced');
  assert.equal(committed.item_id, started.item_id, 'committed names the same item');
  return { since, started, stopped, committed };
}
