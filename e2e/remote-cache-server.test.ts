import { test, describe, before, after } from 'node:test';
import assert from 'node:assert/strict';
import * as fs from 'node:fs';
import * as http from 'node:http';
import * as os from 'node:os';
import * as path from 'node:path';
import { spawn } from 'node:child_process';
import { startRemoteCacheServer, remoteCacheServerScript, type RemoteCacheServer } from './helpers';

interface Reply {
  status: number;
  body: Buffer;
}

/** Raw http request, so the test controls headers exactly (e.g. no Content-Length). */
function request(url: string, method: string, headers: Record<string, string>, body?: Buffer, chunked = false): Promise<Reply> {
  return new Promise((resolve, reject) => {
    const req = http.request(url, { method, headers }, (res) => {
      const chunks: Buffer[] = [];
      res.on('data', (c: Buffer) => chunks.push(c));
      res.on('end', () => resolve({ status: res.statusCode ?? 0, body: Buffer.concat(chunks) }));
    });
    req.on('error', reject);
    if (body && chunked) {
      req.write(body);
    } else if (body) {
      req.setHeader('content-length', String(body.length));
      req.write(body);
    }
    req.end();
  });
}

describe('remote cache server (Nx self-hosted cache API)', () => {
  let dir: string;
  let server: RemoteCacheServer;
  const token = 'sekret-token';
  const auth = { authorization: `Bearer ${token}` };

  before(async () => {
    dir = fs.mkdtempSync(path.join(os.tmpdir(), 'nx-spk-cache-test-'));
    server = await startRemoteCacheServer({ dir, token, readOnlyToken: 'ro-token' });
  });
  after(async () => {
    await server.close();
    fs.rmSync(dir, { recursive: true, force: true });
  });

  test('binds to 127.0.0.1 only', () => {
    assert.match(server.url, /^http:\/\/127\.0\.0\.1:\d+$/);
  });

  test('GET of a missing record is 404', async () => {
    const r = await request(`${server.url}/v1/cache/111`, 'GET', auth);
    assert.equal(r.status, 404);
  });

  test('PUT then GET returns the same bytes; a second PUT is 409 and keeps the first', async () => {
    const blob = Buffer.from([0, 1, 2, 255, 10, 13, 42]);
    assert.equal((await request(`${server.url}/v1/cache/222`, 'PUT', auth, blob)).status, 200);
    const got = await request(`${server.url}/v1/cache/222`, 'GET', auth);
    assert.equal(got.status, 200);
    assert.deepEqual(got.body, blob);
    assert.equal((await request(`${server.url}/v1/cache/222`, 'PUT', auth, Buffer.from('other'))).status, 409);
    assert.deepEqual((await request(`${server.url}/v1/cache/222`, 'GET', auth)).body, blob);
    assert.deepEqual(fs.readFileSync(path.join(dir, '222')), blob);
  });

  test('missing or wrong token is 401 for GET and PUT, and nothing is stored', async () => {
    assert.equal((await request(`${server.url}/v1/cache/333`, 'GET', {})).status, 401);
    assert.equal((await request(`${server.url}/v1/cache/333`, 'GET', { authorization: 'Bearer nope' })).status, 401);
    assert.equal((await request(`${server.url}/v1/cache/333`, 'GET', { authorization: token })).status, 401);
    assert.equal((await request(`${server.url}/v1/cache/333`, 'PUT', {}, Buffer.from('x'))).status, 401);
    assert.equal((await request(`${server.url}/v1/cache/333`, 'PUT', { authorization: 'Bearer nope' }, Buffer.from('x'))).status, 401);
    assert.equal(fs.existsSync(path.join(dir, '333')), false);
  });

  test('PUT without Content-Length is rejected (411)', async () => {
    const r = await request(`${server.url}/v1/cache/444`, 'PUT', { ...auth, 'transfer-encoding': 'chunked' }, Buffer.from('abc'), true);
    assert.equal(r.status, 411);
    assert.equal(fs.existsSync(path.join(dir, '444')), false);
  });

  test('read-only token can GET but PUT is 403', async () => {
    assert.equal((await request(`${server.url}/v1/cache/222`, 'GET', { authorization: 'Bearer ro-token' })).status, 200);
    assert.equal((await request(`${server.url}/v1/cache/555`, 'PUT', { authorization: 'Bearer ro-token' }, Buffer.from('x'))).status, 403);
  });

  test('records every request with method, hash and status', () => {
    const puts = server.requests.filter((r) => r.method === 'PUT' && r.hash === '222').map((r) => r.status);
    assert.deepEqual(puts, [200, 409]);
    assert.ok(server.requests.some((r) => r.method === 'GET' && r.hash === '111' && r.status === 404));
  });

  test('unknown paths are 404 and hashes cannot traverse directories', async () => {
    assert.equal((await request(`${server.url}/v2/cache/1`, 'GET', auth)).status, 404);
    assert.equal((await request(`${server.url}/v1/cache/..%2f..%2fetc`, 'GET', auth)).status, 404);
  });
});

test('CLI mode prints "listening <port>" and serves requests', async () => {
  const dir = fs.mkdtempSync(path.join(os.tmpdir(), 'nx-spk-cache-cli-'));
  const child = spawn(process.execPath, [remoteCacheServerScript(), '--port', '0', '--dir', dir, '--token', 'T'], { stdio: ['ignore', 'pipe', 'pipe'] });
  try {
    const port = await new Promise<number>((resolve, reject) => {
      let buf = '';
      child.stdout.on('data', (d: Buffer) => {
        buf += d.toString();
        const m = /^listening (\d+)$/m.exec(buf);
        if (m) resolve(Number(m[1]));
      });
      child.on('exit', (code) => reject(new Error(`server exited early with ${code}`)));
    });
    const url = `http://127.0.0.1:${port}/v1/cache/abc`;
    assert.equal((await request(url, 'PUT', { authorization: 'Bearer T' }, Buffer.from('hello'))).status, 200);
    const got = await request(url, 'GET', { authorization: 'Bearer T' });
    assert.equal(got.body.toString(), 'hello');
  } finally {
    child.kill('SIGTERM');
    fs.rmSync(dir, { recursive: true, force: true });
  }
});
