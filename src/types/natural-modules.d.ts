// natural ships typings for its submodule folders but not for these single files.
declare module 'natural/lib/natural/util/stopwords' {
  export const words: string[];
}
declare module 'natural/lib/natural/util/stopwords_es' {
  export const words: string[];
}
declare module 'natural/lib/natural/stemmers/porter_stemmer' {
  import type { Stemmer } from 'natural/lib/natural/stemmers';
  const PorterStemmer: Stemmer;
  export = PorterStemmer;
}
declare module 'natural/lib/natural/stemmers/porter_stemmer_es' {
  import type { Stemmer } from 'natural/lib/natural/stemmers';
  const PorterStemmerEs: Stemmer;
  export = PorterStemmerEs;
}
