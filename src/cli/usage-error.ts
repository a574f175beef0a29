/** A wrong command line: exit 2 with a message that suggests the fix. */
export class UsageError extends Error {
  override readonly name = 'UsageError';
}
