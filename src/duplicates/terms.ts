/**
 * Terms for duplicate retrieval. Bug text is half prose, half identifiers: `JavaKeyStoreProvider`,
 * `xendomains.service`, `/usr/lib/xen-4.17/bin/xl`, `libxenctrl.so.4.17`, `2.53.1`. Each identifier is
 * kept whole (it is the most specific evidence there is) and also split into its words, so that
 * "key store provider" in one report meets `JavaKeyStoreProvider` in the other. Prose words are
 * lower-cased, stop words dropped, and lightly stemmed (plural, -ing, -ed), which is all that
 * reporters' varying grammar needs.
 */

const STOP = new Set(
  (
    "a about above after again against all am an and any are as at be because been before being below between both but by " +
    "can could did do does doing down during each few for from further had has have having he her here hers him his how i if in " +
    "into is it its itself just me more most my no nor not now of off on once only or other our ours out over own same she should so " +
    "some such than that the their theirs them then there these they this those through to too under until up very was we were what " +
    "when where which while who whom why will with would you your yours also get got use used using one two may might must shall " +
    "let like im ive dont doesnt didnt cant wont isnt thanks thank hi hello please regards dear maintainer"
  ).split(" "),
);

/** Light stemming: enough to meet plural and tense, never so much that two words collide wrongly. */
export function stem(w: string): string {
  if (w.length <= 3 || /\d/.test(w)) return w;
  let s = w;
  if (s.endsWith("ies") && s.length > 5) s = `${s.slice(0, -3)}y`;
  else if (s.endsWith("sses")) s = s.slice(0, -2);
  else if (s.endsWith("ing") && s.length > 5) s = undouble(s.slice(0, -3));
  else if (s.endsWith("ed") && s.length > 4 && !s.endsWith("eed")) s = undouble(s.slice(0, -2));
  else if (s.endsWith("s") && s.length > 4 && !s.endsWith("ss") && !s.endsWith("us") && !s.endsWith("is")) s = s.slice(0, -1);
  // "pause", "paused", "pausing" all end as "paus"; "save", "saved", "saving" as "sav".
  return s.length > 3 && s.endsWith("e") && !s.endsWith("ee") ? s.slice(0, -1) : s;
}

function undouble(w: string): string {
  return /([b-df-hj-np-tv-z])\1$/.test(w) && !/(ll|ss|zz)$/.test(w) ? w.slice(0, -1) : w;
}

// An identifier-like chunk: letters, digits and the joiners of paths, versions, units and classes.
const CHUNK = /[\p{L}\p{N}_]+(?:[.\-/:+~][\p{L}\p{N}_]+)*/gu;
const WORD = /[\p{L}]+|\p{N}+/gu;

/**
 * The words inside an identifier: camelCase humps, letters against digits, separators. An acronym's
 * plural is its singular (`VMs`, `vCPUs`), not a hump of its own.
 */
function partsOf(chunk: string): string[] {
  // Most chunks are plain lower-case words: nothing to split (and no regular expression to run).
  if (isLowerWord(chunk)) return [chunk];
  const out: string[] = [];
  for (const piece of chunk.split(/[.\-/:+~_]+/)) {
    for (const hump of piece.split(/(?<=[\p{Ll}\p{N}])(?=\p{Lu})|(?<=\p{Lu})(?=\p{Lu}\p{Ll})(?!\p{Lu}s$)/u)) {
      const singular = /^\p{Lu}{2,}s$/u.test(hump) ? hump.slice(0, -1) : hump;
      for (const m of singular.matchAll(WORD)) out.push(m[0].toLowerCase());
    }
  }
  return out;
}

function isLowerWord(chunk: string): boolean {
  for (let i = 0; i < chunk.length; i++) {
    const c = chunk.charCodeAt(i);
    if (c < 97 || c > 122) return false;
  }
  return true;
}

/**
 * Push the terms of a text into `out` (repeats kept: they are term frequencies). With `surface`, each
 * stem's word as a person wrote it is noted there ("upgrade" for "upgrad"): the first form seen, or the
 * stem itself once it is seen as a word of its own ("bookworm", not "bookworms").
 */
export function termsOf(text: string, out: string[] = [], surface?: Map<string, string>): string[] {
  // "doesn't" is one word (a stop word), not "doesn" and "t".
  for (const m of text.replace(/(?<=\p{L})['’](?=\p{L})/gu, "").matchAll(CHUNK)) {
    const chunk = m[0];
    const parts = partsOf(chunk);
    if (parts.length === 1 && parts[0] === chunk) {
      // A plain lower-case word: neither a compound nor a class name, only itself.
      pushWord(chunk, out, surface);
      continue;
    }
    const lower = chunk.toLowerCase();
    const compound = parts.length > 1 || /[.\-/:+~_]/.test(chunk);
    if (compound && lower.length <= 80 && (/\p{L}/u.test(lower) || /^\d+\.\d+\.\d+/.test(lower))) out.push(lower);
    // The named things of a path or a URL: `xen-4.17`, `libxenctrl.so.4.17`, `xl`.
    if (compound && /[/:]/.test(chunk)) {
      for (const seg of lower.split(/[/:]+/)) if (seg !== lower && seg.length >= 2 && /\p{L}/u.test(seg) && /[.\-+~_]/.test(seg)) out.push(seg);
    }
    // `AzureBlobFileSystem` is called ABFS in the next report: a class name's humps give its acronym.
    if (/^\p{Lu}\p{Ll}+(?:\p{Lu}\p{Ll}+){2,}$/u.test(chunk)) out.push(parts.map((p) => p[0]).join(""));
    for (const p of parts) pushWord(p, out, surface);
  }
  return out;
}

/** A word of a chunk as a term: stop words, very short or long words and short numbers left out, the rest stemmed. */
function pushWord(p: string, out: string[], surface: Map<string, string> | undefined): void {
  if (p.length < 2 || p.length > 40 || STOP.has(p)) return;
  if (p.length < 3 && /^\d+$/.test(p)) return;
  const stemmed = stem(p);
  if (surface) {
    const seen = surface.get(stemmed);
    if (seen === undefined) surface.set(stemmed, p);
    else if (stemmed === p && seen !== p) surface.set(p, p);
  }
  out.push(stemmed);
}
