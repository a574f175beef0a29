// The Snowball stemmers of nlp.js (MIT), imported by file: the packages ship no types.
declare module '@nlpjs/lang-ru/src/stemmer-ru.js' {
  export default class StemmerRu {
    setCurrent(word: string): void;
    innerStem(): boolean;
    getCurrent(): string;
  }
}
declare module '@nlpjs/lang-en-min/src/stemmer-en.js' {
  export default class StemmerEn {
    setCurrent(word: string): void;
    innerStem(): boolean;
    getCurrent(): string;
  }
}
