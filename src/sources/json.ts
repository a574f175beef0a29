import type { SourceAdapter } from './types.js';
import { SourceFormatError } from './types.js';

// PLACEHOLDER: replaced wholesale by the real adapter.
export const jsonAdapter: SourceAdapter = {
  types: ['json'],
  firstRequest() {
    throw new SourceFormatError('the json source is not implemented yet');
  },
  parsePage() {
    throw new SourceFormatError('the json source is not implemented yet');
  },
};
