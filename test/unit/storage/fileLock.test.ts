import * as assert from 'node:assert/strict';
import { spawnSync } from 'node:child_process';
import * as fsSync from 'node:fs';
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
    lock.withLock(() => {
      assert.ok(fsSync.existsSync(file));
    });
    assert.equal(await exists(file), false);
  });

  it('keeps a second holder out until the first releases', async () => {
    const file = await lockPath();
    const first = new FileLock(file);
    const token = first.acquire();
    assert.throws(() => new FileLock(file, undefined, { timeoutMs: 60 }).acquire(), (e) => e instanceof StorageError && e.kind === 'lock-timeout');
    first.release(token);
    assert.equal(new FileLock(file).withLock(() => 'second in'), 'second in');
  });

  it('takes over a lock whose holder process is dead', async () => {
    const file = await lockPath();
    await fs.writeFile(file, JSON.stringify({ pid: deadPid(), host: os.hostname(), token: 'old', acquiredAt: Date.now() }));
    let ran = false;
    new FileLock(file, undefined, { timeoutMs: 5_000 }).withLock(() => {
      ran = true;
    });
    assert.equal(ran, true);
  });

  it('takes over a lock older than the stale age even if its holder looks alive', async () => {
    const file = await lockPath();
    await fs.writeFile(file, JSON.stringify({ pid: process.pid, host: os.hostname(), token: 'old', acquiredAt: Date.now() - 60_000 }));
    await new FileLock(file, undefined, { staleMs: 30_000, timeoutMs: 5_000 }).withLock(() => undefined);
  });

  it('takes over an empty lock file left by a process killed right after creating it', async () => {
    const file = await lockPath();
    await fs.writeFile(file, '');
    const old = new Date(Date.now() - 10_000);
    await fs.utimes(file, old, old);
    await new FileLock(file, undefined, { timeoutMs: 5_000 }).withLock(() => undefined);
  });

  it('times out with a clear error while a live holder keeps the lock', async () => {
    const file = await lockPath();
    await fs.writeFile(file, JSON.stringify({ pid: process.pid, host: os.hostname(), token: 'live', acquiredAt: Date.now() }));
    assert.throws(
      () => new FileLock(file, undefined, { timeoutMs: 100 }).acquire(),
      (e) => e instanceof StorageError && e.kind === 'lock-timeout' && /another VS Code window/i.test(e.message),
    );
  });

  it('does not remove a lock another holder took over', async () => {
    const file = await lockPath();
    const lock = new FileLock(file);
    const token = lock.acquire();
    const theirs = JSON.stringify({ pid: process.pid, host: os.hostname(), token: 'theirs', acquiredAt: Date.now() });
    await fs.writeFile(file, theirs);
    lock.release(token);
    assert.equal(await fs.readFile(file, 'utf8'), theirs);
  });
});
