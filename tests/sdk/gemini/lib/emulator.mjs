// Starts the built Gemini Live emulator as a child process on a free loopback port.
import { spawn } from 'node:child_process';
import { existsSync } from 'node:fs';
import { createServer } from 'node:net';
import { dirname, resolve } from 'node:path';
import { fileURLToPath } from 'node:url';

const repoRoot = resolve(dirname(fileURLToPath(import.meta.url)), '../../../..');

export function emulatorDll() {
  const configuration = process.env.CONFIGURATION || 'Debug';
  const dll = resolve(repoRoot, 'src/Emulators/GeminiLive/bin', configuration, 'net10.0/VoicePlatform.Emulators.GeminiLive.dll');
  if (!existsSync(dll)) {
    throw new Error(`Gemini Live emulator not built: ${dll} is missing. Run: dotnet build src/Emulators/GeminiLive -c ${configuration}`);
  }
  return dll;
}

function freePort() {
  return new Promise((resolvePort, reject) => {
    const server = createServer();
    server.unref();
    server.on('error', reject);
    server.listen(0, '127.0.0.1', () => {
      const { port } = server.address();
      server.close(() => resolvePort(port));
    });
  });
}

/** settings: { 'ConnectionLifetime': '00:00:03', ... } passed as --GeminiEmulator:Name=value. */
export async function startEmulator(settings = {}) {
  const dll = emulatorDll();
  const port = await freePort();
  const baseUrl = `http://127.0.0.1:${port}`;
  const args = [dll, '--urls', baseUrl, '--Logging:LogLevel:Default=Warning'];
  for (const [name, value] of Object.entries(settings)) {
    args.push(`--GeminiEmulator:${name}=${value}`);
  }
  const child = spawn('dotnet', args, { stdio: ['ignore', 'pipe', 'pipe'] });
  let output = '';
  child.stdout.on('data', (d) => { output += d; });
  child.stderr.on('data', (d) => { output += d; });

  const deadline = Date.now() + 30_000;
  while (true) {
    if (child.exitCode !== null) {
      throw new Error(`emulator exited with ${child.exitCode}:\n${output}`);
    }
    try {
      const response = await fetch(`${baseUrl}/health`);
      if (response.ok) break;
    } catch {
      // not listening yet
    }
    if (Date.now() > deadline) {
      child.kill('SIGKILL');
      throw new Error(`emulator did not become healthy:\n${output}`);
    }
    await new Promise((r) => setTimeout(r, 200));
  }

  return {
    baseUrl,
    async stop() {
      if (child.exitCode !== null) return;
      const exited = new Promise((r) => child.once('exit', r));
      child.kill('SIGTERM');
      const timer = setTimeout(() => child.kill('SIGKILL'), 5000);
      await exited;
      clearTimeout(timer);
    },
  };
}
