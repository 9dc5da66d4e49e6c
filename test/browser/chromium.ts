import { existsSync } from 'node:fs';
import { chromium, type Browser } from 'playwright-core';

/** Debian's chromium (no browser download): `.ci/run` installs it when missing. */
export const chromiumPath = (): string => process.env.CHROMIUM_PATH || '/usr/bin/chromium';

export const missingChromium = "install Debian's chromium: apt-get install -y chromium (or set CHROMIUM_PATH)";

/** Flags for a headless run in a container (no sandbox, no GPU) that talks to nothing but our servers. */
const launchArgs = [
  '--headless',
  '--no-sandbox',
  '--disable-gpu',
  '--disable-background-networking',
  '--disable-quic',
  '--no-first-run',
  '--disable-component-update',
  '--disable-sync',
];

/** Launches chromium, or fails with how to install it (the suite must not skip silently). */
export async function launchChromium(): Promise<Browser> {
  const executablePath = chromiumPath();
  if (!existsSync(executablePath)) throw new Error(`${executablePath} not found: ${missingChromium}`);
  return chromium.launch({ executablePath, args: launchArgs, timeout: 30_000 });
}
