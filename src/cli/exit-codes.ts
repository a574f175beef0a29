/** Exit codes, documented in the README; scripts and cron rely on them. */
export const EXIT = {
  ok: 0,
  /** Some sources failed; the others were stored. */
  partial: 1,
  /** Bad command line or config. */
  usage: 2,
  /** The database could not be opened or is from a newer version. */
  store: 3,
  /** The mention (or other object) named does not exist. */
  notFound: 4,
  /** Another pull is running on the same database; this one fetched nothing. */
  busy: 5,
  /** A bug: please report it. */
  internal: 70,
  interrupted: 130,
} as const;
