import { useT } from '../../i18n';
import { trustMapMessages } from './messages';

export function TrustMapPage() {
  const t = useT(trustMapMessages);
  return <p>{t('nav')}</p>;
}
