/**
 * Secret-looking configuration properties: what Kafka declares as `PASSWORD`
 * configs (`ssl.key.password`, `ssl.keystore.password`, `ssl.truststore.password`,
 * `ssl.keystore.key`, `ssl.truststore.certificates`, `sasl.jaas.config`, …),
 * Schema Registry credentials (`basic.auth.user.info`, `bearer.auth.token`) and
 * anything else named like a password, secret, credential or token — also under
 * prefixes such as `ksql.streams.producer.`. ksqlDB shows such values as
 * `[hidden]` (Kafka's `Password.toString()`); so does Sluice.
 */

/** What a secret property's value is replaced with in responses and logs. */
export const HIDDEN = '[hidden]';

const SECRET_NAME =
  /password|passwd|secret|jaas|credential|token|user\.info|api\.key|private\.key|ssl\.keystore\.key|ssl\.keystore\.certificate\.chain|ssl\.truststore\.certificates/i;

/** Whether a property's value must not be shown or stored in clear. */
export function isSecretProperty(name: string): boolean {
  return SECRET_NAME.test(name);
}

/** The properties with every secret value replaced by {@link HIDDEN} (for responses and logs). */
export function redactProperties(props: Readonly<Record<string, string>>): Record<string, string> {
  const out: Record<string, string> = {};
  for (const k of Object.keys(props)) out[k] = isSecretProperty(k) ? HIDDEN : props[k]!;
  return out;
}

/** The properties without the secret ones (for what is written to disk or topics). */
export function withoutSecrets(props: Readonly<Record<string, string>>): Record<string, string> {
  const out: Record<string, string> = {};
  for (const k of Object.keys(props)) if (!isSecretProperty(k)) out[k] = props[k]!;
  return out;
}

/**
 * Statement text for logs: the value of every secret-named property
 * (`'sasl.jaas.config'='…'`, `SET 'ssl.key.password'='…'`) replaced by
 * {@link HIDDEN}, then cut to `max` characters.
 */
export function redactStatement(text: string, max = 500): string {
  const redacted = text.replace(/('((?:[^']|'')*)'\s*=\s*)'(?:[^']|'')*'/g, (all, head: string, name: string) =>
    isSecretProperty(name) ? `${head}'${HIDDEN}'` : all,
  );
  return redacted.length > max ? `${redacted.slice(0, max)}...` : redacted;
}
