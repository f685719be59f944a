import * as assert from 'node:assert/strict';
import { spawnSync } from 'node:child_process';
import { promises as fs } from 'node:fs';
import * as os from 'node:os';
import * as path from 'node:path';

import { StorageError } from '../../../src/extension/storage/errors';
import { FileLock } from '../../../src/extension/storage/fileLock';
import { cleanup, exists, tempFolder } from './helpers';

/** The pid of a process that has already exited. */
function deadPid(): number {
  const result = spawnSync(process.execPath, ['-e', 'process.stdout.write(String(process.pid))']);
  return Number(result.stdout.toString());
}

async function lockPath(): Promise<string> {
  return path.join(await tempFolder(), 'history.sqlite.lock');
}

describe('storage/fileLock', () => {
  afterEach(cleanup);

  it('creates the lock file while held and removes it on release', async () => {
    const file = await lockPath();
    const lock = new FileLock(file);
    await lock.withLock(async () => {
      assert.equal(await exists(file), true);
    });
    assert.equal(await exists(file), false);
  });

  it('lets a second holder in only after the first releases', async () => {
    const file = await lockPath();
    const order: string[] = [];
    let releaseFirst: () => void = () => undefined;
    const first = new FileLock(file).withLock(async () => {
      order.push('first in');
      await new Promise<void>((resolve) => (releaseFirst = resolve));
      order.push('first out');
    });
    while (order.length === 0) await new Promise((resolve) => setTimeout(resolve, 1));
    const second = new FileLock(file).withLock(async () => {
      order.push('second in');
    });
    await new Promise((resolve) => setTimeout(resolve, 50));
    releaseFirst();
    await Promise.all([first, second]);
    assert.deepEqual(order, ['first in', 'first out', 'second in']);
  });

  it('takes over a lock whose holder process is dead', async () => {
    const file = await lockPath();
    await fs.writeFile(file, JSON.stringify({ pid: deadPid(), host: os.hostname(), token: 'old', acquiredAt: Date.now() }));
    let ran = false;
    await new FileLock(file, undefined, { timeoutMs: 5_000 }).withLock(async () => {
      ran = true;
    });
    assert.equal(ran, true);
  });

  it('takes over a lock older than the stale age even if its holder looks alive', async () => {
    const file = await lockPath();
    await fs.writeFile(file, JSON.stringify({ pid: process.pid, host: os.hostname(), token: 'old', acquiredAt: Date.now() - 60_000 }));
    await new FileLock(file, undefined, { staleMs: 30_000, timeoutMs: 5_000 }).withLock(async () => undefined);
  });

  it('takes over an empty lock file left by a process killed right after creating it', async () => {
    const file = await lockPath();
    await fs.writeFile(file, '');
    const old = new Date(Date.now() - 10_000);
    await fs.utimes(file, old, old);
    await new FileLock(file, undefined, { timeoutMs: 5_000 }).withLock(async () => undefined);
  });

  it('times out with a clear error while a live holder keeps the lock', async () => {
    const file = await lockPath();
    await fs.writeFile(file, JSON.stringify({ pid: process.pid, host: os.hostname(), token: 'live', acquiredAt: Date.now() }));
    await assert.rejects(
      new FileLock(file, undefined, { timeoutMs: 100 }).acquire(),
      (e) => e instanceof StorageError && e.kind === 'lock-timeout' && /another VS Code window/i.test(e.message),
    );
  });

  it('does not remove a lock another holder took over', async () => {
    const file = await lockPath();
    const lock = new FileLock(file);
    const token = await lock.acquire();
    const theirs = JSON.stringify({ pid: process.pid, host: os.hostname(), token: 'theirs', acquiredAt: Date.now() });
    await fs.writeFile(file, theirs);
    await lock.release(token);
    assert.equal(await fs.readFile(file, 'utf8'), theirs);
  });
});
