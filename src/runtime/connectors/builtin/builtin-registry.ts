/**
 * The built-in connector classes, listed once. `connector.class` resolves as
 * Kafka Connect resolves it: the full class name, the simple name, or the
 * simple name without `Connector` (plus a plugin's own aliases).
 */
import type { BuiltinPlugin } from '../builtin-plugin.js';
import { datagenSourcePlugin } from '../datagen/datagen-source.js';
import { fileSinkPlugin } from '../file-sink.js';
import { fileSourcePlugin } from '../file-source.js';
import { httpSinkPlugin } from '../http-sink.js';
import { postgresSinkPlugin } from '../postgres-sink.js';

/** Every built-in plugin, in `SHOW CONNECTOR PLUGINS` order. */
export const BUILTIN_PLUGINS: readonly BuiltinPlugin[] = [fileSourcePlugin, fileSinkPlugin, httpSinkPlugin, datagenSourcePlugin, postgresSinkPlugin];

/** The names `connector.class` may use for a plugin. */
export function pluginNames(plugin: BuiltinPlugin): readonly string[] {
  const simple = plugin.className.slice(plugin.className.lastIndexOf('.') + 1);
  const names = [plugin.className, simple, ...plugin.aliases];
  if (simple.endsWith('Connector')) names.push(simple.slice(0, -'Connector'.length));
  return names;
}

/** The plugin `connector.class` names among `plugins`, or undefined. */
export function resolvePlugin(connectorClass: string, plugins: readonly BuiltinPlugin[] = BUILTIN_PLUGINS): BuiltinPlugin | undefined {
  return plugins.find((p) => pluginNames(p).includes(connectorClass));
}
