// A voice agent with a tool, built with the OpenAI Agents SDK for realtime (@openai/agents-realtime), through
// VoicePlatform. The agent declares `get_weather` with the SDK's tool(); a natural sentence ("What's the weather like
// in Paris today?") makes the model call it, the SDK runs it, and the model answers with its output.
//   node agent.mjs [--model gpt-realtime-2] [--text "What's the weather like in Paris today?" | --in speech.wav]
// Where the platform is: VOICEPLATFORM_URL / VOICEPLATFORM_API_KEY / VOICEPLATFORM_CA, else the .apphost/endpoints.json
// of a local `dotnet run --project AppHost`, searched upward from here and from the working directory.
import { existsSync, readFileSync } from 'node:fs';
import { dirname, join, resolve } from 'node:path';
import { parseArgs } from 'node:util';
import { OpenAIRealtimeWebSocket, RealtimeAgent, RealtimeSession, tool } from '@openai/agents-realtime';
import WebSocket from 'ws';
import { z } from 'zod';

const { values: args } = parseArgs({
  options: {
    model: { type: 'string', default: 'gpt-realtime-2' }, // a catalog model or one of your routes
    text: { type: 'string' },
    in: { type: 'string' }, // a PCM16 WAV of any rate (real models hear it; the emulators only measure its length)
  },
});

const getWeather = tool({
  name: 'get_weather',
  description: 'Current weather for a city.',
  parameters: z.object({ city: z.string().describe('The city, e.g. Paris') }),
  execute: async ({ city }) => `Sunny and 21 °C in ${city}.`,
});

const agent = new RealtimeAgent({
  name: 'Weather assistant',
  instructions: 'You answer questions about the weather briefly. Use get_weather for the current weather.',
  tools: [getWeather],
});

const platform = locatePlatform();
// The SDK opens its own WebSocket; this one also trusts the platform's CA (the local dev CA needs no NODE_EXTRA_CA_CERTS).
const transport = new OpenAIRealtimeWebSocket({
  createWebSocket: async ({ url, apiKey }) => new WebSocket(url, { headers: { Authorization: `Bearer ${apiKey}` }, ca: platform.ca }),
});
const session = new RealtimeSession(agent, { transport, model: args.model });

const timeout = setTimeout(() => fail(new Error('no reply within 60 s')), 60_000);
let answered = false;
session.on('agent_tool_start', (_context, _agent, called, { toolCall }) => console.log(`tool call: ${called.name}(${toolCall.arguments})`));
session.on('agent_tool_end', (_context, _agent, called, result) => console.log(`tool output: ${result}`));
session.on('transport_event', (event) => {
  if (event.type === 'session.created') console.log(`session ${event.session.id} on ${event.routing?.model ?? args.model}`);
  if (event.type === 'response.output_audio_transcript.done' || event.type === 'response.output_text.done') {
    console.log(`assistant: ${event.transcript ?? event.text}`);
    answered = true;
  }
  if (event.type === 'response.done' && answered) { // the reply after the tool's output, or to a sentence that named no tool
    clearTimeout(timeout);
    session.close();
  }
});
session.on('error', ({ error }) => fail(error));

// With a URL the SDK does not add the model: it goes in the URL's query, as here.
await session.connect({ apiKey: platform.apiKey, url: `${platform.url.replace(/^http/, 'ws')}/v1/realtime?model=${encodeURIComponent(args.model)}` });
if (args.in) {
  // The whole file, then a second of silence: the session's voice activity detection ends the turn and asks for a reply.
  const pcm = Buffer.concat([readWav(args.in), Buffer.alloc(48000)]);
  for (let i = 0; i < pcm.length; i += 960) session.sendAudio(Uint8Array.from(pcm.subarray(i, i + 960)).buffer); // 20 ms chunks
} else {
  session.sendMessage(args.text ?? "What's the weather like in Paris today?");
}

function fail(error) {
  console.error(`error: ${error?.error?.code ?? error?.code ?? ''} ${error?.error?.message ?? error?.message ?? JSON.stringify(error)}`);
  process.exitCode = 1;
  clearTimeout(timeout);
  session.close();
}

function locatePlatform() {
  if (process.env.VOICEPLATFORM_URL) {
    const ca = process.env.VOICEPLATFORM_CA;
    return { url: process.env.VOICEPLATFORM_URL, apiKey: process.env.VOICEPLATFORM_API_KEY, ca: ca ? readFileSync(ca) : undefined };
  }
  for (let dir of [process.cwd(), dirname(new URL(import.meta.url).pathname)]) {
    for (; ; dir = dirname(dir)) {
      const file = join(dir, '.apphost', 'endpoints.json');
      if (existsSync(file)) {
        const e = JSON.parse(readFileSync(file, 'utf8'));
        return { url: e.gatewayTls, apiKey: e.devApiKey, ca: readFileSync(resolve(dir, e.caCertificate)) };
      }
      if (dirname(dir) === dir) break;
    }
  }
  throw new Error('Platform not found: set VOICEPLATFORM_URL and VOICEPLATFORM_API_KEY, or run inside a checkout where `dotnet run --project AppHost` is running.');
}

// A PCM16 WAV of any rate and channel count, as 24 kHz mono PCM16 (channels averaged, linear interpolation).
function readWav(path) {
  const file = readFileSync(path);
  let offset = 12, rate = 0, channels = 0, data = null;
  while (offset + 8 <= file.length) {
    const id = file.toString('ascii', offset, offset + 4), size = file.readUInt32LE(offset + 4);
    if (id === 'fmt ') { channels = file.readUInt16LE(offset + 10); rate = file.readUInt32LE(offset + 12); }
    if (id === 'data') data = file.subarray(offset + 8, offset + 8 + size);
    offset += 8 + size + (size % 2);
  }
  if (!data || !rate) throw new Error(`${path}: not a PCM16 WAV`);
  const frames = Math.floor(data.length / (2 * channels));
  const mono = new Float64Array(frames);
  for (let i = 0; i < frames; i++) {
    let sum = 0;
    for (let c = 0; c < channels; c++) sum += data.readInt16LE((i * channels + c) * 2);
    mono[i] = sum / channels;
  }
  const out = Buffer.alloc(2 * Math.floor((frames * 24000) / rate));
  for (let j = 0; j < out.length / 2; j++) {
    const at = (j * rate) / 24000, i = Math.floor(at), next = Math.min(i + 1, frames - 1);
    out.writeInt16LE(Math.round(mono[i] + (mono[next] - mono[i]) * (at - i)), j * 2);
  }
  return out;
}
