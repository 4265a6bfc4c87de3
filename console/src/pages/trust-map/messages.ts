import type { Catalog } from '../../i18n';

export const trustMapMessages: Catalog = {
  en: {
    nav: 'Trust map',
  },
  ja: {
    nav: '信頼関係マップ',
  },
};
