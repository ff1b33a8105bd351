import type { Log } from '../log/log.js';

/**
 * Creates `topic` with one partition unless it exists, as a Kafka broker
 * auto-creates a topic a producer writes to (`num.partitions` defaults to 1).
 * Losing a race with another creator is not an error.
 */
export async function ensureTopic(log: Log, topic: string): Promise<void> {
  if ((await log.topic(topic)) !== undefined) return;
  try {
    await log.createTopic(topic, 1);
  } catch (e) {
    if ((await log.topic(topic)) === undefined) throw e;
  }
}
