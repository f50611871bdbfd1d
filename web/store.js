// The parent's voices, kept on this device in IndexedDB: one record per
// take, each the WAV the engine made, keyed "voice/prompt" in English and
// "tag:voice/prompt" in another language (a voice is per language, as on
// the command line). Nothing here ever leaves the device.

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

const prefix = (language) => (language === "en" ? "" : `${language}:`);

// The voices in `language` on this device: [{ name, takes }], by name.
export async function voices(language) {
  const keys = await done((await store("readonly")).getAllKeys());
  const counts = new Map();
  const mine = prefix(language);
  for (const key of keys) {
    const colon = key.indexOf(":");
    const slash = key.indexOf("/");
    const keyed = colon >= 0 && colon < slash ? key.slice(0, colon + 1) : "";
    if (keyed !== mine) continue;
    const name = key.slice(mine.length, slash);
    counts.set(name, (counts.get(name) || 0) + 1);
  }
  return [...counts].sort().map(([name, takes]) => ({ name, takes }));
}

// The takes of `name` in `language`: [[id, Uint8Array]].
export async function takesOf(name, language) {
  const head = `${prefix(language)}${name}/`;
  const range = IDBKeyRange.bound(head, `${head}\uffff`);
  const s = await store("readonly");
  const [keys, values] = await Promise.all([done(s.getAllKeys(range)), done(s.getAll(range))]);
  return keys.map((key, i) => [key.slice(head.length), new Uint8Array(values[i])]);
}

// Keeps `takes` ([[id, Uint8Array]]) as the voice `name` in `language`:
// all of them or, if anything fails, none.
export async function keep(name, language, takes) {
  const transaction = (await db()).transaction(TAKES, "readwrite");
  const s = transaction.objectStore(TAKES);
  const head = `${prefix(language)}${name}/`;
  for (const [id, wav] of takes) s.put(wav.buffer.slice(wav.byteOffset, wav.byteOffset + wav.byteLength), `${head}${id}`);
  await new Promise((resolve, reject) => {
    transaction.oncomplete = resolve;
    transaction.onerror = () => reject(transaction.error);
    transaction.onabort = () => reject(transaction.error);
  });
}
