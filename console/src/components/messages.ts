import type { Catalog } from '../i18n';

/** The shared components' own words (components/*.tsx); pages keep theirs in pages/<page>/messages.ts. */
export const componentMessages: Catalog = {
  en: {
    show: 'Show',
    loading: 'Loading…',
    loadMore: 'Show more',
    cancel: 'Cancel',
    any: 'Any',
  },
  ja: {
    show: '表示',
    loading: '読み込み中…',
    loadMore: 'さらに表示',
    cancel: 'キャンセル',
    any: 'すべて',
  },
};
