import type { SourceAdapter } from './types.js';
import { SourceFormatError } from './types.js';

// PLACEHOLDER: replaced wholesale by the real adapter.
export const blueskyAdapter: SourceAdapter = {
  types: ['bluesky'],
  firstRequest() {
    throw new SourceFormatError('the bluesky source is not implemented yet');
  },
  parsePage() {
    throw new SourceFormatError('the bluesky source is not implemented yet');
  },
};
