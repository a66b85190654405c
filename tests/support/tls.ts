/** A throwaway self-signed certificate for 127.0.0.1/localhost, made with openssl at test time. */
import { execFileSync } from 'node:child_process';
import { join } from 'node:path';
import { temporaryDir } from './processes';

export interface TestCertificate {
  certFile: string;
  keyFile: string;
}

export async function selfSignedCertificate(): Promise<TestCertificate> {
  const dir = await temporaryDir('tls');
  const certFile = join(dir, 'cert.pem');
  const keyFile = join(dir, 'key.pem');
  try {
    execFileSync(
      'openssl',
      [
        'req',
        '-x509',
        '-newkey',
        'rsa:2048',
        '-nodes',
        '-days',
        '2',
        '-keyout',
        keyFile,
        '-out',
        certFile,
        '-subj',
        '/CN=localhost',
        '-addext',
        'subjectAltName=IP:127.0.0.1,DNS:localhost',
      ],
      { stdio: 'pipe' },
    );
  } catch (error) {
    throw new Error(
      `openssl could not make a test certificate (install it with \`apt-get install -y openssl\`): ${String(error)}`,
      { cause: error },
    );
  }
  return { certFile, keyFile };
}
