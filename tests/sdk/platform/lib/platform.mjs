// Runs the whole platform the way a developer does — the built AppHost program — in a throwaway state directory, and
// stops it with SIGTERM. AppHost's output goes to a log file whose path is reported with every failure.
import { spawn, spawnSync } from 'node:child_process';
import { chmodSync, closeSync, existsSync, mkdtempSync, openSync, readdirSync, readFileSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { dirname, join, resolve } from 'node:path';
import { fileURLToPath } from 'node:url';

export const repoRoot = resolve(dirname(fileURLToPath(import.meta.url)), '../../../..');

const STARTUP_TIMEOUT_MS = 180_000;
const STOP_TIMEOUT_MS = 60_000;

/** The last `lines` lines of a file, for failure messages. */
export function tail(path, lines = 40) {
  try {
    return readFileSync(path, 'utf8').split('\n').slice(-lines - 1).join('\n');
  } catch {
    return '(no log)';
  }
}

function appHostDll() {
  const configuration = process.env.CONFIGURATION || 'Debug';
  const dll = resolve(repoRoot, 'AppHost', 'bin', configuration, 'net10.0', 'VoicePlatform.AppHost.dll');
  if (!existsSync(dll)) {
    throw new Error(`AppHost is not built: ${dll} is missing. Run: dotnet build AppHost -c ${configuration}`);
  }
  return dll;
}

const haveSetpriv = spawnSync('setpriv', ['--version'], { stdio: 'ignore' }).status === 0;

/**
 * Every process an Aspire app host runs: those below it (the dashboard) and Aspire's orchestrator (DCP), which runs
 * detached and watches the app host with `--monitor <pid>`, with every resource below it.
 */
export function appHostProcesses(appHost) {
  const orchestrators = [];
  for (const name of readdirSync('/proc')) {
    if (!/^\d+$/.test(name)) continue;
    const cmdline = commandLine(Number(name));
    if (cmdline?.includes('dcp') && cmdline.includes(`--monitor ${appHost} `)) orchestrators.push({ pid: Number(name), cmdline });
  }
  return [...descendants(appHost), ...orchestrators.flatMap((dcp) => [dcp, ...descendants(dcp.pid)])];
}

/** Every process below `root` (children, grandchildren, ...), with its command line, read from /proc. */
export function descendants(root) {
  const parentOf = new Map();
  for (const name of readdirSync('/proc')) {
    if (!/^\d+$/.test(name)) continue;
    try {
      const status = readFileSync(`/proc/${name}/status`, 'utf8');
      const ppid = Number(/^PPid:\s+(\d+)/m.exec(status)?.[1]);
      parentOf.set(Number(name), ppid);
    } catch {
      // exited meanwhile
    }
  }
  const found = [];
  const frontier = [root];
  while (frontier.length > 0) {
    const parent = frontier.pop();
    for (const [pid, ppid] of parentOf) {
      if (ppid !== parent) continue;
      found.push({ pid, cmdline: commandLine(pid) });
      frontier.push(pid);
    }
  }
  return found;
}

function commandLine(pid) {
  try {
    return readFileSync(`/proc/${pid}/cmdline`, 'utf8').replaceAll('\0', ' ').trim();
  } catch {
    return null;
  }
}

/** True if `process` (from descendants()) still runs: same pid, same command line, not a zombie. */
export function stillRunning({ pid, cmdline }) {
  try {
    const state = /^State:\s+(\S)/m.exec(readFileSync(`/proc/${pid}/status`, 'utf8'))?.[1];
    return state !== 'Z' && state !== 'X' && commandLine(pid) === cmdline;
  } catch {
    return false;
  }
}

/**
 * Starts AppHost with a fresh state directory and AppHost-chosen free ports (`--gateway-port 0`), waits until it has
 * written endpoints.json, and returns { endpoints, logPath, workDir, child, stop(), dispose(keep) }.
 * `env` is added to AppHost's environment, which its children inherit (that is how emulators are configured).
 */
export async function startPlatform({ env = {} } = {}) {
  const dll = appHostDll();
  const workDir = mkdtempSync(join(tmpdir(), 'voiceplatform-sdk-platform-'));
  // When tests run as root, AppHost runs PostgreSQL as an unprivileged account, which must reach its data directory.
  chmodSync(workDir, 0o755);
  const stateDir = join(workDir, 'state');
  const logPath = join(workDir, 'apphost.log');
  const endpointsPath = join(stateDir, 'endpoints.json');

  const childEnv = { ...process.env, DOTNET_CLI_TELEMETRY_OPTOUT: '1', DOTNET_NOLOGO: '1', ...env };
  // Always the emulators: with a provider key in the environment AppHost would route to the real service.
  delete childEnv.OPENAI_API_KEY;
  delete childEnv.GEMINI_API_KEY;

  const args = [dll, '--state-dir', stateDir, '--gateway-port', '0', '--gateway-tls-port', '0'];
  // AppHost takes its children down with it; setpriv takes AppHost down (gracefully) if this test process dies.
  const [file, argv] = haveSetpriv ? ['setpriv', ['--pdeathsig', 'TERM', '--', 'dotnet', ...args]] : ['dotnet', args];
  const logFd = openSync(logPath, 'a');
  const child = spawn(file, argv, { cwd: repoRoot, env: childEnv, stdio: ['ignore', logFd, logFd] });
  closeSync(logFd);
  const exited = new Promise((resolveExit) => {
    child.once('exit', (code, signal) => resolveExit({ code, signal }));
    child.once('error', (error) => resolveExit({ code: null, signal: null, error }));
  });
  let exit = null;
  exited.then((e) => { exit = e; });

  // A failed start keeps the log (named in the error) and drops the state directory.
  const failStart = (message) => {
    rmSync(stateDir, { recursive: true, force: true });
    return new Error(`${message} Log: ${logPath}\n${tail(logPath)}`);
  };
  const deadline = Date.now() + STARTUP_TIMEOUT_MS;
  let endpoints = null;
  while (!endpoints) {
    if (exit) {
      throw failStart(`AppHost exited during start-up (${exit.error?.message ?? `code ${exit.code}, signal ${exit.signal}`}).`);
    }
    if (Date.now() > deadline) {
      child.kill('SIGTERM');
      const timer = setTimeout(() => child.kill('SIGKILL'), STOP_TIMEOUT_MS);
      await exited;
      clearTimeout(timer);
      throw failStart(`AppHost did not write ${endpointsPath} within ${STARTUP_TIMEOUT_MS / 1000} s.`);
    }
    if (existsSync(endpointsPath)) {
      try {
        const parsed = JSON.parse(readFileSync(endpointsPath, 'utf8'));
        if (parsed.gatewayTls && parsed.devApiKey && parsed.caCertificate) endpoints = parsed;
      } catch {
        // still being written
      }
    }
    if (!endpoints) await new Promise((r) => setTimeout(r, 250));
  }

  return {
    endpoints,
    logPath,
    workDir,
    child,
    get exited() { return exit; },

    /**
     * SIGTERM, then wait for AppHost to exit (SIGKILL after 60 s). Returns { code, signal, survivors, elapsedMs }:
     * survivors are processes that AppHost ran (see appHostProcesses) before the signal and still run afterwards.
     */
    async stop() {
      if (exit) return { ...exit, survivors: [], elapsedMs: 0 };
      const tree = appHostProcesses(child.pid);
      const started = Date.now();
      child.kill('SIGTERM');
      const timer = setTimeout(() => child.kill('SIGKILL'), STOP_TIMEOUT_MS);
      const result = await exited;
      clearTimeout(timer);
      const elapsedMs = Date.now() - started;
      // DCP stops the resources as AppHost shuts down; waited for, up to 30 s.
      let survivors = tree.filter(stillRunning);
      for (let i = 0; i < 300 && survivors.length > 0; i++) {
        await new Promise((r) => setTimeout(r, 100));
        survivors = survivors.filter(stillRunning);
      }
      return { ...result, tree, survivors, elapsedMs };
    },

    /**
     * Removes everything this run wrote; with `keep`, only the state directory (databases, certificates: large and
     * of no use afterwards), so the log stays for the failure report.
     */
    dispose(keep) {
      if (!exit) child.kill('SIGKILL');
      rmSync(keep ? stateDir : workDir, { recursive: true, force: true });
    },
  };
}
