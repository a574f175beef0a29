import type { MentionStatus } from '../store/mentions.js';
import { actingAgent, loadCurrentConfig, openStore, parseMentionId, say } from './context.js';
import type { GlobalOptions, Io } from './context.js';

/** Shared by done / ignore (and later respond, resolve): one status change with its event row. */
export async function applyStatusChange(
  io: Io,
  globals: GlobalOptions,
  rawId: string,
  to: MentionStatus,
  note: string | null,
  json: boolean | undefined,
): Promise<void> {
  const id = parseMentionId(rawId);
  const config = await loadCurrentConfig(globals, io);
  const db = await openStore(globals, config, io);
  try {
    const { changeStatus } = await import('../store/events.js');
    const event = changeStatus(db, { mentionId: id, to, actor: actingAgent(globals, config, io), at: Date.now(), note });
    if (json) {
      const { renderJson } = await import('../output/json.js');
      io.stdout.write(
        renderJson({ id, from: event.fromStatus, to: event.toStatus, actor: event.actor, at: new Date(event.at).toISOString(), note: event.note }),
      );
    } else {
      const { terminalSafeLine } = await import('../output/sanitize.js');
      say(io, `mention ${id}: ${event.fromStatus} → ${event.toStatus} (by ${terminalSafeLine(event.actor)})`);
    }
  } finally {
    db.close();
  }
}
