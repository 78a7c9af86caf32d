// trialsim console: a static page over the console's JSON API and its Server-Sent Events
// (harness/console/console-server.ts). No framework, no build step, nothing from the network
// beyond this server. Everything shown is set with textContent, except the sequence diagram,
// which the server renders (escaped SVG, as in the evidence report).

const MAX_LINES = 1500;
const $ = (id) => document.getElementById(id);
const state = { snapshot: undefined, lines: [], chosen: undefined, outcomes: new Map(), deviceKey: '' };

function cell(row, text, className) {
  const td = row.insertCell();
  td.textContent = text === undefined || text === null ? '—' : String(text);
  if (className) td.className = className;
  return td;
}

function renderDevices(devices) {
  const body = $('devices').tBodies[0];
  body.replaceChildren();
  for (const d of devices) {
    const row = body.insertRow();
    row.dataset.device = d.id;
    cell(row, d.id);
    cell(row, d.eui, 'eui');
    cell(row, d.deviceType);
    cell(row, d.model);
    cell(row, d.smiStatus === undefined ? 'not in SMI' : (d.smiStatus ?? 'Type 2'), 'smi');
    cell(row, d.trialId, 'trial');
    cell(row, d.firmwareVersion, 'firmware');
    cell(row, d.supplier, 'supplier');
    // The device's own lifecycle beside the DCC's record; a device under test reports only what it showed.
    cell(row, `${d.lifecycle}${d.simulated ? '' : ' (device under test)'}`, 'lifecycle');
  }
}

function renderTrials(trials) {
  const body = $('trials').tBodies[0];
  body.replaceChildren();
  for (const t of trials) {
    const row = body.insertRow();
    row.dataset.trial = t.trialId;
    cell(row, t.trialId);
    cell(row, t.cpaCertificateReference);
    cell(row, t.sponsor);
    cell(row, `${t.start.slice(0, 10)} → ${t.end.slice(0, 10)}`);
    cell(row, t.phase, 'phase');
    cell(row, t.maxDevices, 'cap');
    cell(row, t.commissioned, 'commissioned');
    cell(row, t.inField, 'in-field');
    cell(row, t.capHeadroom, 'headroom');
    cell(row, t.upgraded);
    cell(row, t.removed);
    cell(row, t.overdue);
  }
}

function option(select, value, text) {
  const o = document.createElement('option');
  o.value = value;
  o.textContent = text;
  select.append(o);
}

/** The form's choices come from the first snapshot; devices again if the list changes. */
function renderChoices(snapshot) {
  const as = $('sr-as');
  const srv = $('sr-srv');
  if (as.options.length === 0) {
    for (const p of snapshot.parties) option(as, p.name, `${p.name} (${p.userRole})`);
    for (const s of snapshot.srvs) option(srv, s.srv, `${s.srv} ${s.name}${s.critical ? ' (critical)' : ''}`);
  }
  const key = snapshot.devices.map((d) => d.id).join(',');
  if (key !== state.deviceKey) {
    state.deviceKey = key;
    const device = $('sr-device');
    const chosen = device.value;
    device.replaceChildren();
    option(device, '', '(none)');
    for (const d of snapshot.devices) option(device, d.id, `${d.id} (${d.deviceType})`);
    device.value = chosen;
    void loadDefaultBody();
  }
}

function onState(snapshot) {
  state.snapshot = snapshot;
  $('clock').textContent = snapshot.clock.iso.replace('T', ' ').replace('Z', ' UTC');
  renderDevices(snapshot.devices);
  renderTrials(snapshot.trials);
  renderChoices(snapshot);
}

function filters() {
  const get = (id) => $(id).value.trim().toLowerCase();
  return { party: get('filter-party'), device: get('filter-device'), srv: get('filter-srv') };
}

