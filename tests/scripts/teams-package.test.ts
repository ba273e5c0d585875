import { execFile } from 'node:child_process';
import { existsSync, mkdtempSync, readFileSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import * as path from 'node:path';
import { promisify } from 'node:util';
import JSZip from 'jszip';
import { decodePng } from '../../scripts/lib/png';
import { buildTeamsPackage, TeamsPackageError, validateManifest } from '../../scripts/lib/teamsPackage';

const APP_ID = '3b1f2c4d-5e6f-4a7b-8c9d-0e1f2a3b4c5d';
const ROOT = path.resolve(__dirname, '..', '..');
let dir: string;

beforeEach(() => {
  dir = mkdtempSync(path.join(tmpdir(), 'teams-package-'));
});
afterEach(() => rmSync(dir, { recursive: true, force: true }));

describe('npm run teams:package', () => {
  it('when MicrosoftAppId is set, then the zip holds exactly manifest.json, color.png and outline.png, with that app id, valid, icons sized', async () => {
    const outFile = path.join(dir, 'app.zip');
    const { file } = await buildTeamsPackage({ env: { MicrosoftAppId: APP_ID }, outFile });
    expect(file).toBe(outFile);
    const zip = await JSZip.loadAsync(readFileSync(outFile));
    expect(Object.keys(zip.files).sort()).toEqual(['color.png', 'manifest.json', 'outline.png']);

    const manifest = JSON.parse(await zip.file('manifest.json')!.async('string'));
    expect(manifest.id).toBe(APP_ID);
    expect(manifest.bots[0].botId).toBe(APP_ID);
    expect(JSON.stringify(manifest)).not.toContain('{{');
    expect(validateManifest(manifest)).toEqual([]);
    expect(manifest.icons).toEqual({ color: 'color.png', outline: 'outline.png' });

    const color = decodePng(await zip.file('color.png')!.async('nodebuffer'));
    const outline = decodePng(await zip.file('outline.png')!.async('nodebuffer'));
    expect([color.width, color.height]).toEqual([192, 192]);
    expect([outline.width, outline.height]).toEqual([32, 32]);
  });

  it('when MicrosoftAppId is missing or empty, then it stops with a clear error and writes nothing', async () => {
    const outFile = path.join(dir, 'app.zip');
    for (const env of [{}, { MicrosoftAppId: '' }, { MicrosoftAppId: '   ' }]) {
      const build = buildTeamsPackage({ env, outFile });
      await expect(build).rejects.toThrow(TeamsPackageError);
      await expect(build).rejects.toThrow(/MicrosoftAppId is not set/);
    }
    expect(existsSync(outFile)).toBe(false);
  });

  it('when MicrosoftAppId is not a GUID, then it stops and says so', async () => {
    await expect(buildTeamsPackage({ env: { MicrosoftAppId: 'gbac-bot' }, outFile: path.join(dir, 'app.zip') })).rejects.toThrow(/MicrosoftAppId must be a GUID/);
  });

  it('when BOT_DOMAIN is set, then the packaged manifest lists it in validDomains', async () => {
    const { manifest } = await buildTeamsPackage({ env: { MicrosoftAppId: APP_ID, BOT_DOMAIN: 'gbac-bot.azurewebsites.net' }, outFile: path.join(dir, 'app.zip') });
    expect(manifest.validDomains).toContain('gbac-bot.azurewebsites.net');
  });

  it('when run from the command line, then it fills the app id from the environment, or exits 1 naming MicrosoftAppId', async () => {
    const run = promisify(execFile);
    const tsx = path.join(ROOT, 'node_modules', '.bin', 'tsx');
    const script = path.join(ROOT, 'scripts', 'teams-package.ts');
    const outFile = path.join(dir, 'cli.zip');
    // cwd is the empty temp folder, so no .env is read; PATH only, so no MicrosoftAppId leaks in.
    const env = { PATH: process.env.PATH ?? '' };

    const failed = await run(tsx, [script, '--out', outFile], { cwd: dir, env }).then(
      () => null,
      (err: { code: number; stderr: string }) => err,
    );
    expect(failed?.code).toBe(1);
    expect(failed?.stderr).toMatch(/MicrosoftAppId is not set/);
    expect(existsSync(outFile)).toBe(false);

    const ok = await run(tsx, [script, '--out', outFile], { cwd: dir, env: { ...env, MicrosoftAppId: APP_ID } });
    expect(ok.stdout).toContain(APP_ID);
    const zip = await JSZip.loadAsync(readFileSync(outFile));
    expect(JSON.parse(await zip.file('manifest.json')!.async('string')).bots[0].botId).toBe(APP_ID);
  }, 60_000);
});
