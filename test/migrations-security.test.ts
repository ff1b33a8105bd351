/**
 * `sluice migrations` against servers that need credentials or speak TLS:
 * ksql.auth.basic.* in the properties file, and ssl.truststore.location as a
 * PEM file (a JKS one is refused with how to convert it), ssl.verify.host, and
 * a warning for the client-certificate and bearer settings not supported yet.
 */
import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { afterAll, beforeAll, expect, it } from 'vitest';
import { describeIf } from './helpers/describe-if.js';
import { BUNDLE_BUILT, startServerProcess, type ServerProcess } from './helpers/server-process.js';
import { HAVE_OPENSSL, OPENSSL, selfSignedCert } from './helpers/tls.js';
import { runSluiceAsync } from './repl-helpers.js';

describeIf(BUNDLE_BUILT && HAVE_OPENSSL, `the built dist/ and ${OPENSSL}`)('sluice migrations with Basic auth and TLS', () => {
  let server: ServerProcess;
  let dir: string;
  let ca: string;
  let url: string;
  const run = (config: string, ...args: string[]) => runSluiceAsync(['migrations', '-c', config, ...args], { cwd: dir, timeoutMs: 60_000 });
  const properties = (name: string, lines: readonly string[]) => {
    const file = path.join(dir, name);
    fs.writeFileSync(file, `${lines.join('\n')}\n`);
    return file;
  };

  beforeAll(async () => {
    dir = fs.mkdtempSync(path.join(os.tmpdir(), 'sluice-migrations-sec-'));
    const files = selfSignedCert(dir);
    ca = files.cert;
    fs.writeFileSync(path.join(dir, 'users'), 'alice:wonder\n');
    server = await startServerProcess({}, { args: ['--tls-cert', files.cert, '--tls-key', files.key, '--auth-file', path.join(dir, 'users')] });
    // The certificate names localhost.
    url = server.url.replace('127.0.0.1', 'localhost');
    fs.mkdirSync(path.join(dir, 'migrations'));
  }, 90_000);
  afterAll(async () => {
    await server?.stop();
    if (dir) fs.rmSync(dir, { recursive: true, force: true });
  });

  it('with the CA and the credentials: initialize-metadata and an apply run over HTTPS', async () => {
    const config = properties('ok.properties', [
      `ksql.server.url=${url}`,
      `ssl.truststore.location=${ca}`,
      'ssl.truststore.password=unused',
      'ksql.auth.basic.username=alice',
      'ksql.auth.basic.password=wonder',
    ]);
    const init = await run(config, 'initialize-metadata');
    expect(init.err).toBe('');
    expect(init.code).toBe(0);
    expect(init.out).toContain('Migrations metadata initialized successfully\n');
    fs.writeFileSync(
      path.join(dir, 'migrations', 'V000001__secure.sql'),
      "CREATE STREAM secure (id INT KEY) WITH (kafka_topic='secure', partitions=1, value_format='JSON');\n",
    );
    const apply = await run(config, 'apply', '--all');
    expect(apply.err).toBe('');
    expect(apply.code).toBe(0);
    expect(apply.out).toContain('Applying migration version 1: secure\n');
    expect(apply.out).toContain('Successfully migrated\n');
    const validate = await run(config, 'validate');
    expect(validate.code).toBe(0);
    expect(validate.out).toContain('Successfully validated checksums for migrations that have already been applied\n');
  });

  it('a wrong password fails on /info with the server’s 401 message', async () => {
    const config = properties('wrong.properties', [
      `ksql.server.url=${url}`,
      `ssl.truststore.location=${ca}`,
      'ksql.auth.basic.username=alice',
      'ksql.auth.basic.password=guess',
    ]);
    const r = await run(config, 'info');
    expect(r.code).toBe(1);
    expect(r.err).toBe(`ERROR: Failed to query ${url}/info: Unauthorized\n`);
  });

  it('apply --headers sends the headers file’s entries with every request (here the credentials)', async () => {
    const config = properties('headers.properties', [`ksql.server.url=${url}`, `ssl.truststore.location=${ca}`]);
    const headers = path.join(dir, 'extra-headers.properties');
    fs.writeFileSync(headers, `Authorization=Basic ${Buffer.from('alice:wonder').toString('base64')}\n`);
    const r = await run(config, 'apply', '--all', '--headers', headers);
    expect(r.err).toBe('');
    expect(r.code).toBe(0);
    expect(r.out).toContain('Loading migration files\nNo eligible migrations found.\n');
    const without = await run(config, 'apply', '--all');
    expect(without.code).toBe(1);
    expect(without.err).toBe(`ERROR: Failed to query ${url}/info: Unauthorized\n`);
  });

  it('without the CA the certificate is not trusted; a JKS truststore is refused naming PEM', async () => {
    const noCa = await run(
      properties('noca.properties', [`ksql.server.url=${url}`, 'ksql.auth.basic.username=alice', 'ksql.auth.basic.password=wonder']),
      'info',
    );
    expect(noCa.code).toBe(1);
    expect(noCa.err).toMatch(
      /^ERROR: Failed to query https:\/\/localhost:\d+\/info: Could not connect to the server at .*: its TLS certificate is not trusted \(DEPTH_ZERO_SELF_SIGNED_CERT/,
    );

    const jks = path.join(dir, 'truststore.jks');
    fs.writeFileSync(jks, Buffer.from([0xfe, 0xed, 0xfe, 0xed, 0, 0, 0, 2]));
    const r = await run(properties('jks.properties', [`ksql.server.url=${url}`, `ssl.truststore.location=${jks}`]), 'info');
    expect(r.code).toBe(1);
    expect(r.err).toBe(
      `ERROR: Invalid ssl.truststore.location: ${jks} holds no PEM certificate (-----BEGIN CERTIFICATE-----); a JKS or PKCS12 truststore must be converted first, e.g. keytool -exportcert -rfc -alias ALIAS -keystore ${jks}\n`,
    );
  });

  it('ssl.verify.host=false accepts a certificate for another host name; keystore and bearer settings warn', async () => {
    const byIp = server.url; // https://127.0.0.1:PORT: the certificate names localhost
    const strict = await run(
      properties('ip.properties', [
        `ksql.server.url=${byIp}`,
        `ssl.truststore.location=${ca}`,
        'ksql.auth.basic.username=alice',
        'ksql.auth.basic.password=wonder',
      ]),
      'info',
    );
    expect(strict.code).toBe(1);
    expect(strict.err).toContain('ERR_TLS_CERT_ALTNAME_INVALID');
    const lax = await run(
      properties('lax.properties', [
        `ksql.server.url=${byIp}`,
        `ssl.truststore.location=${ca}`,
        'ssl.verify.host=false',
        'ssl.keystore.location=/nowhere/keystore.jks',
        'bearer.auth.client.id=someone',
        'ksql.auth.basic.username=alice',
        'ksql.auth.basic.password=wonder',
      ]),
      'info',
    );
    expect(lax.code).toBe(0);
    expect(lax.out).toContain('Current migration version: 1\n');
    expect(lax.err).toBe(
      'WARNING: bearer.auth.client.id is not supported by sluice migrations yet and is ignored (client certificates and bearer tokens are not implemented).\n' +
        'WARNING: ssl.keystore.location is not supported by sluice migrations yet and is ignored (client certificates and bearer tokens are not implemented).\n',
    );
  });
});