function shown(e, f) {
  const has = (want, values) =>
    !want || values.some((v) => v !== undefined && String(v).toLowerCase() === want);
  return (
    has(f.party, [e.from, e.fromName, e.to, e.toName]) &&
    has(f.device, [e.from, e.fromName, e.to, e.toName, e.device]) &&
    has(f.srv, [e.srv])
  );
}

function lineItem(e) {
  const li = document.createElement('li');
  li.textContent = e.line;
  li.className = `k-${e.kind}${e.code && !/^I/.test(e.code) ? ' bad' : ''}`;
  li.dataset.seq = String(e.seq);
  if (e.requestId) {
    li.dataset.request = e.requestId;
    if (e.requestId === state.chosen) li.classList.add('chosen');
  }
  return li;
}

function renderStream() {
  const f = filters();
  const list = $('stream');
  const items = state.lines.filter((e) => shown(e, f)).map(lineItem);
  list.replaceChildren(...items);
  list.scrollTop = list.scrollHeight;
  $('count').textContent = `${items.length} of ${state.lines.length} kept`;
}

function onMessages(batch) {
  state.lines.push(...batch);
  if (state.lines.length > MAX_LINES) state.lines.splice(0, state.lines.length - MAX_LINES);
  if ($('pause').checked) return;
  const f = filters();
  const list = $('stream');
  const atEnd = list.scrollTop + list.clientHeight >= list.scrollHeight - 4;
  const fragment = document.createDocumentFragment();
  for (const e of batch) if (shown(e, f)) fragment.append(lineItem(e));
  list.append(fragment);
  while (list.childElementCount > MAX_LINES) list.firstElementChild.remove();
  if (atEnd) list.scrollTop = list.scrollHeight;
  $('count').textContent = `${list.childElementCount} of ${state.lines.length} kept`;
  if (state.chosen && batch.some((e) => e.requestId === state.chosen)) void showSequence(state.chosen);
}

async function showSequence(requestId) {
  state.chosen = requestId;
  $('sequence-of').textContent = requestId;
  for (const li of $('stream').querySelectorAll('li.chosen')) li.classList.remove('chosen');
  for (const li of $('stream').querySelectorAll('li[data-request]'))
    if (li.dataset.request === requestId) li.classList.add('chosen');
  const res = await fetch(`/api/sequence?requestId=${encodeURIComponent(requestId)}`);
  // Server-rendered SVG: every text in it is XML-escaped (harness/evidence/report/sequence-diagram.ts).
  $('sequence').innerHTML = await res.text();
}

function answerItem(requestId, ask) {
  const li = document.createElement('li');
  li.dataset.request = requestId;
  const head = document.createElement('div');
  head.className = 'mono';
  head.textContent = `${ask.as} ${ask.srv}${ask.device ? ` for ${ask.device}` : ''}  ${requestId}`;
  const outcome = document.createElement('div');
  outcome.className = 'outcome code-wait';
  outcome.textContent = 'waiting for the answer…';
  li.append(head, outcome);
  li.addEventListener('click', () => void showSequence(requestId));
  return li;
}

/**
 * An SR's result, whenever it comes: a quick SR's outcome event can arrive before the answer to
 * the POST that sent it, so results are kept until their answer item exists.
 */
function onOutcome(result) {
  state.outcomes.set(result.requestId, result);
  if (state.outcomes.size > 2000) state.outcomes.delete(state.outcomes.keys().next().value);
  const li = [...$('answers').children].find((x) => x.dataset.request === result.requestId);
  if (li !== undefined) showOutcome(li, result);
}

function showOutcome(li, result) {
  if (li.dataset.code !== undefined) return;
  const outcome = li.querySelector('.outcome');
  const codes = result.responses.map((r) => r.responseCode).join(' → ');
  outcome.textContent = `${codes}  outcome: ${result.outcomeText}`;
  outcome.className = `outcome ${result.code === 'I0' ? 'code-ok' : 'code-bad'}`;
  li.dataset.code = result.code ?? '';
  const last = result.responses.at(-1);
  if (last?.body && Object.keys(last.body).length > 0) {
    const body = document.createElement('pre');
    body.className = 'mono';
    body.textContent = JSON.stringify(last.body);
    li.append(body);
  }
  if (state.chosen === result.requestId) void showSequence(result.requestId);
}

