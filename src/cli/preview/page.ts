/**
 * The preview page: plain HTML and a script, no framework and nothing fetched from elsewhere.
 * One tile per source (server.ts, `GET /sources`): the live picture of a camera or the screen
 * (received through the page's RTCPeerConnection), the level meter of a microphone (levels from
 * the server's event stream), the track's settings and capabilities, and a constraints box that
 * calls applyConstraints on the server's track and shows what SelectSettings chose, or the error.
 *
 * Hooks for tests and scripts: each tile is `section[data-source=ID][data-kind=KIND]`; its video
 * is `video`, its meter `meter.level`, its box `form.constraints` with a `textarea`, and the
 * outcome of the last apply is `output.result` with `data-outcome="applied"` or `"error"`. The
 * page's peer connection is `window.previewPeerConnection` (its getStats() from the console).
 */

const STYLE = `
body { font: 14px/1.4 system-ui, sans-serif; margin: 1rem; background: #f4f4f4; color: #222; }
h1 { font-size: 1.2rem; margin: 0 0 .25rem; }
#status { color: #555; margin: 0 0 1rem; }
#sources { display: flex; flex-wrap: wrap; gap: 1rem; align-items: flex-start; }
.tile { background: #fff; border: 1px solid #ccc; border-radius: 6px; padding: .75rem; max-width: min(100%, 680px); box-sizing: border-box; }
.tile h2 { font-size: 1rem; margin: 0 0 .5rem; }
.tile .kind { color: #666; font-weight: normal; }
video { display: block; max-width: min(100%, 640px); background: #000; }
meter.level { width: 20rem; height: 1.5rem; }
pre { background: #f8f8f8; padding: .5rem; max-width: 40rem; overflow: auto; margin: .25rem 0; font-size: 12px; }
textarea { display: block; width: 30rem; max-width: 100%; font: 12px monospace; }
.error { color: #b00020; }
output { display: block; white-space: pre-wrap; overflow-wrap: anywhere; font: 12px monospace; margin-top: .25rem; }
`;

