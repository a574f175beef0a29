/**
 * The word lists of many topics (exclude words, context words that reject or require) searched in
 * one pass over a scanned text, with what each list's words can start kept per word id: a list
 * walked on its own cost a trie walk per token, for every list of every matched topic.
 */
import { PhraseMatcher, StreamMatcher } from './patterns.js';
import type { PhraseEntry } from './patterns.js';
import type { TokenStream } from './tokenize.js';

/** Where a list's word matched: the text's offsets, and the word as written in the list. */
export interface WordMatch {
  start: number;
  end: number;
  source: string;
}

export class WordListSet {
  private readonly matcher: StreamMatcher<number>;
  // Scratch for firstMatches (synchronous, not re-entrant).
  private readonly first: Array<WordMatch | null>;
  private readonly best: Array<PhraseEntry<number> | null>;
  private readonly found: PhraseEntry<number>[] = [];
  private readonly touched: number[] = [];

  /** `lists[k]` is list k (null: an empty list); its entries' values are ignored. */
  constructor(lists: ReadonlyArray<PhraseMatcher<unknown> | null>) {
    const entries: PhraseEntry<number>[] = [];
    // List by list, each in its own order: a list's entries then come out of the joint matcher in
    // the order its own matcher gives them, which decides between equally long matches.
    lists.forEach((list, index) => {
      for (const entry of list?.entries ?? []) entries.push({ source: entry.source, words: entry.words, value: index });
    });
    this.matcher = new StreamMatcher(new PhraseMatcher(entries));
    this.first = new Array<WordMatch | null>(lists.length).fill(null);
    this.best = new Array<PhraseEntry<number> | null>(lists.length).fill(null);
  }

  /**
   * Per list, its first match in the text: at the earliest token where one of its words matches,
   * the word covering the most tokens there (the last listed of equals), as PhraseMatcher.longestAt
   * tried token by token finds it; null where none matches. The array is reused by the next call.
   */
  firstMatches(stream: TokenStream): ReadonlyArray<WordMatch | null> {
    const { first, best, found, touched } = this;
    first.fill(null);
    for (let i = 0; i < stream.count; i++) {
      const count = this.matcher.collectAt(stream, i, found);
      for (let k = 0; k < count; k++) {
        const entry = found[k]!;
        const list = entry.value;
        if (first[list] !== null) continue;
        const sofar = best[list] ?? null;
        if (sofar === null) touched.push(list);
        if (sofar === null || entry.words.length >= sofar.words.length) best[list] = entry;
      }
      for (const list of touched) {
        const entry = best[list]!;
        first[list] = { start: stream.start[i]!, end: stream.end[i + entry.words.length - 1]!, source: entry.source };
        best[list] = null;
      }
      if (touched.length !== 0) touched.length = 0;
    }
    return first;
  }
}
