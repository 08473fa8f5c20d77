import { Controller, Get, HttpCode, NotFoundException, Param, Post, Query } from '@nestjs/common';
import { ApiBearerAuth, ApiOperation, ApiTags } from '@nestjs/swagger';
import { type Actor, AllowOperatorWrite, AuditTrail, CurrentActor, Roles } from '@tongban/auth';
import { InjectDataSource } from '@nestjs/typeorm';
import { UuidParamPipe } from '@tongban/runtime';
import type { DataSource } from 'typeorm';
import { ListNotificationsDto } from './notification.dto';

const VIEW = `n.id, n.case_id AS "caseId", n.kind, n.round, n.template_id AS "templateId",
  n.template_version AS "templateVersion", n.status, n.attempts, n.due_at AS "dueAt", n.last_error AS "lastError",
  n.provider, n.created_at AS "createdAt", n.sent_at AS "sentAt", n.delivered_at AS "deliveredAt",
  n.failed_at AS "failedAt", n.recipient,
  CASE WHEN n.recipient = 'agent' THEN c.agent_phone_masked ELSE c.phone_masked END AS "phoneMasked"`;

/**
 * Operators see each message's status (never its text: it may hold a pickup code) and put a
 * dead-lettered one back in the queue once the cause is fixed.
 */
@ApiTags('notifications')
@ApiBearerAuth()
@Controller('notifications')
export class NotificationsController {
  constructor(
    @InjectDataSource() private readonly dataSource: DataSource,
    private readonly audit: AuditTrail,
  ) {}

  @Get()
  @Roles('operator', 'admin')
  @ApiOperation({ summary: 'Messages of a case, or by status (failed = the dead letters), newest first.' })
  async list(@Query() query: ListNotificationsDto) {
    const rows = (await this.dataSource.query(
      `SELECT ${VIEW} FROM notifications n LEFT JOIN case_contacts c ON c.case_id = n.case_id
        WHERE ($1::uuid IS NULL OR n.case_id = $1) AND ($2::text IS NULL OR n.status = $2)
        ORDER BY n.created_at DESC LIMIT $3`,
      [query.caseId ?? null, query.status ?? null, query.limit],
    )) as Record<string, unknown>[];
    return { items: rows };
  }

  @Post(':id/requeue')
  @Roles('operator', 'admin')
  @AllowOperatorWrite()
  @HttpCode(200)
  @ApiOperation({ summary: 'Puts a failed message back in the queue with a fresh attempt count.' })
  async requeue(@Param('id', UuidParamPipe) id: string, @CurrentActor() actor: Actor) {
    const requeued = await this.dataSource.transaction(async (manager) => {
      const [rows] = (await manager.query(
        `UPDATE notifications SET status = 'queued', attempts = 0, due_at = clock_timestamp(), failed_at = NULL
          WHERE id = $1 AND status = 'failed' RETURNING id`,
        [id],
      )) as [unknown[], number];
      if (rows.length > 0) {
        await this.audit.record(manager, {
          actor,
          action: 'notification.requeue',
          objectType: 'notification',
          objectId: id,
          result: 'succeeded',
        });
      }
      return rows.length > 0;
    });
    if (!requeued) throw new NotFoundException({ message: 'no failed message with this id' });
    return { id, status: 'queued' };
  }
}
