// The parent's voices, kept on this device in IndexedDB: one record per
// take, keyed "voice/prompt", each the WAV the engine made. Nothing here
// ever leaves the device.

const DB = "soothe";
const TAKES = "takes";

let opened = null;

function db() {
  opened ??= new Promise((resolve, reject) => {
    const request = indexedDB.open(DB, 1);
    request.onupgradeneeded = () => request.result.createObjectStore(TAKES);
    request.onsuccess = () => resolve(request.result);
    request.onerror = () => reject(request.error);
  });
  return opened;
}

function done(request) {
  return new Promise((resolve, reject) => {
    request.onsuccess = () => resolve(request.result);
    request.onerror = () => reject(request.error);
  });
}

async function store(mode) {
  return (await db()).transaction(TAKES, mode).objectStore(TAKES);
}

// The voices on this device: [{ name, takes }], by name.
export async function voices() {
  const keys = await done((await store("readonly")).getAllKeys());
  const counts = new Map();
  for (const key of keys) {
    const name = key.slice(0, key.indexOf("/"));
    counts.set(name, (counts.get(name) || 0) + 1);
  }
  return [...counts].sort().map(([name, takes]) => ({ name, takes }));
}

// The takes of `name`: [[id, Uint8Array]].
export async function takesOf(name) {
  const range = IDBKeyRange.bound(`${name}/`, `${name}/\uffff`);
  const s = await store("readonly");
  const [keys, values] = await Promise.all([done(s.getAllKeys(range)), done(s.getAll(range))]);
  return keys.map((key, i) => [key.slice(name.length + 1), new Uint8Array(values[i])]);
}

// Keeps `takes` ([[id, Uint8Array]]) as the voice `name`: all of them or,
// if anything fails, none.
export async function keep(name, takes) {
  const transaction = (await db()).transaction(TAKES, "readwrite");
  const s = transaction.objectStore(TAKES);
  for (const [id, wav] of takes) s.put(wav.buffer.slice(wav.byteOffset, wav.byteOffset + wav.byteLength), `${name}/${id}`);
  await new Promise((resolve, reject) => {
    transaction.oncomplete = resolve;
    transaction.onerror = () => reject(transaction.error);
    transaction.onabort = () => reject(transaction.error);
  });
}
