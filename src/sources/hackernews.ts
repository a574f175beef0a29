import type { SourceAdapter } from './types.js';
import { SourceFormatError } from './types.js';

// PLACEHOLDER: replaced wholesale by the real adapter.
export const hackerNewsAdapter: SourceAdapter = {
  types: ['hackernews'],
  firstRequest() {
    throw new SourceFormatError('the hackernews source is not implemented yet');
  },
  parsePage() {
    throw new SourceFormatError('the hackernews source is not implemented yet');
  },
};
