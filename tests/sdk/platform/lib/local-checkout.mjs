// Where the documentation's commands run: a directory laid out like a checkout running AppHost, whose `.apphost` is the
// booted platform's state directory (endpoints.json, certs/), so blocks that read `.apphost/endpoints.json` or run `vp`
// (which searches upward for it) find the platform under test as written, without any substitution.
import { mkdirSync, symlinkSync } from 'node:fs';
import { homedir } from 'node:os';
import { delimiter, join } from 'node:path';

/** Creates the checkout under the platform's work directory (removed with it) and returns its path. */
export function localCheckout(platform) {
  const root = join(platform.workDir, 'checkout');
  mkdirSync(root, { recursive: true });
  symlinkSync(join(platform.workDir, 'state'), join(root, '.apphost'));
  return root;
}

/**
 * An environment with a home of its own, so `dotnet tool install --global` touches nothing of the machine's, and its
 * global tools on PATH as after a .NET SDK install; the NuGet package cache stays shared. No VOICEPLATFORM_* variables:
 * the blocks find the platform the way they document.
 */
export function toolUserEnv(platform) {
  const home = join(platform.workDir, 'home');
  mkdirSync(home, { recursive: true });
  const env = {
    ...process.env,
    HOME: home,
    DOTNET_CLI_HOME: home,
    NUGET_PACKAGES: process.env.NUGET_PACKAGES || join(homedir(), '.nuget', 'packages'),
    PATH: `${join(home, '.dotnet', 'tools')}${delimiter}${process.env.PATH}`,
  };
  for (const name of Object.keys(env)) if (name.startsWith('VOICEPLATFORM_')) delete env[name];
  return env;
}
