import { useT } from '../../i18n';
import { analysisMessages } from './messages';
import { PivotSection } from './pivot-section';
import { CandidatesSection } from './candidates-section';
import '../share/pages.css';
import './analysis.css';

/**
 * Analysis (docs/analysis.md): pivot from any value, drawn as a graph, and the campaign candidates
 * computed over what the signed-in user may read, with Confirm and Reject for those who may decide.
 */
export function AnalysisPage() {
  const t = useT(analysisMessages);
  return (
    <div class="analysis-page">
      <PivotSection t={t} />
      <CandidatesSection t={t} />
    </div>
  );
}
