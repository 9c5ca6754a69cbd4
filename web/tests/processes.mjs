// Long-running programs of the test stack: started, awaited until they say they are ready,
// and stopped with SIGTERM.

import { spawn } from 'node:child_process';
import path from 'node:path';

const STARTUP_TIMEOUT_MS = 15_000;

/**
 * Starts `file` and resolves `ready` with the match once its output matches `pattern`.
 * `output()` is everything it has printed so far, for error messages.
 */
export function startProcess(file, args, pattern) {
  const child = spawn(file, args, { stdio: ['ignore', 'pipe', 'pipe'] });
  const name = path.basename(file);
  let output = '';
  const ready = new Promise((resolve, reject) => {
    const timer = setTimeout(
      () => reject(new Error(`${name} did not start in time:\n${output}`)),
      STARTUP_TIMEOUT_MS,
    );
    const collect = (chunk) => {
      output += chunk;
      const match = pattern.exec(output);
      if (match) {
        clearTimeout(timer);
        resolve(match);
      }
    };
    child.stdout.on('data', collect);
    child.stderr.on('data', collect);
    child.on('exit', (code) => {
      clearTimeout(timer);
      reject(new Error(`${name} exited (${code}) before it was ready:\n${output}`));
    });
  });
  return { child, ready, output: () => output };
}

export function stopProcess(child) {
  if (child.exitCode !== null || child.signalCode !== null) return Promise.resolve();
  return new Promise((resolve) => {
    child.once('exit', resolve);
    child.kill('SIGTERM');
  });
}
