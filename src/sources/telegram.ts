import type { SourceAdapter } from './types.js';
import { SourceFormatError } from './types.js';

// PLACEHOLDER: replaced wholesale by the real adapter.
export const telegramAdapter: SourceAdapter = {
  types: ['telegram'],
  firstRequest() {
    throw new SourceFormatError('the telegram source is not implemented yet');
  },
  parsePage() {
    throw new SourceFormatError('the telegram source is not implemented yet');
  },
};
