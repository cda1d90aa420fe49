// One voice turn through VoicePlatform with the official openai npm SDK, unchanged but for the base URL.
//   node talk.mjs [--model gpt-realtime-2] [--text "Hello there" | --in speech.wav] [--out reply.wav] [--user alice]
// Where the platform is: VOICEPLATFORM_URL / VOICEPLATFORM_API_KEY / VOICEPLATFORM_CA, else the .apphost/endpoints.json
// of a local `dotnet run --project AppHost`, searched upward from here and from the working directory.
import { existsSync, readFileSync, writeFileSync } from 'node:fs';
import { dirname, join, resolve } from 'node:path';
import { parseArgs } from 'node:util';
import OpenAI from 'openai';
import { OpenAIRealtimeWS } from 'openai/realtime/ws';

const { values: args } = parseArgs({
  options: {
    model: { type: 'string', default: 'gpt-realtime-2' }, // a catalog model or one of your routes
    text: { type: 'string' },
    in: { type: 'string' },
    out: { type: 'string', default: 'reply.wav' },
    user: { type: 'string' }, // the end user, for A/B experiments
  },
});
const platform = locatePlatform();
const client = new OpenAI({ apiKey: platform.apiKey, baseURL: `${platform.url}/v1` });
const rt = new OpenAIRealtimeWS({ model: args.model, options: { ca: platform.ca, headers: args.user ? { 'X-VoicePlatform-Subject': args.user } : {} } }, client);
const reply = [];

rt.on('session.created', (e) => {
  console.log(`session ${e.session.id} on ${e.routing?.model ?? args.model}`);
  if (args.in) {
    const pcm = readWav(args.in);
    for (let i = 0; i < pcm.length; i += 960) { // 20 ms frames; the whole file at once is fine for a file
      rt.send({ type: 'input_audio_buffer.append', audio: pcm.subarray(i, i + 960).toString('base64') });
    }
    rt.send({ type: 'input_audio_buffer.commit' });
  } else {
    rt.send({ type: 'conversation.item.create', item: { type: 'message', role: 'user', content: [{ type: 'input_text', text: args.text ?? 'Hello there' }] } });
  }
  rt.send({ type: 'response.create' });
});
rt.on('response.output_audio.delta', (e) => reply.push(Buffer.from(e.delta, 'base64')));
rt.on('response.output_audio_transcript.done', (e) => console.log(`assistant: ${e.transcript}`));
rt.on('error', (e) => { console.error(`error: ${e.error?.code ?? ''} ${e.error?.message ?? e.message}`); process.exitCode = 1; rt.close(); });
rt.on('response.done', (e) => {
  const pcm = Buffer.concat(reply);
  writeFileSync(args.out, wav(pcm));
  console.log(`saved ${args.out} (${(pcm.length / 48000).toFixed(1)} s); usage: ${e.response.usage?.total_tokens ?? 0} tokens`);
  rt.close();
});

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

function wav(pcm) { // 24 kHz mono PCM16
  const header = Buffer.alloc(44);
  header.write('RIFF', 0); header.writeUInt32LE(36 + pcm.length, 4); header.write('WAVEfmt ', 8);
  header.writeUInt32LE(16, 16); header.writeUInt16LE(1, 20); header.writeUInt16LE(1, 22);
  header.writeUInt32LE(24000, 24); header.writeUInt32LE(48000, 28); header.writeUInt16LE(2, 32); header.writeUInt16LE(16, 34);
  header.write('data', 36); header.writeUInt32LE(pcm.length, 40);
  return Buffer.concat([header, pcm]);
}
