import fs from 'node:fs';
import {
  Body,
  Controller,
  Get,
  Injectable,
  type INestApplication,
  Logger,
  Post,
  Query,
} from '@nestjs/common';
import { Test } from '@nestjs/testing';
import {
  generatePhone,
  generateResidentId,
  isValidResidentId,
  maskPhone,
  maskResidentId,
} from '@tongban/pii';
import { Logger as PinoNestLogger, PinoLogger } from 'nestjs-pino';
import request from 'supertest';
import { LoggingModule, REDACTED_PATHS } from './logging.module';
import { runWithTraceContext } from './trace-context';

const [bodyId, bodyId2, groupedId, messageId, queryId, deepId] = Array.from({ length: 6 }, () =>
  generateResidentId(),
);
const [bodyPhone, bodyMobile, groupedPhone, messagePhone, queryPhone, errorPhone] = Array.from(
  { length: 6 },
  () => generatePhone(),
);
const CLEAR_VALUES = [bodyId, bodyId2, groupedId, messageId, queryId, deepId].concat(
  bodyPhone,
  bodyMobile,
  groupedPhone,
  messagePhone,
  queryPhone,
  errorPhone,
);
const CREDENTIALS = ['Bearer secret-token-123', 'session=s3cr3t'];

@Injectable()
class CaseLookup {
  private readonly logger = new Logger(CaseLookup.name);

  find(idNumber: string, phone: string): never {
    this.logger.warn(`looking up the case of ${idNumber}, phone ${phone}`);
    throw new Error(`no case for applicant ${idNumber}`);
  }
}

interface CaseBody {
  readonly applicant: { readonly idNumber: string; readonly phone: string; readonly note: string };
}

@Controller('cases')
class CasesController {
  private readonly logger = new Logger(CasesController.name);

  constructor(
    private readonly lookup: CaseLookup,
    private readonly pino: PinoLogger,
  ) {
    pino.setContext(CasesController.name);
  }

  @Post()
  submit(@Body() body: CaseBody): { ok: true } {
    this.logger.log({ msg: 'case submitted', body });
    this.logger.log(`applicant ${body.applicant.idNumber} can be reached at ${body.applicant.phone}`);
    this.pino.info(body, 'body at the top level');
    this.pino.info({ a: { b: { c: { d: { e: { f: body } } } } } }, 'body deeper than redaction reaches');
    return { ok: true };
  }

  @Get()
  find(@Query('idNumber') idNumber: string, @Query('phone') phone: string): never {
    return this.lookup.find(idNumber, phone);
  }

  @Get('notify')
  notify(@Query('phone') phone: string): { sent: false } {
    this.pino.error({ err: new Error(`SMS to ${phone} failed`) }, 'notification failed');
    return { sent: false };
  }
}