/** Asks for the default body of the chosen SRV and device; only the latest answer counts. */
let bodyAsked = 0;
async function loadDefaultBody() {
  const srv = $('sr-srv').value;
  if (!srv) return;
  const device = $('sr-device').value;
  const asked = ++bodyAsked;
  const res = await fetch(
    `/api/default-body?srv=${encodeURIComponent(srv)}&device=${encodeURIComponent(device)}`,
  );
  const answer = await res.json();
  if (asked !== bodyAsked) return; // the choice changed meanwhile: a later answer is on its way
  $('sr-error').textContent = res.ok ? '' : answer.error;
  $('sr-body').value = res.ok ? JSON.stringify(answer.body, null, 1) : '{}';
  // Which choice the body is the default of (tests wait for it).
  $('sr-body').dataset.for = `${srv}|${device}`;
}

async function post(path, value) {
  const res = await fetch(path, {
    method: 'POST',
    headers: { 'content-type': 'application/json' },
    body: JSON.stringify(value),
  });
  const answer = await res.json();
  if (!res.ok) throw new Error(answer.error ?? `HTTP ${res.status}`);
  return answer;
}

async function sendSr(event) {
  event.preventDefault();
  $('sr-error').textContent = '';
  let body;
  try {
    body = JSON.parse($('sr-body').value || '{}');
  } catch (err) {
    $('sr-error').textContent = `the body is not JSON: ${err.message}`;
    return;
  }
  const ask = { as: $('sr-as').value, srv: $('sr-srv').value, device: $('sr-device').value, body };
  try {
    const { requestId } = await post('/api/sr', ask);
    const li = answerItem(requestId, ask);
    $('answers').prepend(li);
    const known = state.outcomes.get(requestId);
    if (known !== undefined) showOutcome(li, known);
    void showSequence(requestId);
  } catch (err) {
    $('sr-error').textContent = err.message;
  }
}

async function advance(by) {
  try {
    const { iso } = await post('/api/clock', { advance: by });
    $('clock').textContent = iso.replace('T', ' ').replace('Z', ' UTC');
  } catch (err) {
    $('link').textContent = err.message;
  }
}

function connect() {
  const events = new EventSource('/api/events');
  events.addEventListener('open', () => {
    // The server starts every connection with the state and the recent messages: start afresh.
    $('link').textContent = 'live';
    state.lines = [];
    $('stream').replaceChildren();
  });
  events.addEventListener('error', () => {
    $('link').textContent = 'reconnecting…';
  });
  events.addEventListener('state', (m) => onState(JSON.parse(m.data)));
  events.addEventListener('messages', (m) => onMessages(JSON.parse(m.data)));
  events.addEventListener('outcome', (m) => onOutcome(JSON.parse(m.data)));
}

document.addEventListener('DOMContentLoaded', () => {
  $('sr-form').addEventListener('submit', sendSr);
  $('sr-srv').addEventListener('change', () => void loadDefaultBody());
  $('sr-device').addEventListener('change', () => void loadDefaultBody());
  $('advance-form').addEventListener('submit', (e) => {
    e.preventDefault();
    if ($('advance-by').value.trim()) void advance($('advance-by').value.trim());
  });
  for (const b of document.querySelectorAll('[data-advance]'))
    b.addEventListener('click', () => void advance(b.dataset.advance));
  for (const id of ['filter-party', 'filter-device', 'filter-srv'])
    $(id).addEventListener('input', renderStream);
  $('pause').addEventListener('change', renderStream);
  $('stream').addEventListener('click', (e) => {
    const li = e.target.closest('li[data-request]');
    if (li) void showSequence(li.dataset.request);
  });
  connect();
});
