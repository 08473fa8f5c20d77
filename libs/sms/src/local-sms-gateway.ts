import { randomUUID } from 'node:crypto';
import { createServer, type IncomingMessage, type Server, type ServerResponse } from 'node:http';
import type { AddressInfo } from 'node:net';
import { normalizePhone } from '@tongban/pii';
import { renderSms, type SmsCatalogue, smsCatalogue, templateById } from './sms-templates';
import { checkTc3Authorization } from './tc3-signature';

/** What the gateway does with the next requests: answer, refuse as throttled, or be down (503). */
export const GATEWAY_MODES = ['ok', 'throttled', 'down'] as const;
export type GatewayMode = (typeof GATEWAY_MODES)[number];

export interface ReceivedSms {
  readonly serialNo: string;
  readonly templateId: string;
  readonly text: string;
  readonly receivedAt: string;
}

export interface LocalSmsGatewayOptions {
  readonly port?: number;
  readonly host?: string;
  readonly secretId: string;
  readonly secretKey: string;
  readonly smsSdkAppId: string;
  readonly catalogue?: SmsCatalogue;
}

export interface LocalSmsGateway {
  /** http://host:port, for the inbox and control routes. */
  readonly url: string;
  /** host:port, what the SDK takes as its endpoint (with protocol http://). */
  readonly endpoint: string;
  inbox(phone: string): readonly ReceivedSms[];
  setMode(mode: GatewayMode): void;
  /** SendSms requests answered so far, whatever their outcome. */
  readonly requests: number;
  /** Messages accepted into a phone's inbox so far (each is one text the phone received). */
  readonly accepted: number;
  close(): Promise<void>;
}

interface ApiAnswer {
  readonly status: number;
  readonly body: unknown;
}

const MAX_BODY = 64 * 1024;

function apiError(code: string, message: string): ApiAnswer {
  return {
    status: 200,
    body: { Response: { Error: { Code: code, Message: message }, RequestId: randomUUID() } },
  };
}

async function readBody(request: IncomingMessage): Promise<Buffer | null> {
  const chunks: Buffer[] = [];
  let size = 0;
  for await (const chunk of request) {
    size += (chunk as Buffer).length;
    if (size > MAX_BODY) return null;
    chunks.push(chunk as Buffer);
  }
  return Buffer.concat(chunks);
}

function send(response: ServerResponse, answer: ApiAnswer): void {
  response.writeHead(answer.status, { 'content-type': 'application/json; charset=utf-8' });
  response.end(JSON.stringify(answer.body));
}

/**
 * A stand-in for Tencent Cloud SMS (API 3.0, version 2021-01-11) on loopback, for development and
 * tests: the official SDK pointed at it sends `SendSms` and `PullSmsSendStatus` exactly as it would
 * to the cloud, signed with TC3-HMAC-SHA256, which the gateway checks. It renders each message from
 * the template catalogue the way the provider would and keeps it in an in-memory inbox per phone
 * (`GET /inbox/<phone>`), which is how developers, the e2e journeys and `npm run sms` read them.
 * `POST /control {"mode": "down" | "throttled" | "ok"}` simulates a provider outage or throttling.
 */
