import type { SourceAdapter } from './types.js';
import { SourceFormatError } from './types.js';

// PLACEHOLDER: replaced wholesale by the real adapter.
export const redditAdapter: SourceAdapter = {
  types: ['reddit'],
  firstRequest() {
    throw new SourceFormatError('the reddit source is not implemented yet');
  },
  parsePage() {
    throw new SourceFormatError('the reddit source is not implemented yet');
  },
};
