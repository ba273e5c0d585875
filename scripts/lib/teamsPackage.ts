import { readFileSync, mkdirSync, writeFileSync } from 'node:fs';
import * as path from 'node:path';
import Ajv from 'ajv-draft-04';
import addFormats from 'ajv-formats';
import JSZip from 'jszip';
import { decodePng } from './png';

/**
 * The Teams app package: teams/manifest.json (a template) with the bot's app id
 * filled in from the environment, checked against the Teams manifest JSON schema
 * of its manifestVersion (as shipped in @microsoft/app-manifest, so no network),
 * zipped with its two icons. Teams accepts exactly this zip in "Upload a custom app"
 * and in the Teams admin center.
 */
export const TEAMS_DIR = path.resolve(__dirname, '..', '..', 'teams');
export const PACKAGE_FILE = path.join(TEAMS_DIR, 'build', 'gbac-admissions-bot.zip');
export const ACCENT_COLOR = '#0E7C86';
export const ICONS = { color: { file: 'color.png', size: 192 }, outline: { file: 'outline.png', size: 32 } } as const;

/** A problem the person packaging can fix; the message says what to do. */
export class TeamsPackageError extends Error {
  constructor(message: string) {
    super(message);
    this.name = 'TeamsPackageError';
  }
}

export interface PackageSettings {
  /** The bot's Microsoft App ID: both the Teams app id and bots[0].botId. */
  appId: string;
  /** The host of the bot's messaging endpoint, listed in validDomains when given. */
  botDomain?: string;
}

const GUID = /^[0-9a-f]{8}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{12}$/i;
const HOST = /^(?=.{1,253}$)(?:\*\.)?(?:[a-z0-9](?:[a-z0-9-]{0,61}[a-z0-9])?\.)+[a-z]{2,63}$/i;

/** MicrosoftAppId (required) and BOT_DOMAIN (optional) from the environment, with one clear line when wrong. */
export function settingsFromEnv(env: NodeJS.ProcessEnv): PackageSettings {
  const appId = env.MicrosoftAppId?.trim();
  if (!appId) {
    throw new TeamsPackageError(
      'MicrosoftAppId is not set: put the Azure Bot\'s Microsoft App ID (a GUID) in the environment or in .env, then run `npm run teams:package` again.',
    );
  }
  if (!GUID.test(appId)) throw new TeamsPackageError(`MicrosoftAppId must be a GUID like 00000000-0000-0000-0000-000000000000 (got "${appId}").`);
  const botDomain = env.BOT_DOMAIN?.trim() || undefined;
  if (botDomain && !HOST.test(botDomain)) {
    throw new TeamsPackageError(`BOT_DOMAIN must be a host name like bot.example.org, without https:// or a path (got "${botDomain}").`);
  }
  return { appId, botDomain };
}

export function readTemplate(dir = TEAMS_DIR): unknown {
  return JSON.parse(readFileSync(path.join(dir, 'manifest.json'), 'utf8'));
}

/**
 * Fill {{MicrosoftAppId}} and {{BotDomain}} everywhere in the template. A list
 * entry that is only an unset placeholder is dropped (validDomains without BOT_DOMAIN).
 */
export function fillManifest(template: unknown, settings: PackageSettings): Record<string, unknown> {
  const values: Record<string, string | undefined> = { MicrosoftAppId: settings.appId, BotDomain: settings.botDomain };
  const unset = (v: unknown) => typeof v === 'string' && /^\{\{(\w+)\}\}$/.test(v) && values[v.slice(2, -2)] === undefined;
  const fill = (node: unknown): unknown => {
    if (typeof node === 'string') {
      return node.replace(/\{\{(\w+)\}\}/g, (whole, name: string) => {
        const value = values[name];
        if (value === undefined) throw new TeamsPackageError(`teams/manifest.json: no value for ${whole}`);
        return value;
      });
    }
    if (Array.isArray(node)) return node.filter((item) => !unset(item)).map(fill);
    if (node && typeof node === 'object') return Object.fromEntries(Object.entries(node).map(([k, v]) => [k, fill(v)]));
    return node;
  };
  const manifest = fill(template);
  if (!manifest || typeof manifest !== 'object' || Array.isArray(manifest)) throw new TeamsPackageError('teams/manifest.json must be a JSON object');
  return manifest as Record<string, unknown>;
}

