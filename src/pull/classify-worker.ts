/**
 * Worker thread of classify-rows: compiles the topics once, then classifies each batch of
 * lines it is sent and posts the result back with the batch id.
 */
import { parentPort, workerData } from 'node:worker_threads';
import { compileTopics } from '../classify/index.js';
import type { TopicDefinition } from '../classify/index.js';
import { classifyLines } from './classify-rows.js';

interface Settings {
  topics: TopicDefinition[];
  lang: string | null;
  evidence: boolean;
  label: string;
}

const settings = workerData as Settings;
const topics = compileTopics(settings.topics);

parentPort!.on('message', (message: { id: number; lines: string[]; firstLine: number }) => {
  parentPort!.postMessage({ id: message.id, result: classifyLines(message.lines, message.firstLine, topics, settings) });
});