describe('LoggingModule', () => {
  let app: INestApplication;
  const written: string[] = [];

  beforeAll(async () => {
    // Everything that reaches stdout, through pino's synchronous destination or otherwise.
    jest.spyOn(fs, 'writeSync').mockImplementation((fd: number, data: unknown) => {
      const text = typeof data === 'string' ? data : Buffer.from(data as Uint8Array).toString('utf8');
      if (fd === 1) written.push(text);
      return Buffer.byteLength(text);
    });
    jest.spyOn(process.stdout, 'write').mockImplementation((data: string | Uint8Array) => {
      written.push(typeof data === 'string' ? data : Buffer.from(data).toString('utf8'));
      return true;
    });

    const moduleRef = await Test.createTestingModule({
      imports: [LoggingModule.forRoot({ service: 'test', level: 'info' })],
      controllers: [CasesController],
      providers: [CaseLookup],
    }).compile();
    app = moduleRef.createNestApplication({ bufferLogs: true });
    app.useLogger(app.get(PinoNestLogger));
    await app.init();
  });

  afterAll(async () => {
    await app.close();
    jest.restoreAllMocks();
  });

  const lines = () =>
    written
      .join('')
      .split('\n')
      .filter(Boolean)
      .map((line) => JSON.parse(line) as Record<string, unknown>);

  /** Sends a request and returns the lines it logged, the request line included. */
  async function logged(send: () => request.Test): Promise<Record<string, unknown>[]> {
    const before = lines().length;
    await send();
    // pino-http writes its line when the response finishes, which may be after the client has it.
    for (
      let attempt = 0;
      attempt < 100 &&
      !lines()
        .slice(before)
        .some((line) => 'res' in line);
      attempt++
    ) {
      await new Promise((resolve) => setTimeout(resolve, 10));
    }
    return lines().slice(before);
  }

  const server = () => request(app.getHttpServer());

  it('puts the trace id of the traceparent on every line of a request', async () => {
    const traceId = '0af7651916cd43dd8448eb211c80319c';
    const requestLines = await logged(() =>
      server()
        .post('/cases')
        .set('traceparent', `00-${traceId}-b7ad6b7169203331-01`)
        .set('authorization', CREDENTIALS[0])
        .set('cookie', CREDENTIALS[1])
        .send({
          applicant: {
            idNumber: bodyId,
            phone: bodyPhone,
            mobile: bodyMobile,
            applicantIdNumber: bodyId2,
            note: `call +86 ${groupedPhone.slice(0, 3)} ${groupedPhone.slice(3, 7)} ${groupedPhone.slice(7)} about ${groupedId.slice(0, 6)}-${groupedId.slice(6, 14)}-${groupedId.slice(14)}`,
          },
          message: `${messageId}/${messagePhone}`,
          idNumber: deepId,
        })
        .expect(201),
    );
    expect(requestLines.length).toBeGreaterThanOrEqual(5);
    for (const line of requestLines) expect(line).toMatchObject({ traceId });
    expect(requestLines.find((line) => 'res' in line)).toMatchObject({ req: { id: traceId } });
  });

  it('starts a trace for a request without traceparent, shared by its lines and error lines', async () => {
    const requestLines = await logged(() =>
      server().get('/cases').query({ idNumber: queryId, phone: queryPhone }).expect(500),
    );
    const traceId = requestLines[0]?.['traceId'];
    expect(traceId).toMatch(/^[\da-f]{32}$/);
    expect(requestLines.length).toBeGreaterThanOrEqual(3);
    for (const line of requestLines) expect(line['traceId']).toBe(traceId);
  });

  it('logs the request path only: no query string, query or route parameters, no headers', async () => {
    const requestLines = await logged(() =>
      server().get('/cases').query({ receipt: '440306001-20261124-0007', phoneLast4: '1234' }).expect(500),
    );
    const requestLine = requestLines.find((line) => 'res' in line);
    expect(requestLine?.['req']).toEqual({ id: expect.any(String), method: 'GET', url: '/cases' });
    expect(JSON.stringify(requestLines)).not.toMatch(/440306001-20261124-0007|phoneLast4/);
  });

  it('logs errors with personal data masked', async () => {
    const requestLines = await logged(() =>
      server().get('/cases/notify').query({ phone: errorPhone }).expect(200),
    );
    expect(requestLines.find((line) => line['msg'] === 'notification failed')).toMatchObject({
      err: {
        message: `SMS to ${maskPhone(errorPhone)} failed`,
        stack: expect.stringContaining(maskPhone(errorPhone)),
      },
    });
  });

  it('carries the trace id of runWithTraceContext on lines logged outside any request', () => {
    const before = lines().length;
    const logger = app.get(PinoNestLogger);
    runWithTraceContext('00-4bf92f3577b34da6a3ce929d0e0e4736-00f067aa0ba902b7-01', () =>
      logger.log('handling case.submitted', 'KafkaHandler'),
    );
    logger.log('between messages', 'KafkaHandler');
    const [inside, outside] = lines().slice(before);
    expect(inside).toMatchObject({
      msg: 'handling case.submitted',
      traceId: '4bf92f3577b34da6a3ce929d0e0e4736',
    });
    expect(outside).not.toHaveProperty('traceId');
  });

  it('never wrote a personal number or a credential in the clear, only masks', () => {
    const output = written.join('');
    for (const value of [...CLEAR_VALUES, ...CREDENTIALS]) expect(output).not.toContain(value);
    for (const token of output.match(/\d{17}[\dXx]/g) ?? []) expect(isValidResidentId(token)).toBe(false);
    for (const id of [groupedId, messageId, queryId]) expect(output).toContain(maskResidentId(id));
    for (const phone of [groupedPhone, messagePhone, queryPhone]) expect(output).toContain(maskPhone(phone));
    expect(output).toContain('[REDACTED]');
  });
});

describe('REDACTED_PATHS', () => {
  it('covers each personal field at the top level and nested', () => {
    expect(REDACTED_PATHS).toEqual(
      expect.arrayContaining([
        'idNumber',
        '*.phone',
        '*.*.applicantIdNumber',
        '*.*.*.*.mobile',
        '*.*.authorization',
      ]),
    );
  });
});