/** The page's script, run as a classic script at the end of the body. */
const SCRIPT = String.raw`
'use strict';
const statusLine = document.getElementById('status');
const tiles = new Map();
let pc = null;

function show(text) { statusLine.textContent = text; }
function json(value) { return JSON.stringify(value, null, 1); }

async function post(path, body) {
  const res = await fetch(path, { method: 'POST', headers: { 'content-type': 'application/json' }, body });
  const reply = res.status === 204 ? null : await res.json();
  if (!res.ok) throw new Error(reply && reply.error ? reply.error.name + ': ' + reply.error.message : 'HTTP ' + res.status);
  return reply;
}

function element(tag, props, parent) {
  const el = Object.assign(document.createElement(tag), props);
  if (parent) parent.appendChild(el);
  return el;
}

function makeTile(source, grid) {
  const tile = element('section', { className: 'tile' }, grid);
  tile.dataset.source = source.id;
  tile.dataset.kind = source.kind;
  const heading = element('h2', {}, tile);
  const name = element('span', {}, heading);
  element('span', { className: 'kind', textContent: ' (' + source.kind + ')' }, heading);
  const state = element('p', { className: 'state' }, tile);
  let video = null, size = null, meter = null, level = null;
  if (source.kind === 'microphone') {
    meter = element('meter', { className: 'level', min: -60, max: 0, low: -20, high: -6, optimum: -12, value: -60 }, tile);
    level = element('span', { className: 'db', textContent: ' silent' }, tile);
  } else {
    video = element('video', { muted: true, playsInline: true }, tile);
    size = element('p', { className: 'size', textContent: 'waiting for the picture…' }, tile);
    video.addEventListener('resize', () => { size.textContent = video.videoWidth + '×' + video.videoHeight; });
  }
  const settingsBox = element('details', { open: true }, tile);
  element('summary', { textContent: 'Settings (getSettings)' }, settingsBox);
  const settings = element('pre', { className: 'settings' }, settingsBox);
  const capsBox = element('details', {}, tile);
  element('summary', { textContent: 'Capabilities (getCapabilities)' }, capsBox);
  const capabilities = element('pre', { className: 'capabilities' }, capsBox);
  const form = element('form', { className: 'constraints' }, tile);
  element('label', { textContent: 'Constraints (applyConstraints, MediaTrackConstraints as JSON):' }, form);
  const box = element('textarea', { rows: 3, spellcheck: false }, form);
  const apply = element('button', { type: 'submit', textContent: 'Apply' }, form);
  const result = element('output', { className: 'result' }, form);

  function update(s) {
    name.textContent = s.label || '(no label)';
    if (s.error) {
      state.textContent = 'Not open: ' + s.error.name + ': ' + s.error.message;
      state.className = 'state error';
      apply.disabled = true;
    } else {
      state.textContent = s.state.readyState + (s.state.muted ? ', muted' : '');
      state.className = 'state';
    }
    settings.textContent = json(s.settings);
    capabilities.textContent = json(s.capabilities);
  }
  update(source);
  box.value = JSON.stringify(source.constraints);

  form.addEventListener('submit', async (event) => {
    event.preventDefault();
    apply.disabled = true;
    result.textContent = 'applying…';
    delete result.dataset.outcome;
    try {
      const reply = await post('/sources/' + source.id + '/constraints', box.value);
      update(reply.source);
      if (reply.error) {
        const e = reply.error;
        result.textContent = e.name + (e.constraint ? ' (constraint "' + e.constraint + '")' : '') + ': ' + e.message;
        result.className = 'result error';
        result.dataset.outcome = 'error';
      } else {
        // The ids are in the settings above; the rest on one line says what changed.
        const { deviceId, groupId, ...chosen } = reply.source.settings;
        result.textContent = 'Applied. SelectSettings chose ' + JSON.stringify(chosen);
        result.className = 'result';
        result.dataset.outcome = 'applied';
      }
    } catch (e) {
      result.textContent = String(e.message || e);
      result.className = 'result error';
      result.dataset.outcome = 'error';
    } finally {
      apply.disabled = false;
    }
  });

  return {
    update,
    play(track) {
      video.srcObject = new MediaStream([track]);
      // play() rather than the autoplay attribute: Chromium pauses autoplaying muted videos that
      // are scrolled out of view, and a preview should stay live below the fold too.
      video.play().catch((e) => { size.textContent = 'cannot play: ' + e.message; });
    },
    level(peak) {
      const db = peak > 0 ? 20 * Math.log10(peak) : -Infinity;
      meter.value = Math.max(-60, db);
      level.textContent = db > -60 ? ' ' + db.toFixed(1) + ' dBFS' : ' silent';
    },
  };
}

function gathered(connection) {
  return new Promise((resolve) => {
    if (connection.iceGatheringState === 'complete') return resolve();
    connection.addEventListener('icegatheringstatechange', () => { if (connection.iceGatheringState === 'complete') resolve(); });
  });
}

async function connect(session) {
  if (pc) pc.close();
  const connection = pc = window.previewPeerConnection = new RTCPeerConnection();
  const offer = await post('/sessions/' + session + '/offer', '');
  const sources = new Map(offer.tracks.map((t) => [t.mid, t.source]));
  connection.ontrack = (event) => {
    const tile = tiles.get(sources.get(event.transceiver.mid));
    if (tile) tile.play(event.track);
  };
  connection.onconnectionstatechange = () => show('Video: ' + connection.connectionState);
  await connection.setRemoteDescription(offer.description);
  await connection.setLocalDescription();
  await gathered(connection);
  await post('/sessions/' + session + '/answer', JSON.stringify(connection.localDescription));
}

async function start() {
  const grid = document.getElementById('sources');
  const sources = await (await fetch('/sources')).json();
  if (sources.length === 0) grid.textContent = 'No cameras, screens or microphones.';
  for (const source of sources) tiles.set(source.id, makeTile(source, grid));
  const events = new EventSource('/events');
  events.addEventListener('session', (e) => {
    show('Connecting…');
    connect(JSON.parse(e.data).id).catch((error) => show('Video could not connect: ' + error.message));
  });
  events.addEventListener('levels', (e) => {
    for (const [id, peak] of Object.entries(JSON.parse(e.data))) {
      const tile = tiles.get(id);
      if (tile) tile.level(peak);
    }
  });
  events.addEventListener('source', (e) => {
    const source = JSON.parse(e.data);
    const tile = tiles.get(source.id);
    if (tile) tile.update(source);
  });
  events.onerror = () => show('Disconnected: is mediacapture preview still running? (retrying)');
}

start().catch((error) => show('The preview could not start: ' + error.message));
`;

/** The whole page, served at `/`. */
export const PREVIEW_PAGE = `<!doctype html>
<html lang="en">
<head>
<meta charset="utf-8">
<meta name="viewport" content="width=device-width, initial-scale=1">
<title>mediacapture preview</title>
<style>${STYLE}</style>
</head>
<body>
<h1>mediacapture preview</h1>
<p id="status">Loading…</p>
<div id="sources"></div>
<script>${SCRIPT}</script>
</body>
</html>
`;
