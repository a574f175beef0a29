import type { SourceAdapter } from './types.js';
import { SourceFormatError } from './types.js';

// PLACEHOLDER: replaced wholesale by the real adapter.
export const githubAdapter: SourceAdapter = {
  types: ['github'],
  firstRequest() {
    throw new SourceFormatError('the github source is not implemented yet');
  },
  parsePage() {
    throw new SourceFormatError('the github source is not implemented yet');
  },
};
