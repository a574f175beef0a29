import type { SourceAdapter } from './types.js';
import { SourceFormatError } from './types.js';

// PLACEHOLDER: replaced wholesale by the real adapter.
export const stackExchangeAdapter: SourceAdapter = {
  types: ['stackexchange'],
  firstRequest() {
    throw new SourceFormatError('the stackexchange source is not implemented yet');
  },
  parsePage() {
    throw new SourceFormatError('the stackexchange source is not implemented yet');
  },
};
