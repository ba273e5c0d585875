import { readFileSync } from 'node:fs';
import * as path from 'node:path';
import { decodePng, encodePng } from '../../scripts/lib/png';
import { checkIcons, fillManifest, manifestSchemaPath, readTemplate, settingsFromEnv, TEAMS_DIR, validateManifest } from '../../scripts/lib/teamsPackage';
import { colorIcon, outlineIcon } from '../../scripts/teams-icons';

const APP_ID = '8d0c6b9e-3f4a-4c2b-9a1e-5b7d2c8f0a13';
const template = readTemplate() as Record<string, any>; // eslint-disable-line @typescript-eslint/no-explicit-any
const filled = (env: Record<string, string> = {}) => fillManifest(template, settingsFromEnv({ MicrosoftAppId: APP_ID, ...env })) as Record<string, any>; // eslint-disable-line @typescript-eslint/no-explicit-any

describe('teams/manifest.json', () => {
  it('when read, then it names a current manifest schema (v1.19 or later) by its URL and that schema ships in @microsoft/app-manifest', () => {
    const version = String(template.manifestVersion);
    expect(Number(version.split('.')[1])).toBeGreaterThanOrEqual(19);
    expect(template.$schema).toBe(`https://developer.microsoft.com/json-schemas/teams/v${version}/MicrosoftTeams.schema.json`);
    expect(JSON.parse(readFileSync(manifestSchemaPath(version), 'utf8')).properties.manifestVersion.const).toBe(version);
  });

  it('when read, then the app id and the bot id are placeholders, never a real id', () => {
    expect(template.id).toBe('{{MicrosoftAppId}}');
    expect(template.bots[0].botId).toBe('{{MicrosoftAppId}}');
    expect(JSON.stringify(template)).not.toMatch(/[0-9a-f]{8}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{12}/i);
  });

  it('when the app id is filled in, then the manifest validates against the Teams JSON schema', () => {
    expect(validateManifest(filled())).toEqual([]);
    expect(validateManifest(filled({ BOT_DOMAIN: 'gbac-bot.azurewebsites.net' }))).toEqual([]);
  });

  it('when filled, then the bot is the app: personal and team scopes (group chat too), conversational, no files', () => {
    const m = filled();
    expect(m.id).toBe(APP_ID);
    expect(m.bots).toHaveLength(1);
    expect(m.bots[0].botId).toBe(APP_ID);
    expect(m.bots[0].scopes).toEqual(expect.arrayContaining(['personal', 'team', 'groupChat']));
    expect(m.bots[0].isNotificationOnly).toBe(false);
    expect(m.bots[0].supportsFiles).toBe(false);
  });

  it('when filled, then the developer is GBAC with placeholder https://example.org pages to replace', () => {
    const { developer } = filled();
    expect(developer.name).toBe('GBAC');
    for (const key of ['websiteUrl', 'privacyUrl', 'termsOfUseUrl']) expect(developer[key]).toMatch(/^https:\/\/example\.org\//);
  });

  it('when BOT_DOMAIN is set, then it is a valid domain; when not, only the Bot Framework token domain is listed', () => {
    expect(filled().validDomains).toEqual(['token.botframework.com']);
    expect(filled({ BOT_DOMAIN: 'bot.gbac.example.org' }).validDomains).toEqual(['token.botframework.com', 'bot.gbac.example.org']);
    for (const domain of filled({ BOT_DOMAIN: 'bot.gbac.example.org' }).validDomains) expect(domain).toMatch(/^[a-z0-9.-]+$/);
  });

  it.each([
    ['https://bot.example.org', /BOT_DOMAIN must be a host name/],
    ['bot.example.org/api/messages', /BOT_DOMAIN must be a host name/],
    ['localhost:3978', /BOT_DOMAIN must be a host name/],
  ])('when BOT_DOMAIN is %j, then it is refused with a clear message', (domain, message) => {
    expect(() => settingsFromEnv({ MicrosoftAppId: APP_ID, BOT_DOMAIN: domain })).toThrow(message);
  });

  it.each([
    ['a short name over 30 characters', (m: Record<string, any>) => (m.name.short = 'Greater Boston Addiction Centers Admissions'), /\/name\/short/], // eslint-disable-line @typescript-eslint/no-explicit-any
    ['a bot id that is not a GUID', (m: Record<string, any>) => (m.bots[0].botId = 'my-bot'), /\/bots\/0\/botId/], // eslint-disable-line @typescript-eslint/no-explicit-any
    ['an unknown scope', (m: Record<string, any>) => (m.bots[0].scopes = ['personal', 'everywhere']), /\/bots\/0\/scopes/], // eslint-disable-line @typescript-eslint/no-explicit-any
    ['an unknown property', (m: Record<string, any>) => (m.colour = 'teal'), /must NOT have additional properties/], // eslint-disable-line @typescript-eslint/no-explicit-any
    ['a privacy page over http', (m: Record<string, any>) => (m.developer.privacyUrl = 'ftp://example.org'), /\/developer\/privacyUrl/], // eslint-disable-line @typescript-eslint/no-explicit-any
    ['no developer', (m: Record<string, any>) => delete m.developer, /developer/], // eslint-disable-line @typescript-eslint/no-explicit-any
    ['a $schema of another version', (m: Record<string, any>) => (m.$schema = 'https://developer.microsoft.com/json-schemas/teams/v1.17/MicrosoftTeams.schema.json'), /\$schema must be/], // eslint-disable-line @typescript-eslint/no-explicit-any
  ])('when the manifest has %s, then the schema check names the problem', (_, spoil, problem) => {
    const m = filled();
    spoil(m);
    const problems = validateManifest(m);
    expect(problems.length).toBeGreaterThan(0);
    expect(problems.join('\n')).toMatch(problem);
  });
});

describe('teams icons', () => {
  const color = decodePng(readFileSync(path.join(TEAMS_DIR, 'color.png')));
  const outline = decodePng(readFileSync(path.join(TEAMS_DIR, 'outline.png')));
  const alphas = (img: { rgba: Uint8Array }) => Array.from(img.rgba.filter((_, i) => i % 4 === 3));

  it('when checked, then color.png is 192x192 and fully opaque', () => {
    expect([color.width, color.height]).toEqual([192, 192]);
    expect(alphas(color).every((a) => a === 255)).toBe(true);
  });

  it('when checked, then outline.png is 32x32, white on a transparent background', () => {
    expect([outline.width, outline.height]).toEqual([32, 32]);
    const a = alphas(outline);
    expect(a.filter((x) => x === 0).length).toBeGreaterThan(a.length / 3); // mostly transparent
    expect(a.filter((x) => x === 255).length).toBeGreaterThan(50); // but something is drawn
    for (let i = 0; i < outline.rgba.length; i += 4) {
      if (outline.rgba[i + 3]) expect([outline.rgba[i], outline.rgba[i + 1], outline.rgba[i + 2]]).toEqual([255, 255, 255]);
    }
    expect(checkIcons()).toEqual([]);
  });

  it('when the icons are drawn again, then they are the committed files', () => {
    expect(encodePng(colorIcon()).equals(readFileSync(path.join(TEAMS_DIR, 'color.png')))).toBe(true);
    expect(encodePng(outlineIcon()).equals(readFileSync(path.join(TEAMS_DIR, 'outline.png')))).toBe(true);
  });

  it('when a PNG is encoded and decoded, then the pixels come back unchanged', () => {
    const rgba = new Uint8Array(5 * 3 * 4).map((_, i) => (i * 37) % 256);
    expect(decodePng(encodePng({ width: 5, height: 3, rgba }))).toEqual({ width: 5, height: 3, rgba: Buffer.from(rgba) });
  });
});
