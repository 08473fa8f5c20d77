import type { IncomingMessage } from 'node:http';
import {
  HttpException,
  HttpStatus,
  Injectable,
  type NestMiddleware,
  PayloadTooLargeException,
} from '@nestjs/common';
import { invalidRequest } from '../validation/validation.pipe';

/** The largest body any route takes (a case with 50 materials is ~20 kB). */
export const MAX_BODY_BYTES = 100 * 1024;

interface BodyRequest extends IncomingMessage {
  body?: unknown;
}

function hasBody(req: IncomingMessage): boolean {
  const length = req.headers['content-length'];
  return req.headers['transfer-encoding'] !== undefined || (length !== undefined && length !== '0');
}

function unsupportedMediaType(): HttpException {
  return new HttpException(
    {
      statusCode: HttpStatus.UNSUPPORTED_MEDIA_TYPE,
      error: 'Unsupported Media Type',
      message: 'content-type: must be application/json (UTF-8)',
      issues: [{ field: 'content-type', reason: 'must be application/json (UTF-8)' }],
    },
    HttpStatus.UNSUPPORTED_MEDIA_TYPE,
  );
}

function isJsonUtf8(contentType: string | undefined): boolean {
  if (contentType === undefined) return false;
  const [mediaType, ...parameters] = contentType.split(';').map((part) => part.trim().toLowerCase());
  if (mediaType !== 'application/json') return false;
  const charset = parameters.find((parameter) => parameter.startsWith('charset='));
  return charset === undefined || /^charset="?utf-8"?$/.test(charset);
}

async function readBody(req: IncomingMessage): Promise<Buffer> {
  const chunks: Buffer[] = [];
  let size = 0;
  for await (const chunk of req as AsyncIterable<Buffer>) {
    size += chunk.length;
    if (size > MAX_BODY_BYTES) {
      throw new PayloadTooLargeException({
        statusCode: HttpStatus.PAYLOAD_TOO_LARGE,
        error: 'Payload Too Large',
        message: `(body): must be at most ${MAX_BODY_BYTES} bytes`,
        issues: [{ field: '(body)', reason: `must be at most ${MAX_BODY_BYTES} bytes` }],
      });
    }
    chunks.push(chunk);
  }
  return Buffer.concat(chunks);
}

// fatal: a byte sequence that is not UTF-8 is refused, where the decoders of body parsers replace
// it with U+FFFD and the mangled text would be stored as if the applicant had typed it.
const utf8 = new TextDecoder('utf-8', { fatal: true, ignoreBOM: false });

/**
 * The only body parser of every service: a body must be a UTF-8 JSON object or array sent as
 * application/json. Anything else (a form, text, broken UTF-8 or JSON) is refused before routing
 * with 415 or 400 naming what is wrong; a request without a body passes with `body` unset.
 */
@Injectable()
export class StrictJsonBodyMiddleware implements NestMiddleware {
  async use(req: BodyRequest, _res: unknown, next: (error?: unknown) => void): Promise<void> {
    if (!hasBody(req)) return next();
    if (!isJsonUtf8(req.headers['content-type'])) throw unsupportedMediaType();
    const raw = await readBody(req);
    if (raw.length === 0) return next();
    let text: string;
    try {
      text = utf8.decode(raw);
    } catch {
      throw invalidRequest([{ field: '(body)', reason: 'must be valid UTF-8' }]);
    }
    let parsed: unknown;
    try {
      parsed = JSON.parse(text);
    } catch {
      throw invalidRequest([{ field: '(body)', reason: 'must be valid JSON' }]);
    }
    if (parsed === null || typeof parsed !== 'object') {
      throw invalidRequest([{ field: '(body)', reason: 'must be a JSON object' }]);
    }
    req.body = parsed;
    next();
  }
}
