/**
 * `npm run teams:package`: build teams/build/gbac-admissions-bot.zip, the Teams
 * app to upload ("Upload a custom app" or the Teams admin center). Reads
 * MicrosoftAppId (required) and BOT_DOMAIN (optional) from the environment or
 * .env. Options: --out <file>. Exits 1 with a clear message when something is wrong.
 */
import { config as loadDotenv } from 'dotenv';
import * as path from 'node:path';
import { buildTeamsPackage, TeamsPackageError } from './lib/teamsPackage';

async function main(): Promise<void> {
  loadDotenv({ quiet: true });
  const at = process.argv.indexOf('--out');
  const outFile = at > 0 ? process.argv[at + 1] : undefined;
  if (at > 0 && !outFile) throw new TeamsPackageError('--out needs a file name');
  const { file, manifest } = await buildTeamsPackage({ env: process.env, outFile: outFile && path.resolve(outFile) });
  console.log(`✓ Teams app package: ${path.relative(process.cwd(), file) || file} (manifest ${String(manifest.manifestVersion)}, app id ${String(manifest.id)})`);
}

main().catch((err: unknown) => {
  if (err instanceof TeamsPackageError) console.error(`✗ ${err.message}`);
  else console.error(`✗ could not build the Teams package: ${(err as Error).message}`);
  process.exit(1);
});
