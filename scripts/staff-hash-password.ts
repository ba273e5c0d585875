/**
 * npm run staff:hash-password — prints the scrypt hash of a password for STAFF_USERS.
 * Reads the password from the terminal (not echoed) or, when piped, the first line of stdin:
 *   printf '%s\n' "$PASSWORD" | npm run -s staff:hash-password
 * The password itself is never printed or written anywhere.
 */
import { createInterface } from 'node:readline';
import type { Readable, Writable } from 'node:stream';
import { hashPassword } from '../src/staff/password';

export const MIN_PASSWORD_LENGTH = 12;

/** The first line of piped input (the password), without its line ending. */
export async function readFirstLine(input: Readable): Promise<string> {
  const chunks: Buffer[] = [];
  for await (const chunk of input) chunks.push(Buffer.from(chunk as Buffer));
  return Buffer.concat(chunks).toString('utf8').split(/\r?\n/)[0] ?? '';
}

/** Hash a piped password: prints the hash on `out`, or a reason on `err`; returns the exit code. */
export async function hashFromPipe(input: Readable, out: Writable, err: Writable): Promise<number> {
  const password = await readFirstLine(input);
  if (password.length < MIN_PASSWORD_LENGTH) {
    err.write(`Use at least ${MIN_PASSWORD_LENGTH} characters (a passphrase of a few words is easiest).\n`);
    return 1;
  }
  out.write(`${await hashPassword(password)}\n`);
  return 0;
}

/** Prompt on the terminal without echoing what is typed. */
function prompt(question: string): Promise<string> {
  return new Promise((resolve) => {
    const rl = createInterface({ input: process.stdin, output: process.stderr, terminal: true });
    const output = rl as unknown as { _writeToOutput: (s: string) => void };
    let asked = false;
    output._writeToOutput = (s: string) => {
      if (!asked) {
        process.stderr.write(s);
        asked = true;
      }
    };
    rl.question(question, (answer) => {
      rl.close();
      process.stderr.write('\n');
      resolve(answer);
    });
  });
}

async function main(): Promise<void> {
  if (!process.stdin.isTTY) {
    process.exitCode = await hashFromPipe(process.stdin, process.stdout, process.stderr);
    return;
  }
  const password = await prompt('Password: ');
  const again = await prompt('Again: ');
  if (again !== password) {
    console.error('The two passwords differ; nothing printed.');
    process.exitCode = 1;
    return;
  }
  if (password.length < MIN_PASSWORD_LENGTH) {
    console.error(`Use at least ${MIN_PASSWORD_LENGTH} characters (a passphrase of a few words is easiest).`);
    process.exitCode = 1;
    return;
  }
  process.stdout.write(`${await hashPassword(password)}\n`);
  console.error('Add it to .env as STAFF_USERS=<login>:<hash> (comma-separate several staff).');
}

if (require.main === module) void main();
