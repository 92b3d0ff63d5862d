/**
 * A fixed set of words, each with a number, found straight from a text's characters: the caller
 * hashes a word's characters while scanning (`hashStep`), the hash picks a slot, and the word there is
 * compared in place. No string is made for a word looked up, which is most of what reading a report
 * would otherwise allocate.
 */
export class WordTable {
  /** Per slot: index into `words` + 1, or 0 when empty (open addressing, linear probing). */
  private readonly slots: Int32Array;
  private readonly hashes: Int32Array;
  private readonly mask: number;
  private readonly words: string[] = [];
  private readonly values: number[] = [];

  constructor(entries: Iterable<[string, number]>) {
    const list = [...entries];
    let size = 8;
    while (size < list.length * 2) size *= 2;
    this.slots = new Int32Array(size);
    this.hashes = new Int32Array(size);
    this.mask = size - 1;
    for (const [word, value] of list) this.set(word, value);
  }

  get size(): number {
    return this.words.length;
  }

  /** The value of text[start, end) (whose hash is `hash`), or undefined when it is not in the table. */
  find(text: string, start: number, end: number, hash: number): number | undefined {
    for (let s = hash & this.mask; this.slots[s] !== 0; s = (s + 1) & this.mask) {
      if (this.hashes[s] !== hash) continue;
      const k = this.slots[s]! - 1;
      const word = this.words[k]!;
      if (word.length === end - start && text.startsWith(word, start)) return this.values[k];
    }
    return undefined;
  }

  get(word: string): number | undefined {
    return this.find(word, 0, word.length, hashOf(word, 0, word.length));
  }

  private set(word: string, value: number): void {
    const hash = hashOf(word, 0, word.length);
    let s = hash & this.mask;
    while (this.slots[s] !== 0) {
      const k = this.slots[s]! - 1;
      if (this.words[k] === word) {
        this.values[k] = value;
        return;
      }
      s = (s + 1) & this.mask;
    }
    this.words.push(word);
    this.values.push(value);
    this.slots[s] = this.words.length;
    this.hashes[s] = hash;
  }
}

/** The hash of a word one character further: start from HASH_START. */
export function hashStep(hash: number, charCode: number): number {
  return (Math.imul(hash, 0x01000193) ^ charCode) | 0;
}

export const HASH_START = 0x811c9dc5 | 0;

export function hashOf(text: string, start: number, end: number): number {
  let h = HASH_START;
  for (let i = start; i < end; i++) h = hashStep(h, text.charCodeAt(i));
  return h;
}
