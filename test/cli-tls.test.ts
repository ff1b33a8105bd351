/**
 * `sluice cli` against a server with a private CA: without the CA it fails
 * naming the certificate problem; with `--ca-file`, or the config file's
 * `ssl.truststore.location` (PEM), statements and queries run over HTTPS.
 */
import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { afterAll, beforeAll, expect, it } from 'vitest';
import { describeIf } from './helpers/describe-if.js';
import { BUNDLE_BUILT, startServerProcess, type ServerProcess } from './helpers/server-process.js';
import { HAVE_OPENSSL, OPENSSL, selfSignedCert } from './helpers/tls.js';
import { runSluiceAsync } from './repl-helpers.js';

describeIf(BUNDLE_BUILT && HAVE_OPENSSL, OPENSSL)('sluice cli over TLS with a private CA', () => {
  let server: ServerProcess;
  let dir: string;
  let ca: string;
  let url: string;
  beforeAll(async () => {
    dir = fs.mkdtempSync(path.join(os.tmpdir(), 'sluice-cli-tls-'));
    const files = selfSignedCert(dir);
    ca = files.cert;
    server = await startServerProcess({}, { args: ['--tls-cert', files.cert, '--tls-key', files.key] });
    // The certificate names localhost.
    url = server.url.replace('127.0.0.1', 'localhost');
  }, 90_000);
  afterAll(async () => {
    await server?.stop();
    if (dir) fs.rmSync(dir, { recursive: true, force: true });
  });

  it('without the CA: fails with a message naming the untrusted certificate', async () => {
    const r = await runSluiceAsync(['cli', url, '-e', 'SHOW STREAMS;']);
    expect(r.code).toBe(1);
    expect(r.err).toBe(
      `Could not connect to the server at ${url}: its TLS certificate is not trusted (DEPTH_ZERO_SELF_SIGNED_CERT: self-signed certificate). ` +
        'Give the CA certificate (PEM) that signed it with --ca-file FILE, or ssl.truststore.location in --config-file.\n',
    );
  });

  it('with --ca-file: a statement and a query run', async () => {
    const r = await runSluiceAsync([
      'cli',
      url,
      '--ca-file',
      ca,
      '-e',
      "SET 'auto.offset.reset'='earliest'; CREATE STREAM tls_s (id INT KEY, v STRING) WITH (kafka_topic='tls_s', partitions=1, value_format='JSON'); INSERT INTO tls_s (id, v) VALUES (1, 'a'); SELECT * FROM tls_s EMIT CHANGES LIMIT 1;",
    ]);
    expect(r.err).toBe('');
    expect(r.code).toBe(0);
    expect(r.out).toContain('Stream created');
    expect(r.out).toMatch(/\|\s*1\s*\|\s*a\s*\|/);
  });

  it('with ssl.truststore.location (PEM) in --config-file: a statement runs', async () => {
    const config = path.join(dir, 'cli.properties');
    fs.writeFileSync(config, `ssl.truststore.location=${ca}\nssl.truststore.password=unused\nauto.offset.reset=earliest\n`);
    const r = await runSluiceAsync(['cli', url, '--config-file', config, '--output', 'json', '-e', 'SHOW STREAMS;']);
    expect(r.err).toBe('');
    expect(r.code).toBe(0);
    expect(JSON.parse(r.out)['@type']).toBe('streams');
  });

  it('sluice datagen: fails naming the certificate without the CA, writes with --ca-file', async () => {
    const ddl = await runSluiceAsync(['cli', url, '--ca-file', ca, '-e', (await runSluiceAsync(['datagen', '--quickstart', 'users', '--print-ddl'])).out]);
    expect(ddl.code).toBe(0);
    const args = ['datagen', '--quickstart', 'users', '--iterations', '2', '--rate', '0', '--server', url, '--quiet'];
    const refused = await runSluiceAsync(args);
    expect(refused.code).toBe(1);
    expect(refused.err).toBe(
      `sluice datagen: Could not connect to the server at ${url}: its TLS certificate is not trusted (DEPTH_ZERO_SELF_SIGNED_CERT: self-signed certificate). ` +
        'Give the CA certificate (PEM) that signed it with --ca-file FILE, or ssl.truststore.location in --config-file.\n',
    );
    const written = await runSluiceAsync([...args, '--ca-file', ca]);
    expect(written.err).toBe("Wrote 2 records to topic 'users'.\n");
    expect(written.code).toBe(0);
  });

  it('refuses a truststore that is not PEM, saying how to convert it', async () => {
    const jks = path.join(dir, 'truststore.jks');
    fs.writeFileSync(jks, Buffer.from([0xfe, 0xed, 0xfe, 0xed, 0, 0, 0, 2]));
    const config = path.join(dir, 'jks.properties');
    fs.writeFileSync(config, `ssl.truststore.location=${jks}\n`);
    const r = await runSluiceAsync(['cli', url, '--config-file', config, '-e', 'SHOW STREAMS;']);
    expect(r.code).toBe(2);
    expect(r.err).toContain(`${jks} holds no PEM certificate (-----BEGIN CERTIFICATE-----); a JKS or PKCS12 truststore must be converted first`);
  });
});
