// Finds a documented block (the one after `<!-- ci:<name> -->` in a Markdown file of the repository; tests/Docs.Tests
// requires every command or program block to carry such a marker, named here, or say why it is not run) and runs bash
// blocks as written, in the background for blocks that start a server.
import assert from 'node:assert/strict';
import { spawn } from 'node:child_process';
import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import { repoRoot } from './platform.mjs';

/** The block's text. */
export function docBlock(file, name) {
  const markdown = readFileSync(join(repoRoot, file), 'utf8');
  const marker = markdown.indexOf(`<!-- ci:${name} -->`);
  assert.ok(marker >= 0, `${file} marks its ${name} block`);
  return markdown.slice(marker).match(/```[^\n]*\n([\s\S]*?)```/)[1];
}

/**
 * Starts the block from the repository root in its own process group and resolves once its output matches `ready`
 * (with the match); `stop()` ends the whole group. Fails with the output so far if the block exits first.
 */
export function startDocBlock(file, name, env, ready, timeoutMs = 60_000) {
  const child = spawn('bash', ['-euo', 'pipefail', '-c', docBlock(file, name)], { cwd: repoRoot, env: { ...process.env, ...env }, detached: true });
  let output = '';
  const stop = () => { try { process.kill(-child.pid, 'SIGTERM'); } catch { /* already gone */ } };
  const started = new Promise((resolve, reject) => {
    const timer = setTimeout(() => { stop(); reject(new Error(`${file} ${name}: not ready within ${timeoutMs} ms:\n${output}`)); }, timeoutMs);
    const onData = (chunk) => {
      output += chunk;
      const match = output.match(ready);
      if (match) { clearTimeout(timer); resolve(match); }
    };
    child.stdout.setEncoding('utf8').on('data', onData);
    child.stderr.setEncoding('utf8').on('data', onData);
    child.on('exit', (code) => { clearTimeout(timer); reject(new Error(`${file} ${name} exited (${code}) before it was ready:\n${output}`)); });
  });
  return { started, stop, output: () => output };
}
