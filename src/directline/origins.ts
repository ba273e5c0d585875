// No imports: config.ts checks DIRECTLINE_ALLOWED_ORIGINS with these.

/** Comma-separated origins from DIRECTLINE_ALLOWED_ORIGINS, each as `new URL(..).origin` writes it. */
export function parseOrigins(value: string | undefined): string[] {
  return (value ?? '')
    .split(',')
    .map((s) => s.trim())
    .filter(Boolean);
}

export function isOrigin(value: string): boolean {
  try {
    const url = new URL(value);
    return (url.protocol === 'https:' || url.protocol === 'http:') && url.origin === value;
  } catch {
    return false;
  }
}
