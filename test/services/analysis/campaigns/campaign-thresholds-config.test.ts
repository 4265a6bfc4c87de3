import { validateHubConfig } from '../../../../src/config/validate-hub-config';
import { validConfig } from '../../../config/valid-config';

/** hub.analysis.campaign_candidates: the thresholds given reach HubInfo; others keep their defaults; bad ones are named. */
describe('hub.analysis.campaign_candidates', () => {
  it('gives the thresholds it names, and nothing when absent', () => {
    const config = validConfig();
    const without = validateHubConfig(config);
    expect(without.ok && without.config.hub.campaignCandidates).toBeUndefined();
    config.hub = { ...config.hub, analysis: { campaign_candidates: { min_indicators: 4, window_days: 14 } } };
    const result = validateHubConfig(config);
    if (!result.ok) throw new Error(JSON.stringify(result.errors));
    expect(result.config.hub.campaignCandidates).toEqual({ minIndicators: 4, windowDays: 14 });
  });

  it.each([
    [{ min_indicators: 1 }, 'hub.analysis.campaign_candidates.min_indicators'],
    [{ window_days: 0 }, 'hub.analysis.campaign_candidates.window_days'],
    [{ min_submission: 2 }, 'hub.analysis.campaign_candidates.min_submission'],
  ])('refuses %j at its path', (given, path) => {
    const config = validConfig();
    config.hub = { ...config.hub, analysis: { campaign_candidates: given } };
    const result = validateHubConfig(config);
    expect(result.ok).toBe(false);
    if (!result.ok) expect(result.errors.map((e) => e.path)).toContain(path);
  });
});
