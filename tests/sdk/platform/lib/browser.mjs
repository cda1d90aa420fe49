// Headless Debian Chromium (playwright-core only drives it: no browser download) whose microphone is a WAV file, for
// the browser quickstart (examples/browser).
import assert from 'node:assert/strict';
import { existsSync, writeFileSync } from 'node:fs';
import { chromium } from 'playwright-core';
import { REALTIME_RATE, pcm16, silence, spokenSentence } from './speech.mjs';

export const SYSTEM_CHROMIUM = '/usr/bin/chromium';

/** Launches Chromium with fake media devices: getUserMedia is granted without a prompt and hears `wavPath`, looped. */
export async function launchWithMicrophone(wavPath) {
  assert.ok(existsSync(SYSTEM_CHROMIUM), `${SYSTEM_CHROMIUM} is missing: run scripts/bootstrap.sh (apt-get install chromium)`);
  return chromium.launch({
    executablePath: SYSTEM_CHROMIUM,
    headless: true,
    args: [
      '--use-fake-ui-for-media-stream',
      '--use-fake-device-for-media-stream',
      `--use-file-for-fake-audio-capture=${wavPath}`,
      '--autoplay-policy=no-user-gesture-required',
    ],
  });
}

/**
 * Writes a microphone recording for Chromium: half a second of silence, the sentence spoken by espeak-ng, then three
 * seconds of silence (so server VAD ends the turn before the file loops), as a 24 kHz mono PCM16 WAV.
 */
export function writeMicrophoneWav(sentence, wavPath) {
  const { samples } = spokenSentence(sentence, `${wavPath}.espeak.wav`);
  const pcm = pcm16(silence(500), samples, silence(3000));
  const header = Buffer.alloc(44);
  header.write('RIFF', 0); header.writeUInt32LE(36 + pcm.length, 4); header.write('WAVEfmt ', 8);
  header.writeUInt32LE(16, 16); header.writeUInt16LE(1, 20); header.writeUInt16LE(1, 22);
  header.writeUInt32LE(REALTIME_RATE, 24); header.writeUInt32LE(REALTIME_RATE * 2, 28); header.writeUInt16LE(2, 32); header.writeUInt16LE(16, 34);
  header.write('data', 36); header.writeUInt32LE(pcm.length, 40);
  writeFileSync(wavPath, Buffer.concat([header, pcm]));
  return wavPath;
}
