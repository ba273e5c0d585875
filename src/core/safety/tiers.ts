import { TIERS } from './schema';
import type { CrisisDetector, CrisisKind } from './crisis';

/**
 * The tiers of the safety net, each with its own reply (knowledge/crisis.yaml):
 * - emergency: an overdose or a withdrawal emergency now: 911 first;
 * - suicide: thoughts of suicide or self-harm, for oneself or someone else: 988 first;
 * - harm: harm from or to others: 911, the domestic violence hotline;
 * - withdrawal: a risk of stopping or of using again, not an emergency now: a doctor
 *   or admissions before stopping, detox by referral, 911 for the severe signs;
 * - concern: no crisis reply, the answer with one safety line under it.
 */
export { TIERS };
export type SafetyTier = (typeof TIERS)[number];

const TIER_OF_KIND: Record<CrisisKind, SafetyTier> = {
  overdose: 'emergency',
  'withdrawal-emergency': 'emergency',
  suicide: 'suicide',
  violence: 'harm',
  withdrawal: 'withdrawal',
};

export function tierOfKind(kind: CrisisKind): SafetyTier {
  return TIER_OF_KIND[kind];
}

/** The tier a message alone gets from the detector, or null for none (the evaluation's view). */
export function tierOf(detector: Pick<CrisisDetector, 'detect' | 'concern' | 'patternTier'>, text: string): SafetyTier | null {
  const signal = detector.detect(text);
  if (signal) return detector.patternTier(signal.evidence) ?? tierOfKind(signal.kind);
  return detector.concern(text) ? 'concern' : null;
}
