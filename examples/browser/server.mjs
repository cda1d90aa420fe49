// The browser quickstart's server: serves the page and mints a short-lived key for it, so the real API key never
// leaves this process. Node 20 or later, no dependencies.
//   node server.mjs            (PORT=8080, HOST=127.0.0.1 by default; PORT=0 picks a free port)
// Where the platform is: VOICEPLATFORM_URL / VOICEPLATFORM_API_KEY (/ VOICEPLATFORM_CA for an https URL with a private
// CA), else the .apphost/endpoints.json of a local `dotnet run --project AppHost`, searched upward from here and from
// the working directory. The browser connects to the same Gateway URL: locally that is the plain http one (5080),
// because a browser does not trust the development CA.
import { createServer } from 'node:http';
import { request as httpRequest } from 'node:http';
import { request as httpsRequest } from 'node:https';
import { existsSync, readFileSync } from 'node:fs';
import { dirname, join } from 'node:path';
import { fileURLToPath } from 'node:url';

const here = dirname(fileURLToPath(import.meta.url));
const platform = locatePlatform();
const pages = {
  '/': ['index.html', 'text/html; charset=utf-8'],
  '/app.js': ['app.js', 'text/javascript; charset=utf-8'],
  '/capture-worklet.js': ['capture-worklet.js', 'text/javascript; charset=utf-8'],
};

const server = createServer(async (req, res) => {
  const path = new URL(req.url, 'http://localhost').pathname;
  try {
    if (req.method === 'POST' && path === '/session') return send(res, ...(await mintKey(await readJson(req))));
    const page = req.method === 'GET' && pages[path];
    if (!page) return send(res, 404, { error: { message: 'not found' } });
    res.writeHead(200, { 'content-type': page[1], 'cache-control': 'no-store' });
    res.end(readFileSync(join(here, page[0])));
  } catch (error) {
    send(res, 500, { error: { message: error.message } });
  }
});
server.listen(Number(process.env.PORT ?? 8080), process.env.HOST ?? '127.0.0.1', () => {
  const { address, port } = server.address();
  console.log(`browser quickstart on http://${address}:${port}/ (Gateway ${platform.url})`);
});

/** POST /session {model}: an ephemeral key (ek_…) for one realtime session on that model, minted with the API key. */
async function mintKey({ model }) {
  if (typeof model !== 'string' || !/^[A-Za-z0-9][A-Za-z0-9._/-]{0,127}$/.test(model)) {
    return [400, { error: { message: 'model: a model id or route name' } }];
  }
  const { status, body } = await postJson(`${platform.url}/v1/realtime/client_secrets`, {
    expires_after: { anchor: 'created_at', seconds: 600 },
    session: {
      type: 'realtime',
      model,
      instructions: 'You are a friendly voice assistant. Answer briefly.',
      audio: {
        input: {
          format: { type: 'audio/pcm', rate: 24000 },
          transcription: { model: 'gpt-4o-transcribe' },
          turn_detection: { type: 'server_vad', silence_duration_ms: 500 },
        },
        output: { format: { type: 'audio/pcm', rate: 24000 }, voice: 'marin' },
      },
    },
  });
  if (status !== 200) return [502, { error: { message: body.error?.message ?? `client_secrets answered ${status}` } }];
  // Only what the page needs: the ephemeral key, never the API key.
  return [200, { value: body.value, expires_at: body.expires_at, model, realtime_url: platform.url.replace(/^http/, 'ws') }];
}

function postJson(url, payload) {
  const data = Buffer.from(JSON.stringify(payload));
  const request = url.startsWith('https:') ? httpsRequest : httpRequest;
  return new Promise((resolve, reject) => {
    const req = request(url, {
      method: 'POST',
      ca: platform.ca,
      headers: { authorization: `Bearer ${platform.apiKey}`, 'content-type': 'application/json', 'content-length': data.length },
    }, (res) => {
      const chunks = [];
      res.on('data', (c) => chunks.push(c));
      res.on('end', () => {
        const text = Buffer.concat(chunks).toString('utf8');
        try { resolve({ status: res.statusCode, body: JSON.parse(text) }); } catch { resolve({ status: res.statusCode, body: { error: { message: text } } }); }
      });
    });
    req.on('error', reject);
    req.end(data);
  });
}

function readJson(req) {
  return new Promise((resolve) => {
    const chunks = [];
    req.on('data', (c) => chunks.push(c));
    req.on('end', () => { try { resolve(JSON.parse(Buffer.concat(chunks).toString('utf8') || '{}')); } catch { resolve({}); } });
  });
}

function send(res, status, body) {
  res.writeHead(status, { 'content-type': 'application/json', 'cache-control': 'no-store' });
  res.end(JSON.stringify(body));
}

function locatePlatform() {
  if (process.env.VOICEPLATFORM_URL) {
    const ca = process.env.VOICEPLATFORM_CA;
    return { url: process.env.VOICEPLATFORM_URL.replace(/\/$/, ''), apiKey: process.env.VOICEPLATFORM_API_KEY, ca: ca ? readFileSync(ca) : undefined };
  }
  for (let dir of [process.cwd(), here]) {
    for (; ; dir = dirname(dir)) {
      const file = join(dir, '.apphost', 'endpoints.json');
      if (existsSync(file)) {
        const e = JSON.parse(readFileSync(file, 'utf8'));
        return { url: e.gateway, apiKey: e.devApiKey }; // plain http: the browser does not trust the dev CA
      }
      if (dirname(dir) === dir) break;
    }
  }
  throw new Error('Platform not found: set VOICEPLATFORM_URL and VOICEPLATFORM_API_KEY, or run inside a checkout where `dotnet run --project AppHost` is running.');
}
