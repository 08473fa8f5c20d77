import { Logger } from '@nestjs/common';
import { type logCreator, logLevel } from 'kafkajs';

/**
 * kafkajs logs a heartbeat answered "rebalance in progress" as an ERROR, once per partition
 * fetch, every time a member joins or leaves the group: routine during any deploy or scale-out.
 * Those lines are debug here so that an operator's error alerts mean something.
 */
export function isRoutineRebalanceNotice(message: string, error: unknown): boolean {
  return (
    typeof error === 'string' &&
    error.includes('The group is rebalancing') &&
    (message.includes('Heartbeat') || message.includes('OffsetCommit'))
  );
}

/** kafkajs logs as structured JSON lines through Nest's logger (and so pino, with the trace id). */
export function kafkaLogCreator(context: string): logCreator {
  const logger = new Logger(context);
  return () =>
    ({ namespace, level, log }) => {
      const { message } = log;
      // kafkajs's own timestamp and logger name add nothing to pino's line.
      const fields = Object.fromEntries(
        Object.entries(log).filter(([key]) => !['message', 'timestamp', 'logger'].includes(key)),
      );
      const entry = { msg: `[${namespace}] ${message}`, ...fields };
      if (level === logLevel.ERROR && isRoutineRebalanceNotice(message, fields['error'])) {
        logger.debug(entry);
        return;
      }
      switch (level) {
        case logLevel.ERROR:
        case logLevel.NOTHING:
          logger.error(entry);
          break;
        case logLevel.WARN:
          logger.warn(entry);
          break;
        case logLevel.INFO:
          logger.log(entry);
          break;
        default:
          logger.debug(entry);
      }
    };
}
