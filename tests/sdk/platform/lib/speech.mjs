// Spoken test input: a sentence synthesized with espeak-ng at test time, read from its WAV file and converted to what
// the OpenAI Realtime protocol carries (PCM16 little-endian mono at 24 kHz).
import { execFileSync } from 'node:child_process';
import { readFileSync } from 'node:fs';

export const REALTIME_RATE = 24_000;

/** Runs `espeak-ng -w <path> <text>`; fails with a hint when espeak-ng is not installed. */
export function synthesize(text, path) {
  try {
    execFileSync('espeak-ng', ['-w', path, text], { stdio: ['ignore', 'ignore', 'pipe'] });
  } catch (error) {
    if (error.code === 'ENOENT') {
      throw new Error('espeak-ng is not installed: it makes the spoken test input. Run scripts/bootstrap.sh (it installs espeak-ng).');
    }
    throw new Error(`espeak-ng failed: ${error.stderr?.toString() || error.message}`);
  }
}

/**
 * Parses a RIFF/WAVE file holding 16-bit PCM (espeak-ng writes 22050 Hz mono). Returns { sampleRate, samples } with
 * samples as an Int16Array, mixed down to mono. Chunks other than fmt/data are skipped; a data size that is 0 or
 * 0xFFFFFFFF (a WAV written to a pipe) or runs past the file means "to the end of the file".
 */
export function parseWav(buffer) {
  if (buffer.length < 12 || buffer.toString('ascii', 0, 4) !== 'RIFF' || buffer.toString('ascii', 8, 12) !== 'WAVE') {
    throw new Error('not a RIFF/WAVE file');
  }
  let format = null;
  let offset = 12;
  while (offset + 8 <= buffer.length) {
    const id = buffer.toString('ascii', offset, offset + 4);
    let size = buffer.readUInt32LE(offset + 4);
    const body = offset + 8;
    if (id === 'fmt ') {
      format = {
        encoding: buffer.readUInt16LE(body),
        channels: buffer.readUInt16LE(body + 2),
        sampleRate: buffer.readUInt32LE(body + 4),
        bitsPerSample: buffer.readUInt16LE(body + 14),
      };
      // WAVE_FORMAT_EXTENSIBLE: the real format is the first two bytes of the sub-format GUID.
      if (format.encoding === 0xfffe && size >= 26) format.encoding = buffer.readUInt16LE(body + 24);
    } else if (id === 'data') {
      if (!format) throw new Error('WAV data chunk before its fmt chunk');
      if (format.encoding !== 1 || format.bitsPerSample !== 16) {
        throw new Error(`unsupported WAV encoding ${format.encoding} with ${format.bitsPerSample} bits (want 16-bit PCM)`);
      }
      if (size === 0 || size === 0xffffffff || body + size > buffer.length) size = buffer.length - body;
      const frames = Math.floor(size / (2 * format.channels));
      const samples = new Int16Array(frames);
      for (let i = 0; i < frames; i++) {
        let sum = 0;
        for (let c = 0; c < format.channels; c++) sum += buffer.readInt16LE(body + 2 * (i * format.channels + c));
        samples[i] = Math.round(sum / format.channels);
      }
      return { sampleRate: format.sampleRate, samples };
    }
    offset = body + size + (size & 1); // chunks are padded to an even size
  }
  throw new Error('WAV file has no data chunk');
}

/**
 * Band-limited resampling by windowed-sinc interpolation (Blackman window, 32 taps at the lower of the two rates).
 * The cutoff sits just under the lower Nyquist frequency, so downsampling does not alias and upsampling does not
 * image; each output sample's weights are normalised so the DC gain is exactly 1. Test input only: O(n × taps).
 */
export function resample(samples, fromRate, toRate) {
  if (fromRate === toRate) return Int16Array.from(samples);
  const ratio = toRate / fromRate;
  const cutoff = Math.min(1, ratio) * 0.95; // relative to the input Nyquist frequency
  const halfWidth = Math.ceil(16 / Math.min(1, ratio)); // input samples each side
  const out = new Int16Array(Math.floor(samples.length * ratio));
  for (let n = 0; n < out.length; n++) {
    const x = n / ratio; // position in input samples
    const first = Math.max(0, Math.floor(x) - halfWidth + 1);
    const last = Math.min(samples.length - 1, Math.floor(x) + halfWidth);
    let acc = 0;
    let weights = 0;
    for (let k = first; k <= last; k++) {
      const d = x - k;
      const t = d / halfWidth; // -1..1 across the window
      if (t <= -1 || t >= 1) continue;
      const window = 0.42 + 0.5 * Math.cos(Math.PI * t) + 0.08 * Math.cos(2 * Math.PI * t);
      const arg = Math.PI * cutoff * d;
      const sinc = arg === 0 ? 1 : Math.sin(arg) / arg;
      const w = sinc * window;
      acc += samples[k] * w;
      weights += w;
    }
    const value = weights === 0 ? 0 : acc / weights;
    out[n] = Math.max(-32768, Math.min(32767, Math.round(value)));
  }
  return out;
}

/** Milliseconds of digital silence at 24 kHz. */
export function silence(ms) {
  return new Int16Array(Math.round((ms * REALTIME_RATE) / 1000));
}

/** Concatenates Int16Array parts into one little-endian PCM16 Buffer. */
export function pcm16(...parts) {
  const total = parts.reduce((sum, p) => sum + p.length, 0);
  const out = Buffer.alloc(total * 2);
  let offset = 0;
  for (const part of parts) {
    for (let i = 0; i < part.length; i++) out.writeInt16LE(part[i], offset + 2 * i);
    offset += part.length * 2;
  }
  return out;
}

/** RMS level in dBFS of a stretch of samples (−Infinity for digital silence). */
export function rmsDbfs(samples) {
  let sum = 0;
  for (const s of samples) sum += s * s;
  return 20 * Math.log10(Math.sqrt(sum / Math.max(1, samples.length)) / 32768);
}

/**
 * Where the speech is: the first and last 10 ms frame louder than `thresholdDbfs` (−40 dBFS, the quieter of the two
 * emulators' VAD thresholds), as { startMs, endMs } relative to the start of `samples`.
 */
export function voicedSpan(samples, rate = REALTIME_RATE, thresholdDbfs = -40) {
  const frame = rate / 100;
  let first = -1;
  let last = -1;
  for (let i = 0; (i + 1) * frame <= samples.length; i++) {
    if (rmsDbfs(samples.subarray(i * frame, (i + 1) * frame)) > thresholdDbfs) {
      if (first < 0) first = i;
      last = i;
    }
  }
  if (first < 0) throw new Error('no speech above the threshold');
  return { startMs: first * 10, endMs: (last + 1) * 10 };
}

/** The sentence as 24 kHz PCM16 samples, synthesized into `wavPath`. */
export function spokenSentence(text, wavPath) {
  synthesize(text, wavPath);
  const wav = parseWav(readFileSync(wavPath));
  return { wav, samples: resample(wav.samples, wav.sampleRate, REALTIME_RATE) };
}
