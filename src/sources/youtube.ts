import type { SourceAdapter } from './types.js';
import { SourceFormatError } from './types.js';

// PLACEHOLDER: replaced wholesale by the real adapter.
export const youtubeAdapter: SourceAdapter = {
  types: ['youtube'],
  firstRequest() {
    throw new SourceFormatError('the youtube source is not implemented yet');
  },
  parsePage() {
    throw new SourceFormatError('the youtube source is not implemented yet');
  },
};
