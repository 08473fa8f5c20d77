import { Body, Controller, Get, HttpCode, NotFoundException, Post, Query } from '@nestjs/common';
import { ApiBearerAuth, ApiOperation, ApiTags } from '@nestjs/swagger';
import { InjectDataSource } from '@nestjs/typeorm';
import { type Actor, AllowOperatorWrite, AuditTrail, CurrentActor, Roles } from '@tongban/auth';
import { TOPICS } from '@tongban/contracts';
import { createZodDto } from 'nestjs-zod';
import type { DataSource } from 'typeorm';
import { z } from 'zod';
import {
  type DeadLetter,
  DeadLetterNotFoundError,
  DeadLetterStore,
  DLQ_SUFFIX,
  type ReplayResult,
} from './dead-letter-store';

const topic = z.enum(Object.values(TOPICS), {
  message: `must be one of ${Object.values(TOPICS).join(', ')}`,
});

class ListDeadLettersQuery extends createZodDto(
  z.object({
    topic,
    limit: z.coerce.number().int().min(1).max(1000).default(100),
  }),
) {}

class ReplayDeadLettersBody extends createZodDto(
  z
    .object({
      topic,
      partition: z.number().int().min(0).optional(),
      offset: z.string().regex(/^\d+$/, 'must be a Kafka offset (digits)').optional(),
      all: z.literal(true).optional(),
    })
    .refine((body) => (body.all === true) !== (body.partition !== undefined && body.offset !== undefined), {
      message: 'give either partition and offset of one dead letter, or all: true',
      path: ['all'],
    }),
) {}

/**
 * The operators' view of `<topic>.dlq`: what failed and why, and a replay once the cause is
 * fixed. Replaying is safe to repeat: consumers skip events they already processed.
 */
@ApiTags('operations')
@ApiBearerAuth()
@Controller('ops/dead-letters')
@Roles('operator', 'admin')
export class DeadLettersController {
  constructor(
    private readonly store: DeadLetterStore,
    private readonly audit: AuditTrail,
    @InjectDataSource() private readonly dataSource: DataSource,
  ) {}

  @Get()
  @ApiOperation({
    summary: 'The most recent dead letters of a topic (oldest first), with their failure metadata.',
  })
  async list(@Query() query: ListDeadLettersQuery): Promise<{ topic: string; deadLetters: DeadLetter[] }> {
    const dlqTopic = `${query.topic}${DLQ_SUFFIX}`;
    return { topic: dlqTopic, deadLetters: await this.store.list(dlqTopic, query.limit) };
  }

  @Post('replay')
  @HttpCode(200)
  @AllowOperatorWrite()
  @ApiOperation({
    summary: 'Send one dead letter (partition + offset) or all of a topic back to their topic.',
  })
  async replay(@Body() body: ReplayDeadLettersBody, @CurrentActor() actor: Actor): Promise<ReplayResult> {
    const dlqTopic = `${body.topic}${DLQ_SUFFIX}`;
    const which = body.all ? 'all' : { partition: body.partition ?? 0, offset: body.offset ?? '0' };
    const objectId = which === 'all' ? `${dlqTopic}/*` : `${dlqTopic}/${which.partition}/${which.offset}`;
    let result: ReplayResult;
    try {
      result = await this.store.replay(dlqTopic, which);
    } catch (error) {
      await this.record(actor, objectId, 'failed', { error: (error as Error).name });
      if (error instanceof DeadLetterNotFoundError) throw new NotFoundException(error.message);
      throw error;
    }
    await this.record(actor, objectId, 'succeeded', { replayed: result.replayed.length });
    return result;
  }

  private record(
    actor: Actor,
    objectId: string,
    result: 'succeeded' | 'failed',
    detail: Record<string, unknown>,
  ) {
    return this.dataSource.transaction((manager) =>
      this.audit.record(manager, {
        actor,
        action: 'dlq.replay',
        objectType: 'dead_letter',
        objectId,
        result,
        detail,
      }),
    );
  }
}
