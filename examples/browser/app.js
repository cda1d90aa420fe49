// The browser side of the quickstart: asks its server for an ephemeral key, opens the Gateway's realtime WebSocket
// with it (the browser subprotocols), streams the microphone as PCM16 at 24 kHz, plays the replies and shows the
// transcript. Plain JavaScript, no bundler, no library: the OpenAI Realtime protocol is JSON over a WebSocket.
const RATE = 24000;
const $ = (id) => document.getElementById(id);
const model = new URLSearchParams(location.search).get('model');
if (model) $('model').value = model;

/** What happened, for people (the page) and for the test that drives it (window.quickstart). */
const state = (window.quickstart = { status: 'idle', keyPrefix: null, sessionId: null, appendedMs: 0, replyAudioBytes: 0, responses: 0, transcript: [], errors: [] });
let socket, audio, microphone, playhead = 0;
const playing = new Set();
const replies = [];

$('start').onclick = () => start().catch((error) => fail(error.message));
$('stop').onclick = stop;

async function start() {
  $('start').disabled = true;
  setStatus('getting a key…');
  const answer = await fetch('/session', { method: 'POST', headers: { 'content-type': 'application/json' }, body: JSON.stringify({ model: $('model').value.trim() }) });
  const session = await answer.json();
  if (!answer.ok) throw new Error(session.error?.message ?? answer.statusText);
  state.keyPrefix = session.value.slice(0, 3);

  audio = new AudioContext({ sampleRate: RATE }); // Chromium resamples the microphone to 24 kHz for us
  await audio.audioWorklet.addModule('capture-worklet.js');
  microphone = await navigator.mediaDevices.getUserMedia({ audio: { channelCount: 1, echoCancellation: true, noiseSuppression: true } });

  setStatus('connecting…');
  socket = new WebSocket(`${session.realtime_url}/v1/realtime?model=${encodeURIComponent(session.model)}`,
    ['realtime', `openai-insecure-api-key.${session.value}`]);
  socket.onmessage = (message) => handle(JSON.parse(message.data));
  socket.onclose = (event) => { setStatus(`closed (${event.code}${event.reason ? ` ${event.reason}` : ''})`); cleanUp(); };
  $('stop').disabled = false;
}

function handle(event) {
  switch (event.type) {
    case 'session.created':
      state.sessionId = event.session.id;
      setStatus(`connected to ${event.routing?.model ?? event.session.model}: speak`);
      streamMicrophone();
      break;
    case 'input_audio_buffer.speech_started': // the user talks over the reply: stop playing it
      for (const source of playing) source.stop();
      playing.clear();
      playhead = 0;
      break;
    case 'response.output_audio.delta':
      play(event.delta);
      break;
    case 'conversation.item.input_audio_transcription.completed':
      if (event.transcript) say('you', event.transcript);
      break;
    case 'response.output_audio_transcript.done':
      say('assistant', event.transcript);
      break;
    case 'response.done':
      state.responses++;
      offerDownload();
      break;
    case 'error':
      fail(`${event.error?.code ?? 'error'}: ${event.error?.message}`);
      break;
  }
}

/** Microphone → AudioWorklet (20 ms PCM16 frames) → input_audio_buffer.append; server VAD ends each turn. */
function streamMicrophone() {
  const capture = new AudioWorkletNode(audio, 'pcm16-capture');
  capture.port.onmessage = ({ data }) => {
    if (socket.readyState !== WebSocket.OPEN) return;
    socket.send(JSON.stringify({ type: 'input_audio_buffer.append', audio: base64(new Uint8Array(data)) }));
    state.appendedMs += 20;
  };
  audio.createMediaStreamSource(microphone).connect(capture);
}

/** Schedules a base64 PCM16 chunk right after the audio already queued. */
function play(delta) {
  const bytes = Uint8Array.from(atob(delta), (c) => c.charCodeAt(0));
  const pcm = new Int16Array(bytes.buffer, 0, bytes.length >> 1);
  replies.push(pcm);
  state.replyAudioBytes += bytes.length;
  const buffer = audio.createBuffer(1, pcm.length, RATE);
  buffer.getChannelData(0).set(Float32Array.from(pcm, (s) => s / 0x8000));
  const source = audio.createBufferSource();
  source.buffer = buffer;
  source.connect(audio.destination);
  playhead = Math.max(playhead, audio.currentTime);
  source.start(playhead);
  playhead += buffer.duration;
  playing.add(source);
  source.onended = () => playing.delete(source);
}

/** Everything the assistant said so far as a 24 kHz mono PCM16 WAV. */
function offerDownload() {
  const length = replies.reduce((sum, pcm) => sum + pcm.length * 2, 0);
  const header = new DataView(new ArrayBuffer(44));
  [..."RIFF"].forEach((c, i) => header.setUint8(i, c.charCodeAt(0)));
  header.setUint32(4, 36 + length, true);
  [..."WAVEfmt "].forEach((c, i) => header.setUint8(8 + i, c.charCodeAt(0)));
  header.setUint32(16, 16, true); header.setUint16(20, 1, true); header.setUint16(22, 1, true);
  header.setUint32(24, RATE, true); header.setUint32(28, RATE * 2, true); header.setUint16(32, 2, true); header.setUint16(34, 16, true);
  [..."data"].forEach((c, i) => header.setUint8(36 + i, c.charCodeAt(0)));
  header.setUint32(40, length, true);
  const link = $('download');
  if (link.href) URL.revokeObjectURL(link.href);
  link.href = URL.createObjectURL(new Blob([header, ...replies], { type: 'audio/wav' }));
  link.hidden = false;
}

function say(who, text) {
  state.transcript.push(`${who}: ${text}`);
  const line = document.createElement('li');
  line.className = who;
  line.textContent = `${who}: ${text}`;
  $('transcript').append(line);
}

function base64(bytes) {
  let binary = '';
  for (let i = 0; i < bytes.length; i++) binary += String.fromCharCode(bytes[i]);
  return btoa(binary);
}

function setStatus(text) {
  state.status = text;
  $('status').textContent = text;
}

function fail(message) {
  state.errors.push(message);
  const line = document.createElement('li');
  line.className = 'error';
  line.textContent = message;
  $('transcript').append(line);
}

function stop() {
  socket?.close(1000);
  cleanUp();
}

function cleanUp() {
  microphone?.getTracks().forEach((track) => track.stop());
  audio?.close().catch(() => {});
  microphone = audio = undefined;
  $('start').disabled = false;
  $('stop').disabled = true;
}
