import { execFileSync, spawnSync } from 'node:child_process';
import { join } from 'node:path';

/** What the TLS tests need besides Node: `openssl`, to make a self-signed certificate (Debian package openssl). */
export const OPENSSL = 'openssl on the PATH (apt-get install openssl)';

/** Whether `openssl` runs here; suites that need it are declared with `describeIf(HAVE_OPENSSL, OPENSSL)`. */
export const HAVE_OPENSSL = spawnSync('openssl', ['version'], { stdio: 'ignore' }).status === 0;

/** A certificate and key file for a self-signed certificate. */
export interface CertFiles {
  /** PEM certificate for CN=localhost, valid for a day. */
  readonly cert: string;
  /** Its unencrypted PEM private key. */
  readonly key: string;
}

/** Writes a self-signed certificate for CN=localhost (RSA 2048, one day) to `cert.pem` and `key.pem` in `dir`. */
export function selfSignedCert(dir: string): CertFiles {
  const files = { cert: join(dir, 'cert.pem'), key: join(dir, 'key.pem') };
  execFileSync('openssl', ['req', '-x509', '-newkey', 'rsa:2048', '-nodes', '-keyout', files.key, '-out', files.cert, '-days', '1', '-subj', '/CN=localhost'], {
    stdio: 'ignore',
  });
  return files;
}