/** The Teams manifest JSON schema for a manifestVersion, from @microsoft/app-manifest (no network). */
export function manifestSchemaPath(manifestVersion: string): string {
  const root = path.dirname(require.resolve('@microsoft/app-manifest/package.json'));
  return path.join(root, 'build', 'json-schemas', 'teams', `v${manifestVersion}`, 'MicrosoftTeams.schema.json');
}

/** Schema problems, one line each ("/bots/0/botId: must match pattern …"); empty when valid. */
export function validateManifest(manifest: Record<string, unknown>): string[] {
  const version = manifest.manifestVersion;
  if (typeof version !== 'string') return ['manifestVersion is missing'];
  const expected = `https://developer.microsoft.com/json-schemas/teams/v${version}/MicrosoftTeams.schema.json`;
  const problems = manifest.$schema === expected ? [] : [`$schema must be ${expected}`];
  let schema: object;
  try {
    schema = JSON.parse(readFileSync(manifestSchemaPath(version), 'utf8')) as object;
  } catch {
    return [...problems, `no JSON schema for manifestVersion ${version} in @microsoft/app-manifest`];
  }
  // The schemas are draft-04 with a few later keywords (const): strict mode off, as Microsoft's own validator does.
  const ajv = new Ajv({ allErrors: true, strict: false });
  addFormats(ajv, ['uri', 'email', 'regex']);
  const validate = ajv.compile(schema);
  if (!validate(manifest)) {
    for (const e of validate.errors ?? []) problems.push(`${e.instancePath || '/'}: ${e.message ?? 'is invalid'} ${JSON.stringify(e.params)}`);
  }
  return problems;
}

/** Icon problems: sizes, and the outline only white on transparent. Empty when fine. */
export function checkIcons(dir = TEAMS_DIR): string[] {
  const problems: string[] = [];
  for (const [kind, { file, size }] of Object.entries(ICONS)) {
    let image;
    try {
      image = decodePng(readFileSync(path.join(dir, file)));
    } catch (err) {
      problems.push(`${file}: ${(err as Error).message}`);
      continue;
    }
    if (image.width !== size || image.height !== size) problems.push(`${file}: must be ${size}x${size} (is ${image.width}x${image.height})`);
    if (kind === 'outline') {
      for (let i = 0; i < image.rgba.length; i += 4) {
        const [r, g, b, a] = [image.rgba[i], image.rgba[i + 1], image.rgba[i + 2], image.rgba[i + 3]];
        if (a !== 0 && (r !== 255 || g !== 255 || b !== 255)) {
          problems.push(`${file}: must be white on transparent (pixel ${i / 4} is rgb(${r}, ${g}, ${b}))`);
          break;
        }
      }
    }
  }
  return problems;
}

/** Fill, validate and zip: manifest.json, color.png and outline.png at the zip's root. */
export async function buildTeamsPackage(options: { env: NodeJS.ProcessEnv; outFile?: string; dir?: string }): Promise<{ file: string; manifest: Record<string, unknown> }> {
  const dir = options.dir ?? TEAMS_DIR;
  const file = options.outFile ?? PACKAGE_FILE;
  const manifest = fillManifest(readTemplate(dir), settingsFromEnv(options.env));
  const problems = [...validateManifest(manifest), ...checkIcons(dir)];
  if (problems.length) throw new TeamsPackageError(`teams/manifest.json is not a valid Teams app:\n  ${problems.join('\n  ')}`);

  const zip = new JSZip();
  zip.file('manifest.json', `${JSON.stringify(manifest, null, 2)}\n`);
  for (const { file: icon } of Object.values(ICONS)) zip.file(icon, readFileSync(path.join(dir, icon)));
  const bytes = await zip.generateAsync({ type: 'nodebuffer', compression: 'DEFLATE' });
  mkdirSync(path.dirname(file), { recursive: true });
  writeFileSync(file, bytes);
  return { file, manifest };
}
