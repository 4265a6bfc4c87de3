import { ApiError } from '../api';
import type { Catalog, Lang } from '../i18n';

/**
 * Short headings for the hub's refusals, one per code of the hub's error catalog
 * (src/domain/errors.ts, ERROR_CATALOG: `code.<CODE>`), one per HTTP status for an answer without
 * a code (`status.<n>`, e.g. a proxy's 502), and `network` when the hub could not be reached. The
 * Japanese UI shows the heading above the hub's own English words (hub-error.tsx);
 * test/console/hub-error-messages.test.ts holds the list to the catalog.
 */
export const hubErrorMessages: Catalog = {
  en: {
    'code.BAD_REQUEST': 'Bad request',
    'code.VALIDATION_FAILED': 'Some values were not accepted',
    'code.AUTHENTICATION_REQUIRED': 'Sign-in required',
    'code.FORBIDDEN': 'Not permitted',
    'code.NOT_FOUND': 'Not found',
    'code.METHOD_NOT_ALLOWED': 'This operation is not offered here',
    'code.NOT_ACCEPTABLE': 'Answer format not offered',
    'code.REQUEST_TIMEOUT': 'The request took too long',
    'code.CONFLICT': 'Not possible in the current state',
    'code.PAYLOAD_TOO_LARGE': 'Too much data at once',
    'code.UNSUPPORTED_MEDIA_TYPE': 'Format not supported',
    'code.UNPROCESSABLE': 'The content cannot be processed',
    'code.TOO_MANY_REQUESTS': 'Too many requests; wait a moment',
    'code.HEADERS_TOO_LARGE': 'Request headers too large',
    'code.DATABASE_UNAVAILABLE': 'The hub’s database is unavailable; try again shortly',
    'code.INTERNAL': 'Internal error in the hub',
    'code.CONTENT_REFUSED': 'Content refused',
    'code.UNSUPPORTED_CONTENT_BINDING': 'Content binding not supported',
    'code.UNSUPPORTED_MESSAGE_BINDING': 'Message binding not supported',
    'code.UNSUPPORTED_PROTOCOL_BINDING': 'Protocol binding not supported',
    'code.UNSUPPORTED_QUERY': 'Query not supported',
    'code.INVALID_RESPONSE_PART': 'No such part of the answer',
    'code.DESTINATION_COLLECTION_ERROR': 'Problem with the destination collection',
    'code.INVALID_CURSOR': 'The list position is no longer valid; reload the list',
    'status.400': 'Bad request',
    'status.401': 'Sign-in required',
    'status.403': 'Not permitted',
    'status.404': 'Not found',
    'status.405': 'This operation is not offered here',
    'status.406': 'Answer format not offered',
    'status.408': 'The request took too long',
    'status.409': 'Not possible in the current state',
    'status.413': 'Too much data at once',
    'status.415': 'Format not supported',
    'status.422': 'The content cannot be processed',
    'status.429': 'Too many requests; wait a moment',
    'status.431': 'Request headers too large',
    'status.500': 'Internal error in the hub',
    'status.502': 'The hub did not answer (bad gateway)',
    'status.503': 'The hub is unavailable; try again shortly',
    'status.504': 'The hub did not answer in time',
    'status.other': 'The hub refused the request',
    network: 'The hub could not be reached',
  },
  ja: {
    'code.BAD_REQUEST': 'リクエストが正しくありません',
    'code.VALIDATION_FAILED': '受け付けられない値があります',
    'code.AUTHENTICATION_REQUIRED': 'サインインが必要です',
    'code.FORBIDDEN': '権限がありません',
    'code.NOT_FOUND': '見つかりません',
    'code.METHOD_NOT_ALLOWED': 'ここではこの操作はできません',
    'code.NOT_ACCEPTABLE': 'この応答形式には対応していません',
    'code.REQUEST_TIMEOUT': 'リクエストに時間がかかりすぎました',
    'code.CONFLICT': '現在の状態ではできません',
    'code.PAYLOAD_TOO_LARGE': '一度に送るデータが大きすぎます',
    'code.UNSUPPORTED_MEDIA_TYPE': 'この形式には対応していません',
    'code.UNPROCESSABLE': 'この内容は処理できません',
    'code.TOO_MANY_REQUESTS': 'リクエストが多すぎます。しばらく待ってください',
    'code.HEADERS_TOO_LARGE': 'リクエストヘッダーが大きすぎます',
    'code.DATABASE_UNAVAILABLE': 'ハブのデータベースを利用できません。しばらくしてから再試行してください',
    'code.INTERNAL': 'ハブの内部エラーです',
    'code.CONTENT_REFUSED': '内容が拒否されました',
    'code.UNSUPPORTED_CONTENT_BINDING': 'このコンテンツバインディングには対応していません',
    'code.UNSUPPORTED_MESSAGE_BINDING': 'このメッセージバインディングには対応していません',
    'code.UNSUPPORTED_PROTOCOL_BINDING': 'このプロトコルバインディングには対応していません',
    'code.UNSUPPORTED_QUERY': 'このクエリには対応していません',
    'code.INVALID_RESPONSE_PART': '応答のその部分はありません',
    'code.DESTINATION_COLLECTION_ERROR': '送信先コレクションに問題があります',
    'code.INVALID_CURSOR': '一覧の位置が無効になりました。一覧を読み込み直してください',
    'status.400': 'リクエストが正しくありません',
    'status.401': 'サインインが必要です',
    'status.403': '権限がありません',
    'status.404': '見つかりません',
    'status.405': 'ここではこの操作はできません',
    'status.406': 'この応答形式には対応していません',
    'status.408': 'リクエストに時間がかかりすぎました',
    'status.409': '現在の状態ではできません',
    'status.413': '一度に送るデータが大きすぎます',
    'status.415': 'この形式には対応していません',
    'status.422': 'この内容は処理できません',
    'status.429': 'リクエストが多すぎます。しばらく待ってください',
    'status.431': 'リクエストヘッダーが大きすぎます',
    'status.500': 'ハブの内部エラーです',
    'status.502': 'ハブから応答がありません（ゲートウェイエラー）',
    'status.503': 'ハブを利用できません。しばらくしてから再試行してください',
    'status.504': 'ハブが時間内に応答しませんでした',
    'status.other': 'ハブがリクエストを拒否しました',
    network: 'ハブに接続できません',
  },
};

/**
 * The heading for a refusal in `lang`: by the hub's error code, else by the HTTP status, else a
 * general one; `network` when the hub was not reached. Undefined for what is no hub answer (a
 * programming error, a check the page made itself).
 */
export function hubErrorHeading(lang: Lang, error: unknown): string | undefined {
  if (!(error instanceof ApiError)) return undefined;
  const key = error.code === 'NETWORK' ? 'network'
    : hubErrorMessages.en[`code.${error.code}`] !== undefined ? `code.${error.code}`
      : hubErrorMessages.en[`status.${error.status}`] !== undefined ? `status.${error.status}` : 'status.other';
  return hubErrorMessages[lang][key] ?? hubErrorMessages.en[key];
}
