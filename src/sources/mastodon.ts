import type { SourceAdapter } from './types.js';
import { SourceFormatError } from './types.js';

// PLACEHOLDER: replaced wholesale by the real adapter.
export const mastodonAdapter: SourceAdapter = {
  types: ['mastodon'],
  firstRequest() {
    throw new SourceFormatError('the mastodon source is not implemented yet');
  },
  parsePage() {
    throw new SourceFormatError('the mastodon source is not implemented yet');
  },
};
