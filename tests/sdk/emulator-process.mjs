// Shared by the SDK suites: runs one of the built emulators (a .NET server) as a child process and waits for /health.
import { spawn } from 'node:child_process';
import { existsSync } from 'node:fs';
import { createServer } from 'node:net';
import { dirname, resolve } from 'node:path';
import { fileURLToPath } from 'node:url';

const repoRoot = resolve(dirname(fileURLToPath(import.meta.url)), '../..');

/** A free loopback TCP port. */
export function freePort() {
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

/** Path of an emulator's built assembly, e.g. emulatorDll('OpenAIRealtime'); fails clearly when it is not built. */
export function emulatorDll(name) {
  const configuration = process.env.CONFIGURATION || 'Debug';
  const project = `src/Emulators/${name}`;
  const dll = resolve(repoRoot, project, 'bin', configuration, `net10.0/VoicePlatform.Emulators.${name}.dll`);
  if (!existsSync(dll)) {
    throw new Error(`${name} emulator not built: ${dll} is missing. Run: dotnet build ${project} -c ${configuration}`);
  }
  return dll;
}

/**
 * Starts `dotnet <dll> ...args` with extra environment, waits until `healthUrl` answers 200 (or the process dies),
 * and returns { child, stop() }; stop() sends SIGTERM, then SIGKILL after 5 s.
 */
export async function startEmulatorProcess({ dll, args = [], env = {}, healthUrl, timeoutMs = 60_000 }) {
  const child = spawn('dotnet', [dll, ...args], { env: { ...process.env, ...env }, stdio: ['ignore', 'pipe', 'pipe'] });
  let output = '';
  child.stdout.on('data', (d) => { output += d; });
  child.stderr.on('data', (d) => { output += d; });

  const deadline = Date.now() + timeoutMs;
  while (true) {
    if (child.exitCode !== null) throw new Error(`emulator exited with ${child.exitCode}:\n${output}`);
    try {
      const response = await fetch(healthUrl);
      if (response.ok) break;
    } catch {
      // not listening yet
    }
    if (Date.now() > deadline) {
      child.kill('SIGKILL');
      throw new Error(`emulator not healthy after ${timeoutMs} ms:\n${output}`);
    }
    await new Promise((r) => setTimeout(r, 200));
  }

  return {
    child,
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
