import { createHash, createHmac, timingSafeEqual } from 'node:crypto';

const sha256Hex = (data: string | Buffer): string => createHash('sha256').update(data).digest('hex');
const hmac = (key: string | Buffer, data: string): Buffer => createHmac('sha256', key).update(data).digest();

export interface SignedRequest {
  readonly method: string;
  readonly path: string;
  readonly query: string;
  readonly contentType: string;
  /** The host name without the port, as the SDK signs it. */
  readonly hostname: string;
  readonly body: Buffer;
  readonly timestamp: number;
  /** The credential scope's service: the endpoint's first label ("sms" for sms.tencentcloudapi.com). */
  readonly service: string;
}

/**
 * The TC3-HMAC-SHA256 signature of Tencent Cloud API 3.0 over one request, as the official SDK
 * computes it (content-type and host signed, payload hashed), so the local gateway refuses a
 * request signed with the wrong secret the way the cloud does.
 */
export function tc3Signature(secretKey: string, request: SignedRequest): string {
  const canonicalRequest = [
    request.method,
    request.path,
    request.query,
    `content-type:${request.contentType}\nhost:${request.hostname}\n`,
    'content-type;host',
    sha256Hex(request.body),
  ].join('\n');
  const date = new Date(request.timestamp * 1000).toISOString().slice(0, 10);
  const scope = `${date}/${request.service}/tc3_request`;
  const stringToSign = [
    'TC3-HMAC-SHA256',
    String(request.timestamp),
    scope,
    sha256Hex(canonicalRequest),
  ].join('\n');
  const kSigning = hmac(hmac(hmac(`TC3${secretKey}`, date), request.service), 'tc3_request');
  return createHmac('sha256', kSigning).update(stringToSign).digest('hex');
}

const AUTHORIZATION =
  /^TC3-HMAC-SHA256 Credential=([^/]+)\/(\d{4}-\d{2}-\d{2})\/([^/]+)\/tc3_request, SignedHeaders=content-type;host, Signature=([0-9a-f]{64})$/;

export type SignatureCheck = 'ok' | 'malformed' | 'unknown_secret_id' | 'mismatch';

/** Checks an Authorization header against the one secret pair the gateway knows. */
export function checkTc3Authorization(
  header: string | undefined,
  credentials: { readonly secretId: string; readonly secretKey: string },
  request: Omit<SignedRequest, 'service'>,
): SignatureCheck {
  const [, secretId, , service, signature] = AUTHORIZATION.exec(header ?? '') ?? [];
  if (service === undefined || signature === undefined) return 'malformed';
  if (secretId !== credentials.secretId) return 'unknown_secret_id';
  const expected = Buffer.from(tc3Signature(credentials.secretKey, { ...request, service }), 'hex');
  return timingSafeEqual(expected, Buffer.from(signature, 'hex')) ? 'ok' : 'mismatch';
}
