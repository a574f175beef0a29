import type { SourceAdapter } from './types.js';
import { SourceFormatError } from './types.js';

// PLACEHOLDER: replaced wholesale by the real adapter.
export const vkAdapter: SourceAdapter = {
  types: ['vk'],
  firstRequest() {
    throw new SourceFormatError('the vk source is not implemented yet');
  },
  parsePage() {
    throw new SourceFormatError('the vk source is not implemented yet');
  },
};
