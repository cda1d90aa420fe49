// The session a typical voice agent configures first, shared by the platform SDK suites: instructions, input
// transcription, server VAD and one tool.
import assert from 'node:assert/strict';
import { brief } from './conversation.mjs';
import { REALTIME_RATE } from './speech.mjs';
import { sendUserText } from './turns.mjs';

export const INSTRUCTIONS = 'You are a weather assistant. Answer briefly.';

export const weatherTool = {
  type: 'function',
  name: 'get_weather',
  description: 'Current weather for a city.',
  parameters: { type: 'object', properties: { city: { type: 'string' } }, required: ['city'] },
};

/** What a voice agent typically sends first: instructions, input transcription, server VAD, a tool. */
export const sessionConfig = {
  type: 'realtime',
  instructions: INSTRUCTIONS,
  output_modalities: ['audio'],
  tools: [weatherTool],
  tool_choice: 'auto',
  audio: {
    input: {
      format: { type: 'audio/pcm', rate: REALTIME_RATE },
      transcription: { model: 'gpt-4o-transcribe' },
      turn_detection: { type: 'server_vad', threshold: 0.5, prefix_padding_ms: 300, silence_duration_ms: 500, create_response: true, interrupt_response: true },
    },
    output: { format: { type: 'audio/pcm', rate: REALTIME_RATE }, voice: 'marin' },
  },
};

/**
 * Asks for get_weather for Paris in a text turn (the emulators call a tool on "call <name> <json>") and checks the
 * call: its arguments event, the response that ends with it, and the function_call item that response lists.
 */
export async function requestWeatherCall(conversation) {
  const since = conversation.mark();
  sendUserText(conversation, 'call get_weather {"city":"Paris"}');
  const args = await conversation.waitFor('response.function_call_arguments.done', { since });
  assert.equal(args.name, 'get_weather');
  assert.deepEqual(JSON.parse(args.arguments), { city: 'Paris' });
  assert.ok(args.call_id, 'the call has a call_id');
  const callDone = await conversation.waitFor('response.done', { since });
  assert.equal(callDone.response.status, 'completed', `response.done: ${brief(callDone)}`);
  const call = callDone.response.output.find((item) => item.type === 'function_call');
  assert.ok(call, `response.done lists the function_call: ${JSON.stringify(callDone.response.output)}`);
  assert.deepEqual([call.call_id, call.name], [args.call_id, 'get_weather']);
  return { args, callDone, call };
}
