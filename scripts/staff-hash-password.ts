/**
 * npm run staff:hash-password — prints the scrypt hash of a password for STAFF_USERS.
 * Reads the password from the terminal (not echoed) or, when piped, the first line of stdin:
 *   printf '%s\n' "$PASSWORD" | npm run -s staff:hash-password
 * The password itself is never printed or written anywhere.
 */
import { createInterface } from 'node:readline';
import { hashPassword } from '../src/staff/password';

const MIN_LENGTH = 12;

async function readPiped(): Promise<string> {
  const chunks: Buffer[] = [];
  for await (const chunk of process.stdin) chunks.push(chunk as Buffer);
  return Buffer.concat(chunks).toString('utf8').split(/\r?\n/)[0] ?? '';
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
  let password: string;
  if (process.stdin.isTTY) {
    password = await prompt('Password: ');
    const again = await prompt('Again: ');
    if (again !== password) {
      console.error('The two passwords differ; nothing printed.');
      process.exit(1);
    }
  } else {
    password = await readPiped();
  }
  if (password.length < MIN_LENGTH) {
    console.error(`Use at least ${MIN_LENGTH} characters (a passphrase of a few words is easiest).`);
    process.exit(1);
  }
  const hash = await hashPassword(password);
  process.stdout.write(`${hash}\n`);
  if (process.stdout.isTTY) console.error('Add it to .env as STAFF_USERS=<login>:<hash> (comma-separate several staff).');
}

void main();