export async function startLocalSmsGateway(options: LocalSmsGatewayOptions): Promise<LocalSmsGateway> {
  const catalogue = options.catalogue ?? smsCatalogue();
  const inboxes = new Map<string, ReceivedSms[]>();
  const reports: { SerialNo: string; PhoneNumber: string; UserReceiveTime: number }[] = [];
  let mode: GatewayMode = 'ok';
  let requests = 0;
  let accepted = 0;

  function sendSms(body: Record<string, unknown>): ApiAnswer {
    requests += 1;
    if (mode === 'down') return { status: 503, body: { message: 'service unavailable' } };
    if (mode === 'throttled') return apiError('RequestLimitExceeded', 'request rate limit exceeded');
    if (body['SmsSdkAppId'] !== options.smsSdkAppId) {
      return apiError('FailedOperation.SmsSdkAppIdVerifyFail', 'unknown SmsSdkAppId');
    }
    const template =
      typeof body['TemplateId'] === 'string' ? templateById(body['TemplateId'], catalogue) : undefined;
    if (!template) return apiError('FailedOperation.TemplateIncorrectOrUnapproved', 'unknown template');
    const params = body['TemplateParamSet'];
    if (
      !Array.isArray(params) ||
      params.length !== template.params.length ||
      !params.every((p) => typeof p === 'string')
    ) {
      return apiError(
        'InvalidParameterValue.TemplateParameterFormatError',
        'template parameters do not match',
      );
    }
    const signName = body['SignName'];
    if (typeof signName !== 'string' || signName.length === 0) {
      return apiError('FailedOperation.SignatureIncorrectOrUnapproved', 'SignName is required');
    }
    const phones = body['PhoneNumberSet'];
    if (!Array.isArray(phones) || phones.length === 0 || phones.length > 200) {
      return apiError(
        'InvalidParameterValue.IncorrectPhoneNumber',
        'PhoneNumberSet must hold 1..200 numbers',
      );
    }
    const text = renderSms(signName, template, params as string[]);
    const SendStatusSet = phones.map((raw) => {
      const phone = typeof raw === 'string' ? normalizePhone(raw) : null;
      if (!phone) {
        return {
          SerialNo: '',
          PhoneNumber: String(raw),
          Fee: 0,
          Code: 'InvalidParameterValue.IncorrectPhoneNumber',
          Message: 'incorrect phone number',
          IsoCode: 'CN',
          SessionContext: body['SessionContext'] ?? '',
        };
      }
      const serialNo = `${Date.now()}:${randomUUID()}`;
      const received: ReceivedSms = {
        serialNo,
        templateId: template.id,
        text,
        receivedAt: new Date().toISOString(),
      };
      inboxes.set(phone, [...(inboxes.get(phone) ?? []), received]);
      accepted += 1;
      reports.push({
        SerialNo: serialNo,
        PhoneNumber: `+86${phone}`,
        UserReceiveTime: Math.floor(Date.now() / 1000),
      });
      return {
        SerialNo: serialNo,
        PhoneNumber: `+86${phone}`,
        Fee: 1,
        Code: 'Ok',
        Message: 'send success',
        IsoCode: 'CN',
        SessionContext: body['SessionContext'] ?? '',
      };
    });
    return { status: 200, body: { Response: { SendStatusSet, RequestId: randomUUID() } } };
  }

  function pullStatus(body: Record<string, unknown>): ApiAnswer {
    if (mode === 'down') return { status: 503, body: { message: 'service unavailable' } };
    if (body['SmsSdkAppId'] !== options.smsSdkAppId) {
      return apiError('FailedOperation.SmsSdkAppIdVerifyFail', 'unknown SmsSdkAppId');
    }
    const limit = typeof body['Limit'] === 'number' ? Math.min(Math.max(body['Limit'], 1), 100) : 100;
    const PullSmsSendStatusSet = reports.splice(0, limit).map((report) => ({
      ...report,
      CountryCode: '86',
      SubscriberNumber: report.PhoneNumber.slice(3),
      ReportStatus: 'SUCCESS',
      Description: 'DELIVRD',
      SessionContext: '',
    }));
    return { status: 200, body: { Response: { PullSmsSendStatusSet, RequestId: randomUUID() } } };
  }

  async function api(request: IncomingMessage): Promise<ApiAnswer> {
    const raw = await readBody(request);
    if (raw === null) return apiError('InvalidParameter', 'body too large');
    const url = new URL(request.url ?? '/', 'http://gateway');
    const check = checkTc3Authorization(request.headers.authorization, options, {
      method: request.method ?? 'POST',
      path: url.pathname,
      query: url.search.slice(1),
      contentType: request.headers['content-type'] ?? '',
      hostname: (request.headers.host ?? '').replace(/:\d+$/, ''),
      body: raw,
      timestamp: Number(request.headers['x-tc-timestamp']),
    });
    if (check !== 'ok') {
      return apiError(
        check === 'unknown_secret_id' ? 'AuthFailure.SecretIdNotFound' : 'AuthFailure.SignatureFailure',
        `signature check: ${check}`,
      );
    }
    let body: unknown;
    try {
      body = JSON.parse(raw.toString('utf8'));
    } catch {
      return apiError('InvalidParameter', 'body is not JSON');
    }
    if (typeof body !== 'object' || body === null)
      return apiError('InvalidParameter', 'body is not an object');
    switch (request.headers['x-tc-action']) {
      case 'SendSms':
        return sendSms(body as Record<string, unknown>);
      case 'PullSmsSendStatus':
        return pullStatus(body as Record<string, unknown>);
      default:
        return apiError('InvalidAction', 'the local gateway answers SendSms and PullSmsSendStatus');
    }
  }

  async function route(request: IncomingMessage, response: ServerResponse): Promise<void> {
    const url = new URL(request.url ?? '/', 'http://gateway');
    if (request.method === 'POST' && url.pathname === '/') return send(response, await api(request));
    if (request.method === 'GET' && url.pathname === '/health')
      return send(response, { status: 200, body: { status: 'ok', mode } });
    if (request.method === 'GET' && url.pathname.startsWith('/inbox/')) {
      const phone = normalizePhone(decodeURIComponent(url.pathname.slice('/inbox/'.length)));
      if (!phone)
        return send(response, { status: 400, body: { message: 'phone: must be a mainland mobile number' } });
      return send(response, { status: 200, body: { messages: inboxes.get(phone) ?? [] } });
    }
    if (request.method === 'POST' && url.pathname === '/control') {
      const raw = await readBody(request);
      let next: unknown;
      try {
        next = (JSON.parse(raw?.toString('utf8') ?? '') as { mode?: unknown }).mode;
      } catch {
        next = undefined;
      }
      if (!GATEWAY_MODES.includes(next as GatewayMode)) {
        return send(response, {
          status: 400,
          body: { message: `mode: must be one of ${GATEWAY_MODES.join(', ')}` },
        });
      }
      mode = next as GatewayMode;
      return send(response, { status: 200, body: { mode } });
    }
    send(response, { status: 404, body: { message: 'not found' } });
  }

  const server: Server = createServer((request, response) => {
    route(request, response).catch(() => send(response, { status: 500, body: { message: 'gateway error' } }));
  });
  const host = options.host ?? '127.0.0.1';
  await new Promise<void>((resolve, reject) => {
    server.once('error', reject);
    server.listen(options.port ?? 0, host, () => resolve());
  });
  const { port } = server.address() as AddressInfo;
  return {
    url: `http://${host}:${port}`,
    endpoint: `${host}:${port}`,
    inbox: (phone) => inboxes.get(normalizePhone(phone) ?? '') ?? [],
    setMode: (next) => {
      mode = next;
    },
    get requests() {
      return requests;
    },
    get accepted() {
      return accepted;
    },
    close: () =>
      new Promise<void>((resolve) => {
        server.closeAllConnections();
        server.close(() => resolve());
      }),
  };
}
