// Starts the built Gemini Live emulator as a child process on a free loopback port.
import { emulatorDll, freePort, startEmulatorProcess } from '../../emulator-process.mjs';

/** settings: { 'ConnectionLifetime': '00:00:03', ... } passed as --GeminiEmulator:Name=value. */
export async function startEmulator(settings = {}) {
  const port = await freePort();
  const baseUrl = `http://127.0.0.1:${port}`;
  const args = ['--urls', baseUrl, '--Logging:LogLevel:Default=Warning'];
  for (const [name, value] of Object.entries(settings)) {
    args.push(`--GeminiEmulator:${name}=${value}`);
  }
  const process = await startEmulatorProcess({ dll: emulatorDll('GeminiLive'), args, healthUrl: `${baseUrl}/health`, timeoutMs: 30_000 });
  return { baseUrl, stop: () => process.stop() };
}
